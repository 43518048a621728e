package locations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// importFile uploads content, waits for its job and returns the import and its whole report.
func (b *testBundle) importFile(t testing.TB, events <-chan *river.Event, content string) (locations.Import, []locations.ReportRow) {
	t.Helper()
	im, err := b.svc.StartImport(admin(), "ke", "places.csv", []byte(content))
	require.NoError(t, err)
	require.Equal(t, locations.StatusQueued, im.Status)
	ev := waitImport(t, events, im.ID)
	require.Equal(t, river.EventKindJobCompleted, ev.Kind, "%v", ev.Job.Errors)
	im, report, total, err := b.svc.GetImport(admin(), "ke", im.ID, locations.ReportFilter{Per: locations.PerMax})
	require.NoError(t, err)
	require.Len(t, report, total)
	return im, report
}

func TestImportAppliesValidRowsAndReportsEachRow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := startWorkers(t, b)
	im, report := b.importFile(t, events, strings.Join([]string{
		"code,parent_code,admin_level,type,name_en,name_fr,name_ar",
		"DL,,0,country,Demoland,Démolande,ديمولاند",
		"DL01,DL,1,region,North,Nord,الشمال",
		"DL0101,DL01,2,district,Amara,,",
		"DL0102,DLXX,2,district,Belcor,,",
		"DL0101,DL01,2,district,Amara again,,",
		"DL0103,DL01,1,district,Sirvane,,",
		"DL0104,DL01,two,district,Tolka,,",
		"DL0105,DL01,2,district,,,",
		",,,,,,",
		"DL0101C1,DL0101,3,Camp,Riverside camp,,",
		"DL0102C1,DL0102,3,camp,Orphan camp,,",
		"DL-03,DL,1,region,Dashed,,",
	}, "\n")+"\n")
	require.Equal(t, locations.StatusSucceeded, im.Status)
	require.Equal(t, locations.FormatCSV, im.Format)
	require.Equal(t, "places.csv", im.Filename)
	require.Equal(t, 11, im.RowsTotal, "the empty row is not counted")
	require.Equal(t, 11, im.RowsDone)
	require.Equal(t, 4, im.RowsApplied)
	require.Equal(t, 7, im.RowsInvalid)
	require.NotNil(t, im.FinishedAt)
	require.Equal(t, "system:seeder", im.CreatedBy)

	type outcome struct {
		row           int
		code, outcome string
		reason        string // a part of the reason
	}
	want := []outcome{
		{2, "DL", "applied", ""},
		{3, "DL01", "applied", ""},
		{4, "DL0101", "applied", ""},
		{5, "DL0102", "invalid", "parent_code: no location has code DLXX"},
		{6, "DL0101", "invalid", "code: duplicate code: row 4 has it too"},
		{7, "DL0103", "invalid", "admin_level: must be greater than the level of its parent DL01 (1)"},
		{8, "DL0104", "invalid", "admin_level: must be a whole number"},
		{9, "DL0105", "invalid", "name: missing name"},
		{11, "DL0101C1", "applied", ""},
		{12, "DL0102C1", "invalid", "parent DL0102 is not valid (row 5, parent_code: no location has code DLXX)"},
		{13, "DL-03", "invalid", "code: must be 1 to 64 letters, digits or underscores"},
	}
	require.Len(t, report, len(want))
	for i, w := range want {
		r := report[i]
		require.Equal(t, w.row, r.Row, "row %d", w.row)
		require.Equal(t, w.code, r.Code, "row %d", w.row)
		require.Equal(t, w.outcome, r.Outcome, "row %d: %s", w.row, r.Reason)
		require.Contains(t, r.Reason, w.reason, "row %d", w.row)
		if w.outcome == "applied" {
			require.Empty(t, r.Reason)
		}
	}
	// Each refused row's reason has a stable code and the values its
	// wording needs, for the app to say it in the reader's language.
	type coded struct {
		code   string
		params map[string]string
	}
	codes := map[int]coded{}
	for _, r := range report {
		codes[r.Row] = coded{r.ReasonCode, r.ReasonParams}
	}
	require.Equal(t, map[int]coded{
		2: {}, 3: {}, 4: {}, 11: {},
		5: {"parent_not_found", map[string]string{"parent": "DLXX"}},
		6: {"duplicate_code", map[string]string{"row": "4"}},
		7: {"level_below_parent", map[string]string{"parent": "DL01", "level": "1"}},
		8: {"admin_level_range", map[string]string{"max": "5"}},
		9: {"missing_name", nil},
		12: {"parent_invalid", map[string]string{"parent": "DL0102", "row": "5", "cause": "parent_not_found", "cause_field": "parent_code",
			"cause.parent": "DLXX"}},
		13: {"code_format", nil},
	}, codes)
	_, invalid, total, err := b.svc.GetImport(admin(), "ke", im.ID, locations.ReportFilter{Outcome: locations.OutcomeInvalid, Per: 2})
	require.NoError(t, err)
	require.Equal(t, 7, total)
	require.Len(t, invalid, 2)
	require.Equal(t, 5, invalid[0].Row)

	require.Equal(t, map[string][]string{
		"DL": {"DL"}, "DL01": {"DL", "DL01"}, "DL0101": {"DL", "DL01", "DL0101"},
		"DL0101C1": {"DL", "DL01", "DL0101", "DL0101C1"},
	}, b.hierarchy(t))
	dl := b.get(t, "DL")
	require.Equal(t, map[string]string{"en": "Demoland", "fr": "Démolande", "ar": "ديمولاند"}, dl.Name)
	require.Equal(t, "camp", b.get(t, "DL0101C1").Type, "types are lower-cased")

	t.Run("ReimportMergesNamesAndMovesSubtrees", func(t *testing.T) {
		im, report := b.importFile(t, events, strings.Join([]string{
			"Code;Parent code;Admin level;Name FR;Disabled",
			"DL02;DL;1;Côte;",
			"DL0101;DL02;2;Amara;yes",
			"DL01;DL;1;Nord;",
		}, "\r\n"))
		require.Equal(t, 3, im.RowsApplied, "%+v", report)
		// DL01 was already as wanted: applied, nothing changed.
		require.Equal(t, []string{"DL", "DL02", "DL0101", "DL0101C1"}, b.get(t, "DL0101C1").Hierarchy)
		amara := b.get(t, "DL0101")
		require.True(t, amara.Disabled)
		require.Equal(t, "district", amara.Type, "no type column: the type stays")
		require.Equal(t, map[string]string{"en": "Amara", "fr": "Amara"}, amara.Name, "names merge by language")
		require.Equal(t, map[string]string{"fr": "Côte"}, b.get(t, "DL02").Name)

		// Without a parent_code column, every location keeps its parent.
		im, report = b.importFile(t, events, "code,admin_level,name_ar\nDL0101C1,3,مخيم النهر\n")
		require.Equal(t, 1, im.RowsApplied, "%+v", report)
		camp := b.get(t, "DL0101C1")
		require.Equal(t, []string{"DL", "DL02", "DL0101", "DL0101C1"}, camp.Hierarchy)
		require.Equal(t, map[string]string{"en": "Riverside camp", "ar": "مخيم النهر"}, camp.Name)
	})

	t.Run("ImportAndReportNotFoundElsewhere", func(t *testing.T) {
		_, _, _, err := b.svc.GetImport(admin(), "ke", "00000000-0000-0000-0000-000000000000", locations.ReportFilter{})
		require.ErrorIs(t, err, tenancy.ErrNotFound)
		_, _, _, err = b.svc.GetImport(admin(), "ke", "not-a-uuid", locations.ReportFilter{})
		require.ErrorIs(t, err, tenancy.ErrNotFound)
	})
}

// TestImportHXL imports rows tagged as OCHA's common operational datasets
// are: a header row, then a hashtag row; each row names a district and its
// ancestors.
func TestImportHXL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	events := startWorkers(t, b)
	im, report := b.importFile(t, events, strings.Join([]string{
		"Country,Country code,Region,Région,Region P-code,District,District (fr),District P-code,Population,Valid on",
		"#country+name+i_en,#country+code,#adm1+name+i_en,#ADM1 +name +i_fr,#adm1+code,#adm2+name+i_en,#adm2+name+i_fr,#adm2+code,#population,#date",
		"Demoland,DL,North,Nord,DL01,Amara,Amara,DL0101,1200,2024-01-01",
		"Demoland,DL,North,Nord,DL01,Belcor,Belcor,DL0102,800,2024-01-01",
		"Demoland,DL,Coast,Côte,DL02,Sirvane,Sirvane,DL0201,500,2024-01-01",
		"Demoland,DL,Coast,Côte,DL01,Tolka,Tolka,DL0202,300,2024-01-01",
		"Demoland,DL,Coast,Côte,DL02,,,,,",
		"Demoland,DL,North,Nord,DL01,Amara,Amara,DL0101,1200,2024-01-01",
		"Demoland,DL,Highlands,Hautes terres,DL03,Kerrin,Kerrin,DL01,,",
		"Demoland,DL,Highlands,Hautes terres,DL03,Vasho,,DL0301,,",
	}, "\n"))
	require.Equal(t, locations.FormatHXL, im.Format)
	require.Equal(t, 8, im.RowsTotal)
	type outcome struct {
		row           int
		code, outcome string
		reason        string
	}
	want := []outcome{
		{3, "DL0101", "applied", ""},
		{4, "DL0102", "applied", ""},
		{5, "DL0201", "applied", ""},
		{6, "DL0202", "invalid", `DL01 is named "North" in en on row 3, but "Coast" here`},
		{7, "DL02", "applied", ""},
		{8, "DL0101", "invalid", "duplicate code: row 3 has it too"},
		{9, "DL01", "invalid", `DL01 is at level 1 under "DL" on row 3, but at level 2 under "DL03" here`},
		{10, "DL0301", "applied", ""},
	}
	require.Len(t, report, len(want))
	for i, w := range want {
		require.Equal(t, w.row, report[i].Row)
		require.Equal(t, w.code, report[i].Code, "row %d", w.row)
		require.Equal(t, w.outcome, report[i].Outcome, "row %d: %s", w.row, report[i].Reason)
		require.Contains(t, report[i].Reason, w.reason, "row %d", w.row)
	}
	require.Equal(t, map[string][]string{
		"DL": {"DL"}, "DL01": {"DL", "DL01"}, "DL02": {"DL", "DL02"}, "DL03": {"DL", "DL03"},
		"DL0101": {"DL", "DL01", "DL0101"}, "DL0102": {"DL", "DL01", "DL0102"}, "DL0201": {"DL", "DL02", "DL0201"},
		"DL0301": {"DL", "DL03", "DL0301"},
	}, b.hierarchy(t))
	dl := b.get(t, "DL")
	require.Equal(t, "country", dl.Type)
	require.Equal(t, 0, dl.AdminLevel)
	require.Equal(t, map[string]string{"en": "Demoland"}, dl.Name)
	require.Equal(t, map[string]string{"en": "Coast", "fr": "Côte"}, b.get(t, "DL02").Name)
	require.Equal(t, map[string]string{"en": "Vasho"}, b.get(t, "DL0301").Name)
	require.Equal(t, 2, b.get(t, "DL0301").AdminLevel)

	t.Run("RowsWithoutParentsKeepTheirs", func(t *testing.T) {
		before := b.hierarchy(t)
		im, report := b.importFile(t, events, strings.Join([]string{
			"#adm1+code,#adm1+name+i_ar,#adm2+code,#adm2+name+i_ar",
			"DL01,الشمال,DL0101,أمارا",
			"DL04,الجبال,,",
		}, "\n"))
		require.Equal(t, 2, im.RowsApplied, "%+v", report)
		after := b.hierarchy(t)
		require.Equal(t, []string{"DL04"}, after["DL04"], "a new one is a root")
		delete(after, "DL04")
		require.Equal(t, before, after, "DL01 stays under DL")
		require.Equal(t, map[string]string{"en": "North", "fr": "Nord", "ar": "الشمال"}, b.get(t, "DL01").Name)
	})
}

// TestImportProgressIsCommittedAsItGoes holds the import just before its
// end (its report table locked) and reads the progress meanwhile: every row
// is done, the status is running, and nothing is visible yet (one transaction).
func TestImportProgressIsCommittedAsItGoes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	su := b.db.Superuser(t)
	ctx := context.Background()
	tx, err := su.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, "lock table tenant_ke.location_import_rows in exclusive mode")
	require.NoError(t, err)

	events := startWorkers(t, b)
	const n = 5_300
	im, err := b.svc.StartImport(admin(), "ke", "", generatedCSV(n))
	require.NoError(t, err)
	require.Equal(t, n, im.RowsTotal, "counted when uploaded")
	require.Equal(t, 0, im.RowsDone)
	deadline := time.Now().Add(time.Minute)
	for {
		got, _, _, err := b.svc.GetImport(admin(), "ke", im.ID, locations.ReportFilter{})
		require.NoError(t, err)
		if got.RowsDone == n {
			require.Equal(t, locations.StatusRunning, got.Status)
			require.NotNil(t, got.StartedAt)
			break
		}
		require.True(t, time.Now().Before(deadline), "progress stuck at %d of %d (%s)", got.RowsDone, n, got.Status)
		time.Sleep(20 * time.Millisecond) // polling with a deadline: the job commits progress on its own
	}
	_, total, err := b.svc.List(admin(), "ke", locations.Filter{})
	require.NoError(t, err)
	require.Zero(t, total, "the import's changes are not committed before its end")

	require.NoError(t, tx.Rollback(ctx))
	ev := waitImport(t, events, im.ID)
	require.Equal(t, river.EventKindJobCompleted, ev.Kind)
	got, _, _, err := b.svc.GetImport(admin(), "ke", im.ID, locations.ReportFilter{})
	require.NoError(t, err)
	require.Equal(t, locations.StatusSucceeded, got.Status)
	require.Equal(t, n, got.RowsApplied)
	_, total, err = b.svc.List(admin(), "ke", locations.Filter{})
	require.NoError(t, err)
	require.Equal(t, n, total)
}

func TestFilesThatCannotBeImportedAreRefusedBeforeTheJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		name    string
		content string
		reason  string
	}{
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file"},
		{"XLSX", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a CSV text file"},
		{"Latin1", "code,admin_level,name_fr\nDL,0,D\xe9molande\n", "not a CSV text file"},
		{"Empty", " \n", "empty"},
		{"NoCodeColumn", "name_en,admin_level\nDemoland,0\n", "no code column"},
		{"NoLevelColumn", "code,name_en\nDL,Demoland\n", "no admin_level column"},
		{"NoNameColumn", "code,admin_level\nDL,0\n", "no name column"},
		{"UnknownColumn", "code,admin_level,name_en,notes\nDL,0,Demoland,x\n", `unknown column "notes"`},
		{"DuplicateColumn", "code,admin_level,name_en,Name EN\nDL,0,Demoland,x\n", "two columns give the name"},
		{"BadQuotes", "code,admin_level,name_en\nDL,0,De\"moland\n", "not valid CSV: line 2: a quote (\") inside a field that is not in quotes"},
		{"UnclosedQuotes", "code,admin_level,name_en\nDL,0,\"Demoland\n", "not valid CSV: line 2: a field in quotes has a stray quote or is never closed"},
		{"HeaderOnly", "code,admin_level,name_en\n", "no data rows"},
		{"HXLWithoutCodes", "Region,District\n#adm1+name,#adm2+name\nNorth,Amara\n", "tags no code column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := b.svc.StartImport(admin(), "ke", tc.name, []byte(tc.content))
			var ie *tenancy.InvalidError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, "file", ie.Field)
			require.Contains(t, ie.Reason, tc.reason)
		})
	}
	t.Cleanup(func() {
		var imports, queued int
		require.NoError(t, b.db.Pool.QueryRow(context.Background(), `select
			(select count(*) from river.river_job where kind = 'import_locations')`).Scan(&queued))
		require.NoError(t, b.p.Tx(admin(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
			return c.QueryRow(ctx, "select count(*) from location_imports").Scan(&imports)
		}))
		require.Zero(t, imports, "nothing stored")
		require.Zero(t, queued, "no job queued")
	})
}

// TestImportFailuresAreRecorded runs imports as their job would, without
// River: a file that cannot be read fails for good (the job is cancelled),
// and a second run of a finished import does nothing.
func TestImportFailuresAreRecorded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	imp := policy.WithSubject(context.Background(), policy.System(policy.ActorLocationImporter))
	good, err := b.svc.StartImport(admin(), "ke", "good.csv", []byte("code,admin_level,name_en\nDL,0,Demoland\n"))
	require.NoError(t, err)
	require.NoError(t, b.svc.RunImport(imp, "ke", good.ID, false))
	require.NoError(t, b.svc.RunImport(imp, "ke", good.ID, false), "a second delivery of the job does nothing")
	got, report, _, err := b.svc.GetImport(admin(), "ke", good.ID, locations.ReportFilter{})
	require.NoError(t, err)
	require.Equal(t, locations.StatusSucceeded, got.Status)
	require.Len(t, report, 1, "reported once")

	bad, err := b.svc.StartImport(admin(), "ke", "bad.csv", []byte("code,admin_level,name_en\nDL01,1,North\n"))
	require.NoError(t, err)
	_, err = b.db.Superuser(t).Exec(context.Background(), "update tenant_ke.location_imports set content = $1 where id = $2",
		[]byte("\x89PNG\r\n\x1a\n"), bad.ID)
	require.NoError(t, err)
	err = b.svc.RunImport(imp, "ke", bad.ID, false)
	var pe *locations.PermanentError
	require.ErrorAs(t, err, &pe, "retrying cannot fix it")
	got, _, _, err = b.svc.GetImport(admin(), "ke", bad.ID, locations.ReportFilter{})
	require.NoError(t, err)
	require.Equal(t, locations.StatusFailed, got.Status)
	require.Contains(t, got.Failure, "not a CSV text file")
	require.NotNil(t, got.FinishedAt)
	require.Len(t, b.hierarchy(t), 1, "nothing of it applied")

	err = b.svc.RunImport(imp, "ke", "00000000-0000-0000-0000-000000000000", false)
	require.ErrorAs(t, err, &pe, "an import that does not exist")
}
