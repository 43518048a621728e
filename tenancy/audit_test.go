package tenancy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

const caseID = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f"

func asUser(ctx context.Context, id string) context.Context {
	return policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: id})
}

// writeAudit commits one transaction writing entries.
func writeAudit(ctx context.Context, t testing.TB, p *tenancy.Platform, code string, entries ...tenancy.AuditEntry) {
	t.Helper()
	require.NoError(t, p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		for _, e := range entries {
			if err := c.Audit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}))
}

func readEntry(i int) tenancy.AuditEntry {
	return tenancy.AuditEntry{Action: "cases:read", Operation: "getCase", RecordType: "case", RecordID: caseID,
		Outcome: tenancy.OutcomeAllowed, RemoteIP: "192.0.2.7", RequestID: fmt.Sprintf("req-%d", i)}
}

// asAuditor acts as the named system actor allowed to read audit logs.
func asAuditor(ctx context.Context) context.Context {
	return policy.WithSubject(ctx, policy.System(policy.ActorAuditor))
}

// allAuditLogs lists a tenant's whole log, oldest first.
func allAuditLogs(ctx context.Context, t *testing.T, p *tenancy.Platform, code string) []tenancy.AuditLog {
	t.Helper()
	logs, total, err := p.ListAuditLogs(asAuditor(ctx), code, tenancy.AuditFilter{Per: tenancy.AuditPerMax})
	require.NoError(t, err)
	require.Len(t, logs, total)
	slices.Reverse(logs)
	return logs
}

func requireIntact(ctx context.Context, t *testing.T, p *tenancy.Platform, code string, rows int64) tenancy.AuditReport {
	t.Helper()
	rep, err := p.VerifyAudit(ctx, code)
	require.NoError(t, err)
	require.True(t, rep.Intact, "%+v", rep)
	require.Equal(t, rows, rep.Rows)
	return rep
}

func requireBroken(ctx context.Context, t *testing.T, p *tenancy.Platform, code string, at int64, problem string) {
	t.Helper()
	rep, err := p.VerifyAudit(ctx, code)
	require.NoError(t, err)
	require.False(t, rep.Intact, "%+v", rep)
	require.Equal(t, at, rep.BrokenAt, rep.Problem)
	require.Equal(t, at-1, rep.Rows, "rows before the break are intact")
	require.Contains(t, rep.Problem, problem)
}

// tamper runs sql as a superuser with triggers off (session_replication_role
// = replica), as someone hiding their tracks would have to.
func tamper(ctx context.Context, t *testing.T, su *pgx.Conn, sql string, args ...any) {
	t.Helper()
	require.NoError(t, pgx.BeginFunc(ctx, su, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "set local session_replication_role = replica"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sql, args...)
		return err
	}))
}

func TestAudit(t *testing.T) {
	t.Parallel()

	t.Run("ClientCannotChooseChainFields", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		start := time.Now()
		require.NoError(t, b.p.Tx(asUser(ctx, "u1"), "aa", func(ctx context.Context, c *tenancy.Conn) error {
			// Raw SQL, two rows in one statement, trying to choose everything the trigger owns.
			_, err := c.Exec(ctx, `insert into audit_logs (id, occurred_at, actor, action, outcome, prev_hash, hash) values
				(99, '1999-01-01', 'user:someone-else', 'cases:read', 'allowed', '\x01', '\x02'),
				(98, '1999-01-01', 'user:someone-else', 'cases:write', 'allowed', null, '\x03')`)
			return err
		}))
		logs := allAuditLogs(ctx, t, b.p, "aa")
		require.Len(t, logs, 2)
		for i, l := range logs {
			require.Equal(t, int64(i+1), l.ID)
			require.Equal(t, "user:u1", l.Actor)
			require.WithinDuration(t, start, l.OccurredAt, time.Minute)
			require.Len(t, l.Hash, 64)
		}
		require.Empty(t, logs[0].PrevHash)
		require.Equal(t, logs[0].Hash, logs[1].PrevHash)
		requireIntact(ctx, t, b.p, "aa", 2)
	})

	t.Run("ConcurrentWritersKeepOneChain", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		cfg, err := pgxpool.ParseConfig(b.db.URL)
		require.NoError(t, err)
		cfg.MaxConns = 16
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		require.NoError(t, err)
		defer pool.Close()
		p, err := tenancy.New(pool, tenancy.Config{RolePrefix: b.db.RolePrefix, Logger: quiet})
		require.NoError(t, err)

		const workers, perWorker = 16, 25
		var committed atomic.Int64
		errs := make(chan error, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range perWorker {
					n := 1 + i%2 // one or two rows per transaction
					rollback := (w+i)%5 == 0
					err := p.Tx(asUser(ctx, fmt.Sprintf("w%d", w)), "aa", func(ctx context.Context, c *tenancy.Conn) error {
						for range n {
							if err := c.Audit(ctx, readEntry(i)); err != nil {
								return err
							}
						}
						if rollback {
							return errRollback
						}
						return nil
					})
					if rollback && errors.Is(err, errRollback) {
						continue
					}
					if err != nil {
						errs <- err
						return
					}
					committed.Add(int64(n))
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.Positive(t, committed.Load())
		requireIntact(ctx, t, b.p, "aa", committed.Load())
		_, total, err := b.p.ListAuditLogs(asAuditor(ctx), "aa", tenancy.AuditFilter{})
		require.NoError(t, err)
		require.Equal(t, committed.Load(), int64(total), "one row per Audit call of each committed transaction")
	})

	t.Run("InvalidEntriesAreRejected", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		ok := readEntry(0)
		with := func(f func(e *tenancy.AuditEntry)) tenancy.AuditEntry { e := ok; f(&e); return e }
		cases := []struct {
			name  string
			entry tenancy.AuditEntry
			field string
		}{
			{"NoAction", with(func(e *tenancy.AuditEntry) { e.Action = "" }), "action"},
			{"LongAction", with(func(e *tenancy.AuditEntry) { e.Action = string(make([]byte, 201)) }), "action"},
			{"NoOutcome", with(func(e *tenancy.AuditEntry) { e.Outcome = "" }), "outcome"},
			{"BadOutcome", with(func(e *tenancy.AuditEntry) { e.Outcome = "maybe" }), "outcome"},
			{"BadRecordID", with(func(e *tenancy.AuditEntry) { e.RecordID = "42" }), "record_id"},
			{"RecordIDWithoutType", with(func(e *tenancy.AuditEntry) { e.RecordType = "" }), "record_type"},
			{"BadIP", with(func(e *tenancy.AuditEntry) { e.RemoteIP = "localhost" }), "remote_ip"},
			{"BadMetadata", with(func(e *tenancy.AuditEntry) { e.Metadata = map[string]any{"f": func() {}} }), "metadata"},
			{"HugeMetadata", with(func(e *tenancy.AuditEntry) {
				e.Metadata = map[string]any{"x": string(make([]byte, tenancy.AuditMetadataMax))}
			}), "metadata"},
		}
		for _, tc := range cases {
			err := b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error { return c.Audit(ctx, tc.entry) })
			var ie *tenancy.InvalidError
			require.ErrorAs(t, err, &ie, tc.name)
			require.Equal(t, tc.field, ie.Field, tc.name)
		}
		requireIntact(ctx, t, b.p, "aa", 0)
	})

	t.Run("OneRowPerCallWithTheTransactionsActor", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		e := readEntry(1)
		e.RecordID = "6F1C2A4E-8B3D-4C5E-9F70-1A2B3C4D5E6F"
		e.RemoteIP = "[2001:db8::7]:443"
		e.UserAgent = "Mozilla/5.0 \xff\x00" + strings.Repeat("é", 300)
		e.Metadata = map[string]any{"fields": []string{"name", "age"}, "version": 3}
		writeAudit(asUser(ctx, "u1"), t, b.p, "aa", e,
			tenancy.AuditEntry{Action: "cases:write", Outcome: tenancy.OutcomeFailed})
		writeAudit(asUser(ctx, "u2"), t, b.p, "aa", tenancy.AuditEntry{Action: "cases:read", Outcome: tenancy.OutcomeDenied})

		logs := allAuditLogs(ctx, t, b.p, "aa")
		require.Len(t, logs, 3)
		got := logs[0]
		require.Equal(t, int64(1), got.ID)
		require.Equal(t, "user:u1", got.Actor)
		require.Equal(t, "cases:read", got.Action)
		require.Equal(t, "getCase", got.Operation)
		require.Equal(t, "case", got.RecordType)
		require.Equal(t, caseID, got.RecordID)
		require.Equal(t, tenancy.OutcomeAllowed, got.Outcome)
		require.Equal(t, "2001:db8::7", got.RemoteIP)
		require.Equal(t, "req-1", got.RequestID)
		require.Len(t, got.UserAgent, tenancy.AuditUserAgentMax-1, "truncated at a character boundary")
		require.Contains(t, got.UserAgent, "Mozilla/5.0 \uFFFD")
		require.Equal(t, map[string]any{"fields": []any{"name", "age"}, "version": float64(3)}, got.Metadata)
		require.Equal(t, tenancy.AuditLog{ID: 2, Actor: "user:u1", Action: "cases:write", Outcome: tenancy.OutcomeFailed,
			Metadata: map[string]any{}, PrevHash: logs[0].Hash},
			tenancy.AuditLog{ID: logs[1].ID, Actor: logs[1].Actor, Action: logs[1].Action, Outcome: logs[1].Outcome,
				Metadata: logs[1].Metadata, PrevHash: logs[1].PrevHash})
		require.Equal(t, "user:u2", logs[2].Actor)
		require.Equal(t, tenancy.OutcomeDenied, logs[2].Outcome)
		require.False(t, logs[1].OccurredAt.Before(logs[0].OccurredAt))

		var m map[string]any
		raw, err := json.Marshal(got)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &m))
		for _, k := range []string{"id", "occurred_at", "actor", "action", "operation", "record_type", "record_id",
			"outcome", "remote_ip", "user_agent", "request_id", "metadata", "hash"} {
			require.Contains(t, m, k)
		}
		require.NotContains(t, m, "prev_hash", "row 1 has no predecessor")
		require.Regexp(t, `^[0-9a-f]{64}$`, m["hash"])
		requireIntact(ctx, t, b.p, "aa", 3)
	})

	t.Run("RolledBackTransactionLeavesNoRow", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		writeAudit(ctx, t, b.p, "aa", readEntry(1))
		err := b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
			if err := c.Audit(ctx, readEntry(2)); err != nil {
				return err
			}
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		requireIntact(ctx, t, b.p, "aa", 1)
		writeAudit(ctx, t, b.p, "aa", readEntry(3))
		logs := allAuditLogs(ctx, t, b.p, "aa")
		require.Equal(t, []int64{1, 2}, []int64{logs[0].ID, logs[1].ID}, "no gap where the rollback was")
		require.Equal(t, "req-3", logs[1].RequestID)
		requireIntact(ctx, t, b.p, "aa", 2)
	})

	t.Run("SecondWriterWaitsForTheFirstToCommit", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		provisioned(ctx, t, b.p, "bb", "Country B")
		first := make(chan struct{})
		release := make(chan struct{})
		var once sync.Once
		unblock := func() { once.Do(func() { close(release) }) }
		t.Cleanup(unblock) // if the test fails early, before the pool is closed
		done := make(chan error, 1)
		go func() {
			done <- b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
				if err := c.Audit(ctx, readEntry(1)); err != nil {
					close(first)
					return err
				}
				close(first)
				<-release
				return nil
			})
		}()
		<-first
		// While the first transaction is open, a second writer of the same tenant waits
		// (and gives up after lock_timeout); another tenant's writer does not.
		err := b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
			if _, err := c.Exec(ctx, "set local lock_timeout = '20ms'"); err != nil {
				return err
			}
			return c.Audit(ctx, readEntry(2))
		})
		requirePgCode(t, err, "55P03") // lock_not_available
		var pe *pgconn.PgError
		require.ErrorAs(t, err, &pe)
		require.Contains(t, pe.Where, "pg_advisory_xact_lock", "it waits for the chain lock, not for a row")
		require.NoError(t, b.p.Tx(ctx, "bb", func(ctx context.Context, c *tenancy.Conn) error {
			if _, err := c.Exec(ctx, "set local lock_timeout = '20ms'"); err != nil {
				return err
			}
			return c.Audit(ctx, readEntry(2))
		}))
		unblock()
		require.NoError(t, <-done)
		writeAudit(ctx, t, b.p, "aa", readEntry(3))
		logs := allAuditLogs(ctx, t, b.p, "aa")
		require.Len(t, logs, 2)
		require.Equal(t, logs[0].Hash, logs[1].PrevHash)
		requireIntact(ctx, t, b.p, "aa", 2)
	})

	t.Run("TenantRoleCannotRewriteTheLog", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		writeAudit(ctx, t, b.p, "aa", readEntry(1), readEntry(2))
		for _, q := range []string{
			"update audit_logs set action = 'cases:delete'",
			"delete from audit_logs where id = 1",
			"truncate audit_logs",
			"alter table audit_logs disable trigger audit_logs_chain",
			"drop trigger audit_logs_chain on audit_logs",
			"create or replace function audit_logs_hash(r audit_logs) returns bytea language sql as 'select null::bytea'",
			"set local session_replication_role = replica",
		} {
			err := b.p.Tx(ctx, "aa", func(ctx context.Context, c *tenancy.Conn) error { _, err := c.Exec(ctx, q); return err })
			requirePgCode(t, err, insufficientPrivilege)
		}
		// Even the table's owner (the role migrations run as) cannot, and a
		// superuser has to switch the triggers off.
		su := b.db.Superuser(t)
		_, err := su.Exec(ctx, "update tenant_aa.audit_logs set action = 'cases:delete'")
		require.ErrorContains(t, err, "append-only")
		requireIntact(ctx, t, b.p, "aa", 2)
	})
}

var (
	errRollback = errors.New("rolled back on purpose")
	quiet       = slog.New(slog.DiscardHandler)
)

func TestVerifyAudit(t *testing.T) {
	t.Parallel()

	// setupLog provisions tenant aa with n audit rows.
	setupLog := func(t *testing.T, n int) (context.Context, *testBundle, *pgx.Conn) {
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		for i := range n {
			e := readEntry(i + 1)
			e.Metadata = map[string]any{"i": i + 1}
			writeAudit(asUser(ctx, fmt.Sprintf("u%d", i%2)), t, b.p, "aa", e)
		}
		return ctx, b, b.db.Superuser(t)
	}

	t.Run("AnchorDetectsRewritesAndTruncation", func(t *testing.T) {
		t.Parallel()
		ctx, b, su := setupLog(t, 5)
		rep := requireIntact(ctx, t, b.p, "aa", 5)
		anchor5, err := tenancy.ParseAuditAnchor(fmt.Sprintf("%d:%s", rep.Rows, rep.LastHash))
		require.NoError(t, err)
		anchor4 := tenancy.AuditAnchor{ID: 4, Hash: anchorHash(ctx, t, su, 4)}
		for _, a := range []tenancy.AuditAnchor{anchor4, anchor5} {
			rep, err = b.p.VerifyAuditAnchor(ctx, "aa", a)
			require.NoError(t, err)
			require.True(t, rep.Intact, rep.Problem)
		}

		// Removing the last row leaves a consistent chain: only the anchor tells.
		tamper(ctx, t, su, "delete from tenant_aa.audit_logs where id = 5")
		requireIntact(ctx, t, b.p, "aa", 4)
		rep, err = b.p.VerifyAuditAnchor(ctx, "aa", anchor5)
		require.NoError(t, err)
		require.False(t, rep.Intact)
		require.Equal(t, int64(5), rep.BrokenAt)
		require.Contains(t, rep.Problem, "removed from the end")

		// Rewriting a row and every hash after it, consistently: only the anchor tells.
		tamper(ctx, t, su, `do $$ declare r tenant_aa.audit_logs; prev bytea; begin
			for r in select * from tenant_aa.audit_logs order by id loop
				if r.id = 2 then r.action := 'cases:nothing'; end if;
				r.prev_hash := prev; r.hash := tenant_aa.audit_logs_hash(r); prev := r.hash;
				update tenant_aa.audit_logs set action = r.action, prev_hash = r.prev_hash, hash = r.hash where id = r.id;
			end loop; end $$`)
		requireIntact(ctx, t, b.p, "aa", 4)
		rep, err = b.p.VerifyAuditAnchor(ctx, "aa", anchor4)
		require.NoError(t, err)
		require.False(t, rep.Intact)
		require.Equal(t, int64(4), rep.BrokenAt)
		require.Contains(t, rep.Problem, "differs from the anchor")

		for _, bad := range []string{"4:abc", "0:" + anchor4.Hash, anchor4.Hash, "x:" + anchor4.Hash} {
			_, err = tenancy.ParseAuditAnchor(bad)
			var ie *tenancy.InvalidError
			require.ErrorAs(t, err, &ie, bad)
		}
	})

	t.Run("DeletedFirstRowIsReported", func(t *testing.T) {
		t.Parallel()
		ctx, b, su := setupLog(t, 3)
		tamper(ctx, t, su, "delete from tenant_aa.audit_logs where id = 1")
		requireBroken(ctx, t, b.p, "aa", 1, "row 1 is missing")
	})

	t.Run("DeletedMiddleRowsAreReported", func(t *testing.T) {
		t.Parallel()
		ctx, b, su := setupLog(t, 6)
		tamper(ctx, t, su, "delete from tenant_aa.audit_logs where id = 3")
		requireBroken(ctx, t, b.p, "aa", 3, "row 3 is missing")
		tamper(ctx, t, su, "delete from tenant_aa.audit_logs where id = 4")
		requireBroken(ctx, t, b.p, "aa", 3, "rows 3 to 4 are missing")
		// Closing the gap by renumbering breaks the link instead.
		tamper(ctx, t, su, "update tenant_aa.audit_logs set id = id - 2 where id > 4")
		requireBroken(ctx, t, b.p, "aa", 3, "prev_hash does not match the hash of row 2")
	})

	t.Run("EditedFieldIsReported", func(t *testing.T) {
		t.Parallel()
		ctx, b, su := setupLog(t, 5)
		// Every field is covered by the hash: change each in turn, then put it back.
		for _, col := range []struct{ name, set string }{
			{"occurred_at", "occurred_at + interval '1 microsecond'"},
			{"actor", "'user:someone-else'"},
			{"action", "'cases:delete'"},
			{"operation", "null"},
			{"record_type", "'incident'"},
			{"record_id", "gen_random_uuid()"},
			{"outcome", "'denied'"},
			{"remote_ip", "'192.0.2.8'"},
			{"user_agent", "'curl'"},
			{"request_id", "'req-x'"},
			{"metadata", `'{"i": 3.0}'`},
			{"prev_hash", "sha256('x')"},
			{"hash", "sha256('x')"},
		} {
			tamper(ctx, t, su, "create temporary table saved as select * from tenant_aa.audit_logs where id = 3")
			tamper(ctx, t, su, fmt.Sprintf("update tenant_aa.audit_logs set %s = %s where id = 3", col.name, col.set))
			problem := "the row was altered"
			if col.name == "prev_hash" {
				problem = "prev_hash does not match the hash of row 2"
			}
			if col.name == "hash" {
				problem = "hash does not match"
			}
			requireBroken(ctx, t, b.p, "aa", 3, problem)
			tamper(ctx, t, su, fmt.Sprintf("update tenant_aa.audit_logs a set %[1]s = s.%[1]s from saved s where a.id = 3", col.name))
			tamper(ctx, t, su, "drop table saved")
			requireIntact(ctx, t, b.p, "aa", 5)
		}
		// Rewriting the row's hash to match the edit moves the break to the next link.
		tamper(ctx, t, su, `update tenant_aa.audit_logs a set action = 'cases:delete' where id = 3;
			update tenant_aa.audit_logs a set hash = tenant_aa.audit_logs_hash(a) where id = 3`)
		requireBroken(ctx, t, b.p, "aa", 4, "prev_hash does not match the hash of row 3")
	})

	t.Run("EmptyLogIsIntact", func(t *testing.T) {
		t.Parallel()
		ctx, b, _ := setupLog(t, 0)
		rep := requireIntact(ctx, t, b.p, "aa", 0)
		require.Equal(t, tenancy.AuditReport{Tenant: "aa", Intact: true}, rep)
	})

	t.Run("MigrationChainsExistingRows", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		_, err := b.p.Create(ctx, tenancy.CreateParams{Code: "old", Name: "Old", Locales: []string{"en"}})
		require.NoError(t, err)
		require.NoError(t, b.p.ProvisionAt(ctx, "old", 2)) // audit_logs without the chain
		insert := func(action string, rollback bool) {
			err := b.p.Tx(ctx, "old", func(ctx context.Context, c *tenancy.Conn) error {
				_, err := c.Exec(ctx, "insert into audit_logs (actor, action, outcome) values ('user:1', $1, 'allowed')", action)
				if err == nil && rollback {
					err = errRollback
				}
				return err
			})
			if !rollback {
				require.NoError(t, err)
			}
		}
		insert("first", false)
		insert("lost", true) // leaves an identity gap
		insert("second", false)
		insert("third", false)
		rep, err := b.p.MigrateTenants(ctx, tenancy.MigrateOptions{})
		require.NoError(t, err)
		require.Equal(t, 1, rep.Migrated)
		requireIntact(ctx, t, b.p, "old", 3)
		writeAudit(ctx, t, b.p, "old", readEntry(4))
		logs := allAuditLogs(ctx, t, b.p, "old")
		var got []string
		for _, l := range logs {
			got = append(got, fmt.Sprintf("%d %s", l.ID, l.Action))
		}
		require.Equal(t, []string{"1 first", "2 second", "3 third", "4 cases:read"}, got)
		requireIntact(ctx, t, b.p, "old", 4)
	})

	t.Run("SwappedRowsAreReported", func(t *testing.T) {
		t.Parallel()
		ctx, b, su := setupLog(t, 5)
		swap := func(cols string) {
			tamper(ctx, t, su, fmt.Sprintf(`update tenant_aa.audit_logs a set (%[1]s) = (select %[1]s from tenant_aa.audit_logs o where o.id = 5 - a.id)
				where a.id in (2, 3)`, cols))
		}
		content := "occurred_at, actor, action, operation, record_type, record_id, outcome, remote_ip, user_agent, request_id, metadata"
		swap(content) // contents only: hashes no longer match
		requireBroken(ctx, t, b.p, "aa", 2, "the row was altered")
		swap(content)
		requireIntact(ctx, t, b.p, "aa", 5)
		swap(content + ", prev_hash, hash") // whole rows: the links no longer match
		requireBroken(ctx, t, b.p, "aa", 2, "prev_hash does not match the hash of row 1")
	})

	t.Run("UnknownTenant", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		_, err := b.p.VerifyAudit(ctx, "zz")
		require.ErrorIs(t, err, tenancy.ErrNotFound)
	})
}

func anchorHash(ctx context.Context, t *testing.T, su *pgx.Conn, id int64) string {
	t.Helper()
	var h string
	require.NoError(t, su.QueryRow(ctx, "select encode(hash, 'hex') from tenant_aa.audit_logs where id = $1", id).Scan(&h))
	return h
}

func TestListAuditLogs(t *testing.T) {
	t.Parallel()

	t.Run("BadFiltersAreRejected", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		now := time.Now()
		for _, tc := range []struct {
			name   string
			filter tenancy.AuditFilter
			field  string
		}{
			{"NegativePage", tenancy.AuditFilter{Page: -1}, "page"},
			{"NegativePer", tenancy.AuditFilter{Per: -1}, "per"},
			{"PerTooLarge", tenancy.AuditFilter{Per: tenancy.AuditPerMax + 1}, "per"},
			{"Outcome", tenancy.AuditFilter{Outcome: "maybe"}, "outcome"},
			{"RecordID", tenancy.AuditFilter{RecordID: "case-1"}, "record_id"},
			{"ToBeforeFrom", tenancy.AuditFilter{From: now, To: now.Add(-time.Second)}, "to"},
			{"ToEqualsFrom", tenancy.AuditFilter{From: now, To: now}, "to"},
			{"Actor", tenancy.AuditFilter{Actor: "user:\x00"}, "actor"},
			{"Action", tenancy.AuditFilter{Action: string(make([]byte, 300))}, "action"},
		} {
			_, _, err := b.p.ListAuditLogs(asAuditor(ctx), "aa", tc.filter)
			var ie *tenancy.InvalidError
			require.ErrorAs(t, err, &ie, tc.name)
			require.Equal(t, tc.field, ie.Field, tc.name)
			require.Equal(t, "query", ie.In, tc.name)
		}
		_, _, err := b.p.ListAuditLogs(context.Background(), "aa", tenancy.AuditFilter{})
		require.ErrorIs(t, err, policy.ErrNoActor)
	})

	t.Run("FiltersAndTotalsAreExact", func(t *testing.T) {
		t.Parallel()
		ctx, b := setup(t)
		provisioned(ctx, t, b.p, "aa", "Country A")
		records := []string{caseID, "7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", "8b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e"}
		for i := range 30 {
			e := tenancy.AuditEntry{Action: []string{"cases:read", "cases:write"}[i%2], RecordType: "case",
				RecordID: records[i%3], Outcome: tenancy.OutcomeAllowed}
			if i%7 == 0 {
				e.Outcome = tenancy.OutcomeDenied
			}
			actor := "a"
			if i%5 >= 2 {
				actor = "b" // 18 rows
			}
			writeAudit(asUser(ctx, actor), t, b.p, "aa", e)
		}
		all := allAuditLogs(ctx, t, b.p, "aa")
		require.Len(t, all, 30)
		// expect lists the ids of the rows matching keep, newest first.
		expect := func(keep func(l tenancy.AuditLog) bool) []int64 {
			var ids []int64
			for _, l := range slices.Backward(all) {
				if keep(l) {
					ids = append(ids, l.ID)
				}
			}
			return ids
		}
		list := func(f tenancy.AuditFilter) ([]int64, int) {
			logs, total, err := b.p.ListAuditLogs(asAuditor(ctx), "aa", f)
			require.NoError(t, err)
			ids := []int64{}
			for _, l := range logs {
				ids = append(ids, l.ID)
			}
			return ids, total
		}
		page := func(ids []int64, page, per int) []int64 {
			lo, hi := min((page-1)*per, len(ids)), min(page*per, len(ids))
			return append([]int64{}, ids[lo:hi]...)
		}

		ids, total := list(tenancy.AuditFilter{Per: 10})
		require.Equal(t, 30, total)
		require.Equal(t, []int64{30, 29, 28, 27, 26, 25, 24, 23, 22, 21}, ids, "newest first")

		byB := expect(func(l tenancy.AuditLog) bool { return l.Actor == "user:b" })
		require.Len(t, byB, 18)
		ids, total = list(tenancy.AuditFilter{Actor: "user:b", Page: 2, Per: 10})
		require.Equal(t, 18, total)
		require.Equal(t, page(byB, 2, 10), ids)

		from, to := all[9].OccurredAt, all[19].OccurredAt
		inRange := expect(func(l tenancy.AuditLog) bool { return !l.OccurredAt.Before(from) && l.OccurredAt.Before(to) })
		require.NotEmpty(t, inRange)
		ids, total = list(tenancy.AuditFilter{From: from, To: to})
		require.Equal(t, len(inRange), total)
		require.Equal(t, inRange, ids)
		ids, total = list(tenancy.AuditFilter{From: from, To: to, Page: 2, Per: 4})
		require.Equal(t, len(inRange), total)
		require.Equal(t, page(inRange, 2, 4), ids)
		ids, total = list(tenancy.AuditFilter{From: all[29].OccurredAt.Add(time.Microsecond)})
		require.Equal(t, 0, total)
		require.Empty(t, ids)

		combined := expect(func(l tenancy.AuditLog) bool {
			return l.Action == "cases:write" && l.RecordID == records[1] && l.Outcome == tenancy.OutcomeAllowed && l.Actor == "user:a"
		})
		require.NotEmpty(t, combined)
		ids, total = list(tenancy.AuditFilter{Action: "cases:write", RecordType: "case", RecordID: records[1],
			Outcome: tenancy.OutcomeAllowed, Actor: "user:a"})
		require.Equal(t, len(combined), total)
		require.Equal(t, combined, ids)

		denied := expect(func(l tenancy.AuditLog) bool { return l.Outcome == tenancy.OutcomeDenied })
		ids, total = list(tenancy.AuditFilter{Outcome: tenancy.OutcomeDenied})
		require.Equal(t, len(denied), total)
		require.Equal(t, denied, ids)

		ids, total = list(tenancy.AuditFilter{Page: 4, Per: 10})
		require.Equal(t, 30, total, "a page past the end still has the exact total")
		require.Empty(t, ids)
		ids, total = list(tenancy.AuditFilter{Actor: "user:nobody"})
		require.Equal(t, 0, total)
		require.Empty(t, ids)
	})
}

// BenchmarkAudit measures a tenant transaction that writes one audit row:
// serially, in parallel on one tenant (the writers queue on the tenant's
// chain lock), and in parallel over 8 tenants (which do not wait for each
// other). TxOnly is the same transaction without the audit row, and
// TxWriteOtherTable one that writes a row elsewhere instead: the baselines.
func BenchmarkAudit(b *testing.B) {
	ctx, db, _ := benchSetup(b)
	cfg, err := pgxpool.ParseConfig(db.URL)
	require.NoError(b, err)
	cfg.MaxConns = 32
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	defer pool.Close()
	p, err := tenancy.New(pool, tenancy.Config{RolePrefix: db.RolePrefix, Logger: quiet})
	require.NoError(b, err)
	codes := []string{"b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7"}
	for _, code := range codes {
		_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(b, err)
		require.NoError(b, p.Provision(ctx, code))
	}
	e := readEntry(1)
	e.UserAgent = "Mozilla/5.0 (X11; Linux x86_64)"
	e.Metadata = map[string]any{"fields": []string{"name", "age"}}
	audit := func(code string) error {
		return p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error { return c.Audit(ctx, e) })
	}

	b.Run("TxOnly", func(b *testing.B) {
		for b.Loop() {
			require.NoError(b, p.Tx(ctx, "b0", func(ctx context.Context, c *tenancy.Conn) error {
				_, err := c.Exec(ctx, "select 1")
				return err
			}))
		}
	})
	b.Run("TxWriteOtherTable", func(b *testing.B) {
		for b.Loop() {
			require.NoError(b, p.Tx(ctx, "b0", func(ctx context.Context, c *tenancy.Conn) error {
				_, err := c.Exec(ctx, "update system_settings set updated_at = now()")
				return err
			}))
		}
	})
	b.Run("Serial", func(b *testing.B) {
		for b.Loop() {
			require.NoError(b, audit("b0"))
		}
	})
	b.Run("ParallelOneTenant", func(b *testing.B) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := audit("b1"); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("ParallelEightTenants", func(b *testing.B) {
		b.SetParallelism(8)
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			code := codes[next.Add(1)%int64(len(codes))]
			for pb.Next() {
				if err := audit(code); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.StopTimer()
	for _, code := range codes[:2] {
		rep, err := p.VerifyAudit(ctx, code)
		require.NoError(b, err)
		require.True(b, rep.Intact, rep.Problem)
	}
}

// TestCallAuditInStatement: the call's audit row written by a statement of
// the call (WithCallAudit) is the same single row Tx would write before
// commit, chained like any other; rolled back with a failed call; and a
// call that names another record after it fails instead of losing it.
func TestCallAuditInStatement(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	provisioned(ctx, t, b.p, "aa", "Country A")
	call := func(id string) context.Context {
		return tenancy.WithAuditRequest(asUser(ctx, "u1"), tenancy.AuditRequest{Operation: "get-case", Action: "cases:read",
			RemoteIP: "192.0.2.7", RequestID: "req-" + id})
	}
	read := func(ctx context.Context, c *tenancy.Conn, query string) (int, error) {
		sql, args, err := c.WithCallAudit(ctx, query, []any{41})
		if err != nil {
			return 0, err
		}
		var n int
		err = c.QueryRow(ctx, sql, args...).Scan(&n)
		return n, err
	}

	// A select, and a with query: one row each, with the record named.
	for i, q := range []string{"select $1::int + 1", "with x as (select $1::int + 1 as n) select n from x"} {
		actx := call(fmt.Sprint(i))
		require.NoError(t, b.p.Tx(actx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
			c.AuditRecord(ctx, "case", caseID)
			n, err := read(ctx, c, q)
			require.Equal(t, 42, n)
			return err
		}))
		require.True(t, tenancy.AuditWritten(actx))
	}
	logs := allAuditLogs(ctx, t, b.p, "aa")
	require.Len(t, logs, 2)
	for i, l := range logs {
		require.Equal(t, "user:u1", l.Actor)
		require.Equal(t, "get-case", l.Operation)
		require.Equal(t, caseID, l.RecordID)
		require.Equal(t, fmt.Sprint("req-", i), l.RequestID)
		require.Equal(t, "192.0.2.7", l.RemoteIP)
	}
	requireIntact(ctx, t, b.p, "aa", 2)

	// A failed call rolls its row back: not written, the API records the failure.
	actx := call("failed")
	err := b.p.Tx(actx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "case", caseID)
		if _, err := read(ctx, c, "select $1::int"); err != nil {
			return err
		}
		return tenancy.ErrNotFound
	})
	require.ErrorIs(t, err, tenancy.ErrNotFound)
	require.False(t, tenancy.AuditWritten(actx))
	require.Len(t, allAuditLogs(ctx, t, b.p, "aa"), 2)

	// Naming another record after the row was written fails the call.
	actx = call("changed")
	err = b.p.Tx(actx, "aa", func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "case", caseID)
		if _, err := read(ctx, c, "select $1::int"); err != nil {
			return err
		}
		c.AuditRecord(ctx, "case", "7f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f")
		return nil
	})
	require.ErrorContains(t, err, "then its record or metadata changed")
	require.Len(t, allAuditLogs(ctx, t, b.p, "aa"), 2)

	// Outside an audited call: the query as it was.
	require.NoError(t, b.p.Tx(asUser(ctx, "u1"), "aa", func(ctx context.Context, c *tenancy.Conn) error {
		sql, args, err := c.WithCallAudit(ctx, "select 1", nil)
		require.Equal(t, "select 1", sql)
		require.Empty(t, args)
		return err
	}))
}
