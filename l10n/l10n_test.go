package l10n_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/l10n"
	"github.com/cpims-hosted/cpims/translations"
)

// TestCataloguesTranslateEveryEntry checks the embedded files: each
// language's file has exactly the source's entries, every one translated,
// with the same placeholders as its source.
func TestCataloguesTranslateEveryEntry(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"en", "ar", "es", "fr"}, l10n.Languages())
	pot := parse(t, "po/messages.pot")
	require.NotEmpty(t, pot.Entries)
	for _, lang := range []string{"ar", "es", "fr"} {
		f := parse(t, "po/"+lang+".po")
		require.Equal(t, lang, f.HeaderValue("Language"))
		require.Len(t, f.Entries, len(pot.Entries), lang)
		for i, e := range f.Entries {
			src := pot.Entries[i]
			require.Equal(t, src.Context, e.Context, "%s line %d", lang, e.Line)
			require.Equal(t, src.ID, e.ID, "%s line %d", lang, e.Line)
			require.NotEmpty(t, e.Str, "%s line %d: untranslated", lang, e.Line)
			want, got := translations.Placeholders(e.ID), translations.Placeholders(e.Str)
			slices.Sort(want)
			slices.Sort(got)
			require.Equal(t, want, got, "%s line %d: placeholders", lang, e.Line)
		}
	}
}

func TestTranslateFillsPlaceholdersAndFallsBackToEnglish(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang, context, english string
		params                 map[string]string
		want                   string
	}{
		{"fr", "error:required", "is required", nil, "est obligatoire"},
		{"ar", "error:required", "is required", nil, "مطلوب"},
		{"fr-CA", "error:required", "is required", nil, "est obligatoire"},
		// Parameters given, or found in the English text.
		{"es", "error:max_length", "must be at most 40 characters (is 41)", map[string]string{"max": "40", "length": "41"},
			"debe tener como máximo 40 caracteres (tiene 41)"},
		{"es", "error:max_length", "must be at most 40 characters (is 41)", nil, "debe tener como máximo 40 caracteres (tiene 41)"},
		{"ar", "problem:locale_in_use", "3 user(s) have sw as their language: change theirs first.", nil,
			"عدد المستخدمين الذين لغتهم sw: 3؛ غيّر لغتهم أولًا."},
		// A reason carrying another as its cause ({cause_reason}: code cause,
		// values cause.<name>): both in the language, a cause's cause too.
		{"fr", "error:parent_invalid", "parent DL0102 is not valid (row 5, parent_code: no location has code DLXX)",
			map[string]string{"parent": "DL0102", "row": "5", "cause": "parent_not_found", "cause_field": "parent_code", "cause.parent": "DLXX"},
			"le parent DL0102 n'est pas valide (ligne 5, parent_code : aucun lieu n'a le code DLXX)"},
		{"es", "error:parent_invalid", "parent B is not valid (parent_code: parent A is not valid (parent_code: no location has code X))",
			map[string]string{"parent": "B", "cause": "parent_invalid", "cause_field": "parent_code", "cause.parent": "A",
				"cause.cause": "parent_not_found", "cause.cause_field": "parent_code", "cause.cause.parent": "X"},
			"el padre B no es válido (parent_code: el padre A no es válido (parent_code: ninguna ubicación tiene el código X))"},
		{"fr", "error:parent_invalid", "parent DL0102 is not valid (row 5, parent_code: something new)",
			map[string]string{"parent": "DL0102", "row": "5", "cause": "newer_code", "cause_field": "parent_code"},
			"le parent DL0102 n'est pas valide (ligne 5, parent_code : something new)"},
		// Unknown language, unknown context, a text the catalogue does not have: English.
		{"sw", "error:required", "is required", nil, "is required"},
		{"xx", "error:required", "is required", nil, "is required"},
		{"fr", "error:nope", "is required", nil, "is required"},
		{"fr", "error:required", "is required when it rains", nil, "is required when it rains"},
		{"en", "error:required", "is required", nil, "is required"},
	} {
		require.Equal(t, c.want, l10n.Translate(c.lang, c.context, c.english, c.params), "%+v", c)
	}
}

func TestTextOfAContext(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Bonjour Amina,", l10n.Text("fr", "email:hello", map[string]string{"name": "Amina"}))
	require.Equal(t, "Hello Amina,", l10n.Text("sw", "email:hello", map[string]string{"name": "Amina"}))
	require.Equal(t, "Hello Amina,", l10n.Text("en", "email:hello", map[string]string{"name": "Amina"}))
	require.Equal(t, "مرحبا {name}،", l10n.Text("ar", "email:hello", nil), "a placeholder without a value stays")
	require.Empty(t, l10n.Text("fr", "email:nope", nil))
}

func TestNegotiateChoosesTheCallersLanguage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ own, accept, def, want string }{
		{"ar", "fr", "es", "ar"},                      // the member's own language first
		{"", "fr-CH, fr;q=0.9, en;q=0.8", "es", "fr"}, // then Accept-Language
		{"sw", "es-419", "fr", "es"},                  // a language the catalogue lacks is passed over
		{"", "sw, de;q=0.5", "ar", "ar"},              // then the tenant's default
		{"", "", "sw", "en"},                          // else English
		{"", "not a header", "fr", "fr"},
	} {
		require.Equal(t, c.want, l10n.Negotiate(c.own, c.accept, c.def), "%+v", c)
	}
}

func parse(t *testing.T, name string) *translations.File {
	t.Helper()
	b, err := l10n.Files.ReadFile(name)
	require.NoError(t, err)
	f, err := translations.Parse(b)
	require.NoError(t, err)
	return f
}

// TestPluralsFollowEachLanguagesForms: an ICU plural argument of a
// translation takes the branch of the count's plural form in its language
// (Arabic's six), "=N" first, "#" the count.
func TestPluralsFollowEachLanguagesForms(t *testing.T) {
	t.Parallel()
	ar := "{count, plural, zero {لا دقائق} one {دقيقة واحدة} two {دقيقتين} few {# دقائق} many {# دقيقة} other {# دقيقة}} بلا نشاط"
	for n, want := range map[string]string{"0": "لا دقائق", "1": "دقيقة واحدة", "2": "دقيقتين", "3": "3 دقائق", "10": "10 دقائق",
		"11": "11 دقيقة", "30": "30 دقيقة", "100": "100 دقيقة", "103": "103 دقائق"} {
		require.Equal(t, want+" بلا نشاط", l10n.Plurals("ar", ar, map[string]string{"count": n}), n)
	}
	fr := "après {count, plural, =0 {aucune minute} one {# minute} other {# minutes}}"
	require.Equal(t, "après aucune minute", l10n.Plurals("fr", fr, map[string]string{"count": "0"}))
	require.Equal(t, "après 1 minute", l10n.Plurals("fr", fr, map[string]string{"count": "1"}))
	require.Equal(t, "après 30 minutes", l10n.Plurals("fr", fr, map[string]string{"count": "30"}))
	require.Equal(t, fr, l10n.Plurals("fr", fr, nil), "without the count the text stays")
	require.Equal(t, "3 registros", l10n.Plurals("es", "{n, plural, one {# registro} other {# registros}}", map[string]string{"n": "3"}))
	require.Equal(t, "x {n} y", l10n.Plurals("es", "x {n} y", map[string]string{"n": "3"}), "no plural: as it is")
}
