package names

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"ASCII", "  Mohamed   ALI ", "mohamed ali"},
		{"Punctuation", "Abd al-Rahman, (Jr.)", "abd al rahman jr"},
		{"ApostropheJoins", "Ma'mun Sa’id Saʿid", "mamun said said"},
		{"LatinDiacritics", "Aïcha Ngoné Sèye Ḥusayn", "aicha ngone seye husayn"},
		{"LettersWithoutDecomposition", "Straße Łukasz Øyvind Ðorđe", "strasse lukasz oyvind dorde"},
		{"Ligature", "ﬁliﬆ", "filist"},
		{"Fullwidth", "ＭＯＨＡＭＥＤ", "mohamed"},
		{"AlefVariants", "أحمد إبراهيم آمنة ٱلله", "احمد ابراهيم امنه الله"},
		{"AlefMaqsura", "مصطفى", "مصطفي"},
		{"TaMarbuta", "فاطمة", "فاطمه"},
		{"HamzaOnWawAndYeh", "مؤمن عائشة", "مومن عايشه"},
		{"Harakat", "مُحَمَّد", "محمد"},
		{"Tatweel", "محـــمد", "محمد"},
		{"PresentationForms", "ﻣﺤﻤﺪ", "محمد"},
		{"PersianLetters", "کریم", "كريم"},
		{"ArabicIndicDigits", "١٢٣ ۴۵", "123 45"},
		{"ArabicPunctuation", "محمد، علي؛ حسن", "محمد علي حسن"},
		{"InvalidUTF8", "Ali\xffHassan", "ali hassan"},
		{"Empty", "", ""},
		{"OnlyPunctuation", " -- ,, ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Fold(tc.in)
			require.Equal(t, tc.want, got)
			require.Equal(t, got, Fold(got), "idempotent")
		})
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"Simple", "Mohamed Ali Hassan", []string{"mohamed", "ali", "hassan"}},
		{"AbdHeadJoins", "Abdul Rahman", []string{"abdulrahman"}},
		{"AbdWithArticle", "Abd al-Rahman Ali", []string{"abdrahman", "ali"}},
		{"ArabicAbd", "عبد الرحمن محمد", []string{"عبدالرحمن", "محمد"}},
		{"ArabicAbdSpacedArticle", "عبد ال رحمن", []string{"عبدرحمن"}},
		{"SoftHeadBeforeDivineName", "Abdi Rahman", []string{"abdirahman"}},
		{"SoftHeadBeforeAllah", "Abdi Laahi", []string{"abdilaahi"}},
		{"SoftHeadIsAName", "Abdi Hassan", []string{"abdi", "hassan"}},
		{"Abu", "Abu Bakr Siddiq", []string{"abubakr", "siddiq"}},
		{"DinTail", "Nour ad-Din Zengi", []string{"nourdin", "zengi"}},
		{"DinTailEddine", "Nour Eddine", []string{"noureddine"}},
		{"ArabicDinTail", "نور الدين", []string{"نورالدين"}},
		{"ArticleDropped", "Ali El Hassan", []string{"ali", "hassan"}},
		{"ArabicArticleDropped", "علي ال حسن", []string{"علي", "حسن"}},
		{"JoinedArticleKept", "الحسن", []string{"الحسن"}},
		{"Patronymic", "Ahmed bin Ali", []string{"ahmed", "ali"}},
		{"ArabicPatronymic", "أحمد بن علي", []string{"احمد", "علي"}},
		{"BenFirstIsAName", "Ben Ali", []string{"ben", "ali"}},
		{"Ould", "Mohamed ould Abdallah", []string{"mohamed", "abdallah"}},
		{"LastParticleKept", "Ali Al", []string{"ali", "al"}},
		{"DigitsDropped", "Ali 2 Hassan", []string{"ali", "hassan"}},
		{"Empty", " ", []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Tokens(tc.in)
			if len(tc.want) == 0 {
				require.Empty(t, got)
				return
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestTransliterate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
	}{
		{"محمد", "mhmd"},
		{"محمود", "mhmud"},
		{"يوسف", "yusf"},
		{"عبد الرحمن", "abd alrhmn"},
		{"إبراهيم", "ibrahim"},
		{"عائشة", "aysha"},
		{"فاطمة", "fatma"},
		{"فاطمه", "fatma"},
		{"مصطفى", "mstfa"},
		{"خديجة", "khdija"},
		{"عثمان", "athman"},
		{"داود", "dawd"},
		{"حسين", "hsin"},
		{"شيماء", "shima"},
		{"Jean-Pierre محمد", "jean pierre mhmd"},
		{"", ""},
	} {
		require.Equal(t, tc.want, Transliterate(tc.in), tc.in)
	}
}
