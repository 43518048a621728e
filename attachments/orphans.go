package attachments

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

// OrphanGraceDefault is how old a file no attachment names must be before
// the cleanup deletes it: an upload stores its file before the transaction
// that records it commits, so a young file without a row may be an upload
// in progress (uploads may take 10 minutes to send; a day leaves room).
const OrphanGraceDefault = 24 * time.Hour

// CleanReport says what a cleanup of one tenant's files did.
type CleanReport struct {
	// Listed is how many files under attachments/ were seen.
	Listed int
	// Young is how many had no row but were stored after the cutoff (kept).
	Young int
	// Deleted files and their bytes.
	Deleted      int
	DeletedBytes int64
}

// CleanOrphans deletes the tenant's attachment files that no attachment row
// names and that were stored before storedBefore: files of uploads whose
// transaction failed and whose removal failed too, files of attachments or
// records deleted when the file's removal failed, and keys that are not an
// attachment's at all. It lists the files a page (1000) at a time, asks the
// tenant's attachments table which of the page's ids exist (one short
// transaction per page), deletes the others and logs its progress per page.
// A file stored after storedBefore is kept even without a row (an upload
// may be between its file and its transaction). Only the named system actor
// file_cleaner may run it (policy.PermAttachmentsClean).
func (a *Service) CleanOrphans(ctx context.Context, code string, storedBefore time.Time) (CleanReport, error) {
	var rep CleanReport
	if err := a.p.Authorize(ctx, code, policy.PermAttachmentsClean); err != nil {
		return rep, err
	}
	if a.store == nil {
		return rep, ErrNoStorage
	}
	err := a.store.List(ctx, code, keyRoot, func(page []storage.Listed) error {
		rep.Listed += len(page)
		var orphans, candidates []storage.Listed
		var ids []string
		for _, o := range page {
			if !o.LastModified.Before(storedBefore) {
				rep.Young++
				continue
			}
			if _, id, ok := parseKey(o.Key); ok {
				candidates = append(candidates, o)
				ids = append(ids, id)
			} else {
				orphans = append(orphans, o) // no row can name it
			}
		}
		if len(ids) > 0 {
			named := map[string]bool{}
			err := a.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
				rows, err := c.Query(ctx, "select record_id::text, id::text from attachments where id = any($1::uuid[])", ids)
				if err != nil {
					return err
				}
				var rec, id string
				_, err = pgx.ForEachRow(rows, []any{&rec, &id}, func() error {
					named[attachmentKey(rec, id)] = true
					return nil
				})
				return err
			})
			if err != nil {
				return err
			}
			for _, o := range candidates {
				if !named[o.Key] {
					orphans = append(orphans, o)
				}
			}
		}
		for _, o := range orphans {
			if err := a.store.Delete(ctx, code, o.Key); err != nil {
				return err
			}
			rep.Deleted++
			rep.DeletedBytes += o.Size
		}
		a.log.InfoContext(ctx, "attachment files checked", "tenant", code, "listed", rep.Listed, "deleted", rep.Deleted,
			"deleted_bytes", rep.DeletedBytes, "young", rep.Young)
		return nil
	})
	return rep, err
}

// keyRoot is the storage prefix of every attachment's file.
const keyRoot = "attachments"

// parseKey reads attachments/<record id>/<attachment id>.
func parseKey(key string) (recordID, id string, ok bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 3 || parts[0] != keyRoot || !isID(parts[1]) || !isID(parts[2]) {
		return "", "", false
	}
	return parts[1], parts[2], true
}
