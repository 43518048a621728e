package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/mail"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/internal/smtptest"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m, s3test.Hook) }

// TestEmailQueuedInTenantTransactionIsDelivered: an email enqueued in a
// tenant transaction is sent through a real SMTP server once the transaction
// commits, and never when it rolls back.
func TestEmailQueuedInTenantTransactionIsDelivered(t *testing.T) {
	t.Parallel()
	ctx := policy.WithSubject(context.Background(), policy.System("test"))
	db := testdb.New(t)
	p := db.Platform(t, tenancy.Config{})
	_, err := p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en", "sw"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(ctx, "ke"))

	smtp, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	defer smtp.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	client, err := jobs.NewClient(db.Pool, p, jobs.Config{Logger: log,
		Email: &email.SMTP{Addr: smtp.Addr, From: "no-reply@ke.example.org", TLS: email.TLSNone}})
	require.NoError(t, err)
	done, cancel := client.Subscribe(river.EventKindJobCompleted)
	defer cancel()

	enqueue := func(to string, commit bool) error {
		return p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			if err := c.Enqueue(ctx, jobs.SendEmailArgs{Tenant: "ke", Message: email.Message{
				To: []string{to}, Subject: "Karibu", Text: "Habari", Locale: "sw"}}, nil); err != nil {
				return err
			}
			if !commit {
				return errors.New("roll back")
			}
			return nil
		})
	}
	require.Error(t, enqueue("rolled-back@example.org", false))
	require.NoError(t, enqueue("amina@example.org", true))
	require.NoError(t, enqueue("amina@example.org", true), "a duplicate is skipped, not an error")
	var queued int
	require.NoError(t, db.Pool.QueryRow(ctx, "select count(*) from river.river_job where kind = 'send_email'").Scan(&queued))
	require.Equal(t, 1, queued, "the rolled-back email and the duplicate are not queued")

	require.NoError(t, client.Start(ctx))
	defer func() {
		sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(sctx))
	}()
	for {
		select {
		case ev := <-done:
			if ev.Job.Kind != "send_email" {
				continue
			}
			msgs := smtp.Messages()
			require.Len(t, msgs, 1, "exactly one email: the rolled-back one and the duplicate are not sent")
			require.Equal(t, []string{"amina@example.org"}, msgs[0].To)
			m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
			require.NoError(t, err)
			require.Equal(t, "sw", m.Header.Get("Content-Language"))
			return
		case <-time.After(30 * time.Second):
			t.Fatal("send_email job did not complete within 30s")
		}
	}
}

func TestPurgeForgetsDeadSessionsAndPurgesDueTenants(t *testing.T) {
	t.Parallel()
	ctx := policy.WithSubject(context.Background(), policy.System("test"))
	db := testdb.New(t)
	p := db.Platform(t, tenancy.Config{DeleteGrace: time.Nanosecond})
	now := time.Now()
	require.NoError(t, p.TouchSession(ctx, "11111111-1111-1111-1111-111111111111", now.Add(-13*time.Hour), time.Hour))
	require.NoError(t, p.TouchSession(ctx, "22222222-2222-2222-2222-222222222222", now, time.Hour))
	_, err := p.Create(ctx, tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(ctx, "ke"))
	_, err = p.Delete(ctx, "ke", "ke")
	require.NoError(t, err)

	w := &jobs.PurgeWorker{Platform: p}
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.PurgeArgs]{}))
	var sessions, tenants int
	require.NoError(t, db.Pool.QueryRow(ctx, `select (select count(*) from platform.session_activity),
		(select count(*) from platform.tenants)`).Scan(&sessions, &tenants))
	require.Equal(t, 1, sessions, "only the session that can still be alive is kept")
	require.Zero(t, tenants, "the deleted tenant past its grace period is purged")
}

// TestPurgeDeletesTenantFiles: a purged tenant's files go with it (on a real
// S3 server), other tenants' files stay; when the files cannot be deleted the
// tenant is kept, schema and all, for the next purge.
func TestPurgeDeletesTenantFiles(t *testing.T) {
	t.Parallel()
	ctx := policy.WithSubject(context.Background(), policy.System("test"))
	db := testdb.New(t)
	p := db.Platform(t, tenancy.Config{DeleteGrace: time.Nanosecond})
	cfg := s3test.Bucket(t)
	store, err := storage.New(cfg)
	require.NoError(t, err)
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	for _, code := range []string{"ke", "so"} {
		_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(t, err)
		require.NoError(t, p.Provision(ctx, code))
		for _, key := range []string{"attachments/c1/f1", "attachments/c2/f1"} {
			_, err := store.Put(ctx, code, key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf")
			require.NoError(t, err)
		}
	}
	_, err = p.Delete(ctx, "ke", "ke")
	require.NoError(t, err)
	tenants := func() (n int) {
		require.NoError(t, db.Pool.QueryRow(ctx, "select count(*) from platform.tenants where code = 'ke'").Scan(&n))
		return n
	}
	exists := func(code, key string) bool {
		rc, _, err := store.Get(ctx, code, key)
		if errors.Is(err, storage.ErrNotFound) {
			return false
		}
		require.NoError(t, err)
		rc.Close()
		return true
	}

	// Files unreachable (wrong secret): nothing is purged.
	bad := cfg
	bad.SecretKey = "wrong"
	badStore, err := storage.New(bad)
	require.NoError(t, err)
	w := &jobs.PurgeWorker{Platform: p, Storage: badStore}
	require.Error(t, w.Work(context.Background(), &river.Job[jobs.PurgeArgs]{}))
	require.Equal(t, 1, tenants(), "the tenant is kept for the next purge")
	require.True(t, exists("ke", "attachments/c1/f1"))
	var schema bool
	require.NoError(t, db.Pool.QueryRow(ctx, "select exists (select from pg_namespace where nspname = 'tenant_ke')").Scan(&schema))
	require.True(t, schema, "the schema is kept too")

	w = &jobs.PurgeWorker{Platform: p, Storage: store}
	require.NoError(t, w.Work(context.Background(), &river.Job[jobs.PurgeArgs]{}))
	require.Zero(t, tenants())
	require.False(t, exists("ke", "attachments/c1/f1"))
	require.False(t, exists("ke", "attachments/c2/f1"))
	require.True(t, exists("so", "attachments/c1/f1"), "another tenant's files stay")
	require.True(t, exists("so", "attachments/c2/f1"))
}
