package e2e

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestAuditVerifyThroughCLI(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("migrate")
	c.ok("tenant", "create", "--code", "ke", "--name", "Kenya")
	c.ok("tenant", "create", "--code", "so", "--name", "Somalia")

	r := c.ok("audit", "verify", "--tenant", "ke")
	require.Equal(t, "tenant ke: 0 audit rows, chain intact\n", r.stdout)

	// Write audit rows as the application does.
	ctx := policy.WithSubject(context.Background(), policy.Subject{Kind: policy.KindUser, ID: "caseworker-1"})
	p := c.db.Platform(t, tenancy.Config{})
	for _, code := range []string{"ke", "so"} {
		for i := range 4 {
			require.NoError(t, p.Tx(ctx, code, func(ctx context.Context, conn *tenancy.Conn) error {
				return conn.Audit(ctx, tenancy.AuditEntry{Action: "cases:read", Operation: "getCase", RecordType: "case",
					RecordID: "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f", Outcome: tenancy.OutcomeAllowed,
					RemoteIP: "192.0.2.1:40000", RequestID: fmt.Sprint("req-", i)})
			}))
		}
	}
	r = c.ok("audit", "verify", "--tenant", "ke")
	m := regexp.MustCompile(`^tenant ke: 4 audit rows, chain intact \(last row 4 hash ([0-9a-f]{64})\)\n$`).FindStringSubmatch(r.stdout)
	require.NotNil(t, m, r.stdout)
	anchor := "4:" + m[1]
	c.ok("audit", "verify", "--tenant", "ke", "--anchor", anchor)
	r = c.ok("audit", "verify", "--all")
	require.Contains(t, r.stdout, "tenant ke: 4 audit rows, chain intact")
	require.Contains(t, r.stdout, "2 tenants: 2 intact, 0 broken, 0 not verified")
	so := regexp.MustCompile(`(?m)^tenant so: 4 audit rows, chain intact \(last row 4 hash ([0-9a-f]{64})\)$`).FindStringSubmatch(r.stdout)
	require.NotNil(t, so, r.stdout)

	// Someone with superuser access edits a row, with triggers off.
	su := c.db.Superuser(t)
	_, err := su.Exec(context.Background(), `set session_replication_role = replica;
		update tenant_ke.audit_logs set actor = 'user:someone-else' where id = 3;
		reset session_replication_role`)
	require.NoError(t, err)

	r = c.run("audit", "verify", "--tenant", "ke")
	require.Equal(t, 1, r.code, r.stderr)
	require.Equal(t, "tenant ke: audit chain BROKEN at row 3: hash does not match the row's content: the row was altered\n", r.stdout)
	require.Contains(t, r.stderr, "security incident")
	require.Contains(t, r.stderr, "restore the\n     audit log from that backup")

	r = c.run("audit", "verify", "--all", "--concurrency", "2")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stdout, "tenant ke: audit chain BROKEN at row 3")
	require.Contains(t, r.stdout, "tenant so: 4 audit rows, chain intact")
	require.Contains(t, r.stdout, "2 tenants: 1 intact, 1 broken, 0 not verified")
	require.Contains(t, r.stderr, "the audit log of tenant ke was altered")

	r = c.run("audit", "verify", "--tenant", "ke", "--json")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stdout, `"broken_at": 3`)

	// Removing the last row of a log leaves a consistent chain: the anchor catches it.
	_, err = su.Exec(context.Background(), `set session_replication_role = replica;
		delete from tenant_so.audit_logs where id = 4;
		reset session_replication_role`)
	require.NoError(t, err)
	c.ok("audit", "verify", "--tenant", "so")
	r = c.run("audit", "verify", "--tenant", "so", "--anchor", "4:"+so[1])
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stdout, "tenant so: audit chain BROKEN at row 4: the log ends at row 3")

	r = c.run("audit", "verify", "--tenant", "zz")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "no such tenant")
	r = c.run("audit", "verify")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "at least one of the flags in the group [tenant all] is required")
}
