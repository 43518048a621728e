package records_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestNameKeysOfAnOlderVersionAreRekeyed: records and traces whose name
// keys an older release wrote (names.KeysVersion 1 read بيتر as BTR only,
// never as Peter) are found by the new keys once the worker has started:
// its periodic job queues the tenant's rekey, which rewrites the keys and
// nothing else (data, version, history). Only the named system actor
// name_rekeyer may rekey. Real River, real PostgreSQL.
func TestNameKeysOfAnOlderVersionAreRekeyed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tt := newRecordsTenant(t, "role-rekey", []string{"cases:read", "cases:write", "tracing_requests:read", "tracing_requests:write"},
		"6f1c1f5e-3f6b-4b0e-9a55-0000000000b1")
	rs := records.New(tt.p, records.Config{Schemas: records.FormsSchemas(forms.New(tt.p, forms.Config{Locations: locations.New(tt.p)}))})
	create := func(recordType string, data records.Data) records.Record {
		t.Helper()
		r, _, err := rs.Create(tt.user, "ke", recordType, records.CreateInput{Body: data})
		require.NoError(t, err)
		return r
	}
	peter := create(records.TypeCase, records.Data{"name_first": "بيتر", "name_last": "Lual", "sex": "male", "registration_date": "2026-01-10"})
	paul := create(records.TypeCase, records.Data{"name_first": "Paul", "name_last": "Lual", "sex": "male", "registration_date": "2026-01-10"})
	tr := create(records.TypeTracingRequest, records.Data{"relation_name": "قرنق", "inquiry_date": "2026-02-01",
		records.TraceSubform: []any{map[string]any{"unique_id": "9d7a3c58-61c1-4d55-9a3c-2f0c7a6e0b01", "name_first": "بيتر", "sex": "male"}}})
	search := func(q string) []string {
		t.Helper()
		res, err := rs.List(tt.user, "ke", records.TypeCase, records.ListParams{Search: records.Search{Query: q, Phonetic: true}})
		require.NoError(t, err)
		var out []string
		for _, r := range res.Records {
			out = append(out, r.ID)
		}
		return out
	}
	type stored struct {
		keys    []string
		version int
		rev     int64
	}
	row := func(table, id string) stored {
		t.Helper()
		var s stored
		rev := "version"
		if table == "traces" {
			rev = "0::bigint"
		}
		require.NoError(t, tt.su.QueryRow(ctx, "select name_keys, name_keys_version, "+rev+" from tenant_ke."+table+" where id = $1", id).
			Scan(&s.keys, &s.version, &s.rev))
		return s
	}
	require.Equal(t, []string{peter.ID}, search("Peter"), "written with this release's keys")
	// As the release before wrote them: بيتر was BTR only, قرنق KRNK.
	for _, q := range []string{
		"update tenant_ke.records set name_keys = '{BTR,LL}', name_keys_version = 1 where id = '" + peter.ID + "'",
		"update tenant_ke.records set name_keys = '{KRNK}', name_keys_version = 1 where id = '" + tr.ID + "'",
		"update tenant_ke.traces set name_keys = '{BTR}', name_keys_version = 1 where id = '9d7a3c58-61c1-4d55-9a3c-2f0c7a6e0b01'",
	} {
		_, err := tt.su.Exec(ctx, q)
		require.NoError(t, err)
	}
	require.Empty(t, search("Peter"), "the old keys miss")
	before, trBefore := row("records", peter.ID), row("records", tr.ID)
	history := func(id string) int {
		t.Helper()
		var n int
		require.NoError(t, tt.su.QueryRow(ctx, "select count(*) from tenant_ke.record_history where record_id = $1", id).Scan(&n))
		return n
	}
	historyBefore := history(peter.ID)
	require.Equal(t, 1, historyBefore, "its creation")
	paulBefore := row("records", paul.ID)

	// Nobody but the rekeyer: not a user, not another system actor.
	_, err := rs.RekeyNames(tt.user, "ke", nil)
	require.ErrorIs(t, err, tenancy.ErrForbidden)
	_, err = rs.QueueRekeyNames(policy.WithSubject(ctx, policy.System(policy.ActorPhoneRewriter)), "ke")
	require.ErrorIs(t, err, tenancy.ErrForbidden)
	require.Empty(t, search("Peter"), "a refused rekey changes nothing")

	// one row a transaction: the rekey pages through each table
	t.Cleanup(records.SetRekeyBatch(1))
	client, err := jobs.NewClient(tt.db.Pool, tt.p, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	require.NoError(t, client.Start(ctx))
	t.Cleanup(func() {
		cancel()
		sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(sctx))
	})
	deadline := time.After(60 * time.Second)
	for done := false; !done; {
		select {
		case e := <-events:
			if e.Job.Kind != (records.RekeyNamesArgs{}).Kind() {
				continue
			}
			require.Equal(t, river.EventKindJobCompleted, e.Kind, "%v", e.Job.Errors)
			done = true
		case <-deadline:
			t.Fatal("the rekey did not finish within 60s of the worker's start")
		}
	}
	require.Equal(t, []string{peter.ID}, search("Peter"), "found by the new keys without being saved again")
	after := row("records", peter.ID)
	require.Equal(t, stored{keys: names.Keys("بيتر Lual"), version: names.KeysVersion, rev: before.rev}, after,
		"the keys change, the record's version does not")
	require.Equal(t, stored{keys: names.Keys("قرنق"), version: names.KeysVersion, rev: trBefore.rev}, row("records", tr.ID), "the inquirer's name")
	require.Equal(t, stored{keys: names.Keys("بيتر"), version: names.KeysVersion}, row("traces", "9d7a3c58-61c1-4d55-9a3c-2f0c7a6e0b01"),
		"the child sought")
	require.Equal(t, paulBefore, row("records", paul.ID), "a record of this release's keys is left alone")
	require.Equal(t, historyBefore, history(peter.ID), "no history entry: the record did not change")

	// Nothing stale is left: nothing more is queued, and a rekey rewrites nothing.
	rekeyer := policy.WithSubject(ctx, policy.System(policy.ActorNameRekeyer))
	queued, err := rs.QueueRekeyNames(rekeyer, "ke")
	require.NoError(t, err)
	require.False(t, queued)
	n, err := rs.RekeyNames(rekeyer, "ke", nil)
	require.NoError(t, err)
	require.Zero(t, n)
	_, err = rs.RekeyNames(rekeyer, "xx", nil)
	require.True(t, errors.Is(err, tenancy.ErrNotFound) || errors.Is(err, tenancy.ErrForbidden), err)
}

// TestBatchJobsReadInKeyOrder: each batch of the rekey and of the phone
// numbers' rewrite reads its rows in the order of the id column (the
// primary key's), never sorted by the selected id::text, which sorted every
// (stale) row of the tenant for each batch (session 50: the rekey at 327
// rows a second at 1,000,000 records, 6,461 in key order). EXPLAIN of the
// statements the jobs run.
func TestBatchJobsReadInKeyOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tt := newRecordsTenant(t, "role-rekey-plan", []string{"cases:read"}, "6f1c1f5e-3f6b-4b0e-9a55-0000000000ac")
	for name, sql := range records.BatchReads() {
		args := []any{names.KeysVersion + 1, "00000000-0000-0000-0000-000000000000", 1000}
		if name == "phones" {
			args = args[1:]
		}
		var plan []struct {
			Plan planNode `json:"Plan"`
		}
		var raw []byte
		tx, err := tt.su.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "set local search_path = tenant_ke")
		require.NoError(t, err)
		require.NoError(t, tx.QueryRow(ctx, "explain (format json) "+sql, args...).Scan(&raw), name)
		require.NoError(t, tx.Rollback(ctx))
		require.NoError(t, json.Unmarshal(raw, &plan), name)
		require.Len(t, plan, 1)
		plan[0].Plan.walk(func(n planNode) {
			for _, k := range n.SortKey {
				require.NotContains(t, k, "::text", "%s: a batch sorted by the text of its ids", name)
			}
		})
	}
}
