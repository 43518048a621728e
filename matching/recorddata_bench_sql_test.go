package matching_test

import (
	"context"
	"flag"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/tenancy"
)

var (
	recordsCases = flag.Int("records.cases", 20_000, "BenchmarkReadRecordData: generated cases of its tenant")
	recordsPad   = flag.Int("records.pad", 150, "BenchmarkReadRecordData: fields of 64 characters that no comparison reads added to "+
		"each case record, as a register's other forms fill them (0: the generated records alone, about 640 bytes of JSON)")
	recordsWhole = flag.Bool("records.whole", false, "BenchmarkReadRecordData: read each record whole, as the matcher did before session 59")
)

// BenchmarkReadRecordData times the matcher's read of case records' data
// (matching.ForRecordsData: a request's stored candidates' values for
// reviewers, a run's pass over every case) on a tenant of -records.cases
// generated cases, each padded with -records.pad fields no comparison
// reads: 1,000 batches of 20 random cases a b.N, as a request's stored
// candidates. Reports the wall, Go's CPU and the server's CPU a record;
// figures, not assertions (docs/matching-log.md, Speed → Session 59).
func BenchmarkReadRecordData(b *testing.B) {
	db := testdb.New(b)
	st := seedSQLTenant(b, db, *recordsCases, 0)
	ctx := context.Background()
	su := db.Superuser(b)
	schema := tenancy.SchemaName(st.code)
	if *recordsPad > 0 {
		_, err := su.Exec(ctx, "set session_replication_role = replica") // no search or audit side tables here
		require.NoError(b, err)
		_, err = su.Exec(ctx, `update `+schema+`.records set data = data || (select jsonb_object_agg('note_' || i, repeat(md5(id::text || i), 2))
			from generate_series(1, $1::int) i) where record_type = 'case'`, *recordsPad)
		require.NoError(b, err)
		_, err = su.Exec(ctx, "set session_replication_role = origin")
		require.NoError(b, err)
		_, err = su.Exec(ctx, "vacuum analyze "+schema+".records")
		require.NoError(b, err)
	}
	var ids []string
	var text, stored int
	require.NoError(b, su.QueryRow(ctx, `select array_agg(id::text), avg(octet_length(data::text))::int, avg(pg_column_size(data))::int
		from `+schema+`.records where record_type = 'case'`).Scan(&ids, &text, &stored))
	b.Logf("%d case records of %d bytes of JSON, %d stored, on average; whole: %v", len(ids), text, stored, *recordsWhole)

	read := func(ctx context.Context, c *tenancy.Conn, batch []string, fn func(string, map[string]any)) error {
		if !*recordsWhole {
			return matching.ForRecordsData(ctx, c, st.m, batch, fn)
		}
		rows, err := c.Query(ctx, "select id::text, data from records where id = any($1::uuid[])", batch)
		if err != nil {
			return err
		}
		var id string
		var data map[string]any
		_, err = pgx.ForEachRow(rows, []any{&id, &data}, func() error {
			fn(id, data)
			data = nil
			return nil
		})
		return err
	}
	const batches, perBatch = 1000, 20
	rng := rand.New(rand.NewPCG(59, 1))
	postmaster := postmasterPID(b, su)
	var wall, goCPU, pgCPU time.Duration
	keys := 0
	b.ResetTimer()
	for range b.N {
		start, go0, pg0 := time.Now(), processCPU(), postgresCPU(b, postmaster)
		st.tx(b, func(ctx context.Context, c *tenancy.Conn) error {
			for range batches {
				batch := make([]string, perBatch)
				for i := range batch {
					batch[i] = ids[rng.IntN(len(ids))]
				}
				if err := read(ctx, c, batch, func(_ string, data map[string]any) { keys += len(data) }); err != nil {
					return err
				}
			}
			return nil
		})
		wall += time.Since(start)
		goCPU += processCPU() - go0
		pgCPU += postgresCPU(b, postmaster) - pg0
	}
	b.StopTimer()
	records := float64(b.N * batches * perBatch)
	b.ReportMetric(float64(wall.Microseconds())/records, "wall-µs/record")
	b.ReportMetric(float64(goCPU.Microseconds())/records, "go-cpu-µs/record")
	b.ReportMetric(float64(pgCPU.Microseconds())/records, "pg-cpu-µs/record")
	b.ReportMetric(float64(keys)/records, "keys/record")
}
