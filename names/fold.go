package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Arabic letters and marks the folding treats specially.
const (
	alef            = 'ا'
	alefHamzaBelow  = 'إ'
	alefMaqsura     = 'ى'
	alefWasla       = 'ٱ'
	farsiYeh        = 'ی'
	hamzaBelow      = '\u0655'
	heh             = 'ه'
	kaf             = 'ك'
	keheh           = 'ک'
	tatweel         = '\u0640'
	taMarbuta       = 'ة'
	yeh             = 'ي'
	hehGoal         = 'ہ'
	aeLetter        = 'ە'
	hehYehAbove     = 'ۀ'
	arabicZero      = '٠'
	easternZero     = '۰'
	yehBarree       = 'ے'
	yehWithTail     = 'ۍ'
	farsiYehVariant = 'ې'
)

// removeApostrophes drops the apostrophes and modifier letters that Latin
// transliterations use for ʿayn and hamza (Ma'mun, Saʿid): the letters on
// both sides belong to one word. It runs before compatibility decomposition,
// which would turn U+00B4 into a space and a combining accent.
var removeApostrophes = runes.Remove(runes.Predicate(isApostrophe))

// removeTatweel drops the Arabic tatweel (kashida), a justification stroke
// that is no letter. It runs after decomposition because presentation forms
// decompose into tatweel plus a mark; and the apostrophes again, as some
// letters decompose into one (ŉ into ʼn), which a second Fold would drop.
var removeTatweel = runes.Remove(runes.Predicate(func(r rune) bool { return r == tatweel || isApostrophe(r) }))

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '\u00B4', '\u2018', '\u2019', '\u201B', '\u2032',
		'\u02B9', '\u02BB', '\u02BC', '\u02BD', '\u02BE', '\u02BF', '\u02C8':
		return true
	}
	return false
}

// latinSpecial maps lower-case letters that have no compatibility
// decomposition to their usual ASCII spelling.
var latinSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'þ': "th",
	'ł': "l", 'ı': "i", 'ħ': "h", 'ŀ': "l", 'ŧ': "t", 'ƒ': "f", 'ɗ': "d",
	'ɓ': "b", 'ƙ': "k", 'ƴ': "y", 'ŋ': "ng", 'ɛ': "e", 'ɔ': "o",
}

// Fold returns s in the canonical form used for exact comparison: Unicode
// compatibility decomposition (NFKD) with every combining mark removed
// (Latin diacritics and Arabic harakat alike), lower case, Arabic letter
// variants unified (أ إ آ ٱ → ا, ى → ي, ة → ه, Persian keheh and yeh → ك ي,
// tatweel removed), Arabic-Indic digits as ASCII digits, apostrophes dropped
// and any other run of punctuation or space turned into one space, trimmed.
//
// Fold is idempotent: Fold(Fold(s)) == Fold(s). Its result is valid UTF-8
// even when s is not.
func Fold(s string) string {
	return foldArabic(light(s))
}

// light is Fold without the lossy Arabic unifications: it keeps ة, ى and the
// hamza-below alef إ, which tell the phonetic keys and the transliteration
// that a word ends in -a or begins with i-.
func light(s string) string {
	if isPlainASCII(s) {
		return foldASCII(s)
	}
	s, _, _ = transform.String(removeApostrophes, s)
	s = norm.NFKD.String(s)
	s, _, _ = transform.String(removeTatweel, s)

	b := make([]byte, 0, len(s))
	space := false // a separator is pending
	prev := rune(-1)
	for i, r := range s {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
			// The hamza below an alef is kept as إ: it spells an initial i-.
			if r == hamzaBelow && prev == alef {
				b = utf8.AppendRune(b[:len(b)-utf8.RuneLen(alef)], alefHamzaBelow)
				prev = alefHamzaBelow
			}
			continue
		}
		if r == utf8.RuneError && isInvalidAt(s, i) {
			space = true
			prev = -1
			continue
		}
		r = unicode.ToLower(r)
		var special string
		switch {
		case r >= arabicZero && r <= arabicZero+9:
			r = '0' + (r - arabicZero)
		case r >= easternZero && r <= easternZero+9:
			r = '0' + (r - easternZero)
		case unicode.IsLetter(r) || unicode.Is(unicode.Nd, r):
			if sp, ok := latinSpecial[r]; ok {
				special = sp
			} else {
				r = lightArabic(r)
			}
		default:
			space = true
			prev = -1
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		if special != "" {
			b = append(b, special...)
			prev = rune(special[len(special)-1])
		} else {
			b = utf8.AppendRune(b, r)
			prev = r
		}
	}
	return string(b)
}

// lightArabic unifies Arabic letter variants that never carry a difference in
// a name, keeping ة and ى.
func lightArabic(r rune) rune {
	switch r {
	case alefWasla:
		return alef
	case farsiYeh, yehBarree, yehWithTail, farsiYehVariant:
		return yeh
	case keheh:
		return kaf
	case hehGoal, aeLetter:
		return heh
	case hehYehAbove:
		return taMarbuta
	}
	return r
}

// foldArabic applies the lossy unifications that light leaves out.
func foldArabic(s string) string {
	if !strings.ContainsAny(s, "ةىإ") {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case taMarbuta:
			return heh
		case alefMaqsura:
			return yeh
		case alefHamzaBelow:
			return alef
		}
		return r
	}, s)
}

// isInvalidAt reports whether s holds an invalid UTF-8 sequence at i (as
// opposed to an encoded U+FFFD).
func isInvalidAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return r == utf8.RuneError && size <= 1
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is light for ASCII input, without the Unicode machinery.
func foldASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '\'' || c == '`':
			continue
		default:
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}
