package matching_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testtenant"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

// TestJobsOfRecordsWrittenTogetherFindThePair: a child registered and a
// tracing request seeking her written at about the same time have their
// two matching jobs running at once. Each job reads the other side's keys
// (the case's job the tracing requests sharing its keys, the request's
// job its candidates) and then waits, before it commits, until the other
// has read too: each read ran while the other's transaction was open. The
// pair is still found, because each job committed its own keys before
// reading (Service.MatchRecord); stored in the same transaction as the
// read, neither job would see the other's and the pair would be lost
// until the next full run (the mutation: MatchRecord without publishKeys
// fails here).
func TestJobsOfRecordsWrittenTogetherFindThePair(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	recs := records.New(p, records.Config{}) // no write hook: the test runs the jobs' work itself
	create := func(typ string, d map[string]any) string {
		r, _, err := recs.Create(ctx, "ke", typ, records.CreateInput{Body: d})
		require.NoError(t, err)
		return r.ID
	}
	request := func(first, last, mother string) map[string]any {
		return map[string]any{"inquiry_date": "2026-01-10", "relation_name": mother + " " + last, records.TraceSubform: []any{
			map[string]any{"unique_id": uuid.NewString(), "relation": "mother", "name_first": first, "name_last": last, "sex": "female", "age": 8}}}
	}
	girl := func(first, middle, last string) map[string]any {
		return map[string]any{"name_first": first, "name_middle": middle, "name_last": last, "sex": "female",
			"date_of_birth": "2017-03-02", "consent_for_tracing": true, "registration_date": "2026-01-05"}
	}
	svc := matching.NewService(p, matching.ServiceConfig{})
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	// Earlier records, matched: the tenant's parameters are estimated from them.
	for _, c := range [][3]string{{"Nyaboth", "Gatluak", "Deng"}, {"Achol", "Majok", "Garang"}, {"Adut", "Nyibol", "Malual"}} {
		require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, create(records.TypeCase, girl(c[0], c[1], c[2]))))
	}
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, create(records.TypeTracingRequest, request("Achol", "Garang", "Nyandeng"))))
	var parameters int
	require.NoError(t, db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.matching_parameters").Scan(&parameters))
	require.Equal(t, 1, parameters, "estimated before the two jobs run")

	child := create(records.TypeCase, girl("Akuol", "Ajak", "Bol"))
	seeking := create(records.TypeTracingRequest, request("Akuol", "Bol", "Nyandeng"))

	// Each job's first read of the other side waits for the other's.
	var mu sync.Mutex
	read := map[string]bool{}
	both := make(chan struct{})
	svc.SetSearched(func(recordType string) {
		mu.Lock()
		first := !read[recordType]
		read[recordType] = true
		if first && len(read) == 2 {
			close(both)
		}
		mu.Unlock()
		if first {
			select {
			case <-both:
			case <-time.After(time.Minute):
				t.Errorf("the %s's job read alone: the other never read", recordType)
			}
		}
	})
	var wg sync.WaitGroup
	for _, job := range []struct{ typ, id string }{{records.TypeCase, child}, {records.TypeTracingRequest, seeking}} {
		wg.Go(func() {
			for {
				err := svc.MatchRecord(mctx, "ke", job.typ, job.id)
				if err == matching.ErrRunAgain {
					continue
				}
				if err != nil {
					t.Errorf("the %s's job: %v", job.typ, err)
				}
				return
			}
		})
	}
	wg.Wait()
	require.True(t, read[records.TypeCase] && read[records.TypeTracingRequest], "both jobs read the other side")

	var n int
	require.NoError(t, db.Superuser(t).QueryRow(context.Background(),
		"select count(*) from tenant_ke.potential_matches where case_id = $1 and tracing_request_id = $2", child, seeking).Scan(&n))
	require.Equal(t, 1, n, "the child and the tracing request seeking her are a potential match")
}

// TestCaseJobWaitsForAWithdrawalBeingWritten: a case's consent withdrawn by
// a transaction still open when the case's matching job reads it. The job
// holds the record's row as it reads (for share), so it waits for the
// withdrawal, then sees it and stores nothing; the withdrawal's own
// trigger removes whatever was stored before (migration 046). A job that
// read the record without waiting saw consent still given and stored the
// case's values and keys after the withdrawal's trigger had run: the case
// would stay a candidate, without consent, until its next job (the
// mutation: storeCaseKeys without "for share" fails here).
func TestCaseJobWaitsForAWithdrawalBeingWritten(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	recs := records.New(p, records.Config{})
	r, _, err := recs.Create(ctx, "ke", records.TypeCase, records.CreateInput{Body: map[string]any{
		"name_first": "Nyandeng", "name_last": "Bol", "sex": "female", "date_of_birth": "2016-05-01",
		"consent_for_tracing": true, "registration_date": "2026-01-05"}})
	require.NoError(t, err)
	svc := matching.NewService(p, matching.ServiceConfig{})
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, r.ID))
	su := db.Superuser(t)
	stored := func() (subjects, postings int) {
		require.NoError(t, su.QueryRow(context.Background(), `select (select count(*) from tenant_ke.match_subjects where record_id = $1),
			(select count(*) from tenant_ke.match_keys where record_id = $1)`, r.ID).Scan(&subjects, &postings))
		return subjects, postings
	}
	subjects, postings := stored()
	require.Equal(t, 1, subjects, "a consenting case's values are stored")
	require.Positive(t, postings, "with its keys' postings")

	// The withdrawal, written and held open on a connection of its own.
	w, err := pgx.Connect(context.Background(), db.SuperuserURL())
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close(context.Background()) })
	tx, err := w.Begin(context.Background())
	require.NoError(t, err)
	_, err = tx.Exec(context.Background(), `update tenant_ke.records set data = jsonb_set(data, '{consent_for_tracing}', 'false')
		where id = $1`, r.ID)
	require.NoError(t, err)
	var pid int
	require.NoError(t, tx.QueryRow(context.Background(), "select pg_backend_pid()").Scan(&pid))

	done := make(chan error, 1)
	go func() { done <- svc.MatchRecord(mctx, "ke", records.TypeCase, r.ID) }()
	// Until the job waits on the withdrawal's lock (or, had it not waited,
	// has finished).
	waiting := false
	for deadline := time.Now().Add(30 * time.Second); !waiting && time.Now().Before(deadline); {
		select {
		case err := <-done:
			done <- err
			deadline = time.Now()
			continue
		default:
		}
		require.NoError(t, su.QueryRow(context.Background(),
			"select exists (select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid)))", pid).Scan(&waiting))
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, tx.Commit(context.Background()))
	require.NoError(t, <-done)
	subjects, postings = stored()
	require.Zero(t, subjects, "no values stored for a case whose consent was withdrawn")
	require.Zero(t, postings, "and no postings: no trace finds it")
	require.True(t, waiting, "the job waited for the withdrawal")
}

// TestStoredMatchShowsTheCasesValues: a stored potential match shows, for
// each comparison, the values of the case's record it compared, as they are
// in the record: its own fields, each row of its family subform, the age's
// estimate; never a field no comparison reads. The values are read from the
// record for the stored matches alone (readFields), apart from the values
// scored (the mutation: the subform's rows left out of Matcher.fields).
func TestStoredMatchShowsTheCasesValues(t *testing.T) {
	t.Parallel()
	// A register's case holds every field of its forms: a record over
	// WholeRecordBytes is read by the compared fields' keys alone, and
	// shows the same.
	for _, padded := range []bool{false, true} {
		t.Run(map[bool]string{false: "small record", true: "large record"}[padded], func(t *testing.T) {
			t.Parallel()
			storedMatchShowsTheCasesValues(t, padded)
		})
	}
}

func storedMatchShowsTheCasesValues(t *testing.T, padded bool) {
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	recs := records.New(p, records.Config{})
	svc := matching.NewService(p, matching.ServiceConfig{})
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	child, _, err := recs.Create(ctx, "ke", records.TypeCase, records.CreateInput{Body: map[string]any{
		"name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan", "sex": "female", "age": 8,
		"date_of_birth": "2017-03-02", "estimated": true, "consent_for_tracing": true,
		"registration_date": "2026-01-05", "risk_level": "high",
		"family_details_section": []any{
			map[string]any{"unique_id": uuid.NewString(), "relation": "mother", "relation_name": "Halima Abdi"},
			map[string]any{"unique_id": uuid.NewString(), "relation": "father", "relation_name": "Yusuf Hassan",
				"relation_nickname": "Abu Amina"}}}})
	require.NoError(t, err)
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, child.ID))
	if padded {
		// 200 fields of a form no comparison reads, as a record's other
		// forms fill them
		var size int
		require.NoError(t, db.Superuser(t).QueryRow(context.Background(), `update tenant_ke.records
			set data = data || (select jsonb_object_agg('note_' || i, repeat(md5(i::text), 3)) from generate_series(1, 200) i)
			where id = $1 returning pg_column_size(data)`, child.ID).Scan(&size))
		require.Greater(t, size, matching.WholeRecordBytes, "the record is read by its keys")
	}
	tr, _, err := recs.Create(ctx, "ke", records.TypeTracingRequest, records.CreateInput{Body: map[string]any{
		"inquiry_date": "2026-01-10", "relation": "mother", "relation_name": "Halima Abdi", records.TraceSubform: []any{
			map[string]any{"unique_id": uuid.NewString(), "name_first": "Amina", "name_last": "Hassan", "sex": "female", "age": 8}}}})
	require.NoError(t, err)
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr.ID))

	// A run parses every case again (storeCases): the large record, sent
	// by the keys the matcher reads, gives the values and keys its job
	// stored from the whole record (a row rewritten otherwise), and the run
	// stores the match again.
	su := db.Superuser(t)
	subject := func() (form []byte, keys []string, version string) {
		require.NoError(t, su.QueryRow(context.Background(), `select subject, keys, xmin::text from tenant_ke.match_subjects
			where record_id = $1`, child.ID).Scan(&form, &keys, &version))
		return form, keys, version
	}
	form, keys, version := subject()
	var runID string
	require.NoError(t, su.QueryRow(context.Background(), `insert into tenant_ke.matching_runs (reason, created_by)
		values ('requested', 'test') returning id::text`).Scan(&runID))
	require.NoError(t, svc.ExecuteRun(mctx, "ke", runID, true))
	var status string
	var runVersion, matchVersion int
	require.NoError(t, su.QueryRow(context.Background(), `select r.status, r.parameters_version, m.parameters_version
		from tenant_ke.matching_runs r, tenant_ke.potential_matches m where r.id = $1 and m.case_id = $2`, runID, child.ID).
		Scan(&status, &runVersion, &matchVersion))
	require.Equal(t, "succeeded", status)
	require.Equal(t, runVersion, matchVersion, "the run stored the match")
	formAfter, keysAfter, versionAfter := subject()
	require.Equal(t, form, formAfter)
	require.Equal(t, keys, keysAfter)
	require.Equal(t, version, versionAfter, "the run found the case's stored values current")

	var stored []matching.StoredComparison
	require.NoError(t, db.Superuser(t).QueryRow(context.Background(),
		"select comparisons from tenant_ke.potential_matches where case_id = $1", child.ID).Scan(&stored))
	shown := map[string]map[string]any{}
	for _, c := range stored {
		shown[c.Comparison] = c.Case
	}
	require.Equal(t, map[string]any{"name_first": "Amina", "name_middle": "Yusuf", "name_last": "Hassan"}, shown["given_name"])
	require.Equal(t, map[string]any{"age": float64(8), "date_of_birth": "2017-03-02", "estimated": true},
		shown["age"], "the age with its estimate and date of birth")
	require.Equal(t, map[string]any{
		"family_details_section.relation":          []any{"mother", "father"},
		"family_details_section.relation_name":     []any{"Halima Abdi", "Yusuf Hassan"},
		"family_details_section.relation_nickname": []any{nil, "Abu Amina"},
	}, shown["inquirer_name"], "each row of the family subform, in order")
	for name, values := range shown {
		require.NotContains(t, values, "risk_level", "%s shows a field it does not compare", name)
		require.NotContains(t, values, "note_1", "%s shows a field it does not compare", name)
	}
}
