package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// sqlQuery builds one statement: its conditions and their arguments. Lists
// and searches start from newQuery, which puts the caller's visibility
// predicate first, and add their own conditions with where and arg.
type sqlQuery struct {
	args  []any
	conds []string
	// shared marks the conditions that read only columns record_name_keys
	// has too, under the same names (record_type, id, module_id, enabled,
	// hidden_name): they hold on a row of either table aliased r.
	shared []bool
	// keyed holds, for a shared condition written differently on
	// record_name_keys (whereKeyed), that form; "" elsewhere.
	keyed []string
	// keyWords are the placeholders of the name keys of each word of a
	// phonetic search (whereKeys), keyCond the place in conds of its
	// condition on records.name_keys; keySingle marks the words that have
	// one key only.
	keyWords  []string
	keySingle []bool
	keyCond   int
	// alternatives, when set (whereEither), is a condition written as
	// disjoint alternatives: no record meets two. Counts add the counts of
	// each, pages merge their ordered pages, so that each is bounded by its
	// own index range (an OR cannot bound a btree scan).
	alternatives []string
	// visAt is 1 + the place in conds of the visibility condition
	// (newQueryOf); 0 for none. visSelf and visScope are, for the agency
	// and group scopes, the placeholder of the caller and the SQL of the
	// array of the caller and its scope's users (visibleOf), which the
	// visibility on record_scope (scopeVisible) reuses.
	visAt             int
	visSelf, visScope string
	// scope, when set (useScope), are the statement's conditions on
	// record_scope as disjoint branches (the visibility's alternatives,
	// each with every alternative): counts and pages read that table.
	scope []string
	// placed: one of the conditions is the location filter of one place
	// (its subtree's paths: locationFilter), which bounds a scan of
	// record_scope_place_idx (scopeVisible).
	placed bool
}

// arg adds an argument and returns its placeholder ($n).
func (q *sqlQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// where adds a condition (on alias r, the records table).
func (q *sqlQuery) where(cond string) {
	q.conds, q.shared, q.keyed = append(q.conds, cond), append(q.shared, false), append(q.keyed, "")
}

// whereShared adds a condition that reads only columns records and
// record_name_keys both have (see shared).
func (q *sqlQuery) whereShared(cond string) {
	q.conds, q.shared, q.keyed = append(q.conds, cond), append(q.shared, true), append(q.keyed, "")
}

// whereKeyed adds a condition written cond on records and keys on
// record_name_keys (the same placeholders in both): the visibility of the
// agency and group scopes, which the key rows bound by their owner_id.
func (q *sqlQuery) whereKeyed(cond, keys string) {
	q.conds, q.shared, q.keyed = append(q.conds, cond), append(q.shared, true), append(q.keyed, keys)
}

// whereKeys adds a phonetic search's condition: for each word (its keys),
// the record has one of its keys.
func (q *sqlQuery) whereKeys(words [][]string) {
	conds := make([]string, len(words))
	q.keyWords, q.keySingle = make([]string, len(words)), make([]bool, len(words))
	for i, keys := range words {
		q.keyWords[i], q.keySingle[i] = q.arg(keys), len(keys) == 1
		conds[i] = "r.name_keys && " + q.keyWords[i] + "::text[]"
	}
	q.keyCond = len(q.conds)
	q.where(strings.Join(conds, " and "))
}

// whereEither adds a condition written as alternatives that no record
// meets together (see alternatives); at most one per statement.
func (q *sqlQuery) whereEither(alts []string) {
	if len(alts) == 1 || q.alternatives != nil {
		q.where(strings.Join(alts, " or "))
		return
	}
	q.alternatives = alts
}

// whereSQL is the conjunction of the conditions.
func (q *sqlQuery) whereSQL() string {
	conds := q.conds
	if q.alternatives != nil {
		conds = append(slices.Clip(conds), strings.Join(q.alternatives, " or "))
	}
	if len(conds) == 0 {
		return "true"
	}
	return "(" + strings.Join(conds, ")\n\tand (") + ")"
}

// branchSQL is the conjunction of the conditions once per alternative
// (whereEither), or once; with scope, its branches (on table()).
func (q *sqlQuery) branchSQL() []string {
	if q.scope != nil {
		return q.scope
	}
	if q.alternatives == nil {
		return []string{q.whereSQL()}
	}
	out := make([]string, len(q.alternatives))
	for i, alt := range q.alternatives {
		out[i] = "(" + strings.Join(append(slices.Clip(q.conds), alt), ")\n\tand (") + ")"
	}
	return out
}

// countSQL is an expression counting the records matching (alias r): with
// alternatives, the sum of their counts (each an index range of its own).
func (q *sqlQuery) countSQL() string {
	return q.boundedCountSQL(0)
}

// boundedCountSQL is countSQL counting at most limit records (of each
// alternative) when limit > 0: enough to compare the count with a bound
// without reading every match.
func (q *sqlQuery) boundedCountSQL(limit int) string {
	bound := ""
	if limit > 0 {
		bound = " limit " + strconv.Itoa(limit)
	}
	if set, ok := q.keyedSetSQL(); ok {
		return "(select count(*) from (" + set + bound + ") m)"
	}
	var counts []string
	for _, w := range q.branchSQL() {
		if bound != "" {
			counts = append(counts, "(select count(*) from (select from "+q.table()+" r where "+w+bound+") m)")
			continue
		}
		counts = append(counts, "(select count(*) from "+q.table()+" r where "+w+")")
	}
	return "(" + strings.Join(counts, " + ") + ")"
}

// table is the table that branchSQL's conditions read (alias r).
func (q *sqlQuery) table() string {
	if q.scope != nil {
		return "record_scope"
	}
	return "records"
}

// keyedSetSQL selects the ids of the records matching a phonetic search
// from record_name_keys alone (index-only scans of record_name_keys_key_idx,
// never the table of records), each once: the key rows of one word that
// meet the other conditions, and for every other word a key row of the same
// record (the side table's other columns are the record's, the same on each
// of its rows). It applies when every other condition is shared (the
// search's own: type, scope, enabled, the modules and hidden names the
// caller may search); with other filters the count reads records.
func (q *sqlQuery) keyedSetSQL() (string, bool) {
	if len(q.keyWords) == 0 || q.alternatives != nil {
		return "", false
	}
	// The agency's and group's visibility as two disjoint branches (the
	// owner in scope; another row of the caller's scope), so that the owner
	// is an index condition of record_name_keys_key_idx (type, key, owner):
	// the scope's entries of the key, not every entry of it filtered
	// (migration 040, docs/records.md Session 23).
	vis := -1
	var branches []string
	if q.visAt > 0 && q.visScope != "" && q.keyed[q.visAt-1] != "" {
		vis, branches = q.visAt-1, scopeVisible(q) // the owner's branch "= any": a place filter is no search's
	}
	conds := []string{"true"}
	for i, c := range q.conds {
		if i == q.keyCond || i == vis {
			continue
		}
		if !q.shared[i] {
			return "", false
		}
		if q.keyed[i] != "" {
			c = q.keyed[i]
		}
		conds = append(conds, c)
	}
	key := func(i int, alias string) string {
		if q.keySingle[i] { // a record has one row with the key
			return alias + ".name_key = (" + q.keyWords[i] + "::text[])[1]"
		}
		return alias + ".name_key = any(" + q.keyWords[i] + "::text[])"
	}
	first := max(slices.Index(q.keySingle, true), 0) // a word with one key if any: no duplicate to remove
	// Every key row of a record has its updated_at (a page by recency) and
	// its distinct name keys (record_keys: their number ranks the matches).
	sel := "select r.id, r.updated_at, cardinality(r.record_keys) as keys"
	if !q.keySingle[first] { // a record has several keys of the word: once
		sel = "select distinct r.id, r.updated_at, cardinality(r.record_keys) as keys"
	}
	sql := sel + " from record_name_keys r where (" + strings.Join(conds, ")\n\tand (") + ") and " + key(first, "r")
	// The other words on the same entry: the record's keys (migration
	// record_scope_place, docs/records.md Session 22), not a probe of their
	// own key rows.
	for i := range q.keyWords {
		if i != first {
			sql += "\n\tand r.record_keys && " + q.keyWords[i] + "::text[]"
		}
	}
	if branches == nil {
		return sql, true
	}
	parts := make([]string, len(branches))
	for i, b := range branches {
		parts[i] = sql + "\n\tand (" + b + ")"
	}
	return strings.Join(parts, "\nunion all\n"), true
}

// newQuery starts a statement over records of one type visible to s.
func newQuery(s policy.Subject, recordType string) *sqlQuery {
	return newQueryOf(s, recordType, nil)
}

// newRecordQuery starts a statement on one record of one type (its id
// added by the caller) visible to s, with the visibility of one record
// (visibleRecord).
func newRecordQuery(s policy.Subject, recordType string) *sqlQuery {
	q := &sqlQuery{}
	q.whereShared("r.record_type = " + q.arg(recordType))
	q.where(visibleRecord(q, s))
	return q
}

// visibleRecord is visible's predicate for a statement on one record
// (found by its id): the record's few access rows, each checked against
// the scope (its user's agency, or its user's groups), instead of the
// scope's users gathered first (~350 for an agency, read for every get:
// docs/records.md, Session 21). The rows are the same as visible's: own
// rows of any kind, others' owner and assigned rows of a user in scope.
func visibleRecord(q *sqlQuery, s policy.Subject) string {
	var inScope string
	switch s.Scope {
	case policy.ScopeAll:
		return "true"
	case policy.ScopeGroup:
		inScope = fmt.Sprintf("exists (select from user_groups_users g where g.user_id = a.user_id and g.user_group_id = any(%s::uuid[]))",
			q.arg(nonNil(s.Groups)))
	case policy.ScopeAgency:
		var agency any
		if s.Agency != "" {
			agency = s.Agency
		}
		inScope = fmt.Sprintf("exists (select from principals p where p.id = a.user_id and p.agency_id = %s::uuid)", q.arg(agency))
	default:
		return visible(q, s)
	}
	return fmt.Sprintf(`exists (select from record_access a where a.record_id = r.id
		and (a.user_id = %s::uuid or a.kind in ('owner', 'assigned') and %s))`, q.arg(subjectID(s)), inScope)
}

// newQueryOf is newQuery with the scope's users given (visibleOf).
func newQueryOf(s policy.Subject, recordType string, users []string) *sqlQuery {
	q := &sqlQuery{}
	q.whereShared("r.record_type = " + q.arg(recordType))
	q.visAt = len(q.conds) + 1
	q.whereKeyed(visibleOf(q, s, users))
	return q
}

// scopeUsers reads, in c's transaction, the caller and the users and
// service accounts its agency or group scope reaches now (nil for other
// scopes), as a constant array for visibleOf.
func scopeUsers(ctx context.Context, c *tenancy.Conn) ([]string, error) {
	s := c.Subject()
	q := &sqlQuery{}
	others := scopeOthers(q, s)
	if others == "" {
		return nil, nil
	}
	self := q.arg(subjectID(s))
	users := []string{}
	err := c.QueryRow(ctx, "select coalesce(array_agg(distinct u::text) filter (where u is not null), '{}') from (select "+self+
		"::uuid union all "+others+") x(u)", q.args...).Scan(&users)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if !isUUID(u) { // never: uuid columns' text; the array is written into SQL
			return nil, fmt.Errorf("records: scope user %q is not a uuid", u)
		}
	}
	return users, nil
}

// visible returns the predicate (on alias r) of the records subject s may
// see, computed from record_access and current membership (docs/records.md,
// Storage): own scope, a row for s; group scope, also an owner or assigned
// row of a user sharing one of s's user groups; agency scope, also an owner
// or assigned row of a user or service account now in s's agency; all
// scope, every record. An unknown scope is treated as own.
//
// The predicate is an EXISTS over record_access, correlated on the record
// id, so that the planner chooses the side that drives: a search that
// finds a few records by index (ID search, a short id) probes
// record_access_row_idx for those few only, while a list over a wide scope
// lists the users whose records s sees once (an InitPlan), reads their
// rows from record_access_user_idx and joins the records found. (Written
// as "r.id in (... union ...)" it was always the latter: an ID search by a
// caller with the agency scope built the whole scope, ~130,000 rows at a
// million records, to keep one.)
func visible(q *sqlQuery, s policy.Subject) string {
	pred, _ := visibleBoth(q, s)
	return pred
}

// visibleBoth returns visible's predicate and, with the same placeholders,
// the same predicate on a record_name_keys row aliased r ("" when it is
// the same SQL). On the key rows the agency and group scopes are the
// owner's user among the scope's users now (owner_id, kept by triggers on
// the owner rows of record_access: migration record_name_keys_owner) or a
// record reached through another row (assigned, or the caller's own
// referral or transfer row): a filter of the index-only scan of the
// phonetic search's keys plus a hashed set of those few records, instead
// of a hash of every access row of the scope (~180,000 for an agency at a
// million cases) built for each statement.
func visibleBoth(q *sqlQuery, s policy.Subject) (string, string) {
	return visibleOf(q, s, nil)
}

// scopeOthers selects the users and service accounts other than s whose
// records s's agency or group scope reaches now ("" for other scopes).
func scopeOthers(q *sqlQuery, s policy.Subject) string {
	switch s.Scope {
	case policy.ScopeGroup:
		return fmt.Sprintf("select g.user_id from user_groups_users g where g.user_group_id = any(%s::uuid[])", q.arg(nonNil(s.Groups)))
	case policy.ScopeAgency:
		var agency any
		if s.Agency != "" {
			agency = s.Agency
		}
		return fmt.Sprintf("select p.id from principals p where p.agency_id = %s::uuid", q.arg(agency))
	}
	return ""
}

// visibleOf is visibleBoth; with users (not nil: the caller and the users
// of its agency or group scope, read in the transaction by scopeUsers) the
// scope is that constant array instead of a subquery, so that the planner
// knows its size (List does so for ID and phone searches).
func visibleOf(q *sqlQuery, s policy.Subject, users []string) (string, string) {
	if s.Scope == policy.ScopeAll {
		return "true", ""
	}
	self := q.arg(subjectID(s))
	var others string
	if users == nil {
		if others = scopeOthers(q, s); others == "" {
			return fmt.Sprintf("exists (select from record_access a where a.record_id = r.id and a.user_id = %s::uuid)", self), ""
		}
	}
	// One condition on user_id (the caller and the others), so that the
	// scope's rows are an index-only scan of record_access_user_idx (kind is
	// included) when the planner hashes the scope, and an index condition of
	// record_access_row_idx when it probes a record: written as "user_id =
	// self or (kind ... and user_id = any(others))", the OR made it a bitmap
	// scan reading each row of the scope from the table (2.6 s of a phonetic
	// count at a million records).
	scope := fmt.Sprintf("array(select %s::uuid union all %s)", self, others)
	if users != nil {
		scope = "'{" + strings.Join(users, ",") + "}'::uuid[]"
		others = "select unnest(" + scope + ")"
	}
	q.visSelf, q.visScope = self, scope
	return fmt.Sprintf(`exists (select from record_access a where a.record_id = r.id
		and a.user_id = any(%[2]s)
		and (a.user_id = %[1]s::uuid or a.kind in ('owner', 'assigned')))`, self, scope),
		// The owner in scope, or another row (record_access_shared_idx).
		// "owner_id in (subquery)" is a hashed subplan, one probe a key
		// row; "= any(array(...))" compared each key row with every user of
		// the scope (4.5 s for the ~317,000 key rows of Mohamed).
		fmt.Sprintf(`r.owner_id in (select %[1]s::uuid union all %[3]s)
		or r.id in (select a.record_id from record_access a where a.kind <> 'owner' and a.user_id = any(%[2]s)
			and (a.user_id = %[1]s::uuid or a.kind = 'assigned'))`, self, scope, others)
}

// subjectID is the subject's id as a record_access user_id: users and
// service accounts; nil for others (who then have no row of their own).
func subjectID(s policy.Subject) any {
	if (s.Kind == policy.KindUser || s.Kind == policy.KindService) && isUUID(strings.ToLower(s.ID)) {
		return s.ID
	}
	return nil
}

// recordColumns and recordFrom read a Record (scanRecord); the owner, the
// associated users and a case's incidents come from current rows, never
// from copies.
const recordColumns = recordColumnsHead + `
	coalesce((select array_agg(distinct x.user_id::text) from record_access x where x.record_id = r.id and x.kind in ('owner', 'assigned')), '{}'),` +
	recordColumnsTail

// recordColumnsHead and recordColumnsTail are recordColumns but for the
// associated users between them.
const recordColumnsHead = `r.id, r.record_type, r.short_id, r.module_id, r.status, r.workflow, r.enabled, r.flagged, r.hidden_name,
	coalesce(r.case_id::text, ''), r.data, r.version, r.created_by, r.created_at, r.updated_by, r.updated_at,
	coalesce(o.user_id::text, ''), coalesce(o.name, ''), coalesce(o.agency, ''),`

const recordColumnsTail = `
	case when r.record_type = 'case' then
		coalesce((select array_agg(i.id::text order by i.created_at, i.id) from records i where i.case_id = r.id), '{}') end,
	r.approval_status`

const recordFrom = ` from records r` + recordOwner

// recordOwner joins a record r (a table or a CTE) to its owner (alias o).
const recordOwner = ` left join lateral (select x.user_id, p.name, g.unique_id as agency from record_access x
	join principals p on p.id = x.user_id left join agencies g on g.id = p.agency_id
	where x.record_id = r.id and x.kind = 'owner') o on true `

// readWritten is readRecord for the statement that writes the record: the
// with query written (its CTE named written returns the record's row, as
// "returning *" does) followed by the select of the record as written, in
// one statement, with the call's audit row (tenancy.Conn.WithCallAudit)
// and the configuration version (forms.NoteVersion). The record's
// visibility is the one checked when it was locked (lockRecord) in this
// transaction. args are written's.
func readWritten(ctx context.Context, c *tenancy.Conn, written string, args []any) (Record, error) {
	return readWrittenAs(ctx, c, written, "select "+recordColumns+", "+forms.VersionSQL+" from written r"+recordOwner, args)
}

// readCreated is readWritten for the statement that inserts the record and
// its owner row (the principal whose id is the placeholder owner): the
// statement's select sees neither row in the tables, so the owner and the
// associated users (the owner alone, named even when no principal row
// describes it, as record_access does) come from the placeholder. No row:
// tenancy.ErrNotFound (the id taken meanwhile, nothing inserted).
func readCreated(ctx context.Context, c *tenancy.Conn, written, owner string, args []any) (Record, error) {
	return readWrittenAs(ctx, c, written, "select "+recordColumnsHead+" array[("+owner+"::uuid)::text],"+recordColumnsTail+", "+forms.VersionSQL+
		` from written r left join lateral (select p.id as user_id, p.name, g.unique_id as agency from principals p
			left join agencies g on g.id = p.agency_id where p.id = `+owner+`::uuid) o on true`, args)
}

func readWrittenAs(ctx context.Context, c *tenancy.Conn, written, read string, args []any) (Record, error) {
	sql, args, err := c.WithCallAudit(ctx, written+" "+read, args)
	if err != nil {
		return Record{}, err
	}
	var version int64
	r, err := scanRecord(c.QueryRow(ctx, sql, args...), &version)
	if err == nil {
		forms.NoteVersion(c, version)
	}
	return r, err
}

func scanRecord(row pgx.Row, extra ...any) (Record, error) {
	var r Record
	var incidents []string
	dest := append([]any{&r.ID, &r.RecordType, &r.ShortID, &r.ModuleID, &r.Status, &r.Workflow, &r.Enabled, &r.Flagged,
		&r.HiddenName, &r.CaseID, &r.Data, &r.Version, &r.CreatedBy, &r.CreatedAt, &r.UpdatedBy, &r.UpdatedAt,
		&r.OwnerID, &r.OwnedBy, &r.OwnedByAgency, &r.AssociatedUserIDs, &incidents, &r.ApprovalStatus}, extra...)
	err := row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, tenancy.ErrNotFound
	}
	r.IncidentIDs = incidents
	return r, err
}

// getRecord reads one record of recordType visible to the transaction's subject.
func getRecord(ctx context.Context, c *tenancy.Conn, recordType, id string) (Record, error) {
	q := newRecordQuery(c.Subject(), recordType)
	q.where("r.id = " + q.arg(id))
	return scanRecord(c.QueryRow(ctx, "select "+recordColumns+recordFrom+"where "+q.whereSQL(), q.args...))
}

// readRecord is getRecord as the call's last read of the record: the same
// statement writes the call's audit row (tenancy.Conn.WithCallAudit: the
// record must be named already) and reads the configuration version for
// the schema lookups that follow (forms.NoteVersion), sparing a round trip
// for each. A record not found rolls the transaction back, audit row
// included (the API then records the failed call).
//
// It also reads, unless known already, the referral role through which
// caller cl reaches the record (roleColumn), sparing resolveRoles' statement.
func readRecord(ctx context.Context, cl *caller, id string) (Record, error) {
	c := cl.c
	q := newRecordQuery(c.Subject(), cl.recordType)
	q.where("r.id = " + q.arg(id))
	role := "null::text"
	if _, known := cl.roles[id]; !known {
		role = cl.roleColumn(q)
	}
	sql, args, err := c.WithCallAudit(ctx, "select "+recordColumns+", "+forms.VersionSQL+", "+role+recordFrom+"where "+q.whereSQL(), q.args)
	if err != nil {
		return Record{}, err
	}
	var version int64
	var referral *string
	r, err := scanRecord(c.QueryRow(ctx, sql, args...), &version, &referral)
	if err == nil {
		forms.NoteVersion(c, version)
		if _, known := cl.roles[id]; !known {
			cl.knowRole(id, referral)
		}
	}
	return r, err
}

// stored is what a write needs of the record it changes, locked.
type stored struct {
	ModuleID   string
	Enabled    bool
	HiddenName bool
	OwnerID    string
	Version    int64
	Data       Data
}

// lockRecord locks one record of recordType visible to the transaction's
// subject for a write (FOR UPDATE: a concurrent write waits, then sees the
// version this one wrote).
//
// With a caller (cl not nil), it also reads the referral role through
// which cl reaches the record (roleColumn), as readRecord does, and the
// OnWrite hook's value (Config.OnWriteRead), noted on c.
func lockRecord(ctx context.Context, c *tenancy.Conn, cl *caller, recordType, id string) (stored, error) {
	q := newRecordQuery(c.Subject(), recordType)
	q.where("r.id = " + q.arg(id))
	role, hook := "null::text", "null::text"
	var read *NotedRead
	if cl != nil {
		role = cl.roleColumn(q)
		if read = cl.s.onWriteRead; read != nil {
			hook = read.SQL
		}
	}
	var s stored
	// The configuration version too, for the validator (forms.NoteVersion).
	var version int64
	var referral, noted *string
	err := c.QueryRow(ctx, `select r.module_id, r.enabled, r.hidden_name, r.version, r.data,
		coalesce((select x.user_id::text from record_access x where x.record_id = r.id and x.kind = 'owner'), ''), `+forms.VersionSQL+`, `+role+`, `+hook+`
		from records r where `+q.whereSQL()+" for update of r", q.args...).
		Scan(&s.ModuleID, &s.Enabled, &s.HiddenName, &s.Version, &s.Data, &s.OwnerID, &version, &referral, &noted)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, tenancy.ErrNotFound
	}
	if err == nil {
		forms.NoteVersion(c, version)
		if cl != nil {
			cl.knowRole(id, referral)
		}
		if read != nil {
			c.Note(read.Key, noted)
		}
	}
	return s, err
}

// changesSince reads the data changes of versions after base, oldest first.
func changesSince(ctx context.Context, c *tenancy.Conn, id string, base int64) ([]FieldChange, error) {
	rows, err := c.Query(ctx, "select changes from record_history where record_id = $1 and version > $2 order by version", id, base)
	if err != nil {
		return nil, err
	}
	var out []FieldChange
	var changes []FieldChange
	_, err = pgx.ForEachRow(rows, []any{&changes}, func() error {
		out = append(out, changes...)
		changes = nil
		return nil
	})
	return out, err
}

// actorName is the SQL expression (with the subject id as $1 and its
// string form as $2) of a writer's name for created_by, updated_by and the
// history: a user's email, a service account's name, or the subject itself.
const actorName = `coalesce((select p.name from principals p where p.id = $1::uuid), $2::text)`

// locationPath is the SQL of the path (ltree) of the location whose code is
// the parameter param: null for no code or an unknown one. Paths are
// resolved when a record is written; a location moved in the hierarchy must
// have the paths under it rewritten (package locations).
func locationPath(param string) string {
	return "(select l.path from locations l where l.code = " + param + "::text)"
}

// keysVersion is the version of the name keys written (names.KeysVersion).
var keysVersion = strconv.Itoa(names.KeysVersion)

// writeHistory appends version of record id's change log.
func writeHistory(ctx context.Context, c *tenancy.Conn, id string, version int64, action string, changes []FieldChange) error {
	j, err := historyJSON(changes)
	if err != nil {
		return err
	}
	s := c.Subject()
	_, err = c.Exec(ctx, `insert into record_history (record_id, version, actor, actor_name, action, changes)
		values ($3, $4, $2, `+actorName+`, $5, $6)`, subjectID(s), s.String(), id, version, action, j)
	return err
}

// historyJSON is the changes column of a history entry.
func historyJSON(changes []FieldChange) ([]byte, error) {
	if changes == nil {
		changes = []FieldChange{}
	}
	return json.Marshal(changes)
}

// historyCTE is writeHistory as a data-modifying CTE named hist, for the
// statement that writes the record: from, a CTE returning the record's id
// and new version; $2 is the subject's string form and actorName's $1 its
// id; action and changes are parameters given by the caller.
func historyCTE(from, action, changes string) string {
	return `hist as (insert into record_history (record_id, version, actor, actor_name, action, changes)
		select id, version, $2, ` + actorName + `, ` + action + `, ` + changes + ` from ` + from + `)`
}

// syncTraces mirrors a tracing request's trace rows into traces: rows gone
// are deleted, the others inserted or updated, each with its place among
// the rows (position: FTR matching reads the request's separation as its
// first row's). A row id used by another tracing request's trace is refused
// (422 at the row's place in rows).
func syncTraces(ctx context.Context, c *tenancy.Conn, trID string, rows []map[string]any, at func(id string) string) error {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = rowID(r)
	}
	taken, err := c.Query(ctx, "select id::text from traces where id = any($1::uuid[]) and tracing_request_id <> $2", ids, trID)
	if err != nil {
		return err
	}
	clash, err := pgx.CollectRows(taken, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if len(clash) > 0 {
		var bad []tenancy.FieldError
		for _, id := range clash {
			bad = append(bad, tenancy.FieldError{Path: at(id) + ".unique_id", Reason: "is the id of a row of another record: give each row a new UUID", Value: id})
		}
		return &tenancy.ValidationError{Title: "The tracing request is not valid.", Errors: bad}
	}
	if _, err := c.Exec(ctx, "delete from traces where tracing_request_id = $1 and not (id = any($2::uuid[]))", trID, ids); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for i, r := range rows {
		x := extractTrace(r)
		b.Queue(`insert into traces (id, tracing_request_id, data, name_keys, name_keys_version, name_folded, sex, age, date_of_birth,
				location_last, position)
			values ($1, $2, $3, $4, `+keysVersion+`, $5, $6, $7, $8, `+locationPath("$9")+`, $10)
			on conflict (id) do update set data = excluded.data, name_keys = excluded.name_keys,
				name_keys_version = excluded.name_keys_version, name_folded = excluded.name_folded,
				sex = excluded.sex, age = excluded.age, date_of_birth = excluded.date_of_birth, location_last = excluded.location_last,
				position = excluded.position, updated_at = now()
			where traces.tracing_request_id = excluded.tracing_request_id
				and (traces.data is distinct from excluded.data or traces.position <> excluded.position)`,
			rowID(r), trID, r, x.NameKeys, x.NameFolded, x.Sex, x.Age, x.DateOfBirth, x.Location, i)
	}
	return c.SendBatch(ctx, b).Close()
}
