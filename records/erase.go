package records

import (
	"context"
	"fmt"
	"regexp"
	"slices"

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
// potential matches), potential matches, match subject, transitions,
// notifications, approvals, flags and alert reads. Incidents created from an
// erased case lose their link (case_id); traces confirmed as an erased case
// lose theirs (matched_case_id, set null). The audit log keeps its rows: it
// is append-only and names the record by id only.
var ErasedTables = []string{"records", "record_history", "record_access", "record_scope", "record_name_keys", "record_field_values", "attachments",
	"traces", "potential_matches", "match_subjects", "transitions", "notifications", "approvals", "flags", "alert_reads"}

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
			return fmt.Errorf("%w: the record is enabled: disable it before erasing it", tenancy.ErrConflict)
		}
		if recordType == TypeCase {
			if err := unlinkIncidents(ctx, c, id); err != nil {
				return err
			}
		}
		_, err = c.Exec(ctx, "delete from records where id = $1", id)
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
