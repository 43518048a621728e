package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Search narrows a list and ranks it (docs/records.md, Search): filters by
// field name, free text, exact ID and phone search, phonetic name search,
// and the fields a list returns.
type Search struct {
	// Filters by name (CoreFilters or a field configured filterable), each
	// with its values as sent: repeated parameters and comma-separated
	// values are alternatives (status=open,closed). Ranges are "from..to"
	// (either end may be left out: age=5..10, registration_date=2024-01-01..).
	Filters map[string][]string
	// Query searches: by default the names (each word a part of a name),
	// short ids and ID fields; with IDSearch the ID fields and short ids
	// only (normalised, exact); with PhoneNumber the phone fields (digits,
	// exact); with Phonetic the names by their phonetic keys (every word of
	// the query must meet a name), ranked best first.
	Query                           string
	IDSearch, PhoneNumber, Phonetic bool
	// Fields, when not empty, are the configured fields the records of the
	// page carry (core attributes are always there).
	Fields []string
}

// captureSQL, set by tests, sees the SQL of each list page (query plans).
var captureSQL func(sql string, args []any)

// CoreFilters are the filters every list has, besides the fields a
// tenant's configuration marks filterable.
var CoreFilters = []string{"age", "date_of_birth", "flagged", "location_current", "owned_by", "owned_by_agency_id",
	"registration_date", "risk_level", "sex", "status", "workflow",
	"approval_status_assessment", "approval_status_case_plan", "approval_status_closure", "approval_status_action_plan",
	"approval_status_gbv_closure"}

// maxFilterValues bounds the alternatives of one filter, maxValueLength one value.
const (
	maxFilterValues = 100
	maxValueLength  = 200
	maxQueryLength  = 200
	maxQueryWords   = 8
)

// searchConfig is what a list needs of the configuration of its record
// type: every module's schema as the caller sees it.
type searchConfig struct {
	recordType string
	modules    []string
	schemas    map[string]Schema
	// subject is the caller; referrals the schemas of the access roles of
	// the referrals it received (referralCond).
	subject   policy.Subject
	referrals []referralSchema
}

func (cl *caller) searchConfig(ctx context.Context) (*searchConfig, error) {
	// The configuration version too, for the schemas read below
	// (forms.NoteVersion), and the access roles of the caller's referrals
	// when its lists need them (referralSchemas): one statement, where
	// each was a round trip of its own.
	args := []any{cl.recordType}
	roles := "'{}'::text[]"
	if cl.readsReferralRoles() {
		args = append(args, subjectID(cl.c.Subject()))
		roles = fmt.Sprintf(referralRolesSQL, "$2::uuid")
	}
	rows, err := cl.c.Query(ctx, "select unique_id, "+forms.VersionSQL+", "+roles+" from modules where $1 = any(associated_record_types) order by unique_id", args...)
	if err != nil {
		return nil, err
	}
	var all, referralRoles []string
	var m string
	var version int64
	if _, err := pgx.ForEachRow(rows, []any{&m, &version, &referralRoles}, func() error { all = append(all, m); return nil }); err != nil {
		return nil, err
	}
	if len(all) > 0 {
		forms.NoteVersion(cl.c, version)
	}
	sc := &searchConfig{recordType: cl.recordType, schemas: map[string]Schema{}}
	for _, m := range all {
		sch, err := cl.schema(ctx, m)
		var ie *tenancy.InvalidError
		if errors.As(err, &ie) { // a module without a configuration for this type
			continue
		}
		if err != nil {
			return nil, err
		}
		sc.modules = append(sc.modules, m)
		sc.schemas[m] = sch
	}
	sc.subject = cl.c.Subject()
	if sc.referrals, err = cl.referralSchemas(ctx, sc.modules, referralRoles); err != nil {
		return nil, err
	}
	return sc, nil
}

// readingModules lists the modules in which the caller may read one of fields.
func (sc *searchConfig) readingModules(fields ...string) []string {
	var out []string
	for _, m := range sc.modules {
		if slices.ContainsFunc(fields, func(f string) bool { return readable(sc.schemas[m], f) }) {
			out = append(out, m)
		}
	}
	return out
}

// filterable reports whether field is configured filterable in a module.
func (sc *searchConfig) filterable(field string) bool {
	for _, m := range sc.modules {
		if slices.Contains(sc.schemas[m].FilterableFields(), field) {
			return true
		}
	}
	return false
}

// restrict keeps q to the modules in which the caller reads field (a filter
// or search on a field must not tell anything about records whose form the
// caller cannot read); false if there is none.
func (sc *searchConfig) restrict(q *sqlQuery, fields ...string) bool {
	mods := sc.readingModules(fields...)
	if len(mods) == 0 {
		return false
	}
	if len(mods) < len(sc.modules) {
		q.where("r.module_id = any(" + q.arg(mods) + "::text[])")
	}
	if cond := sc.referralCond(q, sc.subject, fields...); cond != "" {
		q.where(cond)
	}
	return true
}

func badQuery(field string, value any, reason string) error {
	return &tenancy.InvalidError{In: "query", Field: field, Value: value, Reason: reason}
}

// prepared is a list's search once checked: what to do with the page.
type prepared struct {
	// rank re-orders a page by relevance (phonetic search); nil otherwise.
	rank func([]Record)
	// fields trims the records' data to the fields asked for; nil for all.
	fields []string
}

// prepareSearch checks p's search against the configuration, adds its
// conditions to q and sets p's order expression.
func (cl *caller) prepareSearch(ctx context.Context, q *sqlQuery, p *ListParams) (prepared, error) {
	var out prepared
	sc, err := cl.searchConfig(ctx)
	if err != nil {
		return out, err
	}
	for _, name := range slices.Sorted(maps.Keys(p.Filters)) {
		if err := sc.filter(q, name, splitValues(p.Filters[name])); err != nil {
			return out, err
		}
	}
	rank, err := cl.text(q, sc, p)
	if err != nil {
		return out, err
	}
	out.rank = rank
	if err := sc.order(p); err != nil {
		return out, err
	}
	for _, f := range p.Fields {
		if !isCoreAttribute(f) && (!fieldNameRE(f) || len(sc.readingModules(f)) == 0) {
			return out, badQuery("fields", f, "is not a field you may read")
		}
	}
	out.fields = p.Fields
	return out, nil
}

// splitValues splits comma-separated values and drops empty ones.
func splitValues(raw []string) []string {
	var out []string
	for _, r := range raw {
		for _, v := range strings.Split(r, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// order sets p.orderExpr: a column, a configured filterable field readable
// in every module, or (phonetic search without order_by) the rank.
func (sc *searchConfig) order(p *ListParams) error {
	if p.OrderBy == "" {
		return nil // ranked
	}
	if col, ok := OrderColumns[p.OrderBy]; ok {
		if slices.Contains(columnFields, p.OrderBy) && slices.ContainsFunc(sc.referrals, func(r referralSchema) bool { return !readable(r.sch, p.OrderBy) }) {
			// The order would tell the values of cases reached only through
			// a referral whose access role cannot read the field.
			return badQuery("order_by", p.OrderBy, "is a field that the access role of a referral you received cannot read")
		}
		p.orderExpr = col
		return nil
	}
	if !slices.Contains(columnFields, p.OrderBy) && sc.filterable(p.OrderBy) && len(sc.readingModules(p.OrderBy)) == len(sc.modules) &&
		!slices.ContainsFunc(sc.referrals, func(r referralSchema) bool { return !readable(r.sch, p.OrderBy) }) {
		p.orderExpr = "(r.filters -> '" + p.OrderBy + "')" // a configured field name: [a-z][a-z0-9_]*
		p.orderValue = sc.valueColumn(p.OrderBy)
		return nil
	}
	known := slices.Sorted(maps.Keys(OrderColumns))
	return badQuery("order_by", p.OrderBy, "must be one of "+strings.Join(known, ", ")+", or a filterable field you may read")
}

// valueTyped is a Schema that knows which column of record_field_values
// (migration record_field_values) holds a field's values: "num", "day", or
// "" (none: options, text, tick boxes, calculated values).
type valueTyped interface {
	valueColumn(field string) string
}

// valueColumn is the column of record_field_values holding field's values
// in every module of the list ("" if none, or if modules disagree): a sort
// on the field then walks that column's index.
func (sc *searchConfig) valueColumn(field string) string {
	col := ""
	for i, m := range sc.modules {
		t, ok := sc.schemas[m].(valueTyped)
		if !ok {
			return ""
		}
		c := t.valueColumn(field)
		if c == "" || (i > 0 && c != col) {
			return ""
		}
		col = c
	}
	return col
}

// filter adds the condition of one filter.
func (sc *searchConfig) filter(q *sqlQuery, name string, vals []string) error {
	switch {
	case len(vals) == 0:
		return badQuery(name, "", "give a value")
	case len(vals) > maxFilterValues:
		return badQuery(name, len(vals), fmt.Sprintf("at most %d values", maxFilterValues))
	}
	for _, v := range vals {
		if len(v) > maxValueLength || strings.ContainsRune(v, 0) {
			return badQuery(name, v, fmt.Sprintf("values are at most %d bytes of text", maxValueLength))
		}
	}
	switch name {
	case "status":
		for _, v := range vals {
			if v != "open" && v != "closed" {
				return badQuery(name, v, "must be open or closed")
			}
		}
		q.where("r.status = any(" + q.arg(vals) + "::text[])")
	case "workflow":
		for _, v := range vals {
			if !workflowRE(v) {
				return badQuery(name, v, "is not a workflow state")
			}
		}
		q.where("r.workflow = any(" + q.arg(vals) + "::text[])")
	case "approval_status_assessment", "approval_status_case_plan", "approval_status_closure", "approval_status_action_plan",
		"approval_status_gbv_closure":
		// Containment on the GIN index of records.approval_status.
		var alts []string
		for _, v := range vals {
			if v != "requested" && v != "approved" && v != "rejected" {
				return badQuery(name, v, "must be requested, approved or rejected")
			}
			b, _ := json.Marshal(map[string]string{strings.TrimPrefix(name, "approval_status_"): v})
			alts = append(alts, "r.approval_status @> "+q.arg(string(b))+"::jsonb")
		}
		q.where(strings.Join(alts, " or "))
	case "flagged":
		if len(vals) != 1 || (vals[0] != "true" && vals[0] != "false") {
			return badQuery(name, strings.Join(vals, ","), "must be true or false")
		}
		q.where("r.flagged = " + q.arg(vals[0] == "true"))
	case "owned_by":
		lower := make([]string, len(vals))
		for i, v := range vals {
			lower[i] = strings.ToLower(v)
		}
		q.where("r.id in (select a.record_id from record_access a where a.kind = 'owner' and a.user_id = any(array(" +
			"select p.id from principals p where lower(p.name) = any(" + q.arg(lower) + "::text[]))))")
	case "owned_by_agency_id":
		q.where("r.id in (select a.record_id from record_access a where a.kind = 'owner' and a.user_id = any(array(" +
			"select p.id from principals p join agencies g on g.id = p.agency_id where g.unique_id = any(" + q.arg(vals) + "::text[]))))")
	case "sex", "risk_level":
		if !sc.restrict(q, name) {
			return unknownFilter(name)
		}
		q.where("r." + name + " = any(" + q.arg(vals) + "::text[])")
	case "age":
		if !sc.restrict(q, "age", "date_of_birth") {
			return unknownFilter(name)
		}
		return ageFilter(q, vals)
	case "date_of_birth", "registration_date":
		if !sc.restrict(q, name) {
			return unknownFilter(name)
		}
		return dateFilter(q, name, vals)
	case "location_current":
		if !sc.restrict(q, name) {
			return unknownFilter(name)
		}
		return locationFilter(q, vals)
	default:
		if !fieldNameRE(name) || slices.Contains(columnFields, name) || !sc.filterable(name) || !sc.restrict(q, name) {
			return unknownFilter(name)
		}
		return configuredFilter(q, name, vals)
	}
	return nil
}

func unknownFilter(name string) error {
	return badQuery(name, nil, "is not a filter: lists filter on "+strings.Join(CoreFilters, ", ")+
		" and the fields your configuration marks filterable (that you may read)")
}

func workflowRE(s string) bool {
	return fieldNameRE(s) && len(s) <= 40
}

// splitRange splits "from..to" (either may be empty); a single value is
// both ends.
func splitRange(v string) (string, string) {
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		return strings.TrimSpace(lo), strings.TrimSpace(hi)
	}
	return v, v
}

// ageFilter: ages in whole years, through the date of birth where it is
// known (the age today), else the age entered.
func ageFilter(q *sqlQuery, vals []string) error {
	var known, entered []string
	for _, v := range vals {
		lo, hi := splitRange(v)
		from, to := 0, 200
		if lo != "" {
			if _, err := fmt.Sscanf(lo, "%d", &from); err != nil || fmt.Sprint(from) != lo || from < 0 || from > 200 {
				return badQuery("age", v, "must be an age (0 to 200) or a range such as 5..10")
			}
		}
		if hi != "" {
			if _, err := fmt.Sscanf(hi, "%d", &to); err != nil || fmt.Sprint(to) != hi || to < 0 || to > 200 {
				return badQuery("age", v, "must be an age (0 to 200) or a range such as 5..10")
			}
		}
		if from > to {
			return badQuery("age", v, "the range is empty (from > to)")
		}
		a, b := q.arg(from), q.arg(to)
		known = append(known, fmt.Sprintf(`r.date_of_birth > (current_date - make_interval(years => %[2]s::int + 1))::date
			and r.date_of_birth <= (current_date - make_interval(years => %[1]s::int))::date`, a, b))
		entered = append(entered, fmt.Sprintf("r.age between %[1]s::int and %[2]s::int", a, b))
	}
	// Two alternatives no record meets together (a date of birth in a
	// range, or none and an age entered in a range), so that each is a
	// bounded range of an index (docs/records.md, Indexes).
	q.whereEither([]string{"(" + strings.Join(known, ") or (") + ")",
		"r.date_of_birth is null and ((" + strings.Join(entered, ") or (") + "))"})
	return nil
}

func isDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	return date(s) != nil
}

// dateFilter: dates or ranges of dates (inclusive) on a date column.
func dateFilter(q *sqlQuery, col string, vals []string) error {
	var ors []string
	for _, v := range vals {
		lo, hi := splitRange(v)
		if (lo == "" && hi == "") || (lo != "" && !isDate(lo)) || (hi != "" && !isDate(hi)) {
			return badQuery(col, v, "must be a date (2024-05-31) or a range such as 2024-01-01..2024-06-30")
		}
		var conds []string
		if lo != "" {
			conds = append(conds, "r."+col+" >= "+q.arg(lo)+"::date")
		}
		if hi != "" {
			conds = append(conds, "r."+col+" <= "+q.arg(hi)+"::date")
		}
		ors = append(ors, "("+strings.Join(conds, " and ")+")")
	}
	q.where(strings.Join(ors, " or "))
	return nil
}

func isLocationCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// locationFilter: the records whose current location is one of the
// locations or below it (GiST on the stored path).
func locationFilter(q *sqlQuery, vals []string) error {
	var ors []string
	for _, v := range vals {
		if !isLocationCode(v) {
			return badQuery("location_current", v, "must be a location code")
		}
		// The paths of the places in the subtree (a record's path is always
		// the path of a place: written with the record, rewritten when a
		// place moves), so that the covering btree index answers the filter;
		// an unknown code has none: nothing matches.
		ors = append(ors, "r.location_current = any(array(select s.path from locations s where s.path <@ "+
			"(select l.path from locations l where l.code = "+q.arg(v)+"::text)))")
	}
	q.where(strings.Join(ors, " or "))
	q.placed = q.placed || len(ors) == 1
	return nil
}

// configuredFilter: a field configured filterable, from the filters column
// (GIN, jsonb_path_ops): a value equal to one of vals (in a multi-select:
// contained), or in a range of numbers or dates.
func configuredFilter(q *sqlQuery, name string, vals []string) error {
	var ors []string
	for _, v := range vals {
		if strings.Contains(v, "..") {
			lo, hi := splitRange(v)
			cond, err := rangeOnFilters(q, name, v, lo, hi)
			if err != nil {
				return err
			}
			ors = append(ors, cond)
			continue
		}
		for _, want := range filterValues(v) {
			ors = append(ors, "r.filters @> "+q.arg(map[string]any{name: want})+"::jsonb",
				"r.filters @> "+q.arg(map[string]any{name: []any{want}})+"::jsonb")
		}
	}
	q.where(strings.Join(ors, " or "))
	return nil
}

// filterValues are the JSON values a filter value may stand for: the
// text, and a boolean or number when it reads as one.
func filterValues(v string) []any {
	out := []any{v}
	switch v {
	case "true":
		out = append(out, true)
	case "false":
		out = append(out, false)
	}
	var f float64
	if _, err := fmt.Sscanf(v, "%g", &f); err == nil && fmt.Sprint(f) == v {
		out = append(out, f)
	}
	return out
}

// rangeOnFilters: a range of numbers or of dates (the date of a date-time
// counts) on a configured field, from its typed values (record_field_values,
// kept from filters by triggers: a btree range of (record_type, field,
// value, id)). Values in lists (multi-selects) are not ranged.
func rangeOnFilters(q *sqlQuery, name, v, lo, hi string) (string, error) {
	var f float64
	number := func(s string) bool {
		_, err := fmt.Sscanf(s, "%g", &f)
		return err == nil && fmt.Sprint(f) == s
	}
	var col, cast string
	var conds []string
	switch {
	case lo == "" && hi == "":
		return "", badQuery(name, v, "give at least one end of the range")
	case (lo == "" || number(lo)) && (hi == "" || number(hi)):
		col, cast = "num", "::numeric"
		if lo != "" && hi != "" {
			number(lo)
			from := f
			number(hi)
			if from > f {
				return "", badQuery(name, v, "the range is empty (from > to)")
			}
		}
	case (lo == "" || isDate(lo)) && (hi == "" || isDate(hi)):
		col, cast = "day", "::date"
		if lo != "" && hi != "" && lo > hi { // YYYY-MM-DD: text order is date order
			return "", badQuery(name, v, "the range is empty (from > to)")
		}
	default:
		return "", badQuery(name, v, "a range is of numbers (1..5) or dates (2024-01-01..2024-06-30)")
	}
	if lo != "" {
		conds = append(conds, "v."+col+" >= "+q.arg(lo)+cast)
	}
	if hi != "" {
		conds = append(conds, "v."+col+" <= "+q.arg(hi)+cast)
	}
	return "exists (select from record_field_values v where v.id = r.id and v.record_type = r.record_type and v.field = " +
		q.arg(name) + "::text and " + strings.Join(conds, " and ") + ")", nil
}

// text adds the query's condition; for a phonetic search ordered by
// relevance it returns the page's ranking.
func (cl *caller) text(q *sqlQuery, sc *searchConfig, p *ListParams) (func([]Record), error) {
	flags := 0
	for _, f := range []bool{p.IDSearch, p.PhoneNumber, p.Phonetic} {
		if f {
			flags++
		}
	}
	query := strings.TrimSpace(p.Query)
	switch {
	case flags > 1:
		return nil, badQuery("query", p.Query, "choose one of id_search, phone_number and phonetic")
	case flags == 1 && query == "":
		return nil, badQuery("query", p.Query, "id_search, phone_number and phonetic search the query: give one")
	case query == "":
		return nil, nil
	case len(query) > maxQueryLength || strings.ContainsRune(query, 0):
		return nil, badQuery("query", p.Query, fmt.Sprintf("must be at most %d bytes of text", maxQueryLength))
	}
	switch {
	case p.IDSearch:
		id := normaliseID(query)
		if id == "" {
			return nil, badQuery("query", p.Query, "an ID search needs letters or digits")
		}
		q.where("r.short_id = " + q.arg(normaliseShortID(query)) + " or " + sc.idMatch(q, "array["+q.arg(id)+"::text]", false))
	case p.PhoneNumber:
		phone := normalisePhone(query)
		if len(phone) < 4 {
			return nil, badQuery("query", p.Query, "a phone search needs at least 4 digits")
		}
		q.where(sc.idMatch(q, phoneValues(q, query, phone), true))
	case p.Phonetic:
		return cl.phonetic(q, sc, p, query)
	default:
		var ors []string
		if words := likeWords(query); len(words) > 0 && cl.nameSearch(q, sc, nil) {
			var ands []string
			for _, w := range words {
				ands = append(ands, "r.name_folded like "+q.arg("%"+w+"%"))
			}
			ors = append(ors, "("+strings.Join(ands, " and ")+cl.nameCond(q, sc)+")")
		}
		if id := normaliseID(query); id != "" {
			ors = append(ors, "r.short_id = "+q.arg(normaliseShortID(query)), sc.idMatch(q, "array["+q.arg(id)+"::text]", false))
		}
		if len(ors) == 0 {
			q.where("false")
		} else {
			q.where(strings.Join(ors, " or "))
		}
	}
	return nil, nil
}

// idMatch is the condition (on alias r) that the normalised ID (or, with
// phone, phone number) value v is the value of an ID (phone) field the
// caller reads (docs/records.md, ID and phone search). The indexed
// id_values column finds the candidates; when the caller's role cannot read
// some of the ID fields of a module, the value must also be found, in SQL,
// in one of the fields it reads (normalised as extract does: letters and
// digits upper-cased, or digits). A case reached only through a referral is
// checked the same way against the fields its access role reads.
func (sc *searchConfig) idMatch(q *sqlQuery, values string, phone bool) string {
	readableOf := func(sch Schema) (fields []string, all bool) {
		ids := sch.IDFields()
		if phone {
			ids = sch.PhoneFields()
		}
		for _, f := range ids {
			if readable(sch, f) {
				fields = append(fields, f)
			}
		}
		return fields, len(fields) == len(ids)
	}
	norm := `upper(regexp_replace(r.data->>f, '[^[:alnum:]]+', '', 'g'))`
	if phone {
		norm = phoneStored
	}
	found := func(fields []string) string {
		return "exists (select 1 from unnest(" + q.arg(fields) + "::text[]) f where " + norm + " = any(" + values + "))"
	}
	cond := "r.id_values && " + values
	if slices.ContainsFunc(sc.modules, func(m string) bool { _, all := readableOf(sc.schemas[m]); return !all }) {
		ors := []string{"false"}
		for _, m := range sc.modules {
			if fields, _ := readableOf(sc.schemas[m]); len(fields) > 0 {
				ors = append(ors, "(r.module_id = "+q.arg(m)+" and "+found(fields)+")")
			}
		}
		cond += " and (" + strings.Join(ors, " or ") + ")"
	}
	var refs []string
	for _, r := range sc.referrals {
		fields, all := readableOf(r.sch)
		if all {
			continue
		}
		miss := "true"
		if len(fields) > 0 {
			miss = "not " + found(fields)
		}
		refs = append(refs, "(r.module_id = "+q.arg(r.module)+" and a.access_role = "+q.arg(r.role)+" and "+miss+")")
	}
	if len(refs) > 0 {
		self := q.arg(subjectID(sc.subject))
		cond += fmt.Sprintf(` and not exists (select 1 from record_access a where a.record_id = r.id and a.user_id = %s::uuid
			and a.kind = 'referral' and (%s) and not %s)`, self, strings.Join(refs, " or "), reachedOtherwise(q, sc.subject, self, "r.id"))
	}
	return "(" + cond + ")"
}

// likeWords are the folded words of a free-text query, with LIKE's
// wildcards escaped.
func likeWords(query string) []string {
	var out []string
	for _, w := range strings.Fields(names.Fold(query)) {
		w = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)
		out = append(out, w)
		if len(out) == maxQueryWords {
			break
		}
	}
	return out
}

// nameSearch reports whether the caller may search names in some module.
func (cl *caller) nameSearch(_ *sqlQuery, sc *searchConfig, _ []string) bool {
	fields := recordNameFields[cl.recordType]
	return len(fields) > 0 && len(sc.readingModules(fields...)) > 0
}

// nameCond is the part of a name search's condition that keeps to what the
// caller may read: modules whose name fields it reads, and records whose
// name is hidden only if it owns them or may see hidden names.
func (cl *caller) nameCond(q *sqlQuery, sc *searchConfig) string {
	var out string
	for _, c := range cl.nameConds(q, sc) {
		out += " and " + c
	}
	return out
}

// nameConds are nameCond's conditions, each on columns that records and
// record_name_keys both have (r.id, r.module_id, r.hidden_name).
func (cl *caller) nameConds(q *sqlQuery, sc *searchConfig) []string {
	var out []string
	mods := sc.readingModules(recordNameFields[cl.recordType]...)
	if len(mods) < len(sc.modules) {
		out = append(out, "r.module_id = any("+q.arg(mods)+"::text[])")
	}
	if cond := sc.referralCond(q, sc.subject, recordNameFields[cl.recordType]...); cond != "" {
		out = append(out, cond)
	}
	if !cl.viewHidden {
		out = append(out, "(not r.hidden_name or r.id in (select a.record_id from record_access a where a.kind = 'owner' and a.user_id = "+
			q.arg(subjectID(cl.c.Subject()))+"::uuid))")
	}
	return out
}

// phonetic: every word of the query (a name token) shares a phonetic key
// with the record's names (GIN on name_keys); ranked by names.Score.
func (cl *caller) phonetic(q *sqlQuery, sc *searchConfig, p *ListParams, query string) (func([]Record), error) {
	if !cl.nameSearch(q, sc, nil) {
		return nil, badQuery("phonetic", true, "you may not read the names of these records")
	}
	parsed := names.Parse(query)
	var words [][]string
	for _, keys := range names.TokenKeys(query) {
		if len(keys) > 0 && len(words) < maxQueryWords {
			words = append(words, keys)
		}
	}
	if len(words) == 0 {
		return nil, badQuery("query", p.Query, "a phonetic search needs a name (letters, more than an initial)")
	}
	// The keys' condition and the name conditions apart, so that the count
	// is answered by record_name_keys (sqlQuery.keyedSetSQL).
	q.whereKeys(words)
	for _, c := range cl.nameConds(q, sc) {
		q.whereShared(c)
	}
	if p.OrderBy != "" {
		return nil, nil
	}
	// Relevance: trigram similarity of the folded names in SQL (the pages),
	// then names.Score within the page (spellings across scripts).
	p.rankText = names.Fold(query)
	p.Order = "desc"
	fields := recordNameFields[cl.recordType]
	return func(page []Record) {
		score := make(map[string]float64, len(page))
		for _, r := range page {
			var parts []string
			for _, f := range fields {
				if s, ok := r.Data[f].(string); ok {
					parts = append(parts, s)
				}
			}
			score[r.ID] = parsed.Score(names.Parse(strings.Join(parts, " ")))
		}
		slices.SortStableFunc(page, func(a, b Record) int {
			switch sa, sb := score[a.ID], score[b.ID]; {
			case sa > sb:
				return -1
			case sa < sb:
				return 1
			}
			return 0
		})
	}, nil
}

// normaliseShortID reads a short id as people say or type it: lower case,
// Crockford's look-alikes (i and l are 1, o is 0), no separators.
func normaliseShortID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == 'i' || r == 'l':
			b.WriteRune('1')
		case r == 'o':
			b.WriteRune('0')
		case r >= '0' && r <= '9' || r >= 'a' && r <= 'z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimFields keeps only fields (and the core attributes) in r's data.
func trimFields(r *Record, fields []string) {
	if len(fields) == 0 {
		return
	}
	kept := Data{}
	for _, f := range fields {
		if v, ok := r.Data[f]; ok {
			kept[f] = v
		}
	}
	r.Data = kept
}

// phoneValues is the SQL array of the stored forms a phone search for query
// (digits phone) matches: the number as its stored form (phoneValue). A number written the local
// way depends on the tenant's calling code (read in the statement, from
// system_settings): "0712 345 678" finds "+254 712 345 678" where the code
// is 254, and also its digits as written (records written before the code
// was set, or in a tenant without one).
func phoneValues(q *sqlQuery, query, phone string) string {
	if !needsCallingCode(query) {
		return "array[" + q.arg(phone) + "::text]"
	}
	var intl string
	if rest, ok := strings.CutPrefix(phone, "00"); ok {
		intl = q.arg(rest) + "::text" // the international prefix 00 dropped
	} else {
		intl = "s.phone_calling_code || " + q.arg(phone[1:]) + "::text" // the trunk prefix 0 replaced by the code
	}
	return "array[" + q.arg(phone) + "::text, (select " + intl +
		" from system_settings s where s.phone_calling_code is not null)]"
}

// phoneStored is, in SQL, phoneValue of field f of record r with the
// tenant's calling code: the stored form of a phone number, which the
// readable-fields recheck of idMatch compares.
const phoneStored = `(select case
	when s.phone_calling_code is null or btrim(r.data->>f) like '+%' then d
	when d like '00%' then substr(d, 3)
	when d like '0_%' then s.phone_calling_code || substr(d, 2)
	else d end
	from (select regexp_replace(r.data->>f, '[^0-9]+', '', 'g') as d) n left join system_settings s on true)`
