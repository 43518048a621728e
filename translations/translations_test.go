package translations_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/translations"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type testBundle struct {
	db    *testdb.DB
	p     *tenancy.Platform
	forms *forms.Service
	svc   *translations.Service
}

const admin = "role-system-administrator"

// setup gives tenant "ke" (languages en, fr, ar; default configuration
// seeded) with two places, and the services.
func setup(t testing.TB) *testBundle {
	t.Helper()
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorProvisioner))
	_, err = p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en", "fr", "ar"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(ctx, "ke"))
	version, roles, err := p.TenantPolicy(policy.WithSubject(context.Background(), policy.System(policy.ActorAuthenticator)), "ke")
	require.NoError(t, err)
	require.NoError(t, enf.SetTenantPolicy("ke", version, roles))
	locs := locations.New(p)
	_, err = locs.Upsert(policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder)), "ke", []locations.Spec{
		{Code: "KE", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Kenya", "fr": "Kenya"}},
		{Code: "KE01", ParentCode: "KE", AdminLevel: 1, Type: "county", Name: map[string]string{"en": "Mombasa"}}})
	require.NoError(t, err)
	f := forms.New(p, forms.Config{Locations: locs})
	return &testBundle{db: db, p: p, forms: f, svc: translations.New(p, f, translations.Config{})}
}

func as(role string) context.Context {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	id := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	return policy.WithSubject(context.Background(), policy.Subject{Kind: policy.KindUser, ID: id, Roles: []string{role}, Scope: policy.ScopeAll})
}

func translator() context.Context {
	return policy.WithSubject(context.Background(), policy.System(policy.ActorTranslator))
}

func export(t testing.TB, b *testBundle, locale string, missing bool) *translations.File {
	t.Helper()
	out, err := b.svc.Export(as(admin), "ke", translations.ExportParams{Locale: locale, Missing: missing})
	require.NoError(t, err)
	f, err := translations.Parse(out)
	require.NoError(t, err)
	return f
}

func byContext(f *translations.File) map[string]translations.Entry {
	out := map[string]translations.Entry{}
	for _, e := range f.Entries {
		out[e.Context] = e
	}
	return out
}

func TestExportCoversEveryLabel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := export(t, b, "fr", false)
	require.Equal(t, "fr", f.HeaderValue("Language"))
	require.Equal(t, "nplurals=2; plural=(n > 1);", f.HeaderValue("Plural-Forms"))
	es := byContext(f)
	require.Len(t, es, len(f.Entries), "contexts are unique")
	for ctx, want := range map[string][2]string{
		"form:basic_identity:name":                            {"Basic identity", "Identité"},
		"form:basic_identity:field:sex:label":                 {"Sex", "Sexe"},
		"lookup:lookup-sex:name":                              {"Sex", "Sexe"},
		"lookup:lookup-sex:value:female":                      {"Female", "Féminin"},
		"location:KE:name":                                    {"Kenya", "Kenya"},
		"location:KE01:name":                                  {"Mombasa", ""},
		"ui:" + translations.MessageID("Roles", ""):           {"Roles", "Rôles"},
		"ui:" + translations.MessageID("Welcome, {name}", ""): {"Welcome, {name}", "Bienvenue, {name}"},
	} {
		e, ok := es[ctx]
		require.True(t, ok, ctx)
		require.Equal(t, want[0], e.ID, ctx)
		require.Equal(t, want[1], e.Str, ctx)
		require.NotEmpty(t, e.Extracted, "a note for translators")
	}
	require.Equal(t, []string{"/api/v2/forms/basic_identity"}, es["form:basic_identity:field:sex:label"].References)
	var kinds = map[string]int{}
	for _, e := range f.Entries {
		kinds[strings.SplitN(e.Context, ":", 2)[0]]++
	}
	require.Greater(t, kinds["form"], 300, "every form's labels, help texts and options")
	require.Greater(t, kinds["lookup"], 100)
	require.Equal(t, 1, kinds["module"])
	require.Equal(t, 2, kinds["location"])
	require.Greater(t, kinds["ui"], 200)

	missing := export(t, b, "fr", true)
	require.NotEmpty(t, missing.Entries)
	for _, e := range missing.Entries {
		require.Empty(t, e.Str, e.Context)
		require.Empty(t, es[e.Context].Str, "only what has no French text: %s", e.Context)
	}
	n := 0
	for _, e := range f.Entries {
		if e.Str == "" {
			n++
		}
	}
	require.Equal(t, n, len(missing.Entries))
	require.Contains(t, byContext(missing), "location:KE01:name")

	_, err := b.svc.Export(as(admin), "ke", translations.ExportParams{Locale: "es"})
	var ie *tenancy.InvalidError
	require.ErrorAs(t, err, &ie, "Spanish is not one of this tenant's languages")
	_, err = b.svc.Export(as("role-caseworker"), "ke", translations.ExportParams{Locale: "fr"})
	require.ErrorIs(t, err, tenancy.ErrForbidden)
}

// importPO uploads a file as the administrator and runs its job as the
// translator actor, returning the import and its whole report.
func importPO(t testing.TB, b *testBundle, locale string, po string) (translations.POImport, []translations.ReportEntry) {
	t.Helper()
	im, err := b.svc.StartImport(as(admin), "ke", locale, "fr.po", []byte(po))
	require.NoError(t, err)
	require.Equal(t, translations.StatusQueued, im.Status)
	require.NoError(t, b.svc.RunImport(translator(), "ke", im.ID, true))
	im, report, total, err := b.svc.GetImport(as(admin), "ke", im.ID, translations.ReportFilter{Per: 1000})
	require.NoError(t, err)
	require.Equal(t, translations.StatusSucceeded, im.Status, im.Failure)
	require.Equal(t, im.EntriesTotal, total)
	return im, report
}

func TestImportAppliesWhatIsValidAndReportsEachEntry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, before, err := b.forms.Export(as(admin), "ke")
	require.NoError(t, err)
	welcome := "ui:" + translations.MessageID("Welcome, {name}", "")
	access := "ui:" + translations.MessageID("Roles", "")
	po := `msgid ""
msgstr ""
"Language: fr\n"

msgctxt "form:basic_identity:field:sex:label"
msgid "Sex"
msgstr "Sexe de l'enfant"

msgctxt "lookup:lookup-sex:value:female"
msgid "Female"
msgstr "Fille"

msgctxt "location:KE01:name"
msgid "Mombasa"
msgstr "Mombassa"

msgctxt "` + access + `"
msgid "Roles"
msgstr "Rôles et droits"

msgctxt "` + welcome + `"
msgid "Welcome, {name}"
msgstr "Bienvenue, {nom}"

msgctxt "lookup:lookup-sex:value:male"
msgid "Male"
msgstr "Masculin"

msgctxt "lookup:lookup-sex:value:other"
msgid "Other"
msgstr ""

#, fuzzy
msgctxt "form:basic_identity:name"
msgid "Basic identity"
msgstr "Identité de base"

msgctxt "form:basic_identity:field:no_such_field:label"
msgid "Ghost"
msgstr "Fantôme"

msgctxt "lookup:lookup-sex:name"
msgid "Gender"
msgstr "Genre"
`
	im, report := importPO(t, b, "", po)
	require.Equal(t, "fr", im.Locale, "from the Language header")
	require.Equal(t, 10, im.EntriesTotal)
	require.Equal(t, 10, im.EntriesDone)
	require.Equal(t, 4, im.Applied)
	require.Equal(t, 1, im.Unchanged)
	require.Equal(t, 2, im.Skipped)
	require.Equal(t, 1, im.Unknown)
	require.Equal(t, 1, im.Stale)
	require.Equal(t, 1, im.Invalid)
	outcomes := map[string]translations.ReportEntry{}
	for _, r := range report {
		outcomes[r.Context] = r
	}
	require.Equal(t, "invalid", outcomes[welcome].Outcome)
	require.Contains(t, outcomes[welcome].Reason, "{name} expected, {nom} found")
	require.Equal(t, 21, outcomes[welcome].Line, "the line of its msgctxt")
	require.Equal(t, "stale", outcomes["lookup:lookup-sex:name"].Outcome)
	require.Equal(t, "unknown", outcomes["form:basic_identity:field:no_such_field:label"].Outcome)
	require.Equal(t, "skipped", outcomes["form:basic_identity:name"].Outcome)
	require.Equal(t, "unchanged", outcomes["lookup:lookup-sex:value:male"].Outcome)
	require.Equal(t, "applied", outcomes["location:KE01:name"].Outcome)
	// Each reason has a stable code and the values its wording needs.
	require.Equal(t, "placeholders", outcomes[welcome].ReasonCode)
	require.Equal(t, map[string]string{"expected": "{name}", "found": "{nom}"}, outcomes[welcome].ReasonParams)
	require.Equal(t, "source_changed", outcomes["lookup:lookup-sex:name"].ReasonCode)
	require.Equal(t, map[string]string{"source": "Sex"}, outcomes["lookup:lookup-sex:name"].ReasonParams)
	require.Equal(t, "unknown_context", outcomes["form:basic_identity:field:no_such_field:label"].ReasonCode)
	require.Equal(t, "fuzzy", outcomes["form:basic_identity:name"].ReasonCode)
	require.Equal(t, "untranslated", outcomes["lookup:lookup-sex:value:other"].ReasonCode)
	require.Empty(t, outcomes["lookup:lookup-sex:value:male"].ReasonCode, "unchanged: no reason")
	require.Empty(t, outcomes["location:KE01:name"].ReasonCode)
	require.Nil(t, outcomes["location:KE01:name"].ReasonParams)

	// The labels changed, in French only, through the configuration.
	form, err := b.forms.GetForm(as(admin), "ke", "basic_identity")
	require.NoError(t, err)
	for _, fd := range form.Fields {
		if fd.Name == "sex" {
			require.Equal(t, forms.Text{"en": "Sex", "fr": "Sexe de l'enfant", "es": "Sexo", "ar": "الجنس"}, fd.DisplayName)
		}
	}
	require.Equal(t, "Identité", form.Name["fr"], "a fuzzy entry is not applied")
	sex, err := b.forms.GetLookup(as(admin), "ke", "lookup-sex")
	require.NoError(t, err)
	require.Equal(t, "Fille", sex.Values[0].DisplayText["fr"])
	require.Equal(t, "Female", sex.Values[0].DisplayText["en"])
	loc, err := locations.New(b.p).Get(as(admin), "ke", "KE01")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"en": "Mombasa", "fr": "Mombassa"}, loc.Name)
	_, after, err := b.forms.Export(as(admin), "ke")
	require.NoError(t, err)
	require.Greater(t, after, before, "the configuration version moved")
	require.NotNil(t, im.ConfigurationVersion)
	require.Equal(t, after, *im.ConfigurationVersion)

	// The web app's texts: the tenant's wording, the invalid one not taken.
	ui, err := b.svc.UI(policy.WithSubject(context.Background(), policy.Anonymous()), "ke", "fr")
	require.NoError(t, err)
	require.Equal(t, "Rôles et droits", ui.Messages[strings.TrimPrefix(access, "ui:")])
	require.Equal(t, "Bienvenue, {name}", ui.Messages[strings.TrimPrefix(welcome, "ui:")])
	require.Equal(t, "ltr", ui.Direction)
	ar, err := b.svc.UI(policy.WithSubject(context.Background(), policy.Anonymous()), "ke", "ar")
	require.NoError(t, err)
	require.Equal(t, "rtl", ar.Direction)
	// What the web app overrides at start: only the tenant's own wording.
	changes, err := b.svc.UIChanges(policy.WithSubject(context.Background(), policy.Anonymous()), "ke", "fr")
	require.NoError(t, err)
	require.Equal(t, map[string]string{strings.TrimPrefix(access, "ui:"): "Rôles et droits"}, changes.Messages)
	require.Equal(t, "fr", changes.Locale)
	arChanges, err := b.svc.UIChanges(policy.WithSubject(context.Background(), policy.Anonymous()), "ke", "ar")
	require.NoError(t, err)
	require.Empty(t, arChanges.Messages, "nothing reworded in Arabic")
	require.Len(t, ar.Messages, len(ui.Messages), "the whole catalogue otherwise")

	// Audited with the counts.
	var meta map[string]any
	require.NoError(t, b.p.Tx(translator(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		return c.QueryRow(ctx, `select metadata from audit_logs
			where record_type = 'translation_import' and operation = 'import_translations'`).Scan(&meta)
	}))
	require.EqualValues(t, 4, meta["applied"])
	require.EqualValues(t, 1, meta["invalid"])
	require.EqualValues(t, 1, meta["locations_renamed"])

	// Exporting now and importing that file again applies nothing.
	again := translations.Write(export(t, b, "fr", false))
	im2, _ := importPO(t, b, "fr", string(again))
	require.Zero(t, im2.Applied)
	require.Zero(t, im2.Invalid+im2.Unknown+im2.Stale)
	require.Equal(t, im2.EntriesTotal, im2.Unchanged+im2.Skipped)
	require.Equal(t, after, *im2.ConfigurationVersion, "nothing changed, the version stays")
}

func TestImportRefusedBeforeTheJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	valid := "msgid \"\"\nmsgstr \"Language: fr\\n\"\n\nmsgctxt \"lookup:lookup-sex:name\"\nmsgid \"Sex\"\nmsgstr \"Sexe\"\n"
	for _, tc := range []struct {
		name, locale, body, field string
	}{
		{"NotPO", "fr", `{"data": "x"}`, "file"},
		{"Image", "fr", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file"},
		{"NoEntries", "fr", "msgid \"\"\nmsgstr \"Language: fr\\n\"\n", "file"},
		{"NotTheTenants", "es", strings.Replace(valid, "fr", "es", 1), "locale"},
		{"NotATag", "français", valid, "locale"},
		{"DefaultLocale", "en", strings.Replace(valid, "fr", "en", 1), "locale"},
		{"DiffersFromHeader", "ar", valid, "locale"},
		{"NoLocaleAtAll", "", "msgctxt \"a\"\nmsgid \"b\"\nmsgstr \"c\"\n", "locale"},
	} {
		t.Run(tc.name, func(t *testing.T) { // not parallel: the count below follows them
			_, err := b.svc.StartImport(as(admin), "ke", tc.locale, "x.po", []byte(tc.body))
			var ie *tenancy.InvalidError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, tc.field, ie.Field, ie.Reason)
		})
	}
	var n int
	require.NoError(t, b.p.Tx(translator(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		return c.QueryRow(ctx, "select count(*) from translation_imports").Scan(&n)
	}))
	require.Zero(t, n, "nothing stored")
	_, err := b.svc.StartImport(as("role-case-manager"), "ke", "fr", "x.po", []byte(valid))
	require.ErrorIs(t, err, tenancy.ErrForbidden)
}

func TestRelabelRefusesOtherChanges(t *testing.T) {
	t.Parallel()
	b := setup(t)
	err := b.p.Tx(translator(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		_, _, err := b.forms.RelabelTx(ctx, c, func(bd *forms.Bundle) error {
			bd.Forms[0].Order++
			return nil
		})
		return err
	})
	require.ErrorIs(t, err, forms.ErrNotLabels)
}

// TestImportProgressIsVisibleMidImport holds the import after it judged its
// entries (a row lock on a form it relabels) and reads the progress through
// the status the API serves, polling with a deadline.
func TestImportProgressIsVisibleMidImport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := export(t, b, "fr", false)
	for i := range f.Entries {
		f.Entries[i].Str = f.Entries[i].ID + " (fr)"
	}
	total := len(f.Entries)
	require.Greater(t, total, 2*translations.ProgressEvery)
	im, err := b.svc.StartImport(as(admin), "ke", "fr", "fr.po", translations.Write(f))
	require.NoError(t, err)

	ctx := context.Background()
	su := b.db.Superuser(t)
	hold, err := su.Begin(ctx)
	require.NoError(t, err)
	_, err = hold.Exec(ctx, "select 1 from tenant_ke.forms where unique_id = 'basic_identity' for update")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- b.svc.RunImport(translator(), "ke", im.ID, true) }()

	want := total / translations.ProgressEvery * translations.ProgressEvery
	deadline := time.Now().Add(2 * time.Minute)
	var mid translations.POImport
	for {
		mid, _, _, err = b.svc.GetImport(as(admin), "ke", im.ID, translations.ReportFilter{Per: 1})
		require.NoError(t, err)
		if mid.EntriesDone >= want || time.Now().After(deadline) {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended while held: %v", err)
		case <-time.After(50 * time.Millisecond): // polling interval, with a deadline
		}
	}
	require.Equal(t, translations.StatusRunning, mid.Status)
	require.Equal(t, want, mid.EntriesDone, "progress committed every %d entries", translations.ProgressEvery)
	require.Less(t, mid.EntriesDone, mid.EntriesTotal)

	require.NoError(t, hold.Rollback(ctx))
	require.NoError(t, <-done)
	end, _, _, err := b.svc.GetImport(as(admin), "ke", im.ID, translations.ReportFilter{Per: 1})
	require.NoError(t, err)
	require.Equal(t, translations.StatusSucceeded, end.Status, end.Failure)
	require.Equal(t, total, end.EntriesDone)
}
