package records

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cpims-hosted/cpims/policy"
)

// scopeColumns are the columns of record_scope, the scope side table
// (migration record_scope, docs/records.md Indexes): one row per record
// with its owner and the records columns of the same names.
var scopeColumns = map[string]bool{
	"id": true, "record_type": true, "module_id": true, "owner_id": true, "enabled": true, "status": true,
	"workflow": true, "location_current": true, "date_of_birth": true, "age": true, "sex": true,
	"risk_level": true, "flagged": true, "created_at": true, "updated_at": true,
}

// columnRef finds the columns a condition reads on alias r.
var columnRef = regexp.MustCompile(`\br\.([a-z_]+)`)

// onScope reports whether every column that sql reads on alias r is one of
// record_scope's (the same SQL then holds on a row of either table).
func onScope(sql string) bool {
	for _, m := range columnRef.FindAllStringSubmatch(sql, -1) {
		if !scopeColumns[m[1]] {
			return false
		}
	}
	return true
}

// scopeSide reports whether s's scope is one that record_scope bounds:
// agency and group, whose records are mostly their users' own.
func scopeSide(s policy.Subject) bool {
	return s.Scope == policy.ScopeAgency || s.Scope == policy.ScopeGroup
}

// scopeVisible is the visibility of records to s on a record_scope row
// aliased r, as disjoint alternatives (no record meets both): the owner is
// one of the caller and its scope's users now (a range of
// record_scope_owner_idx each); or the record is reached through another
// row (assigned, or the caller's own referral or transfer:
// record_access_shared_idx) and its owner is not one of them. Together
// they are the records visible(q, s) keeps (the second is written with
// coalesce: a caller without an id of its own puts a null in the scope's
// array, and "<> all" of an array holding a null is never true). It
// reuses the placeholders of q's visibility (visibleOf: visSelf, visScope).
//
// With a place filter (q.placed) the owner is a hashed probe of the
// scope's users ("in" under "is true", which the planner cannot turn into
// a join nor an index condition), so that the scan is the place's ranges
// of record_scope_place_idx: the entries of one place, whatever their
// owner, are far fewer than the scope's users times the places' descents
// of record_scope_owner_idx (docs/records.md, Session 22).
func scopeVisible(q *sqlQuery) []string {
	owner := "r.owner_id = any(" + q.visScope + ")"
	if q.placed {
		owner = "(r.owner_id in (select unnest(" + q.visScope + "))) is true"
	}
	return []string{
		owner,
		fmt.Sprintf(`r.id in (select a.record_id from record_access a where a.kind <> 'owner' and a.user_id = any(%[2]s)
			and (a.user_id = %[1]s::uuid or a.kind = 'assigned'))
		and not coalesce(r.owner_id = any(%[2]s), false)`, q.visSelf, q.visScope),
	}
}

// scopeable reports whether q can count and page on record_scope: it has
// a visibility condition (newQueryOf) and every other condition, every
// alternative and the order (orderExpr) read only record_scope's columns.
func (q *sqlQuery) scopeable(orderExpr string) bool {
	vis := q.visAt - 1
	if vis < 0 || q.visScope == "" || q.scope != nil || len(q.keyWords) > 0 || orderExpr == "" || !onScope(orderExpr) {
		return false
	}
	for i, c := range q.conds {
		if i != vis && !onScope(c) {
			return false
		}
	}
	for _, a := range q.alternatives {
		if !onScope(a) {
			return false
		}
	}
	return true
}

// useScope makes q (scopeable) count and page on record_scope: its
// branches are the conditions with each of the scope's visibility
// alternatives (scopeVisible) in place of the visibility, times each
// alternative.
func (q *sqlQuery) useScope() {
	vis := q.visAt - 1
	alts := q.alternatives
	if alts == nil {
		alts = []string{"true"}
	}
	others := slices.Delete(slices.Clone(q.conds), vis, vis+1)
	for _, v := range scopeVisible(q) {
		for _, a := range alts {
			q.scope = append(q.scope, "("+strings.Join(append(slices.Clone(others), v, a), ")\n\tand (")+")")
		}
	}
}

// ScopeSQL returns, for a subject whose scope is agency or group, the
// records it may see as disjoint predicates on a record_scope row aliased
// r (the union of their rows is exactly what VisibleSQL keeps on records),
// with their arguments appended to args. For other scopes it returns nil:
// use VisibleSQL on records. Dashboards count through it (an index-only
// scan bounded by the scope's owners instead of a hash of the scope's
// access rows).
func ScopeSQL(s policy.Subject, args []any) ([]string, []any) {
	if !scopeSide(s) {
		return nil, args
	}
	q := &sqlQuery{args: args}
	visibleOf(q, s, nil)
	return scopeVisible(q), q.args
}
