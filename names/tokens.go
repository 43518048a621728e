package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens returns the parts of a name after folding, with the Arabic naming
// particles handled so that spellings of one name give comparable tokens:
//
//   - ʿAbd compounds are one token: "Abdul Rahman", "Abd al-Rahman",
//     "Abdi Rahman" and "عبد الرحمن" give "abdulrahman", "abdrahman",
//     "abdirahman" and "عبدالرحمن", the same name to Keys and Similarity.
//     "abd", "abdul", "abdel" (and their spellings) always join the next part;
//     "abdi", "abdu", "abdou", "abdo" join it only when it is one of God's
//     names (Rahman, Karim, Aziz, Allah ...), since Abdi is also a name.
//   - Abu joins the next part ("Abu Bakr" → "abubakr"), and a -din part joins
//     the previous one ("Nour ad-Din", "Nour Eddine" → "nourdin", "noureddine").
//   - A standalone article (al, el, ال) before another part is dropped, and so
//     are the patronymic particles bin, ibn, bint, ben, ould, بن, ابن, بنت
//     between two parts. Arabic's joined article (الحسن) stays in the token:
//     Keys gives keys with and without it.
//
// Parts with no letter (numbers) are dropped.
func Tokens(s string) []string {
	parts := lightTokens(light(s))
	for i, p := range parts {
		parts[i] = foldArabic(p)
	}
	return parts
}

// Particles, compared in folded form.
var (
	// abdHeads always join the next part.
	abdHeads = set("abd", "abdul", "abdel", "abdal", "abdil", "abdol", "abdoul", "abdoel",
		"abdur", "abder", "abdar", "عبد")
	// softAbdHeads join the next part only when it is a divine name.
	softAbdHeads = set("abdi", "abdu", "abdou", "abdo", "abdy")
	abuHeads     = set("abu", "abou", "abo", "abul", "aboul", "ابو", "بو")
	dinTails     = set("din", "dine", "deen", "eddine", "eddin", "uddin", "uddeen", "addin",
		"addine", "iddin", "udin", "edine", "الدين", "دين")
	articles    = set("al", "el", "ال", "ul", "ol")
	linkArticle = set("al", "el", "ال", "ul", "ol", "ad", "ed", "ud", "ar", "er", "ur",
		"as", "es", "us", "an", "en", "un", "at", "et", "ut", "az", "ez", "ash", "esh", "ech", "ach")
	patronymics = set("bin", "ibn", "bint", "binti", "ben", "bn", "ould", "wuld", "walad",
		"بن", "ابن", "بنت", "ولد")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// lightTokens splits a light-folded string into name parts and joins the
// compounds. Tokens keep ة, ى and إ (see light).
func lightTokens(s string) []string {
	raw := strings.Fields(s)
	words := raw[:0]
	for _, w := range raw {
		if hasLetter(w) {
			words = append(words, w)
		}
	}
	if len(words) <= 1 {
		return words
	}

	out := make([]string, 0, len(words))
	for i := 0; i < len(words); i++ {
		w := words[i]
		f := foldArabic(w)
		last := i == len(words)-1
		switch {
		case !last && (abdHeads[f] || abuHeads[f]):
			// Join with the next part, skipping a linking article.
			j := i + 1
			if j+1 < len(words) && linkArticle[foldArabic(words[j])] {
				j++
			}
			out = append(out, w+words[j])
			i = j
			continue
		case !last && softAbdHeads[f]:
			j := i + 1
			if j+1 < len(words) && linkArticle[foldArabic(words[j])] {
				j++
			}
			if isDivine(words[j]) {
				out = append(out, w+words[j])
				i = j
				continue
			}
		case dinTails[f] && len(out) > 0:
			out[len(out)-1] += w
			continue
		case !last && linkArticle[f] && i+1 < len(words) && dinTails[foldArabic(words[i+1])] && len(out) > 0:
			// "Nour ad Din": the article goes with the -din part.
			continue
		case !last && articles[f]:
			continue
		case i > 0 && !last && patronymics[f]:
			continue
		}
		out = append(out, w)
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isArabicScript reports whether the word is written mostly in Arabic script.
func isArabicScript(s string) bool {
	ar, other := 0, 0
	for _, r := range s {
		switch {
		case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x08A0 && r <= 0x08FF:
			ar++
		case unicode.IsLetter(r):
			other++
		}
	}
	return ar > 0 && ar >= other
}

// runeCount is utf8.RuneCountInString, named for readability at call sites.
func runeCount(s string) int { return utf8.RuneCountInString(s) }
