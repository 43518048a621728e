package records

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Hooks for package workflow (issue 11): it changes ownership, assignment,
// referrals and transfers of records inside its own tenant transactions,
// and every such change must bump the record's version and append its
// history entry, so that merges of offline edits see it as "theirs".

// Access kinds of record_access rows.
const (
	AccessOwner    = "owner"
	AccessAssigned = "assigned"
	AccessReferral = "referral"
	AccessTransfer = "transfer"
)

// Locked is what a workflow needs of a record it changes, locked FOR UPDATE
// in the caller's transaction.
type Locked struct {
	ID            string
	RecordType    string
	ModuleID      string
	Status        string
	Enabled       bool
	Flagged       bool
	OwnerID       string
	OwnerName     string
	OwnerAgencyID string
	Version       int64
	Data          Data
}

// LockForWorkflow locks record id of recordType. With visibleOnly, the
// record must be visible to the transaction's subject (docs/records.md,
// visibility); without, the caller has established the right to act some
// other way (e.g. it answers a transition addressed to it or to a user it
// manages). A missing record (or one outside scope) is tenancy.ErrNotFound.
func LockForWorkflow(ctx context.Context, c *tenancy.Conn, recordType, id string, visibleOnly bool) (Locked, error) {
	var l Locked
	if !isUUID(id) {
		return l, tenancy.ErrNotFound
	}
	q := &sqlQuery{}
	q.where("r.record_type = " + q.arg(recordType))
	q.where("r.id = " + q.arg(id))
	if visibleOnly {
		q.where(visibleRecord(q, c.Subject()))
	}
	err := c.QueryRow(ctx, `select r.id::text, r.record_type, r.module_id, r.status, r.enabled, r.flagged, r.version, r.data,
			coalesce(o.user_id::text, ''), coalesce(o.name, ''), coalesce(o.agency_id::text, '')
		from records r left join lateral (select x.user_id, p.name, p.agency_id from record_access x
			join principals p on p.id = x.user_id where x.record_id = r.id and x.kind = 'owner') o on true
		where `+q.whereSQL()+" for update of r", q.args...).
		Scan(&l.ID, &l.RecordType, &l.ModuleID, &l.Status, &l.Enabled, &l.Flagged, &l.Version, &l.Data,
			&l.OwnerID, &l.OwnerName, &l.OwnerAgencyID)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, tenancy.ErrNotFound
	}
	return l, err
}

// IsVisible reports whether record id is visible to the transaction's subject.
func IsVisible(ctx context.Context, c *tenancy.Conn, id string) (bool, error) {
	if !isUUID(id) {
		return false, nil
	}
	q := &sqlQuery{}
	q.where("r.id = " + q.arg(id))
	q.where(visibleRecord(q, c.Subject()))
	var ok bool
	err := c.QueryRow(ctx, "select exists (select 1 from records r where "+q.whereSQL()+")", q.args...).Scan(&ok)
	return ok, err
}

// AppendVersion bumps record id's version (updated_by and updated_at are
// the transaction's subject and now) and appends the history entry of the
// new version with action (a workflow action of record_history) and
// changes (core attributes under their names, e.g. owned_by). It returns
// the new version.
func AppendVersion(ctx context.Context, c *tenancy.Conn, id, action string, changes []FieldChange) (int64, error) {
	sub := c.Subject()
	var version int64
	if err := c.QueryRow(ctx, `update records set version = version + 1, updated_by = `+actorName+`, updated_at = now()
		where id = $3 returning version`, subjectID(sub), sub.String(), id).Scan(&version); err != nil {
		return 0, err
	}
	return version, writeHistory(ctx, c, id, version, action, changes)
}

// SetOwner makes userID (a user or service account) the owner of record id,
// replacing the previous owner's row (who keeps access only through scope
// or other rows).
func SetOwner(ctx context.Context, c *tenancy.Conn, recordID, userID string) error {
	if _, err := c.Exec(ctx, "delete from record_access where record_id = $1 and kind = 'owner'", recordID); err != nil {
		return err
	}
	_, err := c.Exec(ctx, "insert into record_access (record_id, user_id, kind) values ($1, $2, 'owner')", recordID, userID)
	return err
}

// GrantAccess adds a record_access row: kind AccessAssigned or
// AccessTransfer (referralID and accessRole empty), or AccessReferral with
// the referral's id and the role whose forms the receiver reads. Granting
// a row that exists does nothing.
func GrantAccess(ctx context.Context, c *tenancy.Conn, recordID, userID, kind, referralID, accessRole string) error {
	_, err := c.Exec(ctx, `insert into record_access (record_id, user_id, kind, referral_id, access_role)
		values ($1, $2, $3, nullif($4, '')::uuid, nullif($5, '')) on conflict do nothing`, recordID, userID, kind, referralID, accessRole)
	return err
}

// RevokeAccess removes the record_access rows of userID of kind on record
// id (for AccessReferral, only the row of referralID).
func RevokeAccess(ctx context.Context, c *tenancy.Conn, recordID, userID, kind, referralID string) error {
	_, err := c.Exec(ctx, `delete from record_access where record_id = $1 and user_id = $2 and kind = $3
		and ($4 = '' or referral_id = nullif($4, '')::uuid)`, recordID, userID, kind, referralID)
	return err
}

// RoleSchemas is implemented by Schemas that can give the Schema of another
// role than the caller's (FormsSchemas): a caller who reaches a record only
// through a referral reads it through the referral's access role.
type RoleSchemas interface {
	SchemaForRole(ctx context.Context, c *tenancy.Conn, recordType, module, role string) (Schema, error)
}

// VisibleRecords returns a statement selecting the ids of the records of
// recordType visible to the transaction's subject, with its arguments
// ($1 ...): lists of workflow rows (flags) filter on it in SQL.
func VisibleRecords(c *tenancy.Conn, recordType string) (string, []any) {
	q := newQuery(c.Subject(), recordType)
	return "select r.id from records r where " + q.whereSQL(), q.args
}

// VisibleRecordsOfTypes is VisibleRecords for several record types at once.
func VisibleRecordsOfTypes(c *tenancy.Conn, recordTypes []string) (string, []any) {
	q := &sqlQuery{}
	q.where("r.record_type = any(" + q.arg(recordTypes) + "::text[])")
	q.where(visible(q, c.Subject()))
	return "select r.id from records r where " + q.whereSQL(), q.args
}

// SetStatus sets the status (open or closed) of record id.
func SetStatus(ctx context.Context, c *tenancy.Conn, id, status string) error {
	_, err := c.Exec(ctx, "update records set status = $2 where id = $1", id, status)
	return err
}

// SetApprovalStatus sets record id's status of approval type typ
// (requested, approved, rejected; "" removes it).
func SetApprovalStatus(ctx context.Context, c *tenancy.Conn, id, typ, status string) error {
	_, err := c.Exec(ctx, `update records set approval_status = case when $3 = '' then approval_status - $2
		else approval_status || jsonb_build_object($2::text, $3::text) end where id = $1`, id, typ, status)
	return err
}

// ApprovalStatus reads record id's status of approval type typ ("" if
// never requested).
func ApprovalStatus(ctx context.Context, c *tenancy.Conn, id, typ string) (string, error) {
	var s string
	err := c.QueryRow(ctx, "select coalesce(approval_status ->> $2, '') from records where id = $1", id, typ).Scan(&s)
	return s, err
}

// SyncFlagged makes record id's flagged column true exactly when it has an
// unremoved flag, and returns the new value.
func SyncFlagged(ctx context.Context, c *tenancy.Conn, id string) (bool, error) {
	var f bool
	err := c.QueryRow(ctx, `update records set flagged = exists (select 1 from flags where record_id = $1 and not removed)
		where id = $1 returning flagged`, id).Scan(&f)
	return f, err
}
