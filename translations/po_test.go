package translations_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/translations"
)

const samplePO = `# A translator's file.
msgid ""
msgstr ""
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"Content-Type: text/plain; charset=UTF-8\n"

# Checked by Amina.
#. The child's sex.
#: form:basic_identity
#, fuzzy
msgctxt "form:basic_identity:field:sex:label"
msgid "Sex"
msgstr "Sexe"

msgctxt "lookup:lookup-sex:value:other"
msgid ""
"Other\n"
"(say which)"
msgstr "Autre\n(préciser)"

msgid "One child"
msgid_plural "{count} children"
msgstr[0] "Un enfant"
msgstr[1] "{count} enfants"

msgid "Tab\there \"quoted\" back\\slash"
msgstr	"Tab\there"

#~ msgid "Obsolete"
#~ msgstr "Obsolète"
`

func TestParseReadsEveryPart(t *testing.T) {
	t.Parallel()
	f, err := translations.Parse([]byte("\xef\xbb\xbf" + strings.ReplaceAll(samplePO, "\n", "\r\n")))
	require.NoError(t, err)
	require.Equal(t, "fr", f.HeaderValue("language"))
	require.Equal(t, "nplurals=2; plural=(n > 1);", f.HeaderValue("Plural-Forms"))
	require.Len(t, f.Entries, 4, "the obsolete entry is not a message")

	sex := f.Entries[0]
	require.Equal(t, []string{"Checked by Amina."}, sex.Comments)
	require.Equal(t, []string{"The child's sex."}, sex.Extracted)
	require.Equal(t, []string{"form:basic_identity"}, sex.References)
	require.True(t, sex.Fuzzy())
	require.True(t, sex.HasContext)
	require.Equal(t, "form:basic_identity:field:sex:label", sex.Context)
	require.Equal(t, "Sex", sex.ID)
	require.Equal(t, "Sexe", sex.Str)
	require.Equal(t, 12, sex.Line, "the line of msgctxt")

	require.Equal(t, "Other\n(say which)", f.Entries[1].ID)
	require.Equal(t, "Autre\n(préciser)", f.Entries[1].Str)
	require.Equal(t, "{count} children", f.Entries[2].IDPlural)
	require.Equal(t, "Un enfant", f.Entries[2].Str)
	require.Equal(t, []string{"{count} enfants"}, f.Entries[2].Plurals)
	require.False(t, f.Entries[2].HasContext)
	require.Equal(t, "Tab\there \"quoted\" back\\slash", f.Entries[3].ID)
}

func TestWriteThenParseIsTheSame(t *testing.T) {
	t.Parallel()
	f, err := translations.Parse([]byte(samplePO))
	require.NoError(t, err)
	out := translations.Write(f)
	require.Contains(t, string(out), "msgid \"\"\n\"Other\\n\"\n\"(say which)\"\n", "a multi-line text is written one line per string")
	again, err := translations.Parse(out)
	require.NoError(t, err)
	require.Equal(t, stripLines(f), stripLines(again))
	require.Equal(t, string(out), string(translations.Write(again)), "writing is stable")
}

func stripLines(f *translations.File) *translations.File {
	c := *f
	c.Entries = append([]translations.Entry(nil), f.Entries...)
	for i := range c.Entries {
		c.Entries[i].Line = 0
	}
	return &c
}

func TestParseRefusesWhatIsNotPO(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		line     int
		reason   string
	}{
		{"JSON", `{"form": "basic_identity"}`, 1, "not PO syntax"},
		{"CSV", "code,name\nKE,Kenya\n", 1, "not PO syntax"},
		{"Spreadsheet", "PK\x03\x04\x14\x00\x06\x00", 1, "not PO syntax"},
		{"Latin1", "msgid \"Sex\"\nmsgstr \"S\xe9xe\"\n", 2, "not UTF-8"},
		{"UnknownKeyword", "msgid \"a\"\nmsgtext \"b\"\n", 2, "unknown keyword"},
		{"UnclosedString", "msgid \"a\"\nmsgstr \"b\n", 2, "not closed"},
		{"BadEscape", "msgid \"a\\q\"\nmsgstr \"\"\n", 1, "unknown escape"},
		{"NoMsgstr", "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"\"\n", 2, "no msgstr"},
		{"EndsInEntry", "msgid \"a\"", 1, "ends inside an entry"},
		{"TwoMsgids", "msgid \"a\"\nmsgid \"b\"\nmsgstr \"\"\n", 2, "msgid without the msgstr"},
		{"Duplicate", "msgctxt \"x\"\nmsgid \"a\"\nmsgstr \"\"\n\nmsgctxt \"x\"\nmsgid \"a\"\nmsgstr \"b\"\n", 5, "line 1"},
		{"StrayString", "\"a\"\n", 1, "outside any msgid"},
		{"PluralWithoutPlural", "msgid \"a\"\nmsgstr[0] \"b\"\n", 2, "msgid_plural"},
		{"PluralOutOfOrder", "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\nmsgstr[2] \"c\"\n", 4, "in order"},
		{"TextAfterString", "msgid \"a\" x\nmsgstr \"\"\n", 1, "after the closing quote"},
		{"CommentInside", "msgid \"a\"\n# note\nmsgstr \"\"\n", 2, "comment inside"},
		{"SecondHeader", "msgid \"a\"\nmsgstr \"\"\n\nmsgid \"\"\nmsgstr \"\"\n", 4, "header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := translations.Parse([]byte(tc.in))
			var pe *translations.ParseError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tc.line, pe.Line, pe.Error())
			require.Contains(t, pe.Reason, tc.reason)
		})
	}
}

func TestParseReadsTheWebAppCatalogues(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "frontend", "src", "locales", "*", "messages.po"))
	require.NoError(t, err)
	require.Len(t, files, 4)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := translations.Parse(b)
		require.NoError(t, err, name)
		require.Greater(t, len(f.Entries), 100, name)
		require.Equal(t, filepath.Base(filepath.Dir(name)), f.HeaderValue("Language"))
	}
}

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Hello {name}", []string{"{name}"}},
		{"{total, plural, one {# entry, newest first} other {# entries for {who}}}", []string{"{total}", "{who}"}},
		{"{total, plural, one {entry} other {entries}}", []string{"{total}"}},
		{"%{count} children, %s and %1$d, 50 % of them, 100%%", []string{"%1$d", "%s", "%{count}"}},
		{"'{literal}' and {real}", []string{"{real}"}},
		{"{ not an argument }", nil},
		{"Due {date, date, short}", []string{"{date}"}},
	} {
		require.Equal(t, tc.want, translations.Placeholders(tc.in), tc.in)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(samplePO))
	f.Add([]byte("msgid \"\"\nmsgstr \"Language: ar\\n\"\n\nmsgctxt \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n"))
	f.Add([]byte("msgid \"x\"\nmsgid_plural \"y\"\nmsgstr[0] \"\"\nmsgstr[1] \"z\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := translations.Parse(data)
		if err != nil {
			return
		}
		again, err := translations.Parse(translations.Write(file))
		require.NoError(t, err, "what Write writes, Parse reads")
		require.Equal(t, stripLines(file), stripLines(again))
		_ = translations.Placeholders(string(data))
	})
}
