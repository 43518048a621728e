package records

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// A referral's receiver reads and writes a case through the referral's
// access role (docs/workflows.md, "Referral scope"): on single reads,
// lists and searches (the rows' data and the fields asked for), history,
// attachments and writes. This file finds, for the records of a call,
// those the caller reaches only through a referral, and gives the caller
// the Schema of the role it must use for each.

// referralRoles returns, for each of ids the transaction's subject reaches
// only through a referral row (no row of its own of another kind, and no
// owner or assigned row of a user within its group or agency scope), the
// referral's access role. Records reached otherwise are absent: the
// caller's own role applies to them (the wider access wins). Subjects of
// scope all, and subjects that are not users, have no referral roles.
func referralRoles(ctx context.Context, c *tenancy.Conn, ids []string) (map[string]string, error) {
	out := map[string]string{}
	sub := c.Subject()
	if sub.Scope == policy.ScopeAll || subjectID(sub) == nil || len(ids) == 0 {
		return out, nil
	}
	q := &sqlQuery{}
	idsArg := q.arg(ids)
	self := q.arg(subjectID(sub))
	rows, err := c.Query(ctx, fmt.Sprintf(`select a.record_id::text, min(a.access_role) from record_access a
		where a.record_id = any(%s::uuid[]) and a.user_id = %s::uuid and a.kind = 'referral' and a.access_role is not null
		and not %s
		group by a.record_id`, idsArg, self, reachedOtherwise(q, sub, self, "a.record_id")), q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, role string
		if err := rows.Scan(&id, &role); err != nil {
			return nil, err
		}
		out[id] = role
	}
	return out, rows.Err()
}

// referralRole returns the access role through which the transaction's
// subject reads record id when a referral is its only way to it ("" when
// it reaches the record otherwise, or has no referral).
func referralRole(ctx context.Context, c *tenancy.Conn, id string) (string, error) {
	roles, err := referralRoles(ctx, c, []string{id})
	return roles[id], err
}

// resolveRoles looks up the referral roles of records ids (cases only;
// other record types are never referred) for the caller's later schema
// lookups (recordSchema, present).
func (cl *caller) resolveRoles(ctx context.Context, ids ...string) error {
	if !cl.referable() {
		return nil
	}
	// Those read already with their record (roleColumn) are not asked again.
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { _, known := cl.roles[id]; return known })
	if len(ids) == 0 {
		return nil
	}
	roles, err := referralRoles(ctx, cl.c, ids)
	if err != nil {
		return err
	}
	if cl.roles == nil {
		cl.roles = map[string]string{}
	}
	for _, id := range ids {
		cl.roles[id] = roles[id]
	}
	return nil
}

// referable reports whether records of the caller's type may be reached
// through a referral's access role (cases, with Schemas that give a role's).
func (cl *caller) referable() bool {
	_, ok := cl.s.schemas.(RoleSchemas)
	return ok && cl.recordType == TypeCase
}

// roleColumn is, for a statement on one record (alias r) that the caller
// reads anyway, a column giving what resolveRoles would look up in a
// statement of its own: the referral's access role when a referral is the
// caller's only way to the record, else null (scanned by knowRole). It is
// the constant null when the caller can have no referral role.
func (cl *caller) roleColumn(q *sqlQuery) string {
	sub := cl.c.Subject()
	if !cl.referable() || sub.Scope == policy.ScopeAll || subjectID(sub) == nil {
		return "null::text"
	}
	self := q.arg(subjectID(sub))
	return fmt.Sprintf(`(select min(a.access_role) from record_access a where a.record_id = r.id and a.user_id = %s::uuid
		and a.kind = 'referral' and a.access_role is not null and not %s)`, self, reachedOtherwise(q, sub, self, "r.id"))
}

// knowRole keeps the role read by roleColumn for record id.
func (cl *caller) knowRole(id string, role *string) {
	if cl.roles == nil {
		cl.roles = map[string]string{}
	}
	cl.roles[id] = ""
	if role != nil {
		cl.roles[id] = *role
	}
}

// recordSchema is the Schema through which the caller reads and writes
// record id of module: the referral's access role's when a referral is
// its only way to it (resolveRoles must have looked id up), else its own.
func (cl *caller) recordSchema(ctx context.Context, id, module string) (Schema, error) {
	return cl.schemaAs(ctx, module, cl.roles[id])
}

// schemaAs is the Schema of module for role, or the caller's own for "".
func (cl *caller) schemaAs(ctx context.Context, module, role string) (Schema, error) {
	if role == "" {
		return cl.schema(ctx, module)
	}
	key := [2]string{module, role}
	if sch := cl.asRole[key]; sch != nil {
		return sch, nil
	}
	rs, ok := cl.s.schemas.(RoleSchemas)
	if !ok {
		return nil, fmt.Errorf("records: %T cannot give a referral role's schema", cl.s.schemas)
	}
	sch, err := rs.SchemaForRole(ctx, cl.c, cl.recordType, module, role)
	if err != nil {
		return nil, err
	}
	if cl.asRole == nil {
		cl.asRole = map[[2]string]Schema{}
	}
	cl.asRole[key] = sch
	return sch, nil
}

// ReferralRole returns the access role through which the transaction's
// subject reaches case id when a referral is its only way to it, "" when
// it reaches the case otherwise (its own role applies). Other domains that
// show a case's fields (attachments) use it.
func ReferralRole(ctx context.Context, c *tenancy.Conn, id string) (string, error) {
	return referralRole(ctx, c, id)
}

// reachedOtherwise is the condition that subject sub (whose id is the
// placeholder self) reaches the record whose id is the SQL expression
// record other than through a referral: a row of its own of another kind,
// or an owner or assigned row of a user within its group or agency scope.
func reachedOtherwise(q *sqlQuery, sub policy.Subject, self, record string) string {
	others := "false"
	switch sub.Scope {
	case policy.ScopeGroup:
		others = fmt.Sprintf("o.kind in ('owner', 'assigned') and o.user_id in (select g.user_id from user_groups_users g where g.user_group_id = any(%s::uuid[]))",
			q.arg(nonNil(sub.Groups)))
	case policy.ScopeAgency:
		var agency any
		if sub.Agency != "" {
			agency = sub.Agency
		}
		others = fmt.Sprintf("o.kind in ('owner', 'assigned') and o.user_id in (select p.id from principals p where p.agency_id = %s::uuid)", q.arg(agency))
	}
	return fmt.Sprintf(`exists (select 1 from record_access o where o.record_id = %s
		and ((o.user_id = %s::uuid and o.kind <> 'referral') or (%s)))`, record, self, others)
}

// referralSchema is the Schema of one referral access role in one module.
type referralSchema struct {
	module, role string
	sch          Schema
}

// referralSchemas returns the schemas, in each of modules, of the access
// roles of the referrals the caller has received (none for other record
// types than cases, scope all or subjects that are not users): searches
// must not match a record reached only through a referral on a field its
// role cannot read. roles are those access roles, read with the modules
// (searchConfig, referralRolesSQL).
func (cl *caller) referralSchemas(ctx context.Context, modules, roles []string) ([]referralSchema, error) {
	if !cl.readsReferralRoles() {
		return nil, nil
	}
	var out []referralSchema
	for _, role := range roles {
		for _, m := range modules {
			sch, err := cl.schemaAs(ctx, m, role)
			var ie *tenancy.InvalidError
			if errors.As(err, &ie) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, referralSchema{module: m, role: role, sch: sch})
		}
	}
	return out, nil
}

// readsReferralRoles reports whether a list of the caller needs the access
// roles of the referrals it received (referralSchemas): cases, seen by a
// user or account with a narrower scope than all.
func (cl *caller) readsReferralRoles() bool {
	sub := cl.c.Subject()
	_, ok := cl.s.schemas.(RoleSchemas)
	return ok && cl.recordType == TypeCase && sub.Scope != policy.ScopeAll && subjectID(sub) != nil
}

// referralRolesSQL selects, as one text array, the distinct access roles of
// the referrals that user (a parameter) received.
const referralRolesSQL = `(select coalesce(array_agg(distinct access_role order by access_role), '{}') from record_access
	where user_id = %s and kind = 'referral' and access_role is not null)`

// referralCond is the condition (on alias r) that keeps out the records the
// caller reaches only through a referral whose access role reads none of
// fields in the record's module; "" when no referral role lacks them.
func (sc *searchConfig) referralCond(q *sqlQuery, sub policy.Subject, fields ...string) string {
	return sc.referralExclude(q, sub, func(sch Schema) bool {
		return slices.ContainsFunc(fields, func(f string) bool { return readable(sch, f) })
	})
}

// referralExclude is the condition (on alias r) that keeps out the records
// the caller reaches only through a referral whose access role's schema in
// the record's module does not pass keep; "" when all pass.
func (sc *searchConfig) referralExclude(q *sqlQuery, sub policy.Subject, keep func(Schema) bool) string {
	var mods, roles []string
	for _, r := range sc.referrals {
		if !keep(r.sch) {
			mods, roles = append(mods, r.module), append(roles, r.role)
		}
	}
	if len(mods) == 0 {
		return ""
	}
	self := q.arg(subjectID(sub))
	return fmt.Sprintf(`not exists (select 1 from record_access a where a.record_id = r.id and a.user_id = %s::uuid
		and a.kind = 'referral' and (r.module_id, a.access_role) in (select * from unnest(%s::text[], %s::text[]))
		and not %s)`, self, q.arg(mods), q.arg(roles), reachedOtherwise(q, sub, self, "r.id"))
}
