package matching_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// A run with keys selects each trace's candidates in memory
// (RunKeys.Select with the changes since it read them): the same cases in
// the same order as the candidate query, on the tenant as read and after
// cases changed every way a candidacy can change, written as the product
// writes them (triggers on), with rejected and settled cases and a cap that
// cuts through equal scores; a case deleted makes the run query again.
func TestRunSelectionAsCandidateQuery(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 10_000, 120)
	require.Len(t, st.traces, 120)
	ctx := context.Background()
	svc := matching.NewService(st.p, matching.ServiceConfig{})
	keys, err := svc.ReadRunKeys(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), st.code, uuid.NewString(), st.stop)
	require.NoError(t, err)
	require.Equal(t, st.consenting, keys.Len(), "every consenting case has keys here")
	n := max(1, st.consenting)

	sqlIDs := func(c *tenancy.Conn, tr sqlTrace, limit int, settled []string) []string {
		args := st.queryArgs(tr, limit)
		args[3] = settled
		rows, err := candidateForms["product"](ctx, c, args)
		require.NoError(t, err)
		var ids []string
		var id string
		var form, data []byte
		_, err = pgx.ForEachRow(rows, []any{&id, &form, &data}, func() error {
			ids = append(ids, id)
			return nil
		})
		require.NoError(t, err)
		return ids
	}
	settledOf := map[string][]string{}
	compare := func(stage string) (cut int) {
		for i, tr := range st.traces {
			for _, limit := range []int{matching.MaxCandidates, 40} {
				st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
					settled := append([]string{}, settledOf[tr.id]...)
					want := sqlIDs(c, tr, limit, settled)
					sel, err := matching.RunCandidates(ctx, c, keys, tr.id, st.queryArgs(tr, limit)[1].([]string), settled, limit, n)
					require.NoError(t, err)
					got := make([]string, len(sel))
					for j, s := range sel {
						got[j] = s.ID
						require.EqualValues(t, -1, s.At, "no store: every case is read from the database")
					}
					require.Equal(t, want, got, "%s: trace %d, cap %d: other candidates or another order", stage, i, limit)
					if limit == 40 && len(sqlIDs(c, tr, matching.MaxCandidates, settled)) > 40 {
						cut++
					}
					return nil
				})
			}
		}
		return cut
	}
	cut := compare("as read")
	require.Positive(t, cut, "some traces have more candidates than the small cap")

	// Changes after the keys were read, each to a candidate of its own
	// trace, written through the tenant's role (the triggers log them).
	best := func(i int) []string {
		var ids []string
		st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
			ids = sqlIDs(c, st.traces[i], matching.MaxCandidates, []string{})
			return nil
		})
		require.NotEmpty(t, ids, "trace %d has candidates", i)
		return ids
	}
	withdrawn, disabled, deleted, rekeyed := best(0)[0], best(1)[1], best(2)[0], best(3)[0]
	settledOf[st.traces[7].id] = best(7)[:2]
	rejectedCase := best(6)[0]
	su := db.Superuser(t)
	schema := tenancy.SchemaName(st.code)
	var module string
	require.NoError(t, su.QueryRow(ctx, "select unique_id from "+schema+".modules order by unique_id limit 1").Scan(&module))
	var withdrawnKeys []string // as stored before its consent is withdrawn
	require.NoError(t, su.QueryRow(ctx, "select keys from "+schema+".match_subjects where record_id = $1", withdrawn).Scan(&withdrawnKeys))
	newCase := uuid.NewString()
	// The new case holds trace 5's first keys; the rekeyed one trace 4's.
	keysOf := func(i, k int) []string {
		ks := st.queryArgs(st.traces[i], 1)[1].([]string)
		return ks[:min(k, len(ks))]
	}
	request := uuid.NewString()
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`update records set data = jsonb_set(data, '{` + matching.ConsentField + `}', 'false') where id = $1`, []any{withdrawn}},
			{`update records set enabled = false where id = $1`, []any{disabled}},
			{`update match_subjects set keys = $2 where record_id = $1`, []any{rekeyed, keysOf(4, 6)}},
			{`insert into records (id, record_type, short_id, module_id, created_by, updated_by, create_digest, data)
				values ($1, 'case', 'NEWCASE', $2, 'test', 'test', $3, jsonb_build_object($4::text, true))`,
				[]any{newCase, module, make([]byte, 32), matching.ConsentField}},
			{`insert into match_subjects (record_id, fingerprint, subject, keys) values ($1, 0, '\x', $2)`,
				[]any{newCase, keysOf(5, 8)}},
			{`insert into records (id, record_type, short_id, module_id, created_by, updated_by, create_digest)
				values ($1, 'tracing_request', 'NEWTR', $2, 'test', 'test', $3)`, []any{request, module, make([]byte, 32)}},
			{`insert into traces (id, tracing_request_id, data) values ($1, $2, '{}')`, []any{st.traces[6].id, request}},
			{`insert into potential_matches (trace_id, tracing_request_id, case_id, probability, label, weight, parameters_version,
				comparisons, status) values ($1, $2, $3, 0.1, 'unlikely', 0, 1, '[]', 'rejected')`,
				[]any{st.traces[6].id, request, rejectedCase}},
		} {
			if _, err := c.Exec(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	// The changes changed what the query selects.
	require.NotContains(t, best(0), withdrawn)
	require.NotContains(t, best(1), disabled)
	require.Contains(t, best(4), rekeyed)
	require.Contains(t, best(5), newCase)
	require.NotContains(t, best(6), rejectedCase)
	compare("after changes")

	// A case's stored values rewritten alone (no key changed) is a change:
	// a run's store must not serve its old copy.
	rewritten := best(8)[0]
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		changed, err := matching.RunChangedIDs(ctx, c, keys)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{withdrawn, disabled, rekeyed, newCase}, changed)
		_, err = c.Exec(ctx, `update match_subjects set subject = subject || '\x00'::bytea where record_id = $1`, rewritten)
		return err
	})
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		changed, err := matching.RunChangedIDs(ctx, c, keys)
		require.NoError(t, err)
		require.Contains(t, changed, rewritten)
		return nil
	})
	compare("after a stored value changed")

	// A case deleted (erased) is logged without its id, and the erasure
	// takes the rows that named it: the run asks which of its cases are
	// gone. One of the run's keys, and one it only knows as changed.
	erased := []string{deleted, newCase}
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		for _, id := range erased {
			// as records.Erase: the rows its cascades logged go after it
			if _, err := c.Exec(ctx, `delete from records where id = $1`, id); err != nil {
				return err
			}
			if _, err := c.Exec(ctx, `delete from match_changes where record_id = $1`, id); err != nil {
				return err
			}
		}
		return nil
	})
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		var anonymous, named int
		require.NoError(t, c.QueryRow(ctx, `select count(*) filter (where record_id is null),
			count(*) filter (where record_id = any($1::uuid[])) from match_changes`, erased).Scan(&anonymous, &named))
		require.Equal(t, []int{2, 0}, []int{anonymous, named}, "the deletions logged without their ids, nothing else names them")
		changed, err := matching.RunChangedIDs(ctx, c, keys)
		require.NoError(t, err)
		require.Contains(t, changed, deleted)
		require.NotContains(t, changed, newCase, "gone, and never among the keys: nothing to leave out")
		return nil
	})
	require.NotContains(t, best(2), deleted)
	require.NotContains(t, best(5), newCase)
	compare("after erasures")

	// A change whose transaction is open while the run reads is read once
	// it commits (the snapshot of the read before lists it in progress),
	// and a case changed again is read again.
	late := best(9)[0]
	written, commit, committed := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		committed <- st.p.Tx(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), st.code, func(ctx context.Context, c *tenancy.Conn) error {
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`update records set data = jsonb_set(data, '{` + matching.ConsentField + `}', 'false') where id = $1`, []any{late}},
				{`update records set data = jsonb_set(data, '{` + matching.ConsentField + `}', 'true') where id = $1`, []any{withdrawn}},
				// its keys stored again, as its job does
				{`insert into match_subjects (record_id, fingerprint, subject, keys) values ($1, 0, '\x', $2)`,
					[]any{withdrawn, withdrawnKeys}},
			} {
				if _, err := c.Exec(ctx, q.sql, q.args...); err != nil {
					close(written)
					return err
				}
			}
			close(written)
			<-commit
			return nil
		})
	}()
	<-written
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		changed, err := matching.RunChangedIDs(ctx, c, keys)
		require.NoError(t, err)
		require.NotContains(t, changed, late, "not committed yet")
		return nil
	})
	close(commit)
	require.NoError(t, <-committed)
	require.NotContains(t, best(9), late)
	require.Contains(t, best(0), withdrawn, "consent given again")
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		changed, err := matching.RunChangedIDs(ctx, c, keys)
		require.NoError(t, err)
		require.Contains(t, changed, late)
		require.Equal(t, 2, matching.RunChangesRead(keys), "only what changed since the read before: %v", changed)
		return nil
	})
	compare("after a late commit")
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := matching.RunChangedIDs(ctx, c, keys)
		require.NoError(t, err)
		require.Zero(t, matching.RunChangesRead(keys), "nothing changed since")
		return nil
	})
	// After every kind of write above, the postings are the stored keys,
	// pair for pair (match_subjects' triggers).
	requirePostingsAreTheKeys(t, su, schema)
}
