package jobs_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testtenant"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestMatchJobsOncePerBurst: a record write queues its matching job in the
// write's transaction; a burst of edits queues it once; an edit of a field
// matching does not read queues nothing; the workers then match the tracing
// request and store potential matches, and a case's change re-matches the
// tracing requests it may answer.
func TestMatchJobsOncePerBurst(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)

	svc := matching.NewService(p, matching.ServiceConfig{})
	// As the server wires it: the hook's configuration read with the
	// record's lock (TestPeriodicRematch reads it in a statement of its own).
	recs := records.New(p, records.Config{OnWrite: svc.RecordWritten, OnWriteRead: matching.ConfigurationRead()})
	su := db.Superuser(t)
	jobsOf := func(id string) int {
		var n int
		require.NoError(t, su.QueryRow(context.Background(),
			"select count(*) from river.river_job where kind = 'match_record' and args->>'record_id' = $1 and state <> 'completed'", id).Scan(&n))
		return n
	}

	mk := func(d map[string]any) string {
		r, _, err := recs.Create(ctx, "ke", records.TypeCase, records.CreateInput{Body: d})
		require.NoError(t, err)
		return r.ID
	}
	child := mk(map[string]any{"name_first": "Amina", "name_last": "Hassan", "sex": "female", "date_of_birth": "2017-03-02",
		"consent_for_tracing": true})
	other := mk(map[string]any{"name_first": "Aminata", "name_last": "Diallo", "sex": "female", "date_of_birth": "2016-11-20",
		"consent_for_tracing": true})
	require.Equal(t, 1, jobsOf(child), "a created case queues its matching")
	for i := range 5 {
		_, err := recs.Update(ctx, "ke", records.TypeCase, records.UpdateInput{ID: child, IfMatch: []int64{int64(i + 1)},
			Body: map[string]any{"name_middle": []string{"Yusuf", "Omar", "Ali", "Abdi", "Nur"}[i]}})
		require.NoError(t, err)
	}
	require.Equal(t, 1, jobsOf(child), "a burst of edits queues the job once")

	// A field matching does not read changes nothing for matching; from
	// here on with a stored configuration (the defaults), read with the lock.
	_, err := su.Exec(context.Background(), "delete from river.river_job where kind = 'match_record'")
	require.NoError(t, err)
	defaults, err := json.Marshal(matching.DefaultConfiguration())
	require.NoError(t, err)
	_, err = su.Exec(context.Background(), `insert into tenant_ke.matching_configuration (configuration, version, updated_by)
		values ($1::jsonb, 1, 'test')`, string(defaults))
	require.NoError(t, err)
	_, err = recs.Update(ctx, "ke", records.TypeCase, records.UpdateInput{ID: child, IfMatch: []int64{6},
		Body: map[string]any{"risk_level": "high"}})
	require.NoError(t, err)
	require.Equal(t, 0, jobsOf(child))
	_, err = recs.Update(ctx, "ke", records.TypeCase, records.UpdateInput{ID: child, IfMatch: []int64{7},
		Body: map[string]any{"name_middle": "Yusuf"}})
	require.NoError(t, err)
	require.Equal(t, 1, jobsOf(child), "a name is a change for matching")
	_, err = recs.Update(ctx, "ke", records.TypeCase, records.UpdateInput{ID: other, IfMatch: []int64{1},
		Body: map[string]any{"consent_for_tracing": false}})
	require.NoError(t, err)
	require.Equal(t, 1, jobsOf(other), "withdrawing consent is a change for matching")

	tr, _, err := recs.Create(ctx, "ke", records.TypeTracingRequest, records.CreateInput{Body: map[string]any{
		"inquiry_date": "2026-01-10", "relation_name": "Halima Abdi", records.TraceSubform: []any{
			map[string]any{"unique_id": uuid.NewString(), "name_first": "Amina", "name_last": "Hassan", "sex": "female", "age": 8}}}})
	require.NoError(t, err)
	require.Equal(t, 1, jobsOf(tr.ID))

	client, err := jobs.NewClient(db.Pool, p, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	require.NoError(t, client.Start(context.Background()))
	defer func() {
		sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(sctx))
	}()
	left := map[string]bool{tr.ID: true, other: true, child: true}
	timeout := time.After(60 * time.Second)
	for len(left) > 0 {
		select {
		case ev := <-events:
			if ev.Job.Kind != "match_record" {
				continue
			}
			require.Equal(t, river.EventKindJobCompleted, ev.Kind, "%s: %v", ev.Job.EncodedArgs, ev.Job.Errors)
			for id := range left {
				if strings.Contains(string(ev.Job.EncodedArgs), `"`+id+`"`) {
					delete(left, id)
				}
			}
		case <-timeout:
			t.Fatalf("match jobs %v did not complete", left)
		}
	}
	var cases []string
	rows, err := su.Query(context.Background(), "select case_id::text from tenant_ke.potential_matches order by probability desc")
	require.NoError(t, err)
	for rows.Next() {
		var c string
		require.NoError(t, rows.Scan(&c))
		cases = append(cases, c)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []string{child}, cases, "the child's case is matched; the case without consent is not")
	var keys int
	require.NoError(t, su.QueryRow(context.Background(), "select count(*) from tenant_ke.match_keys where record_id = $1", other).Scan(&keys))
	require.Zero(t, keys, "a case without consent stores no blocking keys")

	// The job stored the parsed values of the case that takes part, and the
	// trace's candidates are read from them: values stored for the child's
	// case that disagree on everything are what is compared, while the
	// values shown to reviewers are still read from the record.
	rows, err = su.Query(context.Background(), "select record_id::text from tenant_ke.match_subjects")
	require.NoError(t, err)
	stored, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{child}, stored, "parsed values are stored for cases with consent only")
	match := func() (float64, []matching.StoredComparison) {
		t.Helper()
		mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
		require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr.ID))
		var prob float64
		var cmp []matching.StoredComparison
		require.NoError(t, su.QueryRow(context.Background(), `select probability, comparisons
			from tenant_ke.potential_matches where case_id = $1`, child).Scan(&prob, &cmp))
		return prob, cmp
	}
	prob, cmp := match()
	require.Equal(t, "given_name", cmp[0].Comparison)
	require.Equal(t, "exact", cmp[0].Level)
	require.Equal(t, "Amina", cmp[0].Case["name_first"])
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), nil, time.Now())
	require.NoError(t, err)
	wrong := m.EncodeCase(m.NewCase(child, map[string]any{"name_first": "Nyabol", "name_last": "Gatdet", "sex": "male",
		"date_of_birth": "2009-01-01"}))
	_, err = su.Exec(context.Background(), "update tenant_ke.match_subjects set subject = $2 where record_id = $1", child, wrong)
	require.NoError(t, err)
	_, wrongCmp := match()
	for _, c := range wrongCmp[:2] {
		require.Equal(t, "different", c.Level, "the stored values are what is compared: %s", c.Comparison)
	}
	require.Equal(t, "Amina", wrongCmp[0].Case["name_first"], "reviewers see the record's values")
	// Stale (another fingerprint) or unreadable stored values: the record
	// is parsed instead, with the same result as from current ones.
	for _, q := range []string{"update tenant_ke.match_subjects set fingerprint = 0",
		"update tenant_ke.match_subjects set fingerprint = $1, subject = '\\x0102'::bytea"} {
		args := []any{}
		if strings.Contains(q, "$1") {
			args = append(args, m.Fingerprint())
		}
		_, err = su.Exec(context.Background(), q, args...)
		require.NoError(t, err)
		again, againCmp := match()
		require.InDelta(t, prob, again, 1e-12, q)
		require.Equal(t, cmp, againCmp, q)
		require.Equal(t, "exact", againCmp[0].Level, q)
	}
}

// TestPeriodicRematch: the periodic job queues a full re-matching run in a
// tenant with traces (none without, none while one is queued, none when
// nothing was written since the last run), and the run matches every
// tracing request with new parameters and reports its progress.
func TestPeriodicRematch(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	svc := matching.NewService(p, matching.ServiceConfig{})
	recs := records.New(p, records.Config{OnWrite: svc.RecordWritten})
	su := db.Superuser(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &jobs.RematchWorker{Platform: p, Matching: svc, Logger: log}
	runs := func() (n int, status string, done, total int) {
		require.NoError(t, su.QueryRow(context.Background(), `select count(*), coalesce(max(status), ''),
			coalesce(max(traces_done), 0), coalesce(max(traces_total), 0) from tenant_ke.matching_runs where reason = 'periodic'`).
			Scan(&n, &status, &done, &total))
		return
	}

	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RematchArgs]{}))
	n, _, _, _ := runs()
	require.Zero(t, n, "no trace: no run")

	child, _, err := recs.Create(ctx, "ke", records.TypeCase, records.CreateInput{Body: map[string]any{"name_first": "Amina",
		"name_last": "Hassan", "sex": "female", "date_of_birth": "2017-03-02", "consent_for_tracing": true}})
	require.NoError(t, err)
	_, _, err = recs.Create(ctx, "ke", records.TypeCase, records.CreateInput{Body: map[string]any{"name_first": "Aminata",
		"name_last": "Diallo", "sex": "female", "date_of_birth": "2016-11-20", "consent_for_tracing": true}})
	require.NoError(t, err)
	for _, name := range []string{"Amina", "Yusuf"} {
		_, _, err = recs.Create(ctx, "ke", records.TypeTracingRequest, records.CreateInput{Body: map[string]any{
			"inquiry_date": "2026-01-10", "relation_name": "Halima Abdi", records.TraceSubform: []any{
				map[string]any{"unique_id": uuid.NewString(), "name_first": name, "name_last": "Hassan", "sex": "female", "age": 8}}}})
		require.NoError(t, err)
	}
	// The record jobs never ran (no client yet): the periodic run matches them.
	_, err = su.Exec(context.Background(), "delete from river.river_job where kind = 'match_record'")
	require.NoError(t, err)
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RematchArgs]{}))
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RematchArgs]{}))
	n, status, _, _ := runs()
	require.Equal(t, 1, n, "one run, not queued again while queued")
	require.Equal(t, "queued", status)

	client, err := jobs.NewClient(db.Pool, p, jobs.Config{Logger: log})
	require.NoError(t, err)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	require.NoError(t, client.Start(context.Background()))
	defer func() {
		sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(sctx))
	}()
	waitRun := func() {
		t.Helper()
		timeout := time.After(60 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev.Job.Kind == "matching_run" {
					require.Equal(t, river.EventKindJobCompleted, ev.Kind, "%v", ev.Job.Errors)
					return
				}
			case <-timeout:
				t.Fatal("the matching run did not complete within 60s")
			}
		}
	}
	waitRun()
	n, status, done, total := runs()
	require.Equal(t, 1, n)
	require.Equal(t, "succeeded", status)
	require.Equal(t, 2, total)
	require.Equal(t, total, done, "progress: every trace matched")
	var matched []string
	rows, err := su.Query(context.Background(), `select distinct case_id::text from tenant_ke.potential_matches`)
	require.NoError(t, err)
	for rows.Next() {
		var c string
		require.NoError(t, rows.Scan(&c))
		matched = append(matched, c)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, matched, child.ID, "the run matched the tracing requests")
	var params int
	require.NoError(t, su.QueryRow(context.Background(), "select count(*) from tenant_ke.matching_parameters").Scan(&params))
	require.Equal(t, 1, params, "the run estimated the parameters")

	// Nothing written since: no new run. A write: the next period re-matches.
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RematchArgs]{}))
	n, _, _, _ = runs()
	require.Equal(t, 1, n, "nothing changed since the last run")
	_, err = recs.Update(ctx, "ke", records.TypeCase, records.UpdateInput{ID: child.ID, IfMatch: []int64{1},
		Body: map[string]any{"name_middle": "Yusuf"}})
	require.NoError(t, err)
	_, err = client.Insert(context.Background(), jobs.RematchArgs{}, nil)
	require.NoError(t, err)
	waitRun()
	n, status, _, _ = runs()
	require.Equal(t, 2, n)
	require.Equal(t, "succeeded", status)

	// A release that changes the blocking keys (BlockingVersion): the
	// tenant's stored keys are the old ones (here: without the narrow
	// name-pair keys), and nothing was written since the last run. The
	// next period re-keys every case anyway.
	var version int
	require.NoError(t, su.QueryRow(context.Background(),
		"select max(blocking_version) from tenant_ke.matching_runs where status = 'succeeded'").Scan(&version))
	require.Equal(t, matching.BlockingVersion, version, "a run records the keys' version it stored")
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RematchArgs]{}))
	n, _, _, _ = runs()
	require.Equal(t, 2, n, "nothing changed since the last run")
	_, err = su.Exec(context.Background(), "update tenant_ke.matching_runs set blocking_version = $1", matching.BlockingVersion-1)
	require.NoError(t, err)
	_, err = su.Exec(context.Background(),
		"update tenant_ke.match_subjects set keys = array(select k from unnest(keys) k where k not like 'nb:%')")
	require.NoError(t, err)
	narrowKeys := func() int {
		var n int
		require.NoError(t, su.QueryRow(context.Background(), `select count(*) from tenant_ke.match_keys
			where record_id = $1 and key like 'nb:%'`, child.ID).Scan(&n))
		return n
	}
	require.Zero(t, narrowKeys())
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.RematchArgs]{}))
	waitRun()
	n, status, _, _ = runs()
	require.Equal(t, 3, n, "keys stored by an older release: a run although nothing was written")
	require.Equal(t, "succeeded", status)
	require.Positive(t, narrowKeys(), "the run stored the current keys")
}

// TestCandidateOrderKeepsRareKeys: a trace reads its candidates whose
// shared blocking keys weigh most (matching.KeyWeight), not those sharing
// the most keys. The child shares only its rare family-name pair with the
// trace; five look-alikes share more keys (the given name in a birth band,
// the inquirer's name with it), each held by all five. With room for one
// candidate, the child is the one read and matched.
func TestCandidateOrderKeepsRareKeys(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	mk := recordMaker(t, p, ctx) // no jobs: matched below, in order
	child := mk(records.TypeCase, map[string]any{"name_first": "Amina", "name_middle": "Nyaluak", "name_last": "Gatkuoth",
		"sex": "female", "date_of_birth": "2016-05-01", "consent_for_tracing": true})
	var lookAlikes []string
	for range 5 {
		lookAlikes = append(lookAlikes, mk(records.TypeCase, map[string]any{"name_first": "Fatima", "name_middle": "Omar",
			"name_last": "Abdi", "sex": "female", "date_of_birth": "2016-03-01", "consent_for_tracing": true,
			"family_details_section": []any{map[string]any{"unique_id": uuid.NewString(), "relation": "father",
				"relation_name": "Hassan Ali"}}}))
	}
	tr := mk(records.TypeTracingRequest, map[string]any{"inquiry_date": "2026-01-10", "relation": "father",
		"relation_name": "Hassan Ali", records.TraceSubform: []any{map[string]any{"unique_id": uuid.NewString(),
			"name_first": "Fatima", "name_middle": "Nyaluak", "name_last": "Gatkuoth", "sex": "female", "age": 9}}})

	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	svc := matching.NewService(p, matching.ServiceConfig{MaxCandidates: 1})
	for _, c := range append([]string{child}, lookAlikes...) {
		require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, c))
	}
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr))

	su := db.Superuser(t)
	shared := func(c string) int {
		var n int
		require.NoError(t, su.QueryRow(context.Background(), `select count(*) from tenant_ke.match_keys p, tenant_ke.traces t
			where p.record_id = $1 and t.tracing_request_id = $2 and p.key = any(t.match_keys)`, c, tr).Scan(&n))
		return n
	}
	require.Positive(t, shared(child))
	for _, l := range lookAlikes {
		require.Greater(t, shared(l), shared(child), "a look-alike shares more keys than the child (the old order read it first)")
	}
	rows, err := su.Query(context.Background(), "select case_id::text from tenant_ke.potential_matches")
	require.NoError(t, err)
	matched, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{child}, matched, "the one candidate read is the child, found by its rare keys")
}

// TestStaleParametersEstimatedAnew: parameters stored by a release whose
// comparisons had other levels (here: a relative name without its similar
// level) do not fit the matcher; the next matching job estimates them anew
// instead of failing until a run does.
func TestStaleParametersEstimatedAnew(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	mk := recordMaker(t, p, ctx)
	child := mk(records.TypeCase, map[string]any{"name_first": "Amina", "name_middle": "Nyaluak", "name_last": "Gatkuoth",
		"sex": "female", "date_of_birth": "2016-05-01", "consent_for_tracing": true})
	other := mk(records.TypeCase, map[string]any{"name_first": "Fatima", "name_middle": "Omar", "name_last": "Abdi",
		"sex": "female", "date_of_birth": "2016-03-01", "consent_for_tracing": true})
	tr := mk(records.TypeTracingRequest, map[string]any{"inquiry_date": "2026-01-10", "relation": "father",
		"relation_name": "Nyaluak Gatkuoth", records.TraceSubform: []any{map[string]any{"unique_id": uuid.NewString(),
			"name_first": "Amina", "name_middle": "Nyaluak", "name_last": "Gatkuoth", "sex": "female", "age": 9}}})
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	svc := matching.NewService(p, matching.ServiceConfig{})
	for _, c := range []string{child, other} {
		require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, c))
	}
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr))
	su := db.Superuser(t)
	parameters := func() (n int) {
		require.NoError(t, su.QueryRow(context.Background(), "select count(*) from tenant_ke.matching_parameters").Scan(&n))
		return n
	}
	require.Equal(t, 1, parameters(), "estimated on first use")

	var raw []byte
	require.NoError(t, su.QueryRow(context.Background(), "select parameters from tenant_ke.matching_parameters").Scan(&raw))
	var old matching.Parameters
	require.NoError(t, json.Unmarshal(raw, &old))
	stale := false
	for i, c := range old.Comparisons {
		if c.Name != "inquirer_name" {
			continue
		}
		require.Equal(t, "similar", c.Levels[2])
		drop := func(xs []float64) []float64 { return append(xs[:2:2], xs[3:]...) }
		c.Levels = append(c.Levels[:2:2], c.Levels[3:]...)
		c.M, c.F, c.U = drop(c.M), drop(c.F), drop(c.U)
		old.Comparisons[i], stale = c, true
	}
	require.True(t, stale)
	_, err := su.Exec(context.Background(), "update tenant_ke.matching_parameters set parameters = $1", old)
	require.NoError(t, err)

	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr), "stale parameters are no failure")
	require.Equal(t, 2, parameters(), "estimated anew")
	rows, err := su.Query(context.Background(), "select case_id::text from tenant_ke.potential_matches")
	require.NoError(t, err)
	matched, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Contains(t, matched, child)
}

// TestPreScoreRanksTheBestInFull: the matching job ranks in full only the
// candidates with the best first-pass score (ServiceConfig.PreScoreKeep),
// read from their stored values in two steps. The child agrees with the
// trace on its given name and family names; five children of another
// family agree on the family names and hold the inquirer as their father,
// but not the given name. Keeping one, the child alone is ranked and
// stored; keeping all, the five are stored beside it.
func TestPreScoreRanksTheBestInFull(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	mk := recordMaker(t, p, ctx) // no jobs: matched below
	child := mk(records.TypeCase, map[string]any{"name_first": "Amina", "name_middle": "Nyaluak", "name_last": "Gatkuoth",
		"sex": "female", "date_of_birth": "2016-05-01", "consent_for_tracing": true})
	var others []string
	for _, first := range []string{"Halima", "Zainab", "Fatuma", "Rehema", "Khadija"} {
		others = append(others, mk(records.TypeCase, map[string]any{"name_first": first, "name_middle": "Nyaluak",
			"name_last": "Gatkuoth", "sex": "female", "date_of_birth": "2015-03-01", "consent_for_tracing": true,
			"family_details_section": []any{map[string]any{"unique_id": uuid.NewString(), "relation": "father",
				"relation_name": "Hassan Ali"}}}))
	}
	tr := mk(records.TypeTracingRequest, map[string]any{"inquiry_date": "2026-01-10", "relation": "father",
		"relation_name": "Hassan Ali", records.TraceSubform: []any{map[string]any{"unique_id": uuid.NewString(),
			"name_first": "Amina", "name_middle": "Nyaluak", "name_last": "Gatkuoth", "sex": "female", "age": 9}}})

	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	su := db.Superuser(t)
	stored := func() []string {
		rows, err := su.Query(context.Background(), "select case_id::text from tenant_ke.potential_matches order by probability desc")
		require.NoError(t, err)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return ids
	}
	keepOne := matching.NewService(p, matching.ServiceConfig{PreScoreKeep: 1})
	for _, c := range append([]string{child}, others...) {
		require.NoError(t, keepOne.MatchRecord(mctx, "ke", records.TypeCase, c))
	}
	var subjects int
	require.NoError(t, su.QueryRow(context.Background(), "select count(*) from tenant_ke.match_subjects").Scan(&subjects))
	require.Equal(t, 6, subjects, "the candidates are read from their stored values")
	require.NoError(t, keepOne.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr))
	require.Equal(t, []string{child}, stored(), "one candidate ranked: the child, by its own names")

	all := matching.NewService(p, matching.ServiceConfig{PreScoreKeep: -1})
	require.NoError(t, all.MatchRecord(mctx, "ke", records.TypeTracingRequest, tr))
	got := stored()
	require.Len(t, got, 6, "every candidate ranked and stored")
	require.Equal(t, child, got[0])
	require.ElementsMatch(t, others, got[1:])
}

// recordMaker returns a function creating a record of tenant ke as the
// caller of ctx (records without jobs: the tests match them themselves) and
// returning its id.
func recordMaker(t *testing.T, p *tenancy.Platform, ctx context.Context) func(typ string, d map[string]any) string {
	recs := records.New(p, records.Config{})
	return func(typ string, d map[string]any) string {
		r, _, err := recs.Create(ctx, "ke", typ, records.CreateInput{Body: d})
		require.NoError(t, err)
		return r.ID
	}
}

// TestRunMatchesAsEachRequestAlone: a full re-matching run, which reads
// the candidates from its store of every case (a case changed after the
// store was built read again), or without a store decodes them through one
// cache for all its tracing requests (here a cache of three cases: shared,
// evicted and decoded again), on two transactions at once (one request
// each), stores the same
// potential matches (cases, probabilities, labels, weights) as each tracing
// request matched alone by its own job without a cache, and as the cases'
// jobs re-matching the requests they may answer. Two traces of a request
// (sisters sought together) share candidates: both paths link a case
// across them by its id.
func TestRunMatchesAsEachRequestAlone(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	mk := recordMaker(t, p, ctx) // no jobs: matched below
	var cases, requests []string
	for i, first := range []string{"Amina", "Fatima", "Aminata", "Halima", "Amina", "Fatuma", "Zainab", "Amira"} {
		for j, last := range []string{"Hassan", "Hasan", "Abdi"} {
			cases = append(cases, mk(records.TypeCase, map[string]any{"name_first": first, "name_last": last,
				"sex": "female", "date_of_birth": time.Date(2012+i%5, time.Month(1+j*3), 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
				"consent_for_tracing": true, "family_details_section": []any{map[string]any{"unique_id": uuid.NewString(),
					"relation": "mother", "relation_name": []string{"Halima Abdi", "Sahra Ali", "Maryan Nur"}[j]}}}))
		}
	}
	for _, r := range [][2]string{{"Amina", "Fatima"}, {"Halima", "Zainab"}, {"Aminata", "Amira"}, {"Fatuma", "Amina"}} {
		requests = append(requests, mk(records.TypeTracingRequest, map[string]any{"inquiry_date": "2026-01-10",
			"relation": "mother", "relation_name": "Halima Abdi", records.TraceSubform: []any{
				map[string]any{"unique_id": uuid.NewString(), "name_first": r[0], "name_last": "Hassan", "sex": "female", "age": 11},
				map[string]any{"unique_id": uuid.NewString(), "name_first": r[1], "name_last": "Hassan", "sex": "female", "age": 13}}}))
	}
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	// A small pre-score, so that both paths rank only the best few of the
	// candidates: the run through its store (RankStored), each request
	// alone as its own job does (RankGroup).
	const keep = 6
	alone := matching.NewService(p, matching.ServiceConfig{CachedCases: -1, PreScoreKeep: keep})
	for _, c := range cases {
		require.NoError(t, alone.MatchRecord(mctx, "ke", records.TypeCase, c))
	}
	su := db.Superuser(t)
	type match struct {
		Trace, Case, Label  string
		Probability, Weight float64
	}
	stored := func() []match {
		t.Helper()
		rows, err := su.Query(context.Background(), `select trace_id::text, case_id::text, label, probability, weight
			from tenant_ke.potential_matches order by trace_id, case_id`)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[match])
		require.NoError(t, err)
		return out
	}

	// One request per transaction, two transactions at once: the run's
	// workers share its store (or, without one, the cache) and the
	// progress row. Once the store is built, a case's mother is corrected
	// and its own job stores its new values and keys: the run must select
	// it by its new keys and read its new values, not score the mother it
	// holds.
	changed := false
	change := func() {
		if changed {
			return
		}
		changed = true
		_, err := su.Exec(context.Background(), `update tenant_ke.records set data = jsonb_set(data,
			'{family_details_section,0,relation_name}', '"Sahra Ali"') where id = $1`, cases[0])
		require.NoError(t, err)
		require.NoError(t, alone.MatchRecord(mctx, "ke", records.TypeCase, cases[0]))
		// and another case's date of birth, within the year its keys
		// name: its stored values change, its keys do not
		_, err = su.Exec(context.Background(), `update tenant_ke.records set data = jsonb_set(data,
			'{date_of_birth}', '"2012-01-05"') where id = $1 and data->>'date_of_birth' = '2012-04-01'`, cases[1])
		require.NoError(t, err)
		require.NoError(t, alone.MatchRecord(mctx, "ke", records.TypeCase, cases[1]))
	}
	batch := matching.NewService(p, matching.ServiceConfig{CachedCases: 3, RunWorkers: 2, RunBatch: 1,
		PreScoreKeep: keep, OnRunStore: change})
	run, queued, err := batch.StartPeriodicRun(mctx, "ke")
	require.NoError(t, err)
	require.True(t, queued)
	require.NoError(t, batch.ExecuteRun(mctx, "ke", run.ID, true))
	require.True(t, changed, "the run built its store")
	logged := func() (n int) {
		require.NoError(t, su.QueryRow(context.Background(), "select count(*) from tenant_ke.match_changes").Scan(&n))
		return n
	}
	require.Positive(t, logged(), "the changes after the store was built are logged")
	var status string
	var done, total int
	require.NoError(t, su.QueryRow(context.Background(), `select status, traces_done, traces_total
		from tenant_ke.matching_runs where id = $1`, run.ID).Scan(&status, &done, &total))
	require.Equal(t, "succeeded", status)
	require.Equal(t, 2*len(requests), total)
	require.Equal(t, total, done, "every batch's progress counted")
	fromRun := stored()
	require.Greater(t, len(fromRun), 3*len(requests), "every trace has several potential matches")
	linked := 0
	for _, r := range requests {
		require.NoError(t, alone.MatchRecord(mctx, "ke", records.TypeTracingRequest, r))
	}
	fromRequests := stored()
	require.Equal(t, fromRun, fromRequests, "each request matched alone stores what the run stored")
	byCase := map[string]int{}
	for _, m := range fromRun {
		byCase[m.Case]++
	}
	for _, n := range byCase {
		if n > 1 {
			linked++
		}
	}
	require.Positive(t, linked, "cases are candidates of several traces")
	for _, c := range cases[:4] {
		require.NoError(t, batch.MatchRecord(mctx, "ke", records.TypeCase, c))
	}
	require.Equal(t, fromRun, stored(), "a case's job (through its cache) re-matches to the same")

	// without a store, through the run's cache of three cases (shared,
	// evicted and decoded again); a record written since makes the
	// periodic run due
	_, err = su.Exec(context.Background(), "update tenant_ke.records set updated_at = now() where id = $1", cases[1])
	require.NoError(t, err)
	cached := matching.NewService(p, matching.ServiceConfig{CachedCases: 3, RunWorkers: 2, RunBatch: 1,
		PreScoreKeep: keep, StoreCases: -1, OnRunStore: func() { t.Error("a run without a store called OnRunStore") }})
	run, queued, err = cached.StartPeriodicRun(mctx, "ke")
	require.NoError(t, err)
	require.True(t, queued)
	require.NoError(t, cached.ExecuteRun(mctx, "ke", run.ID, true))
	fromCachedRun := stored() // under the parameters this run estimated
	// The run, even without a store, pruned the changes its snapshot and
	// every running run's had seen: those of transactions before the
	// oldest one running then (in the whole cluster: other tests' may
	// hold it back, so rows after it may stay).
	var snapshot *string
	require.NoError(t, su.QueryRow(context.Background(), "select store_snapshot from tenant_ke.matching_runs where id = $1",
		run.ID).Scan(&snapshot))
	require.NotNil(t, snapshot, "the run recorded its snapshot")
	var seen int
	require.NoError(t, su.QueryRow(context.Background(), `select count(*) from tenant_ke.match_changes
		where xid < pg_snapshot_xmin((select store_snapshot from tenant_ke.matching_runs where id = $1)::pg_snapshot)`,
		run.ID).Scan(&seen))
	require.Zero(t, seen, "a run, even without a store, prunes the changes every running run has seen")
	for _, r := range requests {
		require.NoError(t, alone.MatchRecord(mctx, "ke", records.TypeTracingRequest, r))
	}
	require.Equal(t, fromCachedRun, stored(), "each request matched alone stores what the run through its cache stored")
}
