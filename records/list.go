package records

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// PerMax is the largest page a list returns.
const PerMax = 1000

// rankCandidates bounds the matches of a phonetic search ranked by trigram
// similarity (docs/records.md, Searching); a variable for tests. Beyond,
// pages follow the most recently updated.
var rankCandidates = 2000

// recencyCandidates bounds the matches of a phonetic search (beyond
// rankCandidates) whose page by recency is taken from their key rows'
// updated_at (all of them read and kept for the sort); beyond, a walk of
// records' updated_at index finds the page sooner: it reads about per ×
// records / matches rows (measured at a million cases, docs/records.md
// Session 20: 12,000 matches in scope, 210 ms from the keys, 280 to 360
// walking; 74,000, 450 from the keys, 75 to 210 walking).
var recencyCandidates = 10_000

// OrderColumns are the columns a list may be ordered by (order_by), with
// their SQL on alias r. Ties are broken by id, so paging is stable.
var OrderColumns = map[string]string{
	"created_at":        "r.created_at",
	"updated_at":        "r.updated_at",
	"short_id":          "r.short_id",
	"status":            "r.status",
	"workflow":          "r.workflow",
	"sex":               "r.sex",
	"age":               "r.age",
	"date_of_birth":     "r.date_of_birth",
	"registration_date": "r.registration_date",
	"risk_level":        "r.risk_level",
}

// ListParams selects a page of records.
type ListParams struct {
	// Page (from 1) and Per (1 to PerMax).
	Page, Per int
	// OrderBy is one of OrderColumns; defaults to updated_at.
	OrderBy string
	// Order is "asc" or "desc"; defaults to desc.
	Order string
	// UpdatedSince keeps records updated at or after it (zero: all).
	UpdatedSince time.Time
	// Enabled keeps enabled (record_state true) or disabled records; nil
	// means enabled.
	Enabled *bool
	// Cursor continues a sync from the last record of the previous page
	// (ListResult.Cursor): records in (updated_at, id) ascending order, Page
	// ignored. It requires ordering by updated_at ascending.
	Cursor string
	// Search filters, searches and ranks (search.go).
	Search
	// orderExpr is the SQL of OrderBy, set by prepareSearch; rankText, for
	// a phonetic search ranked by relevance, the folded query.
	orderExpr, rankText string
	// orderValue, for an order on a configured field whose values are
	// typed (searchConfig.valueColumn), is their column in
	// record_field_values ("num", "day"): the page walks its index.
	orderValue string
}

// ListResult is a page of records and the exact number of records matching.
type ListResult struct {
	Records []Record
	Total   int
	// Cursor, when ordered by updated_at ascending and more records may
	// follow, continues after this page's last record.
	Cursor string
}

type cursor struct {
	UpdatedAt time.Time `json:"u"`
	ID        string    `json:"i"`
}

func encodeCursor(r Record) string {
	j, _ := json.Marshal(cursor{UpdatedAt: r.UpdatedAt, ID: r.ID})
	return base64.RawURLEncoding.EncodeToString(j)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	j, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(j, &c)
	}
	if err != nil || !isUUID(c.ID) || c.UpdatedAt.IsZero() {
		return c, &tenancy.InvalidError{In: "query", Field: "cursor", Value: s, Reason: "is not a cursor this server returned"}
	}
	return c, nil
}

// normalise checks p and fills its defaults.
func (p *ListParams) normalise() error {
	if p.Page == 0 {
		p.Page = 1
	}
	if p.Per == 0 {
		p.Per = 20
	}
	switch {
	case p.Page < 1:
		return &tenancy.InvalidError{In: "query", Field: "page", Value: p.Page, Reason: "must be 1 or more"}
	case p.Per < 1 || p.Per > PerMax:
		return &tenancy.InvalidError{In: "query", Field: "per", Value: p.Per, Reason: fmt.Sprintf("must be 1 to %d", PerMax)}
	}
	if p.Cursor != "" {
		if (p.OrderBy != "" && p.OrderBy != "updated_at") || (p.Order != "" && p.Order != "asc") {
			return &tenancy.InvalidError{In: "query", Field: "cursor", Reason: "a cursor continues a list ordered by updated_at ascending"}
		}
		p.OrderBy, p.Order, p.Page = "updated_at", "asc", 1
	}
	if p.OrderBy == "" && !(p.Phonetic && strings.TrimSpace(p.Query) != "") { // a phonetic search is ranked
		p.OrderBy = "updated_at"
	}
	if _, ok := OrderColumns[p.OrderBy]; !ok && p.OrderBy != "" && !fieldNameRE(p.OrderBy) { // fields: prepareSearch
		names := make([]string, 0, len(OrderColumns))
		for k := range OrderColumns {
			names = append(names, k)
		}
		slices.Sort(names)
		return &tenancy.InvalidError{In: "query", Field: "order_by", Value: p.OrderBy, Reason: "must be one of " + strings.Join(names, ", ")}
	}
	switch p.Order {
	case "":
		p.Order = "desc"
	case "asc", "desc":
	default:
		return &tenancy.InvalidError{In: "query", Field: "order", Value: p.Order, Reason: "must be asc or desc"}
	}
	return nil
}

// List returns a page of the records of recordType visible to the caller,
// with the exact number of visible records matching (the visibility
// predicate is in the SQL of both). The call's audit row lists the ids
// returned.
func (s *Service) List(ctx context.Context, code, recordType string, p ListParams) (ListResult, error) {
	if err := checkType(recordType); err != nil {
		return ListResult{}, err
	}
	if err := s.p.Authorize(ctx, code, permsOf(recordType).read); err != nil {
		return ListResult{}, err
	}
	if err := p.normalise(); err != nil {
		return ListResult{}, err
	}
	var after cursor
	if p.Cursor != "" {
		var err error
		if after, err = decodeCursor(p.Cursor); err != nil {
			return ListResult{}, err
		}
	}
	cl := s.caller(ctx, code, recordType)
	var out ListResult
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		cl.c = c
		q := newQuery(c.Subject(), recordType)
		if (p.IDSearch || p.PhoneNumber || p.Phonetic) && strings.TrimSpace(p.Query) != "" {
			// An ID or phone search finds a few records by index and
			// should probe their access rows, not hash the scope's. The
			// planner picks the probe only if it knows the scope's size
			// (a subquery is estimated at ten users: the plan flipped to a
			// hash after an analyze, 30 times slower), so the agency's or
			// group's users are read first and written into the statement
			// as a constant array (docs/records.md, Session 20). A phonetic
			// search too: its page of ids is checked again against the
			// scope, and with the scope sized at ten users the plan hashed
			// the agency's 170,000 access rows for 20 records (Session 23).
			users, err := scopeUsers(ctx, c)
			if err != nil {
				return err
			}
			if users != nil {
				q = newQueryOf(c.Subject(), recordType, users)
			}
		}
		enabled := true
		if p.Enabled != nil {
			enabled = *p.Enabled
		}
		q.whereShared("r.enabled = " + q.arg(enabled))
		if !p.UpdatedSince.IsZero() {
			q.where("r.updated_at >= " + q.arg(p.UpdatedSince))
		}
		if p.Cursor != "" {
			q.where(fmt.Sprintf("(r.updated_at, r.id) > (%s, %s::uuid)", q.arg(after.UpdatedAt), q.arg(after.ID)))
		}
		if p.OrderBy == "updated_at" && p.Order == "asc" {
			// Sync order: the page ends where writes have settled, so that a
			// transaction committing late never lands behind a cursor.
			settled, err := c.SettledBefore(ctx)
			if err != nil {
				return err
			}
			q.where("r.updated_at < " + q.arg(settled))
		}
		search, err := cl.prepareSearch(ctx, q, &p)
		if err != nil {
			return err
		}
		if scopeSide(c.Subject()) && p.rankText == "" && q.scopeable(p.orderExpr) {
			// Every condition and the order are columns of record_scope:
			// count and page there, bounded by the scope's owners
			// (docs/records.md, Indexes and Session 21).
			q.useScope()
		}
		out, err = listPage(ctx, c, q, p)
		if err != nil {
			return err
		}
		if search.rank != nil {
			search.rank(out.Records)
		}
		ids := make([]string, len(out.Records))
		for i := range out.Records {
			ids[i] = out.Records[i].ID
		}
		// Rows reached only through a referral show what its role reads.
		if err := cl.resolveRoles(ctx, ids...); err != nil {
			return err
		}
		for i := range out.Records {
			if err := cl.present(ctx, &out.Records[i]); err != nil {
				return err
			}
			trimFields(&out.Records[i], search.fields)
		}
		c.AuditRecord(ctx, recordType, "")
		return auditList(ctx, c, recordType, out.Total, ids)
	})
	return out, err
}

// listPage runs q for one page: the rows and, in the same statement (one
// snapshot), the exact count of all rows matching (a phonetic search from
// its key rows: keyedPage).
func listPage(ctx context.Context, c *tenancy.Conn, q *sqlQuery, p ListParams) (ListResult, error) {
	where, count, nWhere := q.whereSQL(), q.countSQL(), len(q.args)
	with := "with total as materialized (select " + count + " as n)\n"
	custom := false // plan the page's statement for its values (pgx.QueryExecModeDescribeExec)
	if p.rankText != "" {
		set, keyed := q.keyedSetSQL()
		bound := rankCandidates
		if keyed {
			bound = max(rankCandidates, recencyCandidates)
			// The matches once, from their key rows (index only): their
			// number decides how the page is taken, and up to the bound
			// they are the page's candidates and the exact total.
			out, done, err := keyedPage(ctx, c, q, p, set, bound)
			if done || err != nil {
				return out, err
			}
		} else {
			var n int
			if err := c.QueryRow(ctx, "select "+q.boundedCountSQL(bound+1), q.args...).Scan(&n); err != nil {
				return ListResult{}, err
			}
			if n <= rankCandidates {
				// Trigram similarity is costly per row (the table is read
				// for each match): it ranks at most rankCandidates matches.
				p.orderExpr = "similarity(r.name_folded, " + q.arg(p.rankText) + "::text)"
			}
		}
		if p.orderExpr == "" {
			// Beyond the bounds, pages follow the most recently updated (an
			// index walk that stops after the page) and names.Score orders
			// each page.
			p.orderExpr = "r.updated_at"
			// Planned with the search's keys, never by a cached generic plan:
			// with the keys as unknown parameters the planner takes a key
			// for one record in a hundred and gathers every match by the
			// name_keys index, then sorts (190,000 records read for a
			// common name at a million cases: 2.7 s), where the walk of
			// updated_at reads a few thousand (docs/records.md, Session 23).
			custom = true
		}
	}
	nulls := " nulls last"
	if p.orderExpr == "r.updated_at" || p.orderExpr == "r.created_at" { // never null: the index's order, either way
		nulls = ""
	}
	order := fmt.Sprintf("%s %s%s, r.id %s", p.orderExpr, p.Order, nulls, p.Order)
	// The page's ids: the conditions and the order need only the records
	// row (or its record_scope row: sqlQuery.useScope). With alternatives
	// (sqlQuery.whereEither, or the scope's branches), the first pages of
	// each merged: each is a walk of its own index range.
	var ids string
	branches := q.branchSQL()
	if p.orderValue != "" {
		// The page's ids walk the field's typed values in order, then (nulls
		// last) the records without a value by id, read only when the
		// values ran out before the page's end.
		ids = valueOrderedIDs(q, p, where)
		order = fmt.Sprintf("page.o %s nulls last, r.id %s", p.Order, p.Order)
	} else if q.scope != nil {
		// On record_scope the order is no index's (the owners' ranges come
		// in owner order), so the page's ids would read every entry in
		// scope again after the count: the branches are read once into m,
		// which gives both the count and the page (docs/records.md,
		// Session 22).
		parts := make([]string, len(branches))
		for i, w := range branches {
			parts[i] = "select r.id, " + p.orderExpr + " as o from record_scope r where " + w
		}
		with = "with m as materialized (" + strings.Join(parts, "\nunion all\n") + "),\n" +
			"total as materialized (select count(*) as n from m)\n"
		ids = "select m.id from m order by " +
			fmt.Sprintf("m.o %s%s, m.id %s limit %s offset %s", p.Order, nulls, p.Order, q.arg(p.Per), q.arg((p.Page-1)*p.Per))
	} else if len(branches) == 1 {
		ids = "select r.id from records r where " + where + " order by " + order +
			fmt.Sprintf(" limit %s offset %s", q.arg(p.Per), q.arg((p.Page-1)*p.Per))
	} else {
		head := q.arg(p.Page * p.Per)
		parts := make([]string, len(branches))
		for i, w := range branches {
			parts[i] = "(select r.id, " + p.orderExpr + " as o from " + q.table() + " r where " + w + " order by " + order + " limit " + head + ")"
		}
		ids = "select u.id from (" + strings.Join(parts, "\nunion all\n") + ") u order by " +
			fmt.Sprintf("u.o %s%s, u.id %s limit %s offset %s", p.Order, nulls, p.Order, q.arg(p.Per), q.arg((p.Page-1)*p.Per))
	}
	// The exact count once (a CTE), the page's ids, then the page's rows
	// only with their owner and satellites: joining those before the sort
	// would read them for every record matching.
	sql := with + "select " + recordColumns + ", (select n from total)" +
		" from (" + ids + ") page join records r on r.id = page.id" +
		strings.TrimPrefix(recordFrom, " from records r") + "order by " + order
	args := q.args
	if custom {
		// An unnamed statement, bound and planned with its values each time.
		args = append([]any{pgx.QueryExecModeDescribeExec}, q.args...)
	}
	if captureSQL != nil {
		captureSQL(sql, args)
	}
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		return ListResult{}, err
	}
	var out ListResult
	out.Records, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) {
		return scanRecord(row, &out.Total)
	})
	if err != nil {
		return ListResult{}, err
	}
	// Past the last page: the count alone. An empty first page has nothing
	// to count (the page and the count have the same conditions, in one
	// snapshot): an ID search outside the caller's scope, or no match,
	// spares the round trip.
	if len(out.Records) == 0 && p.Page > 1 {
		if err := c.QueryRow(ctx, "select "+count, q.args[:nWhere]...).Scan(&out.Total); err != nil {
			return ListResult{}, err
		}
	}
	if p.OrderBy == "updated_at" && p.Order == "asc" && len(out.Records) == p.Per && out.Total > p.Page*p.Per {
		out.Cursor = encodeCursor(out.Records[len(out.Records)-1])
	}
	if out.Records == nil {
		out.Records = []Record{}
	}
	return out, nil
}

// valueOrderedIDs selects the ids of a page (and their order value, o) of
// a list ordered by a configured field with typed values (p.orderValue):
// the records matching where that have a value, in the value's order, are a
// walk of record_field_values_<num|day>_idx joined to records by id that
// stops after page × per rows; the records without one come after them
// (nulls last) by id, read only when fewer than page × per have a value
// (a one-time filter on the first part's count).
func valueOrderedIDs(q *sqlQuery, p ListParams, where string) string {
	col, field, head := "v."+p.orderValue, q.arg(p.OrderBy), q.arg(p.Page*p.Per)
	return fmt.Sprintf(`with valued as materialized (select r.id, %[1]s as o from record_field_values v join records r on r.id = v.id
		where v.record_type = r.record_type and v.field = %[2]s::text and %[1]s is not null and (%[3]s)
		order by %[1]s %[4]s, v.id %[4]s limit %[5]s)
	select u.id, u.o from (select id, o from valued
		union all
		(select r.id, null from records r where (select count(*) from valued) < %[5]s and (%[3]s)
			and not exists (select from record_field_values v where v.id = r.id and v.field = %[2]s::text and %[1]s is not null)
			order by r.id %[4]s limit %[5]s)) u
	order by u.o %[4]s nulls last, u.id %[4]s limit %[6]s offset %[7]s`,
		col, field, where, p.Order, head, q.arg(p.Per), q.arg((p.Page-1)*p.Per))
}

// match is a phonetic search's match as its key rows tell it.
type match struct {
	id        string
	updatedAt time.Time
	// keys is the number of the record's name keys (ranking: fewest
	// first; 0 beyond rankCandidates). It stands for the trigram
	// similarity of the names, which would read every match's row of
	// records: every match has a key of each word of the query, so the
	// fewer keys, the fewer other name parts ("Yusuf Hassan" has 2 for
	// Yusuf Hassan, "Yusuf Hassan Ali" 3). Spellings of one sound share
	// their keys, so the query's own spelling is not preferred here;
	// names.Score does it within the page.
	keys int
}

// keyedPage takes the page of a phonetic search whose matches are counted
// from their key rows (set: sqlQuery.keyedSetSQL), in one statement that
// reads them (index only) and answers both the count and the candidates:
// up to rankCandidates matches are ranked by the number of their name keys
// (the key rows' record_keys: the name with the fewest other parts first),
// then by recency; up to bound, by recency (the key rows'
// updated_at). Only the page's rows of records are read, by primary key,
// with the search's conditions checked again (a record changed since the
// first statement is left out of the page). done is false when there are
// more than bound matches: listPage then walks records' updated_at index
// and counts them all.
func keyedPage(ctx context.Context, c *tenancy.Conn, q *sqlQuery, p ListParams, set string, bound int) (ListResult, bool, error) {
	sql := "select m.id::text, m.updated_at, m.keys from (" + set + " limit " + strconv.Itoa(bound+1) + ") m"
	if captureSQL != nil {
		captureSQL(sql, q.args)
	}
	rows, err := c.Query(ctx, sql, q.args...)
	if err != nil {
		return ListResult{}, false, err
	}
	matches, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (match, error) {
		var m match
		err := row.Scan(&m.id, &m.updatedAt, &m.keys)
		return m, err
	})
	if err != nil || len(matches) > bound {
		return ListResult{}, false, err
	}
	if len(matches) > rankCandidates { // by recency only
		for i := range matches {
			matches[i].keys = 0
		}
	}
	// Ties by id descending, as the walk's order (uuid order is the order
	// of their lower-case text).
	slices.SortFunc(matches, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.keys, b.keys), b.updatedAt.Compare(a.updatedAt), strings.Compare(b.id, a.id))
	})
	out := ListResult{Total: len(matches), Records: []Record{}}
	from := min((p.Page-1)*p.Per, len(matches))
	to := min(from+p.Per, len(matches))
	if from == to {
		return out, true, nil
	}
	ids := make([]string, 0, to-from)
	for _, m := range matches[from:to] {
		ids = append(ids, m.id)
	}
	sql = "select " + recordColumns + " from (select * from unnest(" + q.arg(ids) + "::uuid[]) with ordinality u(id, o)) page join records r on r.id = page.id" +
		strings.TrimPrefix(recordFrom, " from records r") + "where " + q.whereSQL() + "\norder by page.o"
	if captureSQL != nil {
		captureSQL(sql, q.args)
	}
	rows, err = c.Query(ctx, sql, q.args...)
	if err != nil {
		return ListResult{}, false, err
	}
	if out.Records, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) { return scanRecord(row) }); err != nil {
		return ListResult{}, false, err
	}
	return out, true, nil
}

// auditList puts a list call's count and the ids it returned (no personal
// data) on the call's audit row.
func auditList(ctx context.Context, c *tenancy.Conn, recordType string, total int, ids []string) error {
	return c.AuditChange(ctx, permsOf(recordType).read.String(), map[string]any{"total": total, "ids": ids})
}
