package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/translations"
)

// setLocales gives tenant ke these languages (a fixture: the settings API
// does not change them yet).
func setLocales(t testing.TB, mb *membersBundle, locales ...string) {
	t.Helper()
	require.NoError(t, mb.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, "update system_settings set locales = $1", locales)
		return err
	}))
}

func poEntries(t testing.TB, body []byte) map[string]translations.Entry {
	t.Helper()
	f, err := translations.Parse(body)
	require.NoError(t, err)
	out := map[string]translations.Entry{}
	for _, e := range f.Entries {
		out[e.Context] = e
	}
	return out
}

func TestTranslationsThroughTheAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	setLocales(t, mb, "en", "fr", "ar")
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef").token
	upload := func(path string, body rawBody) response {
		return mb.do(t, "POST", "ke.localhost", path, admin, body)
	}
	queued := func() int {
		var n int
		require.NoError(t, mb.db.Pool.QueryRow(context.Background(),
			"select count(*) from river.river_job where kind = 'import_translations'").Scan(&n))
		return n
	}
	run := func(res response) map[string]any {
		t.Helper()
		require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
		id := dataOf(t, res)["id"].(string)
		require.Equal(t, "/api/v2/translations/imports/"+id, res.Header().Get("Location"))
		mb.waitJob(t, "import_translations", id)
		rep := mb.do(t, "GET", "ke.localhost", res.Header().Get("Location")+"?per=1000", admin, nil)
		require.Equal(t, http.StatusOK, rep.Code, rep.Body.String())
		im := dataOf(t, rep)
		require.Equal(t, "succeeded", im["status"])
		return im
	}

	// The export: a PO file of every text, French beside the source.
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/translations/fr.po", admin, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, "text/x-gettext-translation; charset=utf-8", res.Header().Get("Content-Type"))
	require.Equal(t, `attachment; filename="ke-fr.po"`, res.Header().Get("Content-Disposition"))
	exported := res.Body.Bytes()
	all := poEntries(t, exported)
	require.Equal(t, "Sexe", all["form:basic_identity:field:sex:label"].Str)
	require.Equal(t, "Sex", all["form:basic_identity:field:sex:label"].ID)
	welcome := "ui:" + translations.MessageID("Welcome, {name}", "")
	require.Equal(t, "Bienvenue, {name}", all[welcome].Str)

	// An export of an unchanged file imported again applies nothing.
	im := run(upload("/api/v2/translations/imports?locale=fr", rawBody{"text/x-gettext-translation", exported}))
	require.EqualValues(t, 0, im["applied"])
	require.EqualValues(t, len(all), im["entries_total"])
	require.EqualValues(t, len(all), im["entries_done"])
	require.EqualValues(t, 0, im["invalid"].(float64)+im["unknown"].(float64)+im["stale"].(float64))

	// A translator's file: two labels changed, a UI text with a broken placeholder.
	po := strings.NewReplacer(
		"msgctxt \"form:basic_identity:field:sex:label\"\nmsgid \"Sex\"\nmsgstr \"Sexe\"",
		"msgctxt \"form:basic_identity:field:sex:label\"\nmsgid \"Sex\"\nmsgstr \"Sexe de l'enfant\"",
		"msgid \"Female\"\nmsgstr \"Féminin\"", "msgid \"Female\"\nmsgstr \"Fille\"",
		"msgid \"Welcome, {name}\"\nmsgstr \"Bienvenue, {name}\"", "msgid \"Welcome, {name}\"\nmsgstr \"Bienvenue, {prénom}\"",
	).Replace(string(exported))
	require.NotEqual(t, string(exported), po)
	im = run(upload("/api/v2/translations/imports", multipartBody(t, "file", "fr.po", []byte(po))))
	require.Equal(t, "fr", im["locale"], "from the file's Language header")
	require.Equal(t, "fr.po", im["filename"])
	require.EqualValues(t, 2, im["applied"], "the sex label and the female option (the lookup's; the field uses it)")
	require.EqualValues(t, 1, im["invalid"])
	require.EqualValues(t, 0, im["unknown"])
	require.EqualValues(t, len(all)-3, im["unchanged"].(float64)+im["skipped"].(float64))
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/translations/imports/"+im["id"].(string)+"?outcome=invalid", admin, nil)
	report := dataOf(t, res)["report"].([]any)
	require.Len(t, report, 1)
	require.Equal(t, welcome, report[0].(map[string]any)["context"])
	require.Contains(t, report[0].(map[string]any)["reason"], "placeholders differ")
	require.EqualValues(t, 1, res.body["metadata"].(map[string]any)["total"])

	// The labels changed, read back as every member reads them.
	form := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/forms/basic_identity", cw, nil))
	for _, f := range form["fields"].([]any) {
		if f.(map[string]any)["name"] == "sex" {
			require.Equal(t, map[string]any{"en": "Sex", "fr": "Sexe de l'enfant", "es": "Sexo", "ar": "الجنس"}, f.(map[string]any)["display_name"])
		}
	}
	sex := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/lookups/lookup-sex", cw, nil))
	require.Equal(t, "Fille", sex["values"].([]any)[0].(map[string]any)["display_text"].(map[string]any)["fr"])
	ui := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/translations/ui/fr", "", nil))
	require.Equal(t, "Bienvenue, {name}", ui["messages"].(map[string]any)[strings.TrimPrefix(welcome, "ui:")], "the broken one is not applied")
	require.Equal(t, "ltr", ui["direction"])
	require.Equal(t, "rtl", dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/translations/ui/ar", "", nil))["direction"])
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/translations/ui/es", "", nil), http.StatusNotFound)
	settings := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil))
	require.Equal(t, map[string]any{"en": "ltr", "fr": "ltr", "ar": "rtl"}, settings["directions"])

	// missing=true: only what has no French text.
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/translations/fr.po?missing=true", admin, nil)
	require.Equal(t, http.StatusOK, res.Code)
	missing := poEntries(t, res.Body.Bytes())
	for ctx, e := range missing {
		require.Empty(t, e.Str, ctx)
		require.Empty(t, all[ctx].Str, ctx)
	}
	for ctx, e := range all {
		if e.Str == "" {
			require.Contains(t, missing, ctx)
		}
	}

	t.Run("RefusedBeforeTheJob", func(t *testing.T) {
		before := queued()
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		for _, tc := range []struct {
			path  string
			body  rawBody
			where string
		}{
			{"/api/v2/translations/imports?locale=fr", rawBody{"text/x-gettext-translation", png}, "body.file"},
			{"/api/v2/translations/imports?locale=fr", rawBody{"text/plain", []byte(`{"data": {}}`)}, "body.file"},
			{"/api/v2/translations/imports?locale=fr", multipartBody(t, "file", "photo.png", png), "body.file"},
			{"/api/v2/translations/imports?locale=de", rawBody{"text/x-gettext-translation", exported}, "query.locale"},
			{"/api/v2/translations/imports?locale=not-a-tag!", rawBody{"text/x-gettext-translation", exported}, "query.locale"},
			{"/api/v2/translations/imports?locale=en", rawBody{"text/x-gettext-translation", exported}, "query.locale"},
		} {
			res := upload(tc.path, tc.body)
			requireProblem(t, res, http.StatusUnprocessableEntity)
			require.Equal(t, tc.where, res.body["errors"].([]any)[0].(map[string]any)["location"], res.Body.String())
		}
		requireProblem(t, upload("/api/v2/translations/imports", rawBody{"application/json", []byte(`{}`)}), http.StatusUnsupportedMediaType)
		requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/translations/es.po", admin, nil), http.StatusUnprocessableEntity)
		require.Equal(t, before, queued(), "no job queued")
		requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/translations/imports/00000000-0000-0000-0000-000000000000", admin, nil),
			http.StatusNotFound)
	})
}
