package records

import (
	"cmp"
	"crypto/rand"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Data is a record's configured fields: one flat JSON object, subform values
// being arrays of row objects with a unique_id. Stored data never holds null
// values: writing null removes a field.
type Data = map[string]any

// Row operations of a Change.
const (
	OpAdd    = "add"
	OpRemove = "remove"
)

// Change is one change of a record, as record_history keeps it: a field
// ("sex"), a subform row ("family_details_section[<row id>]", with Op add or
// remove and the whole row in To or From) or a field of a row
// ("family_details_section[<row id>].age"). From or To is absent (nil) when
// the field had or has no value. Core attributes (record_state, ...) appear
// under their own names.
type FieldChange struct {
	Path string `json:"path"`
	Op   string `json:"op,omitempty" enum:"add,remove"`
	From any    `json:"from,omitempty"`
	To   any    `json:"to,omitempty"`
}

// Conflict is a field (or row) changed both by others since the client's
// base version and by the client, to different values.
type Conflict struct {
	Path   string `json:"path"`
	Base   any    `json:"base"`
	Theirs any    `json:"theirs"`
	Yours  any    `json:"yours"`
	// Reason explains conflicts between a row and one of its fields (a row
	// removed on one side and changed on the other).
	Reason string `json:"reason,omitempty"`
}

// rowMark is the key of a PATCH row asking for the row's removal.
const rowMark = "_destroy"

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// isUUID reports whether s is a UUID in canonical (lower-case) form.
func isUUID(s string) bool { return uuidRE.MatchString(s) }

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// path is a parsed Change path.
type path struct {
	field string // the record's field
	row   string // the row's unique_id, for subform rows
	sub   string // the row's field
}

func parsePath(s string) path {
	var p path
	before, rest, ok := strings.Cut(s, "[")
	p.field = before
	if !ok {
		return p
	}
	p.row, rest, _ = strings.Cut(rest, "]")
	p.sub = strings.TrimPrefix(rest, ".")
	return p
}

func rowPath(field, id string) string         { return field + "[" + id + "]" }
func rowFieldPath(field, id, f string) string { return rowPath(field, id) + "." + f }

// rowsOf returns v as subform rows: an array whose elements are all objects
// with a string unique_id. ok is false for anything else except nil (no rows).
func rowsOf(v any) ([]map[string]any, bool) {
	if v == nil {
		return nil, true
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		row, ok := x.(map[string]any)
		if !ok {
			return nil, false
		}
		if _, ok := row["unique_id"].(string); !ok {
			return nil, false
		}
		out = append(out, row)
	}
	return out, true
}

func rowID(row map[string]any) string { id, _ := row["unique_id"].(string); return id }

func rowIndex(rows []any, id string) int {
	return slices.IndexFunc(rows, func(x any) bool {
		row, ok := x.(map[string]any)
		return ok && rowID(row) == id
	})
}

// clone deep-copies a JSON value.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

func cloneData(d Data) Data {
	if d == nil {
		return Data{}
	}
	return clone(map[string]any(d)).(map[string]any)
}

// shapeSubforms says which fields hold subform rows by looking at values:
// those holding a non-empty array of objects in any of datas. It stands in
// for the configuration where there is none (the fuzz tests).
func shapeSubforms(datas ...Data) func(string) bool {
	set := map[string]bool{}
	for _, d := range datas {
		for k, v := range d {
			if list, ok := v.([]any); ok && len(list) > 0 {
				if _, isObj := list[0].(map[string]any); isObj {
					set[k] = true
				}
			}
		}
	}
	return func(name string) bool { return set[name] }
}

// applyPatch returns current changed by patch (PATCH semantics): a field
// sent replaces the stored one (null removes it); a subform's rows are
// matched by unique_id: a known row gets the fields sent (null removes
// one), a row with "_destroy": true is removed, a row without a unique_id
// or with a new one is added (given a new unique_id if it has none), rows
// not sent stay. Problems with the patch's rows are reported at their place
// in the patch (data.<subform>[<index>]...). current is not changed; patch's
// new rows are given their unique_id in place.
func applyPatch(current, patch Data, subform func(string) bool) (Data, []tenancy.FieldError) {
	next := cloneData(current)
	var errs []tenancy.FieldError
	for _, k := range slices.Sorted(maps.Keys(patch)) {
		v := patch[k]
		switch list, isList := v.([]any); {
		case v == nil:
			delete(next, k)
		case subform(k) && isList:
			rows, bad := patchRows(next[k], list, "data."+k)
			errs = append(errs, bad...)
			if len(rows) == 0 {
				delete(next, k)
			} else {
				next[k] = rows
			}
		default:
			next[k] = clone(v)
		}
	}
	return next, errs
}

// patchRows applies a PATCH's rows to the stored rows old (see applyPatch).
func patchRows(old any, patch []any, at string) ([]any, []tenancy.FieldError) {
	var out []any
	if list, ok := old.([]any); ok {
		out = slices.Clone(list)
	}
	var errs []tenancy.FieldError
	for i, x := range patch {
		rp := fmt.Sprintf("%s[%d]", at, i)
		row, ok := x.(map[string]any)
		if !ok {
			errs = append(errs, tenancy.FieldError{Path: rp, Reason: "must be an object (a row)", Value: x})
			continue
		}
		rawID, hasID := row["unique_id"]
		id, _ := rawID.(string)
		if hasID && !isUUID(id) {
			errs = append(errs, tenancy.FieldError{Path: rp + ".unique_id", Reason: "must be a UUID (lower case), kept for the row's life", Value: rawID})
			continue
		}
		destroy, marked := row[rowMark]
		if marked && destroy != true && destroy != false {
			errs = append(errs, tenancy.FieldError{Path: rp + "." + rowMark, Reason: "must be true (remove the row) or left out", Value: destroy})
			continue
		}
		at := -1
		if hasID {
			at = rowIndex(out, id)
		}
		if destroy == true {
			if !hasID {
				errs = append(errs, tenancy.FieldError{Path: rp, Reason: "a row to remove needs its unique_id"})
			} else if at >= 0 {
				out = slices.Delete(out, at, at+1)
			}
			continue
		}
		if at >= 0 {
			merged := maps.Clone(out[at].(map[string]any))
			for f, val := range row {
				switch {
				case f == rowMark:
				case val == nil:
					delete(merged, f)
				default:
					merged[f] = clone(val)
				}
			}
			out[at] = merged
			continue
		}
		if !hasID {
			id = newUUID()
			row["unique_id"] = id
		}
		added := make(map[string]any, len(row))
		for f, val := range row {
			if f != rowMark && val != nil {
				added[f] = clone(val)
			}
		}
		out = append(out, added)
	}
	return out, errs
}

// diff lists the changes from old to new, fields in name order, subform rows
// by unique_id (removals, then additions, then changed fields, each in row
// order). A change of row order alone is not a change.
func diff(old, new Data, subform func(string) bool) []FieldChange {
	keys := slices.Collect(maps.Keys(old))
	for k := range new {
		if _, ok := old[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []FieldChange
	for _, k := range keys {
		o, n := old[k], new[k]
		if subform(k) {
			or, okO := rowsOf(o)
			nr, okN := rowsOf(n)
			if okO && okN {
				out = append(out, diffRows(k, or, nr)...)
				continue
			}
		}
		if !reflect.DeepEqual(o, n) {
			out = append(out, FieldChange{Path: k, From: clone(o), To: clone(n)})
		}
	}
	return out
}

func diffRows(field string, old, new []map[string]any) []FieldChange {
	byID := func(rows []map[string]any) map[string]map[string]any {
		m := make(map[string]map[string]any, len(rows))
		for _, r := range rows {
			m[rowID(r)] = r
		}
		return m
	}
	oldByID, newByID := byID(old), byID(new)
	var out []FieldChange
	for _, r := range old {
		if _, kept := newByID[rowID(r)]; !kept {
			out = append(out, FieldChange{Path: rowPath(field, rowID(r)), Op: OpRemove, From: clone(r)})
		}
	}
	for _, r := range new {
		if _, had := oldByID[rowID(r)]; !had {
			out = append(out, FieldChange{Path: rowPath(field, rowID(r)), Op: OpAdd, To: clone(r)})
		}
	}
	for _, n := range new {
		o, had := oldByID[rowID(n)]
		if !had {
			continue
		}
		keys := slices.Collect(maps.Keys(o))
		for k := range n {
			if _, ok := o[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if k != "unique_id" && !reflect.DeepEqual(o[k], n[k]) {
				out = append(out, FieldChange{Path: rowFieldPath(field, rowID(n), k), From: clone(o[k]), To: clone(n[k])})
			}
		}
	}
	return out
}

// invert returns the change that undoes c.
func invert(c FieldChange) FieldChange {
	c.From, c.To = c.To, c.From
	switch c.Op {
	case OpAdd:
		c.Op = OpRemove
	case OpRemove:
		c.Op = OpAdd
	}
	return c
}

// applyChange applies c to d in place. Changes of core attributes (not data)
// are skipped. A change of a row that is not there adds it (field changes
// of a missing row are skipped).
func applyChange(d Data, c FieldChange) {
	p := parsePath(c.Path)
	if isCoreAttribute(p.field) {
		return
	}
	if p.row == "" {
		setOrDelete(d, p.field, c.To)
		return
	}
	rows, _ := d[p.field].([]any)
	at := rowIndex(rows, p.row)
	switch {
	case p.sub != "":
		if at < 0 {
			return
		}
		row := maps.Clone(rows[at].(map[string]any))
		setOrDelete(row, p.sub, c.To)
		rows = slices.Clone(rows)
		rows[at] = row
	case c.Op == OpRemove:
		if at < 0 {
			return
		}
		rows = slices.Delete(slices.Clone(rows), at, at+1)
	default: // OpAdd
		if at >= 0 {
			rows = slices.Clone(rows)
			rows[at] = clone(c.To)
		} else {
			rows = append(slices.Clone(rows), clone(c.To))
		}
	}
	if len(rows) == 0 {
		delete(d, p.field)
	} else {
		d[p.field] = rows
	}
}

func setOrDelete(m map[string]any, k string, v any) {
	if v == nil {
		delete(m, k)
	} else {
		m[k] = clone(v)
	}
}

// undo returns d as it was before changes (the changes of successive
// versions, oldest first): each is inverted and applied, newest first.
func undo(d Data, changes []FieldChange) Data {
	out := cloneData(d)
	for i := len(changes) - 1; i >= 0; i-- {
		applyChange(out, invert(changes[i]))
	}
	return out
}

// conflicts compares the changes made by others since the base version
// (theirs: base → current) with the client's (yours: base → the client's
// data). A path changed on both sides with different outcomes is a
// conflict, and so is a row removed on one side whose fields the other side
// changed. Changes with the same outcome on both sides are not conflicts.
func conflicts(theirs, yours []FieldChange) []Conflict {
	byPath := make(map[string]FieldChange, len(theirs))
	changedRows := map[string]FieldChange{} // "field[id]" -> a change of one of the row's fields
	rowLevel := map[string]FieldChange{}    // field -> a change of one of its rows
	for _, t := range theirs {
		byPath[t.Path] = t
		p := parsePath(t.Path)
		if p.sub != "" {
			changedRows[rowPath(p.field, p.row)] = t
		}
		if p.row != "" {
			rowLevel[p.field] = t
		}
	}
	var out []Conflict
	for _, y := range yours {
		if t, ok := byPath[y.Path]; ok {
			if t.Op != y.Op || !reflect.DeepEqual(t.To, y.To) {
				out = append(out, Conflict{Path: y.Path, Base: y.From, Theirs: t.To, Yours: y.To})
			}
			continue
		}
		p := parsePath(y.Path)
		whole, wholeChanged := byPath[p.field]
		switch {
		case p.row != "" && wholeChanged: // a field's rows on one side, the whole field on the other (not rows any more)
			out = append(out, Conflict{Path: y.Path, Base: y.From, Theirs: whole.To, Yours: y.To,
				Reason: p.field + " was replaced as a whole since your base version"})
		case p.row == "" && rowLevel[p.field].Path != "":
			t := rowLevel[p.field]
			out = append(out, Conflict{Path: t.Path, Base: t.From, Theirs: t.To, Yours: y.To,
				Reason: "you replaced " + p.field + " as a whole, whose rows were changed since your base version"})
		case p.sub != "":
			if t, ok := byPath[rowPath(p.field, p.row)]; ok && t.Op == OpRemove {
				out = append(out, Conflict{Path: y.Path, Base: y.From, Theirs: nil, Yours: y.To,
					Reason: "the row was removed since your base version"})
			}
		case p.row != "" && y.Op == OpRemove:
			if t, ok := changedRows[y.Path]; ok {
				sub := parsePath(t.Path).sub
				out = append(out, Conflict{Path: t.Path, Base: t.From, Theirs: t.To, Yours: nil,
					Reason: "you removed the row, whose " + sub + " was changed since your base version"})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Conflict) int { return cmp.Compare(a.Path, b.Path) })
	return out
}
