package records

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Name keys of an older version (docs/records.md, "Name keys of an older
// version"). A release whose phonetic keys differ (names.KeysVersion) leaves
// the keys stored before it as they were: a phonetic search would miss the
// records whose names the new keys join. RekeyNames recomputes them from
// each record's and trace's own names.

// RekeyNamesArgs is the River job that recomputes one tenant's name keys
// written under an older names.KeysVersion (RekeyNames). Unique per tenant
// while not finished.
type RekeyNamesArgs struct {
	Tenant string `json:"tenant"`
}

// Kind implements river.JobArgs.
func (RekeyNamesArgs) Kind() string { return "rekey_names" }

// InsertOpts makes the job unique per tenant among the jobs not finished.
func (RekeyNamesArgs) InsertOpts() river.InsertOpts { return uniqueUnfinished() }

// rekeyBatch is how many rows one transaction of RekeyNames rewrites (a
// variable for tests).
var rekeyBatch = 1000

// rekeyTables are the tables with name keys, and the SQL of the record type
// whose name fields make a row's keys (a trace's are the child's, NameFields).
var rekeyTables = []struct{ table, recordType string }{{"records", "record_type"}, {"traces", "''"}}

// QueueRekeyNames queues RekeyNames for tenant code when some of its name
// keys were written under an older names.KeysVersion, and reports whether it
// did (a job already queued is not queued twice). Only the named system
// actor name_rekeyer may.
func (s *Service) QueueRekeyNames(ctx context.Context, code string) (bool, error) {
	if err := s.p.Authorize(ctx, code, policy.PermNamesRekey); err != nil {
		return false, err
	}
	var stale bool
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, `select exists (select from records where name_keys_version < $1)
			or exists (select from traces where name_keys_version < $1)`, names.KeysVersion).Scan(&stale); err != nil || !stale {
			return err
		}
		return c.Enqueue(ctx, RekeyNamesArgs{Tenant: code}, nil)
	})
	return stale, err
}

// RekeyNames recomputes the name keys (and folded names) of tenant code's
// records and traces written under an older names.KeysVersion from their
// names, rekeyBatch rows a transaction, and returns how many it rewrote.
// progress (may be nil) gets the rows done and the total after each batch.
// Only the keys change: not the record's data, version or history. A row
// written meanwhile by this release is left alone; a run that fails is
// taken up again where the stale rows are. Only the named system actor
// name_rekeyer may.
func (s *Service) RekeyNames(ctx context.Context, code string, progress func(done, total int)) (int, error) {
	if err := s.p.Authorize(ctx, code, policy.PermNamesRekey); err != nil {
		return 0, err
	}
	total := 0
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		return c.QueryRow(ctx, `select (select count(*) from records where name_keys_version < $1)
			+ (select count(*) from traces where name_keys_version < $1)`, names.KeysVersion).Scan(&total)
	})
	if err != nil {
		return 0, err
	}
	done := 0
	for _, t := range rekeyTables {
		for after, more := "00000000-0000-0000-0000-000000000000", true; more; {
			var n int
			last := after
			err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
				var err error
				n, last, err = rekeyBatchOf(ctx, c, t.table, t.recordType, after)
				return err
			})
			if err != nil {
				return done, err
			}
			done, after, more = done+n, last, n == rekeyBatch
			if progress != nil {
				progress(done, max(total, done))
			}
		}
	}
	return done, nil
}

// rekeySelect reads and locks a batch of stale rows of table after an id
// ($1 the current keys version, $2 the id, $3 the batch's size), ordered by
// the column t.id, which the primary key reads in order. A bare "order by
// id" named the selected id::text: every stale row sorted as text for each
// batch, 2.6 s a batch at 1,000,000 records (docs/records.md "Name keys of
// an older version", session 50).
func rekeySelect(table, recordType string) string {
	return `select t.id::text, ` + recordType + `, t.data from ` + table + ` t
		where t.name_keys_version < $1 and t.id > $2::uuid order by t.id limit $3 for update`
}

// rekeyBatchOf rewrites the keys of up to rekeyBatch stale rows of table
// after id after (in id order), locked while it does, and returns how many
// and the last id.
func rekeyBatchOf(ctx context.Context, c *tenancy.Conn, table, recordType, after string) (int, string, error) {
	rows, err := c.Query(ctx, rekeySelect(table, recordType), names.KeysVersion, after, rekeyBatch)
	if err != nil {
		return 0, after, err
	}
	type row struct {
		id, recordType string
		data           map[string]any
	}
	read, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.recordType, &x.data)
	})
	if err != nil || len(read) == 0 {
		return 0, after, err
	}
	var ids, keys, folded []string
	for _, r := range read {
		fields := NameFields
		if table == "records" {
			fields = recordNameFields[r.recordType]
		}
		f, k := nameColumns(r.data, fields)
		ids, keys, folded = append(ids, r.id), append(keys, strings.Join(k, " ")), append(folded, f)
	}
	// Keys are upper-case ASCII: joined by spaces, split again in SQL.
	if _, err := c.Exec(ctx, `update `+table+` t set name_keys = string_to_array(x.keys, ' '), name_keys_version = $4,
			name_folded = x.folded
		from unnest($1::uuid[], $2::text[], $3::text[]) as x (id, keys, folded) where t.id = x.id`,
		ids, keys, folded, names.KeysVersion); err != nil {
		return 0, after, err
	}
	return len(ids), ids[len(ids)-1], nil
}
