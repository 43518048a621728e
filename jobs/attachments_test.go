package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/attachments"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

// syncBuffer is a log destination written by the worker and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCleanAttachmentsDeletesOrphanedFiles: the periodic cleanup, run by a
// real River client against a real S3 server, deletes in every tenant the
// files no attachment row names (an interrupted upload, an attachment whose
// row is gone, a deleted record's files, a key under another record, a key
// that is no attachment's) once they are older than the grace period, keeps
// the files rows name and every file younger than the grace, and logs its
// progress. Only the named system actor file_cleaner may run it.
func TestCleanAttachmentsDeletesOrphanedFiles(t *testing.T) {
	t.Parallel()
	ctx := policy.WithSubject(context.Background(), policy.System("test"))
	db := testdb.New(t)
	p := db.Platform(t, tenancy.Config{})
	store, err := storage.New(s3test.Bucket(t))
	require.NoError(t, err)
	su := db.Superuser(t)
	pdf := []byte("%PDF-1.4\n%%EOF\n")

	type files struct{ kept, orphans []string }
	byTenant := map[string]*files{}
	for _, code := range []string{"ke", "so"} {
		_, err := p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(t, err)
		require.NoError(t, p.Provision(ctx, code))
		schema := "tenant_" + code
		rec, gone := uuid.NewString(), uuid.NewString()
		for i, id := range []string{rec, gone} {
			_, err := su.Exec(ctx, `insert into `+schema+`.records (id, record_type, short_id, module_id, created_by, updated_by, create_digest)
				values ($1::uuid, 'case', $2, 'primeromodule-cp', 'test', 'test', sha256(convert_to($3, 'UTF8')))`, id, []string{"aaaaaaa", "bbbbbbb"}[i], id)
			require.NoError(t, err)
		}
		kept, removed, ofGone, interrupted := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
		for _, a := range [][2]string{{rec, kept}, {rec, removed}, {gone, ofGone}} {
			_, err := su.Exec(ctx, `insert into `+schema+`.attachments (id, record_id, field, file_name, content_type, size, sha256, created_by)
				values ($1, $2, 'photos', 'x.pdf', 'application/pdf', 15, sha256('x'::bytea), 'test')`, a[1], a[0])
			require.NoError(t, err)
		}
		f := &files{kept: []string{"attachments/" + rec + "/" + kept}, orphans: []string{
			"attachments/" + rec + "/" + interrupted, // upload whose transaction failed
			"attachments/" + rec + "/" + removed,     // attachment deleted, its file not
			"attachments/" + gone + "/" + ofGone,     // record deleted (its rows cascade)
			"attachments/" + gone + "/" + kept,       // an id of a row, under another record
			"attachments/stray",                      // no attachment's key
		}}
		byTenant[code] = f
		for _, key := range append(f.kept, f.orphans...) {
			_, err := store.Put(ctx, code, key, bytes.NewReader(pdf), int64(len(pdf)), "application/pdf")
			require.NoError(t, err)
		}
		_, err = su.Exec(ctx, `delete from `+schema+`.attachments where id = $1`, removed)
		require.NoError(t, err)
		_, err = su.Exec(ctx, `delete from `+schema+`.records where id = $1`, gone)
		require.NoError(t, err)
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

	// run works one cleanup job through a real River client.
	run := func(grace time.Duration, log *slog.Logger) {
		t.Helper()
		client, err := jobs.NewClient(db.Pool, p, jobs.Config{Logger: log, Storage: store, OrphanGrace: grace})
		require.NoError(t, err)
		done, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		require.NoError(t, client.Start(ctx))
		defer func() {
			sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
			defer c()
			require.NoError(t, client.Stop(sctx))
		}()
		_, err = client.Insert(ctx, jobs.CleanAttachmentsArgs{}, nil)
		require.NoError(t, err)
		deadline := time.After(60 * time.Second)
		for {
			select {
			case ev := <-done:
				if ev.Job.Kind != (jobs.CleanAttachmentsArgs{}).Kind() {
					continue
				}
				require.Equal(t, river.EventKindJobCompleted, ev.Kind, "the cleanup failed: %v", ev.Job.Errors)
				return
			case <-deadline:
				t.Fatal("the cleanup job did not complete within 60s")
			}
		}
	}

	// Within the grace period nothing goes: a young file may be an upload
	// between its file and its transaction.
	quiet := slog.New(slog.DiscardHandler)
	run(time.Hour, quiet)
	for code, f := range byTenant {
		for _, key := range append(f.kept, f.orphans...) {
			require.True(t, exists(code, key), "%s %s is younger than the grace period", code, key)
		}
	}

	// Past it (every file was stored before now minus a nanosecond), the
	// orphans go in every tenant and the named files stay.
	var logs syncBuffer
	run(time.Nanosecond, slog.New(slog.NewTextHandler(&logs, nil)))
	for code, f := range byTenant {
		for _, key := range f.kept {
			require.True(t, exists(code, key), "%s %s is named by its row", code, key)
		}
		for _, key := range f.orphans {
			require.False(t, exists(code, key), "%s %s is named by no row", code, key)
		}
	}
	for _, code := range []string{"ke", "so"} {
		require.Contains(t, logs.String(), `msg="attachment files checked" tenant=`+code+` listed=6 deleted=5`)
		require.Contains(t, logs.String(), `msg="attachment files cleaned" tenant=`+code+` listed=6 deleted=5 deleted_bytes=75 young=0`)
	}

	// Only the file cleaner may run it.
	svc := attachments.New(p, attachments.Config{Store: store})
	_, err = svc.CleanOrphans(policy.WithSubject(ctx, policy.System(policy.ActorMatcher)), "ke", time.Now())
	require.ErrorIs(t, err, tenancy.ErrForbidden)
	rep, err := svc.CleanOrphans(policy.WithSubject(ctx, policy.System(policy.ActorFileCleaner)), "ke", time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, attachments.CleanReport{Listed: 1}, rep, "only the named file is left")
	require.False(t, strings.Contains(logs.String(), "level=ERROR"), logs.String())
}
