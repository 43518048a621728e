package records

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// EraseReasons are the reasons a record may be erased for. A code, not free
// text: the reason goes into the audit log, which is append-only and never
// erased, so it must not be able to carry a child's personal data.
var EraseReasons = []string{"registered_by_mistake", "erasure_request", "duplicate", "other"}

// EraseInput is why a record is erased.
type EraseInput struct {
	// Reason is one of EraseReasons.
	Reason string
	// Reference optionally names the request or ticket behind the erasure
	// (e.g. DPO-2026-041): letters, digits and . _ / - only, at most 64.
	Reference string
}

var referenceRE = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,64}$`)

func (in EraseInput) check() error {
	var errs []tenancy.FieldError
	if !slices.Contains(EraseReasons, in.Reason) {
		errs = append(errs, tenancy.FieldError{Path: "data.reason", Value: in.Reason,
			Reason: "must be registered_by_mistake, erasure_request, duplicate or other"})
	}
	if in.Reference != "" && !referenceRE.MatchString(in.Reference) {
		errs = append(errs, tenancy.FieldError{Path: "data.reference", Value: in.Reference,
			Reason: "must be at most 64 letters, digits, dots, underscores, slashes or hyphens"})
	}
	if len(errs) > 0 {
		return &tenancy.ValidationError{Title: "The erasure is not valid.", Errors: errs}
	}
	return nil
}

// ErasedTables are the tenant tables whose rows name a record by id and go
// with it when it is erased (by foreign key, on delete cascade, or by the
// triggers that keep record_name_keys, record_scope and
// record_field_values): its change log, access rows, scope row, name keys,
// typed field values, attachments, traces (and their
// potential matches), potential matches, match subject, matching's log of its changes (match_changes), transitions,
// notifications, approvals, flags and alert reads. Incidents created from an
// erased case lose their link (case_id); traces confirmed as an erased case
// lose theirs (matched_case_id, set null). The audit log keeps its rows: it
// is append-only and names the record by id only.
var ErasedTables = []string{"records", "record_history", "record_access", "record_scope", "record_name_keys", "record_field_values", "attachments",
	"traces", "potential_matches", "match_subjects", "match_changes", "transitions", "notifications", "approvals", "flags", "alert_reads"}

// Erase deletes a record for good, with everything that carries its data
// (ErasedTables), in one tenant transaction whose audit row names the
// record's id and the reason only. It needs <type>:erase and the record
// within the caller's scope (else ErrNotFound), disabled first (else
// ErrConflict): erasure is a deliberate second step. The record's files are
// not touched: Config.OnErased removes them after the commit.
func (s *Service) Erase(ctx context.Context, code, recordType, id string, in EraseInput) error {
	if err := checkType(recordType); err != nil {
		return err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).erase); err != nil {
		return err
	}
	if !isUUID(id) {
		return tenancy.ErrNotFound
	}
	if err := in.check(); err != nil {
		return err
	}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, id)
		meta := map[string]any{"reason": in.Reason}
		if in.Reference != "" {
			meta["reference"] = in.Reference
		}
		if err := c.AuditChange(ctx, "", meta); err != nil {
			return err
		}
		cur, err := lockRecord(ctx, c, nil, recordType, id)
		if err != nil {
			return err
		}
		if cur.Enabled {
			return errEnabled
		}
		if recordType == TypeCase {
			if err := unlinkIncidents(ctx, c, id); err != nil {
				return err
			}
		}
		if _, err = c.Exec(ctx, "delete from records where id = $1", id); err != nil {
			return err
		}
		// after the delete: its cascades logged the case's id too (the
		// delete itself is logged without it)
		_, err = c.Exec(ctx, "delete from match_changes where record_id = $1", id)
		return err
	})
	if err != nil {
		return err
	}
	if s.onErased != nil {
		s.onErased(context.WithoutCancel(ctx), code, recordType, id)
	}
	return nil
}

// errEnabled refuses the erasure of a record that is still enabled (409
// record_enabled): erasure is the second of two steps.
var errEnabled = fmt.Errorf("%w: the record is enabled: disable it before erasing it", tenancy.ErrConflict)

// Erasable is what the person about to erase a record sees of it: which
// record it is, and when and by whom it was disabled. Never its data: the
// system administrator, who erases, reads no records.
type Erasable struct {
	ID         string     `json:"id" format:"uuid" doc:"The record's id, for the erasure (DELETE)."`
	RecordType string     `json:"record_type" enum:"case,tracing_request,incident"`
	ShortID    string     `json:"short_id" doc:"The 7-character id shown on the record's page."`
	DisabledAt *time.Time `json:"disabled_at,omitempty" doc:"When the record was last disabled (absent if its change log does not say)."`
	DisabledBy string     `json:"disabled_by,omitempty" doc:"Who disabled it: their email (a service account's or system actor's name)."`
}

// shortIDRE is a short id as people type it once normalised
// (normaliseShortID): 7 characters of records_short_id's alphabet.
var shortIDRE = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{7}$`)

// FindErasable finds a disabled record to erase by its id or by its short
// id (as read on the record's page: case, spaces, hyphens and the look-alikes
// i, l, o do not matter), within the caller's scope, and tells only
// Erasable: which record, disabled when and by whom. It needs <type>:erase
// and no read permission, so that a system administrator, who reads no
// records, can make sure of what they erase. An unknown id, a record of
// another type, of another tenant or out of scope is ErrNotFound; an
// enabled record is ErrConflict (record_enabled), with nothing of it told.
// The call's audit row names the record found.
func (s *Service) FindErasable(ctx context.Context, code, recordType, ref string) (Erasable, error) {
	if err := checkType(recordType); err != nil {
		return Erasable{}, err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).erase); err != nil {
		return Erasable{}, err
	}
	byID := isUUID(ref)
	column, value := "r.id", ref
	if !byID {
		column, value = "r.short_id", normaliseShortID(ref)
		if !shortIDRE.MatchString(value) {
			return Erasable{}, tenancy.ErrNotFound
		}
	}
	out := Erasable{RecordType: recordType}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if byID {
			c.AuditRecord(ctx, recordType, ref)
		}
		q := newRecordQuery(c.Subject(), recordType)
		q.where(column + " = " + q.arg(value))
		var enabled bool
		var by *string
		err := c.QueryRow(ctx, `select r.id::text, r.short_id, r.enabled, h.changed_at, h.actor_name from records r
			left join lateral (select changed_at, actor_name from record_history
				where record_id = r.id and action = 'disable' order by version desc limit 1) h on true
			where `+q.whereSQL(), q.args...).Scan(&out.ID, &out.ShortID, &enabled, &out.DisabledAt, &by)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		if err != nil {
			return err
		}
		c.AuditRecord(ctx, recordType, out.ID)
		if enabled {
			return errEnabled
		}
		if by != nil {
			out.DisabledBy = *by
		}
		return nil
	})
	if err != nil {
		return Erasable{}, err
	}
	return out, nil
}

// unlinkIncidents removes the link of the incidents created from case id:
// each is a write (version + 1, updated_by, a history entry changing
// case_id) whose entry does not keep the erased case's id.
func unlinkIncidents(ctx context.Context, c *tenancy.Conn, id string) error {
	sub := c.Subject()
	j, err := historyJSON([]FieldChange{{Path: "case_id"}})
	if err != nil {
		return err
	}
	_, err = c.Exec(ctx, `with upd as (update records set case_id = null, version = version + 1, updated_by = `+actorName+`,
			updated_at = now() where case_id = $3 returning id, version), `+historyCTE("upd", "'update'", "$4")+`
		select count(*) from upd`, subjectID(sub), sub.String(), id, j)
	return err
}
