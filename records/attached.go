package records

import (
	"context"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// What other domains that keep data on a record's fields (package
// attachments) use of records: the record type's permissions, the record as
// the caller may reach it (read, or locked for a write), and a change of one
// field's value that bumps the version and appends the change log, so that
// merges of offline edits see it like any other change.

// Permissions returns the read and write permissions of recordType
// (<type>:read, <type>:write), or a 422 for an unknown record type.
func Permissions(recordType string) (read, write policy.Permission, err error) {
	if err := checkType(recordType); err != nil {
		return policy.Permission{}, policy.Permission{}, err
	}
	p := permsOf(recordType)
	return p.read, p.write, nil
}

// Target is what another domain needs of the record its data hangs on.
type Target struct {
	ModuleID string
	Enabled  bool
	Data     Data
}

// Visible reads record id of recordType if the subject of c may see it
// (else tenancy.ErrNotFound, as for a missing record).
func Visible(ctx context.Context, c *tenancy.Conn, recordType, id string) (Target, error) {
	r, err := getRecord(ctx, c, recordType, id)
	return Target{ModuleID: r.ModuleID, Enabled: r.Enabled, Data: r.Data}, err
}

// Lock reads and locks (FOR UPDATE) record id of recordType visible to the
// subject of c for a write in c's transaction (else tenancy.ErrNotFound).
func Lock(ctx context.Context, c *tenancy.Conn, recordType, id string) (Target, error) {
	s, err := lockRecord(ctx, c, nil, recordType, id)
	return Target{ModuleID: s.ModuleID, Enabled: s.Enabled, Data: s.Data}, err
}

// SetFieldList sets the list field of record recordID (locked by Lock) from
// old to next (removing the field when next is empty), bumps the record's
// version and updated_by/at, and appends its change log entry with action
// (one of HistoryEntry's actions, e.g. attachment_added).
func SetFieldList(ctx context.Context, c *tenancy.Conn, recordID, field string, old, next []any, action string) error {
	var to any
	if len(next) > 0 {
		to = next
	}
	var from any
	if old != nil {
		from = old
	}
	sub := c.Subject()
	var version int64
	err := c.QueryRow(ctx, `update records set data = case when $5::jsonb is null then data - $4::text else jsonb_set(data, array[$4::text], $5::jsonb) end,
			version = version + 1, updated_by = `+actorName+`, updated_at = now()
		where id = $3 returning version`, subjectID(sub), sub.String(), recordID, field, to).Scan(&version)
	if err != nil {
		return err
	}
	return writeHistory(ctx, c, recordID, version, action, []FieldChange{{Path: field, From: from, To: to}})
}

// WriterName is the name records write as created_by and updated_by for the
// subject of c: a user's email, a service account's name, or the subject's
// string form (system actors).
func WriterName(ctx context.Context, c *tenancy.Conn) (string, error) {
	sub := c.Subject()
	var name string
	err := c.QueryRow(ctx, "select "+actorName, subjectID(sub), sub.String()).Scan(&name)
	return name, err
}
