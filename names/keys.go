package names

import (
	"slices"
	"strings"
	"unicode"
)

// KeysVersion identifies the key algorithm. Keys are stored in indexed
// columns: a change that alters any key bumps it, and stored keys computed
// with an older version must be recomputed.
const KeysVersion = 4

// Keys returns the phonetic keys of a name: a few short ASCII strings per
// token (see Tokens), sorted and without duplicates. Two spellings of a name
// that share a key are the same name to a phonetic search, in Latin or Arabic
// script: Keys("Mohamed"), Keys("Muhammad") and Keys("محمد") all contain
// "MHMD", and Keys("Mahmoud") and Keys("محمود") contain "MHMUD" but not
// "MHMD". The algorithm and its limits are described in the package
// documentation and docs/names.md.
//
// The keys suit an indexed text[] column (a GIN index answers `keys && $1`)
// and blocking in record linkage. Tokens of one letter (initials) have no key.
// A name without keys gives an empty slice, never nil, which pgx stores as
// '{}' rather than NULL.
func Keys(s string) []string {
	keys := []string{}
	for _, tok := range lightTokens(light(s)) {
		keys = append(keys, tokenKeys(tok)...)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Consonant classes of the keys. Spellings that transliterations of one
// Arabic letter use fall into one class (th and ث are S because Osman,
// Othman and Usman are one name; j, dj, z, dh, ج ز ذ ظ are Z because Khadija,
// Khadidja and Hadiza are). The vowel marks are V (the token begins with a
// vowel), U and I (a long vowel in the last syllable) and A, I, U (the token
// ends in that vowel).
const (
	clsB = 'B'
	clsD = 'D'
	clsF = 'F'
	clsG = 'G'
	clsH = 'H'
	clsK = 'K'
	clsL = 'L'
	clsM = 'M'
	clsN = 'N'
	clsP = 'P'
	clsR = 'R'
	clsS = 'S'
	clsT = 'T'
	clsW = 'W'
	clsX = 'X' // sh, ch (French), ش
	clsY = 'Y'
	clsZ = 'Z' // z, j, dj, dh, ج ز ذ ظ
)

// unit is one sound of a token: a consonant class, or a vowel letter (Latin
// a e i o u and non-initial y w; Arabic ا إ و ي ى ة and the glottal ع ء,
// which transliterations mostly drop).
type unit struct {
	cons rune // consonant class, 0 for a vowel
	vow  rune // the vowel letter, 0 for a consonant
	// soft marks a word-final h that may be silent (Latin "Fatimah") or a
	// ta marbuta written as ه (فاطمه).
	soft bool
}

// item is a consonant or a run of vowels after grouping the units.
type item struct {
	cons rune
	run  []rune
	soft bool
}

// tokenKeys returns the keys of one light-folded token, sorted and
// without duplicates.
func tokenKeys(tok string) []string {
	if runeCount(tok) < 2 {
		return nil
	}
	var keys []string
	if isArabicScript(tok) {
		keys = arabicTokenKeys(tok)
	} else {
		keys = latinTokenKeys(tok)
	}
	// Tokens equal after Fold are an exact match (Compare), so they must
	// share a key: the folded token's keys too, where the light one keeps
	// ة, ى or إ (زهرة and a زةرة typed, مصطفى and مصطفي). FTR's batch run
	// finds exact names through their keys.
	if f := foldArabic(tok); f != tok {
		keys = append(keys, tokenKeys(f)...)
	}
	// Another language's form of a name also reads as the name's
	// (equivalentNames).
	if canon, ok := equivalentOf[tok]; ok {
		keys = append(keys, latinTokenKeys(canon)...)
	}
	// Readings repeat keys (فاطمة's folded reading gives FTMA again): a
	// sorted set, which a one-token name's users take as its keys without
	// a copy (matching's newPname).
	slices.Sort(keys)
	return slices.Compact(keys)
}

// allahKey is the key of every ʿAbd-Allah compound (Abdullahi, Abdallah,
// Abdoulaye, Abdulai, عبد الله).
const allahKey = "VBDLH"

// allahTails are what remains of the Allah part of a Latin ʿAbd compound
// after its l's.
var allahTails = set("a", "ah", "aa", "aah", "ahi", "aahi", "ai", "ay", "aye", "ahy", "ahe", "e", "eh")

func latinTokenKeys(tok string) []string {
	keys := latinReadingKeys(tok)
	for _, so := range somaliReadings(tok) {
		keys = append(keys, latinReadingKeys(so)...)
	}
	if a, ok := finalAsA(tok); ok {
		keys = append(keys, latinReadingKeys(a)...)
	}
	// A final d may be written t (Chadian Mahamat and Ahmat, Turkish Mehmet
	// and Murat for Mohamed, Ahmed and Murad).
	if n := len(tok); n >= 4 && tok[n-1] == 't' && isLatinVowel(rune(tok[n-2])) && tok[n-2] != 'y' && tok[n-2] != 'w' {
		keys = append(keys, latinReadingKeys(tok[:n-1]+"d")...)
	}
	return keys
}

// finalAsA returns a Latin token of four letters or more ending in -o or
// -e after a consonant, w or y, read with -a instead. Where Arabic ends a
// name in ة (Fatima, Halima, Hawa), Somali writes -o (Halimo, Hawo, Najmo)
// and Chadian French -é (Fatimé, Halimé; folded to -e before the keys), and
// Somali writes a man's final -a as -e (Mustafe). The Somali reading does
// this for tokens that show Somali spelling (somaliReading); most of these
// show none. The token's own reading stays: Bruno and Pierre are not
// Bruna and Pierra, but a key more costs only candidates.
func finalAsA(tok string) (string, bool) {
	n := len(tok)
	if n < 4 || (tok[n-1] != 'o' && tok[n-1] != 'e') {
		return "", false
	}
	if prev := rune(tok[n-2]); isLatinVowel(prev) && prev != 'w' && prev != 'y' {
		return "", false
	}
	return tok[:n-1] + "a", true
}

// somaliReadings returns the other readings of a Latin token that Somali
// orthography may have written. Somali has no z and writes ز as s (Seynab,
// Samsam, Sahra for Zainab, Zamzam, Zahra), so a token with z is also read
// with s. Its c is ع, so an initial c before a vowel is also read as
// nothing (Cumar, Cali, Cilmi for Omar, Ali, Elmi); both readings stay, as
// Camille and Celine are not Somali. A token that shows Somali spelling is
// also read respelled (somaliReading), and that reading with every d but
// dh as t as well: Somali writes ط as d (Faadumo, Daahir for Fatima,
// Tahir).
func somaliReadings(tok string) []string {
	var out []string
	if strings.IndexByte(tok, 'z') >= 0 {
		out = append(out, strings.ReplaceAll(tok, "z", "s"))
	}
	if len(tok) >= 3 && tok[0] == 'c' && strings.IndexByte("aeiou", tok[1]) >= 0 {
		out = append(out, tok[1:])
	}
	if so, ok := somaliReading(tok); ok {
		if so != tok {
			out = append(out, so)
		}
		// Not an ʿAbd compound's d, which its own keys read.
		if t := somaliD.Replace(so); t != so && !strings.HasPrefix(so, "abd") {
			out = append(out, t)
		}
	}
	return out
}

// somaliD reads Somali d as ط (t), leaving dh (ذ, ض).
var somaliD = strings.NewReplacer("dh", "dh", "d", "t")

// somaliReading returns a token in Somali orthography (Maxamed, Xuseen,
// Cabdiraxmaan, Caasha, Khadiijo, Muuse) respelled as other Latin
// transliterations write it: x is ح (h), c is ع (dropped, like an
// apostrophe), a final -o or -e after a consonant, w or y is -a. It
// reports false unless the token shows Somali spelling (then it may return
// the token itself), because c and x mean k and ks in the other Latin
// names: an x inside the word, a doubled vowel (aa, ii, uu, oo, ee, Somali
// long vowels) or a Cabd- compound, and no ch or ck.
func somaliReading(tok string) (string, bool) {
	if strings.Contains(tok, "ch") || strings.Contains(tok, "ck") {
		return "", false
	}
	x := strings.IndexByte(tok, 'x')
	evidence := (x >= 0 && x < len(tok)-1) || strings.HasPrefix(tok, "cabd")
	for _, dv := range []string{"aa", "ii", "uu", "oo", "ee"} {
		evidence = evidence || strings.Contains(tok, dv)
	}
	if !evidence {
		return "", false
	}
	r := somaliLetters.Replace(tok)
	// Somali writes the Arabic feminine -a as -o (Khadiijo, Xaliimo, Xaawo)
	// and a final -a of men's names as -e (Muuse, Ciise, Yaxye): after a
	// consonant, w or y.
	if n := len(r); n >= 3 && (r[n-1] == 'o' || r[n-1] == 'e') && (!isLatinVowel(rune(r[n-2])) || r[n-2] == 'w' || r[n-2] == 'y') {
		r = r[:n-1] + "a"
	}
	return r, r != ""
}

// somaliLetters reads Somali c (ayn, silent here) and x (ha): built once,
// a replacer builds its tables on first use (per token, that was a seventh
// of the allocations of parsing names).
var somaliLetters = strings.NewReplacer("c", "", "x", "h")

// latinReadingKeys returns the keys of one reading of a Latin token.
func latinReadingKeys(tok string) []string {
	if strings.HasPrefix(tok, "abd") && len(tok) > 4 {
		rest := tok[3:]
		link := rest[:len(rest)-len(strings.TrimLeft(rest, "aeiou"))]
		body := rest[len(link):]
		if strings.HasPrefix(body, "l") && allahTails[strings.TrimLeft(body, "l")] {
			return []string{allahKey}
		}
		// The article between ʿAbd and the divine name: Abdulrahman,
		// Abdelaziz → Abdurahman, Abdeaziz (Abderrahmane assimilates it).
		if len(body) > 2 && body[0] == 'l' {
			tok = "abd" + link + body[1:]
		}
	}
	u := latinUnits([]rune(tok))
	// A single final e after a consonant is silent in French spellings
	// (Ousmane, Abderrahmane, Noureddine): the word ends in the consonant.
	if n := len(u); n >= 3 && u[n-1].vow == 'e' && u[n-2].cons != 0 {
		u = u[:n-1]
	}
	return keysFromUnits(u, false)
}

func arabicTokenKeys(tok string) []string {
	// An ʿAbd or -din compound, or a token with the joined article, is an
	// Arabic name: it has no foreign readings.
	arabicName := false
	if rest, ok := strings.CutPrefix(tok, "عبد"); ok && rest != "" {
		r := strings.TrimPrefix(foldArabic(rest), "ا")
		if r == "لله" || r == "له" {
			return []string{allahKey}
		}
		if a, ok := strings.CutPrefix(rest, "ال"); ok && a != "" {
			tok = "عبد" + a
		}
		arabicName = true
	}
	if head, ok := strings.CutSuffix(tok, "الدين"); ok && head != "" {
		tok = head + "دين"
		arabicName = true
	}
	// A joined article (الحسن): keys with and without it.
	if rest, ok := strings.CutPrefix(tok, "ال"); ok && runeCount(rest) >= 2 {
		return append(keysFromUnits(arabicUnits([]rune(tok)), true), keysFromUnits(arabicUnits([]rune(rest)), true)...)
	}
	if arabicName {
		return keysFromUnits(arabicUnits([]rune(tok)), true)
	}
	var keys []string
	for _, r := range foreignReadings(tok) {
		keys = append(keys, keysFromUnits(arabicUnits([]rune(r)), true)...)
	}
	return keys
}

// foreignReadings returns an Arabic token and its readings as a name of
// another language written in Arabic script, which has no p and no hard
// g: ب writes p as well (بيتر Peter, بول Paul) and ق a g, as Sudanese
// Arabic pronounces it (قرنق Garang, دينق Deng). Each letter is read
// either way throughout the token. And ز is also read as س, as Somali,
// which has no z, writes it (زينب meets Seynab as Zainab does).
func foreignReadings(tok string) []string {
	out := []string{tok}
	for _, sub := range [][2]string{{"ب", "پ"}, {"ق", "گ"}, {"ز", "س"}} {
		if !strings.Contains(tok, sub[0]) {
			continue
		}
		for _, r := range out {
			out = append(out, strings.ReplaceAll(r, sub[0], sub[1]))
		}
	}
	return out
}

func isLatinVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'w':
		return true
	}
	return false
}

// latinUnits reads a folded Latin token as sounds, digraphs first.
func latinUnits(w []rune) []unit {
	u := make([]unit, 0, len(w))
	at := func(i int) rune {
		if i < len(w) {
			return w[i]
		}
		return 0
	}
	cons := func(c rune) { u = append(u, unit{cons: c}) }
	for i := 0; i < len(w); i++ {
		r, next, next2 := w[i], at(i+1), at(i+2)
		switch r {
		case 'a', 'e', 'i', 'o', 'u':
			u = append(u, unit{vow: r})
		case 'y', 'w':
			// Consonants only before a vowel at the start (Yusuf, Warsame);
			// elsewhere part of a vowel (Ayesha, Dawud, Maryam).
			if i == 0 && isLatinVowel(next) && next != 'y' && next != 'w' {
				cons(unicode.ToUpper(r)) // clsY, clsW
			} else {
				u = append(u, unit{vow: r})
			}
		case 's':
			switch {
			case next == 'c' && next2 == 'h':
				cons(clsX)
				i += 2
			case next == 'h':
				cons(clsX)
				i++
			default:
				cons(clsS)
			}
		case 'c':
			switch {
			case next == 'h' && (next2 == 'r' || next2 == 'l'):
				cons(clsK) // Christine, Chloe
				i++
			case next == 'h':
				cons(clsX) // French ch: Aicha, Rachid
				i++
			case next == 'k':
				cons(clsK)
				i++
			case next == 'e' || next == 'i' || next == 'y':
				cons(clsS)
			default:
				cons(clsK)
			}
		case 't':
			switch {
			case next == 'c' && next2 == 'h':
				cons(clsX)
				i += 2
			case next == 'h':
				cons(clsS) // Othman = Osman, Catherine = Katherine
				i++
			default:
				cons(clsT)
			}
		case 'k':
			if next == 'h' {
				cons(clsH) // Khadija = Hadiza
				i++
			} else {
				cons(clsK)
			}
		case 'g':
			if next == 'h' {
				i++
			}
			cons(clsG)
		case 'p':
			if next == 'h' {
				cons(clsF)
				i++
			} else {
				cons(clsP)
			}
		case 'd':
			switch next {
			case 'h', 'j', 'z':
				cons(clsZ) // Somali dh, French dj: Khadidja
				i++
			default:
				cons(clsD)
			}
		case 'h':
			u = append(u, unit{cons: clsH, soft: i == len(w)-1 && i > 0 && isLatinVowel(w[i-1])})
		case 'q': // q is k (Qasim, Kassim)
			cons(clsK)
		case 'x':
			cons(clsK)
			cons(clsS)
		case 'j', 'z':
			cons(clsZ)
		case 'v', 'f':
			cons(clsF)
		case 'b':
			cons(clsB)
		case 'l':
			cons(clsL)
		case 'm':
			cons(clsM)
		case 'n':
			cons(clsN)
		case 'r':
			cons(clsR)
		default:
			if unicode.IsLetter(r) {
				cons(r) // another script: the letter is its own class
			}
		}
	}
	return u
}

// arabicLetters maps Arabic consonants to their classes.
var arabicLetters = map[rune]rune{
	'ب': clsB, 'ت': clsT, 'ث': clsS, 'ج': clsZ, 'ح': clsH, 'خ': clsH, 'د': clsD,
	'ذ': clsZ, 'ر': clsR, 'ز': clsZ, 'س': clsS, 'ش': clsX, 'ص': clsS, 'ض': clsD,
	'ط': clsT, 'ظ': clsZ, 'غ': clsG, 'ف': clsF, 'ق': clsK, 'ك': clsK, 'ل': clsL,
	'م': clsM, 'ن': clsN, 'ه': clsH, 'پ': clsP, 'چ': clsX, 'ژ': clsZ, 'گ': clsG,
	'ڤ': clsF, 'ڨ': clsG, 'ڭ': clsG,
}

func isArabicVowel(r rune) bool {
	switch r {
	case alef, alefHamzaBelow, 'و', yeh, alefMaqsura, taMarbuta, 'ع', 'ء':
		return true
	}
	return false
}

// arabicUnits reads a light-folded Arabic token as sounds.
func arabicUnits(w []rune) []unit {
	u := make([]unit, 0, len(w))
	for i, r := range w {
		switch {
		case r == 'و' && i == 0:
			u = append(u, unit{cons: clsW})
		case r == yeh && i == 0:
			u = append(u, unit{cons: clsY})
		case isArabicVowel(r):
			u = append(u, unit{vow: r})
		case r == heh && i == len(w)-1 && i > 0:
			u = append(u, unit{cons: clsH, soft: true})
		default:
			if c, ok := arabicLetters[r]; ok {
				u = append(u, unit{cons: c})
			} else if unicode.IsLetter(r) {
				u = append(u, unit{cons: r})
			}
		}
	}
	return u
}

// group turns units into consonants and vowel runs, collapsing a consonant
// written twice (Mohammed, Hussein).
func group(u []unit) []item {
	items := make([]item, 0, len(u))
	// The runs share one backing array, large enough never to grow: each
	// run is capped at its own length, so appending to one copies it.
	vows := make([]rune, 0, len(u))
	for _, x := range u {
		n := len(items)
		switch {
		case x.cons == 0 && n > 0 && items[n-1].cons == 0:
			lo := len(vows) - len(items[n-1].run)
			vows = append(vows, x.vow)
			items[n-1].run = vows[lo:len(vows):len(vows)]
		case x.cons == 0:
			vows = append(vows, x.vow)
			items = append(items, item{run: vows[len(vows)-1 : len(vows) : len(vows)]})
		case n > 0 && items[n-1].cons == x.cons:
			items[n-1].soft = x.soft
		default:
			items = append(items, item{cons: x.cons, soft: x.soft})
		}
	}
	return items
}

// keysFromUnits builds the keys of one token, one per reading of its
// ambiguous spellings.
func keysFromUnits(u []unit, arabic bool) []string {
	items := group(u)
	if len(items) == 0 {
		return nil
	}
	variants := [][]item{items}
	// A word-final h after a vowel may be silent (Fatimah = Fatima), and a
	// final ه may be a ta marbuta (فاطمه = فاطمة): read it both ways.
	if last := items[len(items)-1]; last.soft {
		without := slices.Clone(items[:len(items)-1])
		if arabic {
			if n := len(without); n > 0 && without[n-1].cons == 0 {
				without[n-1].run = append(slices.Clone(without[n-1].run), taMarbuta)
			} else {
				without = append(without, item{run: []rune{taMarbuta}})
			}
		}
		if len(without) > 0 {
			variants = append(variants, without)
		}
	}
	var keys []string
	for _, v := range variants {
		keys = appendKeys(keys, v, arabic)
	}
	return keys
}

// appendKeys appends the keys of one reading.
func appendKeys(keys []string, items []item, arabic bool) []string {
	var buf [32]byte
	b := buf[:0]
	first := 0
	var prefixBuf [2]string
	prefixes := prefixBuf[:1]
	switch {
	case items[0].cons == 0:
		prefixes[0] = "V"
		first = 1
	case !arabic && len(items) > 1 && items[1].cons != 0:
		// No Arabic word begins with two consonants: Brahim and Smail lost
		// an initial vowel (Ibrahim, Ismail). Read it with and without.
		prefixes = append(prefixes, "V")
	}

	// The last syllable's vowel, between the last two consonants of a word
	// that ends in a consonant, is the one place a long vowel is kept:
	// Mahmoud is not Mohamed.
	endsInVowel := items[len(items)-1].cons == 0
	fs := -1 // index of the final-syllable run
	if n := len(items); !endsInVowel && n >= 3 && items[n-2].cons == 0 && items[n-3].cons != 0 {
		fs = n - 2
	}
	var markBuf [2]string
	marks := markBuf[:1]
	if fs >= 0 {
		switch syllableClass(items, fs, arabic) {
		case 'U':
			marks[0] = "U"
		case 'I':
			marks[0] = "I"
		case '?':
			marks = append(marks, "I")
		}
	}
	final := ""
	if endsInVowel && len(items) > first {
		final = finalClass(items[len(items)-1].run, arabic)
	}

	for _, p := range prefixes {
		for _, m := range marks {
			b = b[:0]
			b = append(b, p...)
			for i := first; i < len(items); i++ {
				it := items[i]
				switch {
				case it.cons != 0:
					b = appendRune(b, it.cons)
				case i == fs:
					b = append(b, m...)
				}
			}
			b = append(b, final...)
			if len(b) > 0 {
				keys = append(keys, string(b))
			}
		}
	}
	return keys
}

func appendRune(b []byte, r rune) []byte {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	if r < 0x80 {
		return append(b, byte(r))
	}
	return append(b, string(unicode.ToUpper(r))...)
}

// syllableClass classifies the final-syllable run: 'U' (a long u or o),
// 'I' (a long i: a digraph such as ei, ai, ee, ia, or ي), '?' (a single
// Latin i, e or y: long in Hamid = حميد and Husein, short in Mohamed and
// Hamed = حامد) or 0 (a or nothing).
//
// A Latin u in the last syllable is long (Mahmoud = محمود) unless the
// syllable before also has one: Yusuf and Youssouf are يوسف, whose second u
// is short and unwritten.
func syllableClass(items []item, fs int, arabic bool) rune {
	run := items[fs].run
	if hasU(run, arabic) {
		for i := fs - 1; i >= 0; i-- {
			if items[i].cons == 0 {
				if hasU(items[i].run, arabic) {
					return 0
				}
				break
			}
		}
		return 'U'
	}
	if arabic {
		if slices.Contains(run, yeh) {
			return 'I'
		}
		return 0
	}
	iish := 0
	for _, r := range run {
		if r == 'i' || r == 'e' || r == 'y' {
			iish++
		}
	}
	switch {
	case iish == 0:
		return 0
	case len(run) >= 2:
		return 'I'
	default:
		return '?'
	}
}

func hasU(run []rune, arabic bool) bool {
	if arabic {
		return slices.Contains(run, 'و')
	}
	for _, r := range run {
		if r == 'o' || r == 'u' || r == 'w' {
			return true
		}
	}
	return false
}

// finalClass is the mark of a word-final vowel: A (Fatima, فاطمة, Mustafa,
// مصطفى), I (Ali, علي), U (Mamadou) or nothing (a final ع or ء alone).
func finalClass(run []rune, arabic bool) string {
	if arabic {
		for i := len(run) - 1; i >= 0; i-- {
			switch run[i] {
			case alef, alefMaqsura, taMarbuta, alefHamzaBelow:
				return "A"
			case yeh:
				return "I"
			case 'و':
				return "U"
			}
		}
		return ""
	}
	for i := len(run) - 1; i >= 0; i-- {
		switch run[i] {
		case 'a':
			return "A"
		case 'i', 'y':
			return "I"
		case 'o', 'u', 'w':
			return "U"
		case 'e':
			if i > 0 && (run[i-1] == 'e' || run[i-1] == 'i') {
				return "I"
			}
		}
	}
	return "A"
}

// divineKeys are the keys of God's names that follow ʿAbd in compounds.
var divineKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`rahman rahim karim aziz qadir kadir kader salam latif
		majid wahab wahhab razak razzaq halim jalil hakim hamid rashid fatah fattah ghani jabbar
		malik nasir nasser samad wahid qawi hadi baqi mumin muhaymin kabir wadud basit hafiz
		hayy qayyum nur nour rauf shakur sattar ghafur ghaffar alim mutalib muttalib majeed
		raheem kareem haleem hakeem jaleel lateef qader qaadir rahmaan razaq wahaab`) {
		for _, k := range latinReadingKeys(n) {
			m[k] = true
		}
	}
	return m
}()

// isDivine reports whether a light-folded word is one of God's names or
// Allah, as the second part of an ʿAbd compound.
func isDivine(w string) bool {
	f := foldArabic(w)
	if f == "الله" || f == "لله" || f == "اله" {
		return true
	}
	if !isArabicScript(f) {
		if t := strings.TrimLeft(strings.TrimLeft(f, "aeiou"), "l"); t != f && allahTails[t] {
			return true
		}
	}
	for _, k := range tokenKeys(w) {
		if divineKeys[k] {
			return true
		}
	}
	return false
}
