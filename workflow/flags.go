package workflow

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// PermFlag flags cases and resolves their flags.
var PermFlag = policy.Permission{Resource: "cases", Action: "flag"}

// flagTypes are the record types that have flags, with their permission
// resource (flag: <resource>:flag; list: <resource>:read).
var flagTypes = map[string]string{records.TypeCase: "cases", records.TypeTracingRequest: "tracing_requests", records.TypeIncident: "incidents"}

// FlagPermission is the permission to flag records of recordType and
// resolve their flags (cases:flag, tracing_requests:flag, incidents:flag).
func FlagPermission(recordType string) policy.Permission {
	return policy.Permission{Resource: flagTypes[recordType], Action: "flag"}
}

// flagRecordName names a record type in messages.
var flagRecordName = map[string]string{records.TypeCase: "case", records.TypeTracingRequest: "tracing request", records.TypeIncident: "incident"}

// Flag draws attention to a record (Primero v2's flag shape).
type Flag struct {
	ID            string     `json:"id" format:"uuid"`
	RecordID      string     `json:"record_id" format:"uuid"`
	RecordType    string     `json:"record_type" enum:"case,tracing_request,incident"`
	ShortID       string     `json:"short_id"`
	Message       string     `json:"message"`
	Date          *string    `json:"date" format:"date" doc:"An optional date the flag is about (e.g. a deadline)."`
	FlaggedBy     string     `json:"flagged_by"`
	CreatedAt     time.Time  `json:"created_at"`
	Removed       bool       `json:"removed"`
	UnflagMessage string     `json:"unflag_message,omitempty"`
	RemovedBy     string     `json:"removed_by,omitempty"`
	RemovedAt     *time.Time `json:"removed_at,omitempty"`
}

const flagColumns = `f.id::text, f.record_id::text, r.record_type, r.short_id, f.message, to_char(f.date, 'YYYY-MM-DD'), f.flagged_by,
	f.created_at, f.removed, coalesce(f.unflag_message, ''), coalesce(f.removed_by, ''), f.removed_at`

func scanFlag(row pgx.Row) (Flag, error) {
	var f Flag
	err := row.Scan(&f.ID, &f.RecordID, &f.RecordType, &f.ShortID, &f.Message, &f.Date, &f.FlaggedBy, &f.CreatedAt, &f.Removed,
		&f.UnflagMessage, &f.RemovedBy, &f.RemovedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, tenancy.ErrNotFound
	}
	return f, err
}

// AddFlag flags record id of recordType (case, tracing_request or
// incident; visible to the caller) with a message and an optional date
// (YYYY-MM-DD): the record becomes flagged. Needs <resource>:flag
// (FlagPermission).
func (s *Service) AddFlag(ctx context.Context, code, recordType, id, message, date string) (Flag, error) {
	if err := s.p.Authorize(ctx, code, FlagPermission(recordType)); err != nil {
		return Flag{}, err
	}
	message = strings.TrimSpace(message)
	if message == "" {
		return Flag{}, &tenancy.InvalidError{Field: "data.message", Reason: "is required: why the " + flagRecordName[recordType] + " is flagged"}
	}
	if date != "" {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return Flag{}, &tenancy.InvalidError{Field: "data.date", Value: date, Reason: "must be a date (YYYY-MM-DD)"}
		}
	}
	var out Flag
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, id)
		l, err := records.LockForWorkflow(ctx, c, recordType, id, true)
		if err != nil {
			return err
		}
		var fid string
		if err := c.QueryRow(ctx, `insert into flags (record_id, message, date, flagged_by, flagged_by_id)
			values ($1, $2, nullif($3, '')::date, coalesce((select name from principals where id = $4::uuid), $5), $4::uuid) returning id::text`,
			id, message, date, nullUUID(subjectID(c.Subject())), c.Subject().String()).Scan(&fid); err != nil {
			return err
		}
		if err := s.flagChanged(ctx, c, l, fid, "flag"); err != nil {
			return err
		}
		out, err = getFlag(ctx, c, fid)
		return err
	})
	return out, err
}

// ResolveFlag removes flag fid of record id of recordType with a message;
// the record stays flagged while another flag is active. A resolved flag:
// 409. Needs <resource>:flag (FlagPermission).
func (s *Service) ResolveFlag(ctx context.Context, code, recordType, id, fid, message string) (Flag, error) {
	if err := s.p.Authorize(ctx, code, FlagPermission(recordType)); err != nil {
		return Flag{}, err
	}
	message = strings.TrimSpace(message)
	if message == "" {
		return Flag{}, &tenancy.InvalidError{Field: "data.unflag_message", Reason: "is required: why the flag is resolved"}
	}
	if !isUUID(fid) {
		return Flag{}, tenancy.ErrNotFound
	}
	var out Flag
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, recordType, id)
		l, err := records.LockForWorkflow(ctx, c, recordType, id, true)
		if err != nil {
			return err
		}
		var removed bool
		err = c.QueryRow(ctx, "select removed from flags where id = $1 and record_id = $2 for update", fid, id).Scan(&removed)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		}
		if err != nil {
			return err
		}
		if removed {
			return fmt.Errorf("%w: the flag is resolved already", tenancy.ErrConflict)
		}
		if _, err := c.Exec(ctx, `update flags set removed = true, unflag_message = $2, removed_at = now(),
			removed_by = coalesce((select name from principals where id = $3::uuid), $4), removed_by_id = $3::uuid where id = $1`,
			fid, message, nullUUID(subjectID(c.Subject())), c.Subject().String()); err != nil {
			return err
		}
		if err := s.flagChanged(ctx, c, l, fid, "unflag"); err != nil {
			return err
		}
		out, err = getFlag(ctx, c, fid)
		return err
	})
	return out, err
}

// flagChanged keeps records.flagged and appends the version and history
// entry (action flag or unflag).
func (s *Service) flagChanged(ctx context.Context, c *tenancy.Conn, l records.Locked, fid, action string) error {
	flagged, err := records.SyncFlagged(ctx, c, l.ID)
	if err != nil {
		return err
	}
	changes := []records.FieldChange{{Path: "transition", To: map[string]any{"id": fid, "type": action}}}
	if flagged != l.Flagged {
		changes = append(changes, records.FieldChange{Path: "flagged", From: l.Flagged, To: flagged})
	}
	_, err = records.AppendVersion(ctx, c, l.ID, action, changes)
	return err
}

func getFlag(ctx context.Context, c *tenancy.Conn, fid string) (Flag, error) {
	return scanFlag(c.QueryRow(ctx, "select "+flagColumns+" from flags f join records r on r.id = f.record_id where f.id = $1", fid))
}

// FlagFilter narrows ListFlags.
type FlagFilter struct {
	// RecordType, when set, lists the flags of one record type (case,
	// tracing_request, incident); else of every type the caller may read.
	RecordType string
	// RecordID, when set (with RecordType), lists the flags of one record
	// (404 if not visible).
	RecordID string
	// Active: nil all, true unremoved, false removed.
	Active *bool
}

// ListFlags lists the flags of the records visible to the caller, of the
// types whose read permission it holds (newest first), and their total.
// Needs the read permission of f.RecordType (cases:read when none).
func (s *Service) ListFlags(ctx context.Context, code string, f FlagFilter, page tenancy.Page) ([]Flag, int, error) {
	first := cmp.Or(f.RecordType, records.TypeCase)
	if err := s.p.Authorize(ctx, code, policy.Permission{Resource: flagTypes[first], Action: "read"}); err != nil {
		return nil, 0, err
	}
	var out []Flag
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		types := []string{first}
		if f.RecordType == "" {
			for _, t := range []string{records.TypeTracingRequest, records.TypeIncident} {
				if c.Authorize(policy.Permission{Resource: flagTypes[t], Action: "read"}) == nil {
					types = append(types, t)
				}
			}
		}
		vis, args := records.VisibleRecordsOfTypes(c, types)
		arg := func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}
		where := "f.record_id in (" + vis + ")"
		if f.RecordID != "" {
			c.AuditRecord(ctx, f.RecordType, f.RecordID)
			if !isUUID(f.RecordID) {
				return tenancy.ErrNotFound
			}
			var ok bool
			if err := c.QueryRow(ctx, "select exists ("+vis+" and r.id = "+arg(f.RecordID)+"::uuid)", args...).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return tenancy.ErrNotFound
			}
			where += " and f.record_id = $" + strconv.Itoa(len(args)) + "::uuid"
		}
		if f.Active != nil {
			where += " and f.removed = " + arg(!*f.Active)
		}
		if err := c.QueryRow(ctx, "select count(*) from flags f where "+where, args...).Scan(&total); err != nil {
			return err
		}
		lim, off := arg(page.Per), arg((page.Page-1)*page.Per)
		rows, err := c.Query(ctx, "select "+flagColumns+" from flags f join records r on r.id = f.record_id where "+where+
			" order by f.created_at desc, f.id limit "+lim+" offset "+off, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Flag, error) { return scanFlag(r) })
		return err
	})
	if out == nil {
		out = []Flag{}
	}
	return out, total, err
}
