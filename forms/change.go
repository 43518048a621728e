package forms

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Change is one difference between two configurations: what a dry-run
// import shows and what the audit log records (ids, never labels or values).
type Change struct {
	Kind string `json:"kind" enum:"module,lookup,form,role"`
	ID   string `json:"id" doc:"The item's unique_id."`
	Op   string `json:"op" enum:"added,changed,removed"`
	// Attributes lists the changed attributes of a changed item (besides
	// its fields, options or form access, listed below).
	Attributes []string `json:"attributes,omitempty"`
	// Added, Removed and Changed list the fields (forms), options
	// (lookups) or forms (roles' form access) added, removed or changed.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	Changed []string `json:"changed,omitempty"`
}

// diff lists the changes from before to after, kind by kind, by unique_id.
func diff(before, after *Bundle) []Change {
	var out []Change
	for _, m := range after.Modules {
		if i := before.module(m.UniqueID); i < 0 {
			out = append(out, Change{Kind: "module", ID: m.UniqueID, Op: "added"})
		} else if attrs := changedAttrs(before.Modules[i], m, nil); len(attrs) > 0 {
			out = append(out, Change{Kind: "module", ID: m.UniqueID, Op: "changed", Attributes: attrs})
		}
	}
	for _, l := range before.Lookups {
		if after.lookup(l.UniqueID) < 0 {
			out = append(out, Change{Kind: "lookup", ID: l.UniqueID, Op: "removed"})
		}
	}
	for _, l := range after.Lookups {
		i := before.lookup(l.UniqueID)
		if i < 0 {
			out = append(out, Change{Kind: "lookup", ID: l.UniqueID, Op: "added"})
			continue
		}
		ch := Change{Kind: "lookup", ID: l.UniqueID, Op: "changed", Attributes: changedAttrs(before.Lookups[i], l, []string{"values"})}
		ch.Added, ch.Removed, ch.Changed = listDiff(before.Lookups[i].Values, l.Values, func(o Option) string { return o.ID })
		if listOrderChanged(before.Lookups[i].Values, l.Values, func(o Option) string { return o.ID }) {
			ch.Attributes = append(ch.Attributes, "values order")
		}
		if ch.any() {
			out = append(out, ch)
		}
	}
	for _, f := range before.Forms {
		if after.form(f.UniqueID) < 0 {
			out = append(out, Change{Kind: "form", ID: f.UniqueID, Op: "removed"})
		}
	}
	for _, f := range after.Forms {
		i := before.form(f.UniqueID)
		if i < 0 {
			out = append(out, Change{Kind: "form", ID: f.UniqueID, Op: "added"})
			continue
		}
		ch := Change{Kind: "form", ID: f.UniqueID, Op: "changed", Attributes: changedAttrs(before.Forms[i], f, []string{"fields"})}
		ch.Added, ch.Removed, ch.Changed = listDiff(before.Forms[i].Fields, f.Fields, func(x Field) string { return x.Name })
		if listOrderChanged(before.Forms[i].Fields, f.Fields, func(x Field) string { return x.Name }) {
			ch.Attributes = append(ch.Attributes, "fields order")
		}
		if ch.any() {
			out = append(out, ch)
		}
	}
	for _, role := range sortedKeys(after.Roles) {
		b, a := before.Roles[role], after.Roles[role]
		ch := Change{Kind: "role", ID: role, Op: "changed"}
		for _, form := range sortedKeys(a) {
			if _, ok := b[form]; !ok {
				ch.Added = append(ch.Added, form)
			} else if b[form] != a[form] {
				ch.Changed = append(ch.Changed, form)
			}
		}
		for _, form := range sortedKeys(b) {
			if _, ok := a[form]; !ok {
				ch.Removed = append(ch.Removed, form)
			}
		}
		if ch.any() {
			out = append(out, ch)
		}
	}
	return out
}

func (c Change) any() bool {
	return len(c.Attributes)+len(c.Added)+len(c.Removed)+len(c.Changed) > 0
}

// changedAttrs lists the top-level JSON attributes of a and b that differ,
// except those in skip.
func changedAttrs(a, b any, skip []string) []string {
	var ma, mb map[string]json.RawMessage
	_ = json.Unmarshal(mustJSON(a), &ma)
	_ = json.Unmarshal(mustJSON(b), &mb)
	var out []string
	for _, k := range sortedKeys(ma) {
		if !slices.Contains(skip, k) && string(ma[k]) != string(mb[k]) {
			out = append(out, k)
		}
	}
	for _, k := range sortedKeys(mb) {
		if _, ok := ma[k]; !ok && !slices.Contains(skip, k) {
			out = append(out, k)
		}
	}
	return out
}

// listDiff compares two lists of items identified by id.
func listDiff[T any](before, after []T, id func(T) string) (added, removed, changed []string) {
	index := map[string]T{}
	for _, x := range before {
		index[id(x)] = x
	}
	seen := map[string]bool{}
	for _, x := range after {
		seen[id(x)] = true
		prev, ok := index[id(x)]
		switch {
		case !ok:
			added = append(added, id(x))
		case !same(prev, x):
			changed = append(changed, id(x))
		}
	}
	for _, x := range before {
		if !seen[id(x)] {
			removed = append(removed, id(x))
		}
	}
	return added, removed, changed
}

// listOrderChanged reports whether the items both lists hold are in another order.
func listOrderChanged[T any](before, after []T, id func(T) string) bool {
	inAfter, inBefore := map[string]bool{}, map[string]bool{}
	for _, x := range after {
		inAfter[id(x)] = true
	}
	for _, x := range before {
		inBefore[id(x)] = true
	}
	var a, b []string
	for _, x := range before {
		if inAfter[id(x)] {
			b = append(b, id(x))
		}
	}
	for _, x := range after {
		if inBefore[id(x)] {
			a = append(a, id(x))
		}
	}
	return !slices.Equal(a, b)
}

// transitionIssues are the rules on changing a stored configuration: core
// forms stay, immutable attributes stay, modules and roles are not created
// by configuration changes.
func transitionIssues(before, after *Bundle) []issue {
	var out []issue
	add := func(l loc, reason string, value any) {
		out = append(out, issue{path: l.path, key: l.key, reason: reason, value: value})
	}
	for _, f := range before.Forms {
		i := after.form(f.UniqueID)
		if i < 0 {
			if f.CoreForm {
				add(loc{"forms", "forms/" + f.UniqueID}, "core form "+f.UniqueID+" cannot be deleted: keep it", f.UniqueID)
			}
			continue
		}
		a, l := after.Forms[i], formLoc(i, &after.Forms[i])
		if a.ParentForm != f.ParentForm {
			add(l.at("parent_form"), "cannot be changed (records of "+f.ParentForm+" use this form)", a.ParentForm)
		}
		if a.IsNested != f.IsNested {
			add(l.at("is_nested"), "cannot be changed", a.IsNested)
		}
		if a.CoreForm != f.CoreForm {
			add(l.at("core_form"), "cannot be changed", a.CoreForm)
		}
	}
	for i, m := range after.Modules {
		l := loc{}.item("modules", i, m.UniqueID)
		j := before.module(m.UniqueID)
		switch {
		case j < 0:
			add(l.at("unique_id"), "no such module in this country instance", m.UniqueID)
		case !slices.Equal(before.Modules[j].AssociatedRecordTypes, m.AssociatedRecordTypes):
			add(l.at("associated_record_types"), "cannot be changed", m.AssociatedRecordTypes)
		}
	}
	for _, role := range sortedKeys(after.Roles) {
		if _, ok := before.Roles[role]; !ok {
			add(loc{"roles." + role, "roles/" + role}, "no such role in this country instance: create it first", role)
		}
	}
	return out
}

// Use is a value that records may hold: a field of a record type, or one
// option of a select, radio or tally field.
type Use struct {
	RecordType string
	// Field is the field's name; for a field of subform rows,
	// "<subform field>.<field>".
	Field string
	// Option is an option id, or "" for the field itself.
	Option string
	// Records is how many records hold it (in a UsageFunc's answer), at
	// most UseCountLimit+1 (more than UseCountLimit).
	Records int
}

// UseCountLimit bounds the records a refusal counts: "more than 10000
// records" says enough, and counting a field every record holds would read
// them all.
const UseCountLimit = 10000

// UsageFunc reports which of uses records hold, with how many records hold
// each, reading in c.
type UsageFunc func(ctx context.Context, c *tenancy.Conn, uses []Use) ([]Use, error)

// RecordsUse is the check, behind every configuration change, that refuses
// to remove a field or an option that records use (or to change the type of
// such a field). Each use is one probe of the GIN index of
// record_data_terms(data) (migration 015_records_data_terms): a field is the
// term "<field>" (or "<subform>.<field>"), an option "<field>=<id>"; records
// of every state count (disabled records keep their data). Plain SQL on the
// records table of package records, which imports this package.
func RecordsUse(ctx context.Context, c *tenancy.Conn, uses []Use) ([]Use, error) {
	var out []Use
	for _, u := range uses {
		term := u.Field
		if u.Option != "" {
			term += "=" + u.Option
		}
		var n int
		if err := c.QueryRow(ctx, `select count(*) from (select 1 from records
			where record_type = $1 and record_data_terms(data) @> array[$2::text] limit $3) used`,
			u.RecordType, term, UseCountLimit+1).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting records that use %s: %w", term, err)
		}
		if n > 0 {
			u.Records = n
			out = append(out, u)
		}
	}
	return out, nil
}

// searchColumnFields have a column of their own on records and are never
// in records.filters (records.columnFields, which imports this package).
var searchColumnFields = map[string]bool{"sex": true, "age": true, "date_of_birth": true, "registration_date": true,
	"risk_level": true, "location_current": true}

// refreshFilters brings records.filters (the filterable fields' values that
// lists filter and sort on, extracted when a record is written) in line
// with a change of which fields are filterable, in the change's own
// transaction (docs/records.md, Session 22): a field no longer filterable
// leaves every record's filters, a field made filterable enters them from
// data (scalars and non-empty lists, as records extract them). Only the
// records holding the field are rewritten (found by the GIN index of
// record_data_terms); record_field_values follows filters by its
// triggers. Like RecordsUse, plain SQL on package records' table.
func refreshFilters(ctx context.Context, c *tenancy.Conn, before, after *Bundle) error {
	bf, af := dataFields(before), dataFields(after)
	for _, rt := range RecordTypes {
		var added, removed []string
		for _, name := range sortedKeys(af[rt]) {
			if a := af[rt][name]; !strings.Contains(name, ".") && !searchColumnFields[name] && a.Filterable {
				if b := bf[rt][name]; b == nil || !b.Filterable {
					added = append(added, name)
				}
			}
		}
		for _, name := range sortedKeys(bf[rt]) {
			if b := bf[rt][name]; !strings.Contains(name, ".") && !searchColumnFields[name] && b.Filterable {
				if a := af[rt][name]; a == nil || !a.Filterable {
					removed = append(removed, name)
				}
			}
		}
		if len(removed) > 0 {
			if _, err := c.Exec(ctx, `update records set filters = filters - $2::text[]
				where record_type = $1 and filters ?| $2::text[]`, rt, removed); err != nil {
				return fmt.Errorf("removing %v from the records' filters: %w", removed, err)
			}
		}
		if len(added) > 0 {
			if _, err := c.Exec(ctx, `update records set filters = filters || coalesce((select jsonb_object_agg(k, data -> k)
					from unnest($2::text[]) k
					where jsonb_typeof(data -> k) in ('string', 'number', 'boolean')
						or (jsonb_typeof(data -> k) = 'array' and jsonb_array_length(data -> k) > 0)), '{}')
				where record_type = $1 and record_data_terms(data) && $2::text[]`, rt, added); err != nil {
				return fmt.Errorf("adding %v to the records' filters: %w", added, err)
			}
		}
	}
	return nil
}

// removedUses lists the fields and options of before that after removes
// (or whose field changes type).
func removedUses(before, after *Bundle) []Use {
	bi, ai := dataFields(before), dataFields(after)
	bl, al := lookupIndex(before), lookupIndex(after)
	var out []Use
	for _, rt := range RecordTypes {
		for _, path := range sortedKeys(bi[rt]) {
			b, a := bi[rt][path], ai[rt][path]
			if a == nil || a.Type != b.Type || a.MultiSelect != b.MultiSelect {
				out = append(out, Use{RecordType: rt, Field: path})
				continue
			}
			kept := map[string]bool{}
			for _, o := range optionsOf(a, al) {
				kept[o.ID] = true
			}
			for _, o := range optionsOf(b, bl) {
				if !kept[o.ID] {
					out = append(out, Use{RecordType: rt, Field: path, Option: o.ID})
				}
			}
		}
	}
	return out
}

// dataFields indexes the fields that hold record data: record type ->
// field name (or "subform.field") -> field.
func dataFields(b *Bundle) map[string]map[string]*Field {
	out := map[string]map[string]*Field{}
	for i := range b.Forms {
		f := &b.Forms[i]
		if f.IsNested {
			continue
		}
		if out[f.ParentForm] == nil {
			out[f.ParentForm] = map[string]*Field{}
		}
		for j := range f.Fields {
			fd := &f.Fields[j]
			if !holdsValue(fd.Type) || fd.Type == TypeCalculated {
				continue
			}
			out[f.ParentForm][fd.Name] = fd
			if fd.Type == TypeSubform {
				if n := b.form(fd.SubformSectionUniqueID); n >= 0 {
					for k := range b.Forms[n].Fields {
						nf := &b.Forms[n].Fields[k]
						if holdsValue(nf.Type) && nf.Type != TypeCalculated {
							out[f.ParentForm][fd.Name+"."+nf.Name] = nf
						}
					}
				}
			}
		}
	}
	return out
}

func lookupIndex(b *Bundle) map[string]*Lookup {
	out := map[string]*Lookup{}
	for i := range b.Lookups {
		out[b.Lookups[i].UniqueID] = &b.Lookups[i]
	}
	return out
}

// The ends of usesReason's reasons.
const (
	usedField  = ": it cannot be removed, renamed or change type; hide it (visible: false) instead"
	usedOption = ": disable the option (disabled: true) instead of removing it"
)

// usesReason explains why a use cannot be removed: how many records of a
// type use it (each wording is its own catalogue entry, docs/errors.md).
func usesReason(u Use) string {
	n, rt := u.Records, u.RecordType
	switch {
	case u.Option == "" && n > UseCountLimit:
		return fmt.Sprintf("more than %d %s records use field %s"+usedField, UseCountLimit, rt, u.Field)
	case u.Option == "" && n == 1:
		return fmt.Sprintf("1 %s record uses field %s"+usedField, rt, u.Field)
	case u.Option == "" && n == 0: // a stand-in UsageFunc that does not count
		return fmt.Sprintf("%s records use field %s"+usedField, rt, u.Field)
	case u.Option == "":
		return fmt.Sprintf("%d %s records use field %s"+usedField, n, rt, u.Field)
	case n > UseCountLimit:
		return fmt.Sprintf("more than %d %s records use option %s of field %s"+usedOption, UseCountLimit, rt, u.Option, u.Field)
	case n == 1:
		return fmt.Sprintf("1 %s record uses option %s of field %s"+usedOption, rt, u.Option, u.Field)
	case n == 0:
		return fmt.Sprintf("%s records use option %s of field %s"+usedOption, rt, u.Option, u.Field)
	}
	return fmt.Sprintf("%d %s records use option %s of field %s"+usedOption, n, rt, u.Option, u.Field)
}

// focus says how the problems of a change are reported: relative to the
// one item the request sends (a form, lookup or module), or to the whole
// bundle.
type focus struct {
	// list and id name the item the request sends ("forms", "basic_identity");
	// an empty list means the request sends a whole bundle.
	list, id string
	// blame is the attribute of the item blamed for problems the change
	// causes elsewhere (a field removed that another form's condition reads).
	blame string
	// prefix starts the path of every problem of a bundle ("data.").
	prefix string
	// deleting: the change removes the item; its problems are a conflict.
	deleting bool
}

// errors turns the issues of after into the request's field errors. For
// one item, only issues the change brings count (issues before it stay the
// administrator's to fix), and issues elsewhere are blamed on the item.
func (f focus) errors(before, after *Bundle) []tenancy.FieldError {
	issues := append(checkBundle(after), transitionIssues(before, after)...)
	var out []tenancy.FieldError
	if f.list == "" {
		for _, is := range issues {
			out = append(out, is.fieldError(f.prefix))
		}
		return out
	}
	old := map[string]bool{}
	for _, is := range checkBundle(before) {
		old[is.key+"\x00"+is.reason] = true
	}
	itemPrefix := ""
	var i int
	switch f.list {
	case "forms":
		i = after.form(f.id)
	case "lookups":
		i = after.lookup(f.id)
	case "modules":
		i = after.module(f.id)
	}
	if i >= 0 {
		itemPrefix = fmt.Sprintf("%s[%d].", f.list, i)
	}
	for _, is := range issues {
		if old[is.key+"\x00"+is.reason] {
			continue
		}
		if rel, ok := strings.CutPrefix(is.path, itemPrefix); ok && itemPrefix != "" {
			out = append(out, tenancy.FieldError{Path: rel, Reason: is.reason, Value: is.value})
			continue
		}
		out = append(out, tenancy.FieldError{Path: f.blame, Reason: "would break " + is.key + ": " + is.reason, Value: is.value})
	}
	return out
}

// useErrors reports uses that records hold.
func (f focus) useErrors(before *Bundle, uses []Use) []tenancy.FieldError {
	var out []tenancy.FieldError
	for _, u := range uses {
		path := f.blame
		if f.list == "" {
			path = f.prefix + "forms"
			if u.Option != "" {
				if fd := dataFields(before)[u.RecordType][u.Field]; fd != nil && fd.OptionStringsSource != "" {
					path = f.prefix + "lookups"
				}
			}
		}
		out = append(out, tenancy.FieldError{Path: path, Reason: usesReason(u), Value: u.Field})
	}
	return out
}

// compactChanges shortens changes for the audit log's metadata (bounded
// in size): with many changes, only which items changed.
func compactChanges(changes []Change) any {
	if changes == nil {
		changes = []Change{}
	}
	if len(mustJSON(changes)) <= 8<<10 {
		return changes
	}
	type item struct {
		Kind string `json:"kind"`
		ID   string `json:"id"`
		Op   string `json:"op"`
	}
	var out []item
	for i, c := range changes {
		if i == 150 {
			break
		}
		out = append(out, item{c.Kind, c.ID, c.Op})
	}
	return map[string]any{"items": out, "total": len(changes)}
}
