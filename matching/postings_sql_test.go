package matching_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/tenancy"
)

// One statement that rewrites many cases' stored rows, as a run's
// preparation writes a chunk (migration 047: the postings kept by a
// statement trigger on transition tables), leaves the postings equal to the
// stored keys pair for pair, whatever each row's change: keys added and
// removed, keys swapped between two cases, keys emptied, keys reordered,
// values rewritten with the same keys. The postings of a row whose keys did
// not change are not written (the same row versions before and after).
func TestPostingsFollowAStatementOfManyRows(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st := seedSQLTenant(t, db, 400, 0)
	ctx := context.Background()
	su := db.Superuser(t)
	const schema = "tenant_" + "ke"

	// The rows in id order, numbered from 1; rows 53-102 change values
	// only, rows 113-132 have their keys reordered.
	untouched := `select count(*) from ` + schema + `.match_keys p join (select record_id, row_number() over (order by record_id) i
		from ` + schema + `.match_subjects) r on r.record_id = p.record_id where (r.i between 53 and 102 or r.i between 113 and 132)`
	versions := `select string_agg(p.key || p.record_id::text || p.xmin::text, ',' order by p.key, p.record_id) from ` + schema + `.match_keys p
		join (select record_id, row_number() over (order by record_id) i from ` + schema + `.match_subjects) r
		on r.record_id = p.record_id where (r.i between 53 and 102 or r.i between 113 and 132)`
	var before string
	var kept int
	require.NoError(t, su.QueryRow(ctx, untouched).Scan(&kept))
	require.Greater(t, kept, 70*5, "the untouched rows have postings")
	require.NoError(t, su.QueryRow(ctx, versions).Scan(&before))

	var updated int64
	st.tx(t, func(ctx context.Context, c *tenancy.Conn) error {
		tag, err := c.Exec(ctx, `with r as (select record_id, keys, row_number() over (order by record_id) i from match_subjects)
			update match_subjects s set
				keys = case
					when r.i <= 50 then r.keys[2:] || array['zz-added-' || r.i]
					when r.i = 51 then (select keys from r where i = 52)
					when r.i = 52 then (select keys from r where i = 51)
					when r.i between 103 and 112 then '{}'
					when r.i between 113 and 132 then array(select k from unnest(r.keys) k order by k desc)
					else s.keys end,
				fingerprint = s.fingerprint + 1
			from r where r.record_id = s.record_id and r.i <= 132`)
		updated = tag.RowsAffected()
		return err
	})
	require.EqualValues(t, 132, updated)

	requirePostingsAreTheKeys(t, su, schema)
	var emptied, added int
	require.NoError(t, su.QueryRow(ctx, `select (select count(*) from `+schema+`.match_subjects where keys = '{}'),
			(select count(*) from `+schema+`.match_keys where key like 'zz-added-%')`).Scan(&emptied, &added))
	require.GreaterOrEqual(t, emptied, 10)
	require.Equal(t, 50, added)
	var after string
	require.NoError(t, su.QueryRow(ctx, versions).Scan(&after))
	require.Equal(t, before, after, "the postings of rows whose keys did not change are not written")
}

// requirePostingsAreTheKeys fails unless the postings (match_keys) of the
// tenant's schema are its cases' stored keys (match_subjects.keys), pair
// for pair.
func requirePostingsAreTheKeys(t *testing.T, su *pgx.Conn, schema string) {
	t.Helper()
	var missing, extra int
	require.NoError(t, su.QueryRow(context.Background(), `select
			(select count(*) from (select k, s.record_id from `+schema+`.match_subjects s cross join unnest(s.keys) k
				except select key, record_id from `+schema+`.match_keys) a),
			(select count(*) from (select key, record_id from `+schema+`.match_keys
				except select k, s.record_id from `+schema+`.match_subjects s cross join unnest(s.keys) k) b)`).Scan(&missing, &extra))
	require.Equal(t, []int{0, 0}, []int{missing, extra}, "postings missing, postings of no stored key")
}
