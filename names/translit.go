package names

import (
	"strings"
)

// arabicLatin is our transliteration of Arabic consonants, close to the
// spellings caseworkers use (kh, sh, th, dh, gh; q for ق).
var arabicLatin = map[rune]string{
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d",
	'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d",
	'ط': "t", 'ظ': "z", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l",
	'م': "m", 'ن': "n", 'ه': "h", 'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g",
	'ڤ': "v", 'ڨ': "g", 'ڭ': "g",
}

// Transliterate returns s folded (see Fold), with its Arabic-script words
// written in Latin letters by our own table: a skeleton of the consonants
// and the long vowels that Arabic writes (ا a, و u or w, ي i or y, ى and ة
// a, an initial إ i, an initial ع a), since names are rarely written with
// their short vowels. محمد gives "mhmd", يوسف "yusf", عبد الرحمن
// "abdalrhmn". Words in other scripts are returned folded.
func Transliterate(s string) string {
	words := strings.Fields(light(s))
	for i, w := range words {
		if isArabicScript(w) {
			words[i] = transliterateWord([]rune(w))
		} else {
			words[i] = foldArabic(w)
		}
	}
	return strings.Join(words, " ")
}

// transliterateWord transliterates one light-folded Arabic word.
func transliterateWord(w []rune) string {
	var b strings.Builder
	b.Grow(2 * len(w))
	at := func(i int) rune {
		if i >= 0 && i < len(w) {
			return w[i]
		}
		return 0
	}
	for i, r := range w {
		prev, next := at(i-1), at(i+1)
		last := i == len(w)-1
		switch r {
		case alef, alefMaqsura, taMarbuta:
			b.WriteByte('a')
		case alefHamzaBelow:
			b.WriteByte('i')
		case 'و':
			if i == 0 || prev == alef || next == alef {
				b.WriteByte('w')
			} else {
				b.WriteByte('u')
			}
		case yeh:
			if i == 0 || (!last && (prev == alef || next == alef)) {
				b.WriteByte('y')
			} else {
				b.WriteByte('i')
			}
		case 'ع', 'ء':
			// An initial ʿayn or hamza is heard as its vowel: a, unless a
			// vowel letter follows and spells it (عائشة, عيسى).
			if i == 0 && next != alef && next != yeh && next != 'و' {
				b.WriteByte('a')
			}
		case heh:
			if last && i > 0 && !isArabicVowel(prev) && !(prev == 'ل' && at(i-2) == 'ل') { // not Allah
				b.WriteByte('a') // a ta marbuta written as ه (فاطمه)
			} else {
				b.WriteByte('h')
			}
		default:
			if l, ok := arabicLatin[r]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// skeleton reduces a folded Latin word to what Arabic script would write of
// it, for comparing it with a transliterated Arabic word: single vowels
// between consonants are dropped, vowel digraphs become one long vowel
// (ou, oo → u; ee, ei, ai, ie → i; aa → a), doubled consonants are written
// once. "mohamed" gives "mhmd", "youssouf" "yusuf", "hussein" "hsin".
func skeleton(w string) string {
	r := []rune(w)
	var b strings.Builder
	b.Grow(len(w))
	isV := func(c rune) bool {
		switch c {
		case 'a', 'e', 'i', 'o', 'u':
			return true
		}
		return false
	}
	var lastOut rune
	for i := 0; i < len(r); {
		c := r[i]
		if !isV(c) {
			if c != lastOut {
				b.WriteRune(c)
				lastOut = c
			}
			i++
			continue
		}
		j := i
		for j < len(r) && isV(r[j]) {
			j++
		}
		run := string(r[i:j])
		switch {
		case i == 0 || j == len(r):
			// An initial or final vowel is written in Arabic.
			b.WriteRune(longVowel(run))
			lastOut = 0
		case len(run) >= 2:
			b.WriteRune(longVowel(run))
			lastOut = 0
		}
		i = j
	}
	return b.String()
}

// longVowel is the one letter for a run of vowels.
func longVowel(run string) rune {
	switch {
	case strings.ContainsAny(run, "ou"):
		return 'u'
	case strings.ContainsAny(run, "ie") && run != "e":
		return 'i'
	}
	return 'a'
}
