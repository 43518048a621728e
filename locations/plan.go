package locations

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// A plan turns wanted locations (entries) into the writes that make the
// table match them, after checking each entry against the others and against
// what the table holds. Every use case that changes locations goes through
// it: Create and Update (one entry), imports (a file's rows: valid ones are
// applied, invalid ones reported) and Replace (a whole hierarchy: all or
// nothing).
//
// The rules: a code is written once; the parent exists (in the entries or,
// when upserting, in the table); a location's admin level is greater than its
// parent's, and stays smaller than the levels of the children it keeps. Since
// levels strictly increase down every branch, no set of valid entries can
// make a cycle.
//
// Only the rows the entries name, their parents and their children are read,
// so a one-location change reads a handful of rows whatever the table's size.
// Locations further below a moved one are rewritten by path prefix in SQL.

type mode int

const (
	// modeUpsert adds and changes the entries' locations; others stay.
	modeUpsert mode = iota
	// modeReplace makes the table hold exactly the entries.
	modeReplace
)

// problem is why an entry is refused: the field at fault, the reason in
// English, and its stable code with the values its wording needs
// (docs/configuration.md, "Location import reasons").
type problem struct {
	field  string
	value  any
	code   string
	params map[string]string
	reason string
}

func (p *problem) String() string { return p.field + ": " + p.reason }

// entry is one wanted location.
type entry struct {
	row    int // row number in an imported file; 0 otherwise
	code   string
	parent string // "" for a root
	// keepParent: the input does not say the parent (a CSV without a
	// parent_code column, the top level of an HXL file): a stored location
	// keeps its parent, a new one is a root.
	keepParent bool
	level      int
	// typ, if set, replaces the type (new locations: "").
	typ *string
	// name is merged into the existing name per locale, or replaces it.
	name        map[string]string
	replaceName bool
	// disabled, if set, replaces the flag (new locations: false).
	disabled *bool
	// rows is how many rows of an imported file report this entry's outcome:
	// 1 for a CSV row; for HXL, where a row names a location and its
	// ancestors, the rows whose deepest location it is (0 for an ancestor
	// only). Progress counts rows.
	rows    int
	problem *problem
}

func specEntry(s Spec) *entry {
	typ, disabled := s.Type, s.Disabled
	return &entry{code: s.Code, parent: s.ParentCode, level: s.AdminLevel, typ: &typ, name: maps.Clone(s.Name), replaceName: true, disabled: &disabled}
}

// node is a location as stored.
type node struct {
	id, code, parent string
	level            int
	typ              string
	name             map[string]string
	disabled         bool
	path             string
}

type plan struct {
	mode    mode
	entries []*entry
	first   map[string]*entry // code -> first entry with it
	valid   map[string]*entry // code -> entry still valid
	db      map[string]*node  // stored rows read: entries, their parents and children (all when replacing)
	// children are the stored children of the entries' codes, by parent code.
	children map[string][]*node
	final    map[string]string // final paths, memoised
}

var (
	codeRE   = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	typeRE   = regexp.MustCompile(`^[a-z0-9_-]{0,40}$`)
	localeRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)
)

// newPlan checks entries (setting their problem) and reads what it needs.
func newPlan(ctx context.Context, c *tenancy.Conn, entries []*entry, m mode) (*plan, error) {
	p := &plan{mode: m, entries: entries, first: map[string]*entry{}, valid: map[string]*entry{},
		db: map[string]*node{}, children: map[string][]*node{}, final: map[string]string{}}
	for _, e := range entries {
		if e.problem == nil {
			e.problem = checkSyntax(e)
		}
		if !codeRE.MatchString(e.code) {
			continue
		}
		if f, ok := p.first[e.code]; ok {
			if e.problem == nil {
				e.problem = &problem{field: "code", value: e.code, code: "duplicate_code", params: whereParams(f),
					reason: "duplicate code: " + where(f) + " has it too"}
			}
			continue
		}
		p.first[e.code] = e
		if e.problem == nil {
			p.valid[e.code] = e
		}
	}
	if err := p.load(ctx, c); err != nil {
		return nil, err
	}
	if err := p.keepParents(ctx, c); err != nil {
		return nil, err
	}
	for _, e := range p.valid {
		if _, stored := p.db[e.code]; (!stored || e.replaceName) && len(e.name) == 0 {
			p.refuse(e, &problem{field: "name", code: "missing_name", reason: "missing name: give it in at least one language"})
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range p.entries {
			if e.problem != nil || p.valid[e.code] != e {
				continue
			}
			if pr := p.check(e); pr != nil {
				p.refuse(e, pr)
				changed = true
			}
		}
	}
	return p, nil
}

func (p *plan) refuse(e *entry, pr *problem) {
	e.problem = pr
	delete(p.valid, e.code)
}

// where names an entry for messages: its row, or its code.
func where(e *entry) string {
	if e.row > 0 {
		return fmt.Sprintf("row %d", e.row)
	}
	return "location " + e.code
}

// whereParams are where's values for a reason's wording: the row, else
// the location's code (an entry given through the API).
func whereParams(e *entry) map[string]string {
	if e.row > 0 {
		return map[string]string{"row": strconv.Itoa(e.row)}
	}
	return map[string]string{"location": e.code}
}

// checkSyntax checks what an entry says on its own.
func checkSyntax(e *entry) *problem {
	switch {
	case e.code == "":
		return &problem{field: "code", code: "missing_code", reason: "missing code"}
	case !codeRE.MatchString(e.code):
		return &problem{field: "code", value: e.code, code: "code_format", reason: "must be 1 to 64 letters, digits or underscores (e.g. SO1101)"}
	case e.level < 0 || e.level > MaxAdminLevel:
		return &problem{field: "admin_level", value: e.level, code: "admin_level_range", params: map[string]string{"max": strconv.Itoa(MaxAdminLevel)},
			reason: fmt.Sprintf("must be 0 (country) to %d", MaxAdminLevel)}
	case e.parent == e.code:
		return &problem{field: "parent_code", value: e.parent, code: "own_parent", reason: "a location cannot be its own parent"}
	case e.parent != "" && !codeRE.MatchString(e.parent):
		return &problem{field: "parent_code", value: e.parent, code: "parent_code_format", reason: "must be 1 to 64 letters, digits or underscores"}
	case e.typ != nil && !typeRE.MatchString(*e.typ):
		return &problem{field: "type", value: *e.typ, code: "type_format", reason: "must be at most 40 lower-case letters, digits, - or _ (e.g. district)"}
	}
	for _, lang := range slices.Sorted(maps.Keys(e.name)) {
		n := strings.TrimSpace(e.name[lang])
		if !localeRE.MatchString(lang) {
			return &problem{field: "name", value: lang, code: "name_language", params: map[string]string{"language": lang},
				reason: "keys must be language tags such as \"en\" or \"pt-BR\""}
		}
		if l := utf8.RuneCountInString(n); n == "" || l > NameMax {
			return &problem{field: "name." + lang, value: e.name[lang], code: "name_length",
				params: map[string]string{"language": lang, "max": strconv.Itoa(NameMax)}, reason: fmt.Sprintf("must be 1 to %d characters", NameMax)}
		}
		e.name[lang] = n
	}
	return nil
}

// check checks an entry against the others and the stored rows.
func (p *plan) check(e *entry) *problem {
	if e.parent != "" {
		lvl, ok := p.levelOf(e.parent)
		if !ok {
			if f := p.first[e.parent]; f != nil && f.problem != nil {
				return parentInvalid(e, f)
			}
			return &problem{field: "parent_code", value: e.parent, code: "parent_not_found", params: map[string]string{"parent": e.parent},
				reason: "no location has code " + e.parent}
		}
		if lvl >= e.level {
			return &problem{field: "admin_level", value: e.level, code: "level_below_parent",
				params: map[string]string{"parent": e.parent, "level": strconv.Itoa(lvl)},
				reason: fmt.Sprintf("must be greater than the level of its parent %s (%d)", e.parent, lvl)}
		}
	}
	if p.mode == modeUpsert {
		for _, ch := range p.children[e.code] {
			if _, listed := p.valid[ch.code]; listed {
				continue // its own entry is checked against this one
			}
			if ch.level <= e.level {
				return &problem{field: "admin_level", value: e.level, code: "level_above_child",
					params: map[string]string{"child": ch.code, "level": strconv.Itoa(ch.level)},
					reason: fmt.Sprintf("must stay below the level of its child %s (%d)", ch.code, ch.level)}
			}
		}
	}
	return nil
}

// parentInvalid refuses entry e because the entry f of its parent is
// refused. Its reason says f's, whose code and values are given as its
// cause (params cause, cause_field and cause.<name>: docs/errors.md
// "Causes"), so that the whole is worded in any language.
func parentInvalid(e, f *entry) *problem {
	params := whereParams(f)
	params["parent"] = e.parent
	params["cause"] = f.problem.code
	params["cause_field"] = f.problem.field
	for k, v := range f.problem.params {
		params["cause."+k] = v
	}
	if f.row > 0 {
		return &problem{field: "parent_code", value: e.parent, code: "parent_invalid", params: params,
			reason: fmt.Sprintf("parent %s is not valid (row %d, %s: %s)", e.parent, f.row, f.problem.field, f.problem.reason)}
	}
	return &problem{field: "parent_code", value: e.parent, code: "parent_invalid", params: params,
		reason: fmt.Sprintf("parent %s is not valid (%s: %s)", e.parent, f.problem.field, f.problem.reason)}
}

// levelOf is the admin level code will have, if it will exist.
func (p *plan) levelOf(code string) (int, bool) {
	if e, ok := p.valid[code]; ok {
		return e.level, true
	}
	if n, ok := p.db[code]; ok && p.mode == modeUpsert {
		return n.level, true
	}
	return 0, false
}

const nodeColumns = "id, code, coalesce(parent_code, ''), admin_level, type, name, disabled, path::text"

func scanNode(r pgx.CollectableRow) (*node, error) {
	n := &node{}
	return n, r.Scan(&n.id, &n.code, &n.parent, &n.level, &n.typ, &n.name, &n.disabled, &n.path)
}

// load reads the stored rows the plan needs.
func (p *plan) load(ctx context.Context, c *tenancy.Conn) error {
	var rows pgx.Rows
	var err error
	if p.mode == modeReplace {
		rows, err = c.Query(ctx, "select "+nodeColumns+" from locations")
	} else {
		codes := make([]string, 0, 2*len(p.first))
		for code, e := range p.first {
			codes = append(codes, code)
			if e.parent != "" {
				codes = append(codes, e.parent)
			}
		}
		rows, err = c.Query(ctx, "select "+nodeColumns+" from locations where code = any($1) or parent_code = any($2)",
			codes, slices.Collect(maps.Keys(p.first)))
	}
	if err != nil {
		return err
	}
	nodes, err := pgx.CollectRows(rows, scanNode)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		p.db[n.code] = n
		if n.parent != "" {
			p.children[n.parent] = append(p.children[n.parent], n)
		}
	}
	return nil
}

// keepParents gives entries that do not say their parent the stored one,
// and reads those parents.
func (p *plan) keepParents(ctx context.Context, c *tenancy.Conn) error {
	var missing []string
	for _, e := range p.entries {
		n, ok := p.db[e.code]
		if !e.keepParent || !ok {
			continue
		}
		e.parent = n.parent
		if _, read := p.db[n.parent]; n.parent != "" && !read {
			missing = append(missing, n.parent)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	rows, err := c.Query(ctx, "select "+nodeColumns+" from locations where code = any($1)", missing)
	if err != nil {
		return err
	}
	nodes, err := pgx.CollectRows(rows, scanNode)
	for _, n := range nodes {
		p.db[n.code] = n
	}
	return err
}

// finalPath is the path code will have once the plan is written.
func (p *plan) finalPath(code string) string {
	if fp, ok := p.final[code]; ok {
		return fp
	}
	var fp string
	if e, ok := p.valid[code]; ok {
		fp = code
		if e.parent != "" {
			fp = p.finalPath(e.parent) + "." + code
		}
	} else if n, ok := p.db[code]; ok {
		// Stays under its parent: its path changes where an ancestor's does.
		fp = n.path
		labels := strings.Split(n.path, ".")
		for i := len(labels) - 2; i >= 0; i-- {
			if _, ok := p.valid[labels[i]]; ok {
				fp = p.finalPath(labels[i]) + "." + strings.Join(labels[i+1:], ".")
				break
			}
		}
	}
	p.final[code] = fp
	return fp
}

// row is a location as the plan writes it.
type row struct {
	e        *entry
	code     string
	name     map[string]string
	level    int
	typ      string
	parent   string
	path     string
	disabled bool
}

func (p *plan) row(e *entry) row {
	r := row{e: e, code: e.code, level: e.level, parent: e.parent, path: p.finalPath(e.code), name: e.name}
	if n, ok := p.db[e.code]; ok {
		r.typ, r.disabled = n.typ, n.disabled
		if !e.replaceName {
			r.name = maps.Clone(n.name)
			maps.Copy(r.name, e.name)
		}
	}
	if r.name == nil {
		r.name = map[string]string{}
	}
	if e.typ != nil {
		r.typ = *e.typ
	}
	if e.disabled != nil {
		r.disabled = *e.disabled
	}
	return r
}

func (r row) same(n *node) bool {
	return n.level == r.level && n.typ == r.typ && n.parent == r.parent && n.path == r.path &&
		n.disabled == r.disabled && maps.Equal(n.name, r.name)
}

// Changes summarises what a plan writes (or would write).
type Changes struct {
	Added     []string `json:"added"`
	Changed   []string `json:"changed"`
	Removed   []string `json:"removed"`
	Unchanged int      `json:"unchanged"`
}

// batchSize is how many rows one statement writes.
const batchSize = 2000

// changes sorts the valid entries into rows to insert, rows to update, and
// the count of those already as wanted; and lists the stored rows to remove
// (replace mode).
func (p *plan) changes() (inserts, updates []row, unchanged []*entry, removed []string) {
	for _, e := range p.entries {
		if e.problem != nil || p.valid[e.code] != e {
			continue
		}
		r := p.row(e)
		switch n, ok := p.db[e.code]; {
		case !ok:
			inserts = append(inserts, r)
		case r.same(n):
			unchanged = append(unchanged, e)
		default:
			updates = append(updates, r)
		}
	}
	if p.mode == modeReplace {
		for code := range p.db {
			if _, ok := p.valid[code]; !ok {
				removed = append(removed, code)
			}
		}
		slices.Sort(removed)
	}
	return
}

// summary is what write would change.
func (p *plan) summary() Changes { return summarise(p.changes()) }

func summarise(inserts, updates []row, unchanged []*entry, removed []string) Changes {
	ch := Changes{Added: []string{}, Changed: []string{}, Removed: append([]string{}, removed...), Unchanged: len(unchanged)}
	for _, r := range inserts {
		ch.Added = append(ch.Added, r.code)
	}
	for _, r := range updates {
		ch.Changed = append(ch.Changed, r.code)
	}
	return ch
}

// write applies the valid entries and says what changed. progress, if set,
// is called with the number of rows (entry.rows) settled since its previous call.
func (p *plan) write(ctx context.Context, c *tenancy.Conn, progress func(int)) (Changes, error) {
	report := func(es []*entry) {
		if progress == nil {
			return
		}
		n := 0
		for _, e := range es {
			n += e.rows
		}
		if n > 0 {
			progress(n)
		}
	}
	inserts, updates, unchanged, removed := p.changes()
	sum := summarise(inserts, updates, unchanged, removed)
	report(unchanged)
	if len(removed) > 0 {
		if err := refuseUsed(ctx, c, removed, false); err != nil {
			return Changes{}, err
		}
		if _, err := c.Exec(ctx, "delete from locations where code = any($1)", removed); err != nil {
			return Changes{}, err
		}
	}
	// Stored children kept under a moved location: rewrite their subtrees,
	// deepest first, so that a subtree moved inside another is rewritten
	// before (and then left alone by) the outer one.
	if p.mode == modeUpsert {
		var moved []*node
		for code := range p.valid {
			for _, ch := range p.children[code] {
				if _, listed := p.valid[ch.code]; !listed && p.finalPath(ch.code) != ch.path {
					moved = append(moved, ch)
				}
			}
		}
		slices.SortFunc(moved, func(a, b *node) int {
			return strings.Count(b.path, ".") - strings.Count(a.path, ".")
		})
		for _, n := range moved {
			if _, err := c.Exec(ctx, `update locations set updated_at = now(),
				path = case when path = $1::ltree then $2::ltree else $2::ltree || subpath(path, nlevel($1::ltree)) end
				where path <@ $1::ltree`, n.path, p.finalPath(n.code)); err != nil {
				return Changes{}, err
			}
		}
	}
	for batch := range slices.Chunk(updates, batchSize) {
		if err := writeRows(ctx, c, batch, `update locations l set name = t.name::jsonb, admin_level = t.admin_level, type = t.type,
			parent_code = nullif(t.parent_code, ''), path = t.path::ltree, disabled = t.disabled, updated_at = now()
			from unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::bool[])
				as t(code, name, admin_level, type, parent_code, path, disabled)
			where l.code = t.code`); err != nil {
			return Changes{}, err
		}
		report(entriesOf(batch))
	}
	for batch := range slices.Chunk(inserts, batchSize) {
		if err := writeRows(ctx, c, batch, `insert into locations (code, name, admin_level, type, parent_code, path, disabled)
			select t.code, t.name::jsonb, t.admin_level, t.type, nullif(t.parent_code, ''), t.path::ltree, t.disabled
			from unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::bool[])
				as t(code, name, admin_level, type, parent_code, path, disabled)`); err != nil {
			return Changes{}, err
		}
		report(entriesOf(batch))
	}
	return sum, nil
}

func entriesOf(rs []row) []*entry {
	out := make([]*entry, len(rs))
	for i, r := range rs {
		out[i] = r.e
	}
	return out
}

// writeRows runs stmt with the rows as parallel arrays.
func writeRows(ctx context.Context, c *tenancy.Conn, rs []row, stmt string) error {
	n := len(rs)
	codes, names, levels, types, parents, paths, disabled :=
		make([]string, n), make([]string, n), make([]int16, n), make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
	for i, r := range rs {
		b, err := json.Marshal(r.name)
		if err != nil {
			return err
		}
		codes[i], names[i], levels[i], types[i], parents[i], paths[i], disabled[i] =
			r.code, string(b), int16(r.level), r.typ, r.parent, r.path, r.disabled
	}
	_, err := c.Exec(ctx, stmt, codes, names, levels, types, parents, paths, disabled)
	return err
}
