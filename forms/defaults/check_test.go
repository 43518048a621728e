package defaults

// The consistency rules of docs/configuration.md, as a pure function of a
// configuration: check returns every problem found, one line each.

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
)

var (
	keyPattern    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,79}$`)
	lookupPattern = regexp.MustCompile(`^lookup-[a-z0-9-]{1,60}$`)
	modulePattern = regexp.MustCompile(`^primeromodule-[a-z0-9-]{1,60}$`)
)

// locales are the languages every default text is written in.
var locales = []string{"ar", "en", "es", "fr"}

var recordTypes = []string{"case", "incident", "tracing_request"}

// commonKeys are the attributes every field type accepts.
var commonKeys = []string{
	"display_conditions", "display_name", "editable", "filterable", "guiding_questions",
	"help_text", "hide_on_view_page", "id_field", "matchable", "mobile_visible", "name",
	"phone_number", "required", "type", "visible",
}

// typeKeys are each field type's own attributes.
var typeKeys = map[string][]string{
	"text_field":          {"max_length"},
	"textarea":            {"max_length"},
	"select_box":          {"multi_select", "option_strings_source", "option_strings_text"},
	"radio_button":        {"option_strings_source", "option_strings_text"},
	"tick_box":            {"tick_box_label"},
	"numeric_field":       {"integer", "max_value", "min_value"},
	"date_field":          {"date_include_time", "date_validation"},
	"date_range":          {"date_include_time", "date_validation"},
	"location":            {"location_admin_level"},
	"photo_upload_box":    {"max_attachments"},
	"audio_upload_box":    {"max_attachments"},
	"document_upload_box": {"max_attachments"},
	"subform":             {"subform_max_rows", "subform_section_unique_id", "subform_sort_by"},
	"separator":           {},
	"tally_field":         {"tally"},
	"calculated":          {"calculation"},
}

// Which types a flag makes sense on.
var (
	matchableTypes  = []string{"calculated", "date_field", "location", "numeric_field", "radio_button", "select_box", "text_field"}
	filterableTypes = []string{"calculated", "date_field", "location", "numeric_field", "radio_button", "select_box", "tick_box"}
	valueless       = []string{"separator"}
)

// scope is the fields a display condition or a calculation may name.
type scope map[string]*field

type checker struct {
	c        *config
	problems []string
	lookups  map[string]*lookup
	forms    map[string]*form
	// record holds the fields of each record type's non-nested forms.
	record map[string]scope
	// usedLookups and usedNested are filled while fields are checked.
	usedLookups map[string]bool
	usedNested  map[string][]string
}

func (k *checker) addf(format string, args ...any) {
	k.problems = append(k.problems, fmt.Sprintf(format, args...))
}

// check returns every inconsistency of c.
func check(c *config) []string {
	k := &checker{
		c:           c,
		lookups:     map[string]*lookup{},
		forms:       map[string]*form{},
		record:      map[string]scope{},
		usedLookups: map[string]bool{},
		usedNested:  map[string][]string{},
	}
	k.checkModules()
	k.checkLookups()
	k.indexForms()
	k.checkForms()
	k.checkRoles()
	sort.Strings(k.problems)
	return k.problems
}

// checkText requires exactly the four locales, each non-empty and trimmed,
// the Arabic one in Arabic script.
func (k *checker) checkText(where string, t text, required bool) {
	if t == nil {
		if required {
			k.addf("%s: missing", where)
		}
		return
	}
	for _, l := range locales {
		s, ok := t[l]
		switch {
		case !ok || strings.TrimSpace(s) == "":
			k.addf("%s: no %q text", where, l)
		case strings.TrimSpace(s) != s || strings.Contains(s, "  "):
			k.addf("%s.%s: stray spaces in %q", where, l, s)
		case l == "ar" && !hasScript(s, unicode.Arabic):
			k.addf("%s.ar: %q is not written in Arabic", where, s)
		case l != "ar" && hasScript(s, unicode.Arabic):
			k.addf("%s.%s: %q is written in Arabic", where, l, s)
		}
	}
	for l := range t {
		if !slices.Contains(locales, l) {
			k.addf("%s: unexpected locale %q", where, l)
		}
	}
}

func hasScript(s string, tab *unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.Is(tab, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func (k *checker) checkOptions(where string, opts []option) {
	if len(opts) == 0 {
		k.addf("%s: no options", where)
	}
	seen := map[string]bool{}
	for i, o := range opts {
		w := fmt.Sprintf("%s[%d]", where, i)
		if !keyPattern.MatchString(o.ID) {
			k.addf("%s: option id %q does not match %s", w, o.ID, keyPattern)
		}
		if seen[o.ID] {
			k.addf("%s: option id %q given twice", w, o.ID)
		}
		seen[o.ID] = true
		k.checkText(w+".display_text", o.DisplayText, true)
	}
}

func (k *checker) checkModules() {
	if len(k.c.Modules) == 0 {
		k.addf("modules.json: no module")
	}
	seen := map[string]bool{}
	for i, m := range k.c.Modules {
		w := fmt.Sprintf("modules[%d]", i)
		if !modulePattern.MatchString(m.UniqueID) {
			k.addf("%s: unique_id %q does not match %s", w, m.UniqueID, modulePattern)
		}
		if seen[m.UniqueID] {
			k.addf("%s: unique_id %q given twice", w, m.UniqueID)
		}
		seen[m.UniqueID] = true
		k.checkText(w+".name", m.Name, true)
		if len(m.AssociatedRecordTypes) == 0 {
			k.addf("%s: no record type", w)
		}
		for _, rt := range m.AssociatedRecordTypes {
			if !slices.Contains(recordTypes, rt) {
				k.addf("%s: unknown record type %q", w, rt)
			}
		}
		for _, a := range m.Options.Approvals {
			if !slices.Contains([]string{"action_plan", "assessment", "case_plan", "closure"}, a) {
				k.addf("%s: unknown approval %q", w, a)
			}
		}
	}
}

func (k *checker) checkLookups() {
	for i := range k.c.Lookups {
		l := &k.c.Lookups[i]
		w := fmt.Sprintf("lookups[%d] (%s)", i, l.UniqueID)
		if !lookupPattern.MatchString(l.UniqueID) {
			k.addf("%s: unique_id does not match %s", w, lookupPattern)
		}
		if k.lookups[l.UniqueID] != nil {
			k.addf("%s: unique_id given twice", w)
		}
		k.lookups[l.UniqueID] = l
		k.checkText(w+".name", l.Name, true)
		k.checkOptions(w+".values", l.Values)
	}
}

// indexForms indexes forms by unique_id and collects each record type's
// record-level fields (those of its non-nested forms).
func (k *checker) indexForms() {
	for i := range k.c.Forms {
		f := &k.c.Forms[i]
		if !keyPattern.MatchString(f.UniqueID) {
			k.addf("%s: unique_id %q does not match %s", f.file, f.UniqueID, keyPattern)
		}
		if k.forms[f.UniqueID] != nil {
			k.addf("%s: unique_id %q is also %s's", f.file, f.UniqueID, k.forms[f.UniqueID].file)
		}
		k.forms[f.UniqueID] = f
		if want := path.Join("forms", f.ParentForm, f.UniqueID+".json"); f.file != want {
			k.addf("%s: a form %q of record type %q belongs in %s", f.file, f.UniqueID, f.ParentForm, want)
		}
		if f.IsNested {
			continue
		}
		if k.record[f.ParentForm] == nil {
			k.record[f.ParentForm] = scope{}
		}
		for j := range f.Fields {
			fl := &f.Fields[j]
			if other, ok := k.record[f.ParentForm][fl.Name]; ok && other != nil {
				k.addf("%s: field %q is already a field of another %s form", f.file, fl.Name, f.ParentForm)
			}
			k.record[f.ParentForm][fl.Name] = fl
		}
	}
}

// fieldScope is what a field of form f may refer to: for a nested form its
// row's fields first, then the record's.
func (k *checker) fieldScope(f *form) scope {
	if !f.IsNested {
		return k.record[f.ParentForm]
	}
	s := scope{}
	for n, fl := range k.record[f.ParentForm] {
		s[n] = fl
	}
	for j := range f.Fields {
		s[f.Fields[j].Name] = &f.Fields[j]
	}
	return s
}

type groupInfo struct {
	order int
	name  text
	file  string
}

func (k *checker) checkForms() {
	if len(k.c.Forms) == 0 {
		k.addf("no form")
	}
	modules := map[string]*module{}
	for i := range k.c.Modules {
		modules[k.c.Modules[i].UniqueID] = &k.c.Modules[i]
	}
	groups := map[string]map[string]groupInfo{} // record type -> group id -> info
	groupOrders := map[string]map[int]string{}  // record type -> order_form_group -> group id
	formOrders := map[string]string{}           // record type/group/order -> form
	for i := range k.c.Forms {
		f := &k.c.Forms[i]
		w := f.file
		if !slices.Contains(recordTypes, f.ParentForm) {
			k.addf("%s: parent_form %q is not a record type", w, f.ParentForm)
		}
		if len(f.ModuleIDs) == 0 {
			k.addf("%s: no module_ids", w)
		}
		for _, m := range f.ModuleIDs {
			switch {
			case modules[m] == nil:
				k.addf("%s: unknown module %q", w, m)
			case !slices.Contains(modules[m].AssociatedRecordTypes, f.ParentForm):
				k.addf("%s: module %q has no record type %q", w, m, f.ParentForm)
			}
		}
		k.checkText(w+": name", f.Name, true)
		k.checkText(w+": description", f.Description, true)
		if !f.CoreForm {
			k.addf("%s: a default form is a core form", w)
		}
		if f.Visible == nil || *f.Visible == f.IsNested {
			k.addf("%s: visible must be given, true for a form and false for a nested form", w)
		}
		if f.IsNested {
			if f.FormGroupID != "" || f.FormGroupName != nil || f.OrderFormGroup != 0 {
				k.addf("%s: a nested form has no form group", w)
			}
		} else {
			k.checkGroup(f, groups, groupOrders, formOrders)
		}
		if len(f.Fields) == 0 {
			k.addf("%s: no field", w)
		}
		seen := map[string]bool{}
		sc := k.fieldScope(f)
		for j := range f.Fields {
			fl := &f.Fields[j]
			fw := fmt.Sprintf("%s: fields[%d] (%s)", w, j, fl.Name)
			if seen[fl.Name] {
				k.addf("%s: name given twice in the form", fw)
			}
			seen[fl.Name] = true
			k.checkField(fw, f, fl, sc)
		}
	}
	// Every nested form is the rows of exactly one subform field.
	for _, f := range k.c.Forms {
		if f.IsNested && len(k.usedNested[f.UniqueID]) != 1 {
			k.addf("%s: nested form used by %d subform fields %v, want 1", f.file, len(k.usedNested[f.UniqueID]), k.usedNested[f.UniqueID])
		}
	}
	for _, l := range k.c.Lookups {
		if !k.usedLookups[l.UniqueID] {
			k.addf("lookups: %s is used by no field", l.UniqueID)
		}
	}
}

func (k *checker) checkGroup(f *form, groups map[string]map[string]groupInfo, groupOrders map[string]map[int]string, formOrders map[string]string) {
	w := f.file
	if !keyPattern.MatchString(f.FormGroupID) {
		k.addf("%s: form_group_id %q does not match %s", w, f.FormGroupID, keyPattern)
	}
	k.checkText(w+": form_group_name", f.FormGroupName, true)
	if f.Order <= 0 || f.OrderFormGroup <= 0 {
		k.addf("%s: order and order_form_group must be positive", w)
	}
	if groups[f.ParentForm] == nil {
		groups[f.ParentForm] = map[string]groupInfo{}
		groupOrders[f.ParentForm] = map[int]string{}
	}
	if g, ok := groups[f.ParentForm][f.FormGroupID]; ok {
		if g.order != f.OrderFormGroup || !equalText(g.name, f.FormGroupName) {
			k.addf("%s: form group %q has another order or name in %s", w, f.FormGroupID, g.file)
		}
	} else {
		groups[f.ParentForm][f.FormGroupID] = groupInfo{order: f.OrderFormGroup, name: f.FormGroupName, file: w}
		if other, ok := groupOrders[f.ParentForm][f.OrderFormGroup]; ok {
			k.addf("%s: order_form_group %d is also group %q's", w, f.OrderFormGroup, other)
		}
		groupOrders[f.ParentForm][f.OrderFormGroup] = f.FormGroupID
	}
	key := fmt.Sprintf("%s/%s/%d", f.ParentForm, f.FormGroupID, f.Order)
	if other, ok := formOrders[key]; ok {
		k.addf("%s: order %d is also %s's in its group", w, f.Order, other)
	}
	formOrders[key] = f.UniqueID
}

func equalText(a, b text) bool {
	if len(a) != len(b) {
		return false
	}
	for l, s := range a {
		if b[l] != s {
			return false
		}
	}
	return true
}

func (k *checker) checkField(w string, f *form, fl *field, sc scope) {
	if !keyPattern.MatchString(fl.Name) {
		k.addf("%s: name does not match %s", w, keyPattern)
	}
	own, ok := typeKeys[fl.Type]
	if !ok {
		k.addf("%s: unknown type %q", w, fl.Type)
		return
	}
	for _, key := range fl.keys {
		if !slices.Contains(commonKeys, key) && !slices.Contains(own, key) {
			k.addf("%s: %q is not an attribute of a %s", w, key, fl.Type)
		}
	}
	k.checkText(w+".display_name", fl.DisplayName, true)
	k.checkText(w+".help_text", fl.HelpText, false)
	k.checkText(w+".guiding_questions", fl.GuidingQuestions, false)
	k.checkText(w+".tick_box_label", fl.TickBoxLabel, false)

	if fl.Matchable && !slices.Contains(matchableTypes, fl.Type) {
		k.addf("%s: a %s cannot be matchable", w, fl.Type)
	}
	if fl.Filterable && !slices.Contains(filterableTypes, fl.Type) {
		k.addf("%s: a %s cannot be filterable", w, fl.Type)
	}
	if fl.Filterable && f.IsNested {
		k.addf("%s: only a record-level field is filterable (one value per record)", w)
	}
	if (fl.IDField || fl.PhoneNumber) && fl.Type != "text_field" {
		k.addf("%s: only a text_field is an ID or a phone number", w)
	}
	if fl.IDField && fl.PhoneNumber {
		k.addf("%s: an ID field is not a phone number", w)
	}
	if fl.Required && (slices.Contains(valueless, fl.Type) || fl.Type == "calculated") {
		k.addf("%s: a %s cannot be required", w, fl.Type)
	}
	if fl.Required && ((fl.Visible != nil && !*fl.Visible) || (fl.Editable != nil && !*fl.Editable)) {
		k.addf("%s: a required field must be visible and editable", w)
	}
	if fl.Type == "subform" && f.IsNested {
		k.addf("%s: a nested form holds no subform", w)
	}

	switch fl.Type {
	case "text_field", "textarea":
		if fl.MaxLength != nil && *fl.MaxLength <= 0 {
			k.addf("%s: max_length must be positive", w)
		}
	case "select_box", "radio_button":
		switch {
		case fl.OptionStringsSource != "" && fl.OptionStringsText != nil:
			k.addf("%s: both option_strings_source and option_strings_text", w)
		case fl.OptionStringsSource != "":
			id, ok := strings.CutPrefix(fl.OptionStringsSource, "lookup ")
			if !ok || k.lookups[id] == nil {
				k.addf("%s: option_strings_source %q names no lookup", w, fl.OptionStringsSource)
			}
			k.usedLookups[id] = true
		default:
			k.checkOptions(w+".option_strings_text", fl.OptionStringsText)
		}
	case "numeric_field":
		if fl.MinValue != nil && fl.MaxValue != nil && *fl.MinValue > *fl.MaxValue {
			k.addf("%s: min_value above max_value", w)
		}
	case "date_field", "date_range":
		if !slices.Contains([]string{"", "default_date_validation", "not_future_date"}, fl.DateValidation) {
			k.addf("%s: unknown date_validation %q", w, fl.DateValidation)
		}
	case "location":
		if l := fl.LocationAdminLevel; l != nil && (*l < 0 || *l > 5) {
			k.addf("%s: location_admin_level %d is not 0-5", w, *l)
		}
	case "photo_upload_box", "audio_upload_box", "document_upload_box":
		if fl.MaxAttachments != nil && *fl.MaxAttachments <= 0 {
			k.addf("%s: max_attachments must be positive", w)
		}
	case "subform":
		k.checkSubform(w, f, fl)
	case "tally_field":
		k.checkOptions(w+".tally", fl.Tally)
	case "calculated":
		k.checkCalculation(w, fl, sc)
	}
	if len(fl.DisplayConditions) > 0 {
		k.checkCondition(w+".display_conditions", fl.Name, fl.DisplayConditions, sc)
	}
}

func (k *checker) checkSubform(w string, f *form, fl *field) {
	nested := k.forms[fl.SubformSectionUniqueID]
	k.usedNested[fl.SubformSectionUniqueID] = append(k.usedNested[fl.SubformSectionUniqueID], f.UniqueID+"."+fl.Name)
	switch {
	case nested == nil:
		k.addf("%s: subform_section_unique_id %q names no form", w, fl.SubformSectionUniqueID)
		return
	case !nested.IsNested:
		k.addf("%s: subform %q is not a nested form", w, nested.UniqueID)
	case nested.ParentForm != f.ParentForm:
		k.addf("%s: subform %q belongs to record type %q, not %q", w, nested.UniqueID, nested.ParentForm, f.ParentForm)
	}
	if fl.SubformMaxRows != nil && *fl.SubformMaxRows <= 0 {
		k.addf("%s: subform_max_rows must be positive", w)
	}
	if fl.SubformSortBy != "" && !slices.ContainsFunc(nested.Fields, func(n field) bool { return n.Name == fl.SubformSortBy }) {
		k.addf("%s: subform_sort_by %q is no field of %q", w, fl.SubformSortBy, nested.UniqueID)
	}
}

func (k *checker) checkCalculation(w string, fl *field, sc scope) {
	c := fl.Calculation
	switch {
	case c == nil || (c.AgeFrom == "") == (c.Sum == nil):
		k.addf("%s: a calculation is either age_from or sum", w)
	case c.AgeFrom != "":
		if src := sc[c.AgeFrom]; src == nil || src.Type != "date_field" {
			k.addf("%s: age_from %q is not a date field", w, c.AgeFrom)
		}
	default:
		if len(c.Sum) < 2 {
			k.addf("%s: a sum adds at least two fields", w)
		}
		for _, n := range c.Sum {
			if src := sc[n]; src == nil || src.Type != "numeric_field" {
				k.addf("%s: sum term %q is not a numeric field", w, n)
			}
		}
	}
	if fl.Editable != nil && *fl.Editable {
		k.addf("%s: a calculated field is never editable", w)
	}
}

// options gives a select field's option ids.
func (k *checker) options(fl *field) []string {
	opts := fl.OptionStringsText
	if id, ok := strings.CutPrefix(fl.OptionStringsSource, "lookup "); ok && k.lookups[id] != nil {
		opts = k.lookups[id].Values
	}
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return ids
}

// checkCondition checks a display condition expression: one operator per
// object, existing fields other than the field itself, and values that the
// named field can hold.
func (k *checker) checkCondition(w, self string, raw json.RawMessage, sc scope) {
	var expr map[string]json.RawMessage
	if err := json.Unmarshal(raw, &expr); err != nil || len(expr) != 1 {
		k.addf("%s: %s is not an object with one operator", w, raw)
		return
	}
	for op, arg := range expr {
		switch op {
		case "and", "or":
			var subs []json.RawMessage
			if err := json.Unmarshal(arg, &subs); err != nil || len(subs) < 2 {
				k.addf("%s: %s takes a list of at least two expressions", w, op)
				return
			}
			for i, s := range subs {
				k.checkCondition(fmt.Sprintf("%s.%s[%d]", w, op, i), self, s, sc)
			}
		case "not":
			k.checkCondition(w+".not", self, arg, sc)
		case "exists":
			var name string
			if err := json.Unmarshal(arg, &name); err != nil {
				k.addf("%s: exists takes a field name", w)
				return
			}
			k.conditionField(w, self, name, sc)
		case "eq", "in", "gt", "ge", "lt", "le":
			var m map[string]json.RawMessage
			if err := json.Unmarshal(arg, &m); err != nil || len(m) != 1 {
				k.addf("%s: %s takes an object naming one field", w, op)
				return
			}
			for name, v := range m {
				fl := k.conditionField(w, self, name, sc)
				if fl == nil {
					return
				}
				if op == "in" {
					var vs []json.RawMessage
					if err := json.Unmarshal(v, &vs); err != nil || len(vs) == 0 {
						k.addf("%s: in takes a non-empty list for %q", w, name)
						return
					}
					for _, one := range vs {
						k.checkValue(w, op, fl, one)
					}
				} else {
					k.checkValue(w, op, fl, v)
				}
			}
		default:
			k.addf("%s: unknown operator %q", w, op)
		}
	}
}

func (k *checker) conditionField(w, self, name string, sc scope) *field {
	fl := sc[name]
	switch {
	case fl == nil:
		k.addf("%s: names %q, which is no field in scope", w, name)
		return nil
	case name == self:
		k.addf("%s: a field's condition cannot name the field itself", w)
		return nil
	}
	return fl
}

// checkValue checks that v is a value field fl can hold, compared with op.
func (k *checker) checkValue(w, op string, fl *field, v json.RawMessage) {
	ordered := op != "eq" && op != "in"
	var s string
	var n float64
	var b bool
	isString := json.Unmarshal(v, &s) == nil
	isNumber := json.Unmarshal(v, &n) == nil
	isBool := json.Unmarshal(v, &b) == nil
	bad := func(why string) { k.addf("%s: %s %s %s: %s", w, fl.Name, op, v, why) }
	switch fl.Type {
	case "select_box", "radio_button":
		switch {
		case ordered:
			bad("options are not ordered")
		case fl.MultiSelect:
			bad("a multiple select holds a list; compare single values only")
		case !isString || !slices.Contains(k.options(fl), s):
			bad("not one of its options")
		}
	case "tick_box":
		if ordered || !isBool {
			bad("a tick box is true or false")
		}
	case "numeric_field", "calculated":
		if !isNumber {
			bad("not a number")
		}
	case "date_field":
		if _, err := time.Parse(time.DateOnly, s); !isString || err != nil {
			bad("not a date")
		}
	case "text_field", "textarea", "location":
		if ordered || !isString {
			bad("compare text with eq or in only")
		}
	default:
		bad("this field type is not compared")
	}
}

func (k *checker) checkRoles() {
	if len(k.c.Roles) == 0 {
		k.addf("roles.json: no role")
	}
	for role, access := range k.c.Roles {
		if !slices.Contains(k.c.KnownRoles, role) {
			k.addf("roles.json: %q is not a default role %v", role, k.c.KnownRoles)
		}
		for id, a := range access {
			switch f := k.forms[id]; {
			case f == nil:
				k.addf("roles.json: %s: %q names no form", role, id)
			case f.IsNested:
				k.addf("roles.json: %s: %q is a nested form (it follows its subform field's form)", role, id)
			}
			if a != "r" && a != "rw" {
				k.addf("roles.json: %s: %s: access %q is neither r nor rw", role, id, a)
			}
		}
	}
}
