package jobs_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testtenant"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// candidateStatements keeps the statements (with their arguments) that
// select a trace's candidates among the cases by their blocking keys (sql)
// and that read the selected cases (rows).
type candidateStatements struct {
	mu             sync.Mutex
	sql, rows      []string
	args, rowsArgs [][]any
}

func (c *candidateStatements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case strings.Contains(d.SQL, "from match_keys p where p.key = any("):
		c.sql, c.args = append(c.sql, d.SQL), append(c.args, slices.Clone(d.Args))
	case strings.Contains(d.SQL, "from unnest($2::uuid[]) with ordinality u(id, n) join match_subjects s"):
		c.rows, c.rowsArgs = append(c.rows, d.SQL), append(c.rowsArgs, slices.Clone(d.Args))
	}
	return ctx
}

func (c *candidateStatements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestCandidateQueryUsesTheKeysIndex: a trace's candidates come from the
// postings of the cases' blocking keys (match_keys) through their primary
// key, an index-only scan, never from a scan of every case or posting, and
// no case's record is read when its stored values are current (since
// session 38; before, the GIN index of records' match_keys and a page of
// records per case sharing a key). 4,000 generated cases (about 3,800 with
// consent) and a tracing request for a registered child are written; a
// matching run stores the cases' keys and estimates (its own selection is
// made in memory from the keys it read), the request's job matches it, and
// the statements that selected its candidates and read them (captured as
// the service sent them, with their arguments) are explained after an
// analyze. The postings' statement with the index dropped (rolled back)
// scans them, so the size is one where the index is what keeps it from a
// scan.
func TestCandidateQueryUsesTheKeysIndex(t *testing.T) {
	t.Parallel()
	db, p, _ := testtenant.CaseworkerInKenya(t)
	bg := context.Background()
	su := db.Superuser(t)
	var owner string
	require.NoError(t, su.QueryRow(bg, "select id::text from tenant_ke.users limit 1").Scan(&owner))

	ds := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 4000, Traces: 50, Seed: 3})
	now := time.Now().UTC()
	var batch []records.BatchRecord
	ids := map[string]string{} // generated case id -> record id
	for _, c := range ds.Cases {
		if !c.Consent {
			continue
		}
		ids[c.ID] = uuid.NewString()
		batch = append(batch, records.BatchRecord{ID: ids[c.ID], RecordType: records.TypeCase, ModuleID: "primeromodule-cp",
			Status: "open", Workflow: "new", OwnerID: owner, CreatedAt: now, UpdatedAt: now, Data: c.Data})
	}
	seeder := policy.WithSubject(bg, policy.System(policy.ActorDemoSeeder))
	rs := records.New(p, records.Config{})
	_, err := rs.CreateBatch(seeder, "ke", batch)
	require.NoError(t, err)

	// A tracing request for a registered child.
	var req synthetic.Request
	for _, r := range ds.Requests {
		if ids[r.Traces[0].CaseID] != "" {
			req = r
			break
		}
	}
	require.NotEmpty(t, req.ID)
	data := records.Data{}
	for k, v := range req.Data {
		data[k] = v
	}
	row := map[string]any{}
	for k, v := range req.Traces[0].Row {
		row[k] = v
	}
	row["unique_id"] = uuid.NewString()
	data[records.TraceSubform] = []any{row}
	trID := uuid.NewString()
	_, err = rs.CreateBatch(seeder, "ke", []records.BatchRecord{{ID: trID, RecordType: records.TypeTracingRequest,
		ModuleID: "primeromodule-cp", Status: "open", Workflow: "new", OwnerID: owner, CreatedAt: now, UpdatedAt: now, Data: data}})
	require.NoError(t, err)
	// The cases' keys stored and parameters estimated by a full run, then
	// the request matched by its job, through a pool whose tracer keeps
	// the candidate statements.
	cfg, err := pgxpool.ParseConfig(db.URL)
	require.NoError(t, err)
	captured := &candidateStatements{}
	cfg.ConnConfig.Tracer = captured
	pool, err := pgxpool.NewWithConfig(bg, cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	traced, err := tenancy.New(pool, tenancy.Config{RolePrefix: db.RolePrefix, Authorizer: enf})
	require.NoError(t, err)
	svc := matching.NewService(traced, matching.ServiceConfig{})
	mctx := policy.WithSubject(bg, policy.System(policy.ActorMatcher))
	run, queued, err := svc.StartPeriodicRun(mctx, "ke")
	require.NoError(t, err)
	require.True(t, queued)
	require.NoError(t, svc.ExecuteRun(mctx, "ke", run.ID, true))
	require.Empty(t, captured.sql, "a run with its store selects in memory (RunKeys)")
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, trID))
	var keyed int
	require.NoError(t, su.QueryRow(bg, "select count(distinct record_id) from tenant_ke.match_keys").Scan(&keyed))
	require.Equal(t, len(batch), keyed, "every case with consent has its keys")
	// The plan below is an index-only scan when the postings' pages are
	// all visible, as a vacuum leaves them; a snapshot another backend of
	// the database holds (an autovacuum's analyze after the inserts) can
	// keep a vacuum from marking them, and the planner then prefers a
	// bitmap scan of so small a table: vacuum until they are marked.
	require.Eventually(t, func() bool {
		_, err := su.Exec(bg, "vacuum analyze tenant_ke.match_keys")
		require.NoError(t, err)
		var visible, pages int
		require.NoError(t, su.QueryRow(bg, "select relallvisible, relpages from pg_class where oid = 'tenant_ke.match_keys'::regclass").
			Scan(&visible, &pages))
		return pages > 0 && visible == pages
	}, 30*time.Second, 200*time.Millisecond, "the postings' pages all visible after a vacuum")
	_, err = su.Exec(bg, "vacuum analyze tenant_ke.match_subjects")
	require.NoError(t, err)
	require.Len(t, captured.sql, 1, "one candidate statement for the trace")
	require.Len(t, captured.rows, 1, "one read of the trace's candidates")
	var found bool
	require.NoError(t, su.QueryRow(bg, "select exists (select 1 from tenant_ke.potential_matches where trace_id::text = $1 and case_id = $2::uuid)",
		row["unique_id"], ids[req.Traces[0].CaseID]).Scan(&found))
	require.True(t, found, "the statement explained is the one that found the child")

	explain := func(sql string, args []any, dropIndex bool) string {
		tx, err := su.Begin(bg)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(bg) }()
		_, err = tx.Exec(bg, "set local search_path to tenant_ke")
		require.NoError(t, err)
		if dropIndex {
			_, err = tx.Exec(bg, "alter table match_keys drop constraint match_keys_pkey")
			require.NoError(t, err)
		}
		rows, err := tx.Query(bg, "explain "+sql, args...)
		require.NoError(t, err)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return strings.Join(lines, "\n")
	}
	plan := explain(captured.sql[0], captured.args[0], false)
	t.Logf("plan:\n%s", plan)
	require.Contains(t, plan, "Index Only Scan using match_keys_pkey", "the shared pairs are read from the postings' index alone")
	require.NotContains(t, plan, "Seq Scan on match_keys", "never a scan of every posting")
	read := explain(captured.rows[0], captured.rowsArgs[0], false)
	t.Logf("the candidates read:\n%s", read)
	require.Contains(t, read, "match_subjects", "the candidates' stored values are read")
	require.NotContains(t, read, "Seq Scan on records", "never a scan of every record")
	without := explain(captured.sql[0], captured.args[0], true)
	require.Contains(t, without, "Seq Scan on match_keys", "without the index the planner scans the postings: the size makes the index matter")
}
