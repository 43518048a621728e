package records_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestSyncMissesNoLateCommit: a write whose transaction is still open while
// a sync reads (two real connections: the write holds its transaction in
// the OnWrite hook) stamps its record with its transaction's start. Sync
// pages end before the oldest open transaction's start, so a record written
// and committed after that start is not synced yet either; once the late
// write commits, a sync resumed from the last record seen gets both. Without
// the bound the first sync would return the later record and the resumed one
// would start after it, missing the late write for good.
func TestSyncMissesNoLateCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tt := newRecordsTenant(t, "role-sync", []string{"cases:read", "cases:write"}, "6f1c1f5e-3f6b-4b0e-9a55-0000000000ab")
	p, user := tt.p, tt.user

	// Three cases written an hour ago.
	su := tt.su
	ids := map[string]string{}
	for i, name := range []string{"a", "b", "c"} {
		var id string
		require.NoError(t, su.QueryRow(ctx, `insert into tenant_ke.records (id, record_type, short_id, module_id, data, created_by,
				updated_by, create_digest, created_at, updated_at)
			values (gen_random_uuid(), 'case', $1, 'primeromodule-cp', jsonb_build_object('name_first', $2::text), 'test', 'test',
				sha256(convert_to($2, 'UTF8')), now() - $3 * interval '1 minute', now() - $3 * interval '1 minute')
			returning id::text`, "sync00"+name, name, 60-i).Scan(&id))
		ids[name] = id
	}

	entered, release := make(chan struct{}), make(chan struct{})
	hold := ids["a"]
	rs := records.New(p, records.Config{OnWrite: func(ctx context.Context, c *tenancy.Conn, w records.Written) error {
		if w.ID == hold {
			close(entered)
			<-release // the write's transaction stays open until the test lets it commit
		}
		return nil
	}})
	update := func(id string) (records.Record, error) {
		return rs.Update(user, "ke", records.TypeCase, records.UpdateInput{ID: id, IfMatch: []int64{1},
			Body: records.Data{"name_nickname": "changed"}})
	}
	late := make(chan error, 1)
	go func() {
		_, err := update(hold)
		late <- err
	}()
	select {
	case <-entered:
	case err := <-late:
		t.Fatalf("the held write ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the held write did not reach its hook within 30s")
	}
	// A write that starts after the held one and commits first.
	b, err := update(ids["b"])
	require.NoError(t, err)

	// sync reads every page (one record each) from since, following cursors.
	sync := func(since time.Time) (seen []string, last time.Time) {
		t.Helper()
		lp := records.ListParams{Per: 1, OrderBy: "updated_at", Order: "asc", UpdatedSince: since}
		for {
			res, err := rs.List(user, "ke", records.TypeCase, lp)
			require.NoError(t, err)
			for _, r := range res.Records {
				seen = append(seen, r.Data["name_first"].(string)+"@"+nick(r))
				last = r.UpdatedAt
			}
			if res.Cursor == "" {
				return seen, last
			}
			lp = records.ListParams{Per: 1, Cursor: res.Cursor, UpdatedSince: since}
		}
	}
	first, last := sync(time.Time{})
	require.Equal(t, []string{"a@", "c@"}, first,
		"a as it was (its change is not committed), c; b's change started after a's open write: not yet")
	close(release)
	require.NoError(t, <-late)

	again, _ := sync(last)
	require.Equal(t, []string{"c@", "a@changed", "b@changed"}, again, "the late write comes, then the one after it")
	require.True(t, b.UpdatedAt.After(last))
}

func nick(r records.Record) string {
	s, _ := r.Data["name_nickname"].(string)
	return s
}
