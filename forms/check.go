package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cpims-hosted/cpims/tenancy"
)

// The configuration checker: every rule of docs/configuration.md over a
// whole Bundle, reporting every problem at once.

var (
	nameRE     = regexp.MustCompile(`^[a-z][a-z0-9_]{0,79}$`)
	moduleIDRE = regexp.MustCompile(`^primeromodule-[a-z0-9-]{1,60}$`)
	lookupIDRE = regexp.MustCompile(`^lookup-[a-z0-9_-]{1,80}$`)
	optionIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$`)
	roleIDRE   = regexp.MustCompile(`^role-[a-z0-9-]{1,60}$`)
)

// Limits of a configuration.
const (
	maxForms         = 1000
	maxFieldsPerForm = 500
	maxLookups       = 2000
	maxOptions       = 2000
	maxLabel         = 1000  // runes of a name or label
	maxLongText      = 10000 // runes of a description, help text or guiding questions
	maxTextLength    = 10000
	maxTextarea      = 100000
	maxSubformRows   = 1000
	maxAttachments   = 100
)

// issue is one problem of a configuration.
type issue struct {
	// path locates it by position, from the bundle's root:
	// "forms[3].fields[2].display_conditions".
	path string
	// key locates it by ids, which do not move when items are added or
	// removed elsewhere: "forms/basic_identity/fields/sex/display_conditions".
	key    string
	reason string
	value  any
}

func (i issue) fieldError(prefix string) tenancy.FieldError {
	return tenancy.FieldError{Path: prefix + i.path, Reason: i.reason, Value: i.value}
}

// loc is where an item sits, by position and by ids.
type loc struct{ path, key string }

func (l loc) at(attr string) loc {
	if l.path == "" {
		return loc{attr, attr}
	}
	return loc{l.path + "." + attr, l.key + "/" + attr}
}

func (l loc) item(list string, i int, id string) loc {
	p := l.at(list)
	return loc{fmt.Sprintf("%s[%d]", p.path, i), p.key + "/" + id}
}

// fieldRef is a field and where it is.
type fieldRef struct {
	field *Field
	form  *Form
	at    loc
}

type checker struct {
	b       *Bundle
	issues  []issue
	lookups map[string]*Lookup
	modules map[string]*ModuleConfig
	forms   map[string]*Form
	// top maps each record type's field names to the fields of its non-nested forms.
	top map[string]map[string][]fieldRef
	// subformOf maps a nested form to the subform field that uses it.
	subformOf map[string]fieldRef
}

func (c *checker) add(l loc, reason string, value any) {
	c.issues = append(c.issues, issue{path: l.path, key: l.key, reason: reason, value: value})
}

// checkBundle checks a whole configuration.
func checkBundle(b *Bundle) []issue {
	c := &checker{b: b, lookups: map[string]*Lookup{}, modules: map[string]*ModuleConfig{}, forms: map[string]*Form{},
		top: map[string]map[string][]fieldRef{}, subformOf: map[string]fieldRef{}}
	if b.Format != BundleFormat {
		c.add(loc{"format", "format"}, "must be "+BundleFormat+" (the format of an exported configuration)", b.Format)
	}
	c.checkModules()
	c.checkLookups()
	c.checkForms()
	c.checkRoles()
	return c.issues
}

func (c *checker) checkModules() {
	for i := range c.b.Modules {
		m := &c.b.Modules[i]
		l := loc{}.item("modules", i, m.UniqueID)
		if !moduleIDRE.MatchString(m.UniqueID) {
			c.add(l.at("unique_id"), "must look like primeromodule-cp (lower-case letters, digits, dashes)", m.UniqueID)
		} else if c.modules[m.UniqueID] != nil {
			c.add(l.at("unique_id"), "is used by another module", m.UniqueID)
		}
		c.modules[m.UniqueID] = m
		c.text(l.at("name"), m.Name, true, maxLabel)
		if len(m.AssociatedRecordTypes) == 0 {
			c.add(l.at("associated_record_types"), "must list at least one record type", nil)
		}
		for j, rt := range m.AssociatedRecordTypes {
			if !slices.Contains(RecordTypes, rt) {
				c.add(l.at(fmt.Sprintf("associated_record_types[%d]", j)), "must be case, tracing_request or incident", rt)
			} else if slices.Index(m.AssociatedRecordTypes, rt) != j {
				c.add(l.at(fmt.Sprintf("associated_record_types[%d]", j)), "is listed twice", rt)
			}
		}
		for j, a := range m.Options.Approvals {
			if !slices.Contains(ApprovalTypes, a) {
				c.add(l.at(fmt.Sprintf("options.approvals[%d]", j)), "must be one of "+strings.Join(ApprovalTypes, ", "), a)
			} else if slices.Index(m.Options.Approvals, a) != j {
				c.add(l.at(fmt.Sprintf("options.approvals[%d]", j)), "is listed twice", a)
			}
		}
	}
}

func (c *checker) checkLookups() {
	if len(c.b.Lookups) > maxLookups {
		c.add(loc{"lookups", "lookups"}, fmt.Sprintf("at most %d lookups", maxLookups), nil)
	}
	for i := range c.b.Lookups {
		lk := &c.b.Lookups[i]
		l := loc{}.item("lookups", i, lk.UniqueID)
		if !lookupIDRE.MatchString(lk.UniqueID) {
			c.add(l.at("unique_id"), "must look like lookup-sex (lookup- then lower-case letters, digits, _ or -)", lk.UniqueID)
		} else if c.lookups[lk.UniqueID] != nil {
			c.add(l.at("unique_id"), "is used by another lookup", lk.UniqueID)
		}
		c.lookups[lk.UniqueID] = lk
		c.text(l.at("name"), lk.Name, true, maxLabel)
		if len(lk.Values) == 0 {
			c.add(l.at("values"), "must list at least one option", nil)
		}
		c.options(l, "values", lk.Values)
	}
}

// options checks a list of options (lookup values, inline options, tallies).
func (c *checker) options(l loc, list string, opts []Option) {
	if len(opts) > maxOptions {
		c.add(l.at(list), fmt.Sprintf("at most %d options", maxOptions), nil)
	}
	seen := map[string]bool{}
	for j, o := range opts {
		ol := l.item(list, j, o.ID)
		if !optionIDRE.MatchString(o.ID) {
			c.add(ol.at("id"), "must be 1 to 100 letters, digits, _ . : or - (starting with a letter or digit)", o.ID)
		} else if seen[o.ID] {
			c.add(ol.at("id"), "is used by another option of this list", o.ID)
		}
		seen[o.ID] = true
		c.text(ol.at("display_text"), o.DisplayText, true, maxLabel)
	}
}

// text checks a translated text.
func (c *checker) text(l loc, t Text, required bool, max int) {
	if len(t) == 0 {
		if required {
			c.add(l, `give the text in at least one language, e.g. {"en": "..."}`, nil)
		}
		return
	}
	for _, lang := range sortedKeys(t) {
		s := t[lang]
		if tenancy.ValidateLocales([]string{lang}) != nil {
			c.add(l.at(lang), "keys must be language tags such as en, fr, es, ar", lang)
			continue
		}
		if n := utf8.RuneCountInString(s); n < 1 || n > max || strings.TrimSpace(s) == "" {
			c.add(l.at(lang), fmt.Sprintf("must be 1 to %d characters", max), s)
		}
	}
}

func (c *checker) checkForms() {
	if len(c.b.Forms) > maxForms {
		c.add(loc{"forms", "forms"}, fmt.Sprintf("at most %d forms", maxForms), nil)
	}
	// Pass 1: the forms themselves, and the index of every record type's fields.
	for i := range c.b.Forms {
		f := &c.b.Forms[i]
		l := formLoc(i, f)
		if !nameRE.MatchString(f.UniqueID) {
			c.add(l.at("unique_id"), "must be 1 to 80 lower-case letters, digits or _, starting with a letter", f.UniqueID)
		} else if c.forms[f.UniqueID] != nil {
			c.add(l.at("unique_id"), "is used by another form", f.UniqueID)
		}
		c.forms[f.UniqueID] = f
		if !slices.Contains(RecordTypes, f.ParentForm) {
			c.add(l.at("parent_form"), "must be case, tracing_request or incident", f.ParentForm)
		}
		if len(f.ModuleIDs) == 0 {
			c.add(l.at("module_ids"), "must list at least one module", nil)
		}
		for j, m := range f.ModuleIDs {
			ml := l.at(fmt.Sprintf("module_ids[%d]", j))
			mod := c.modules[m]
			switch {
			case mod == nil:
				c.add(ml, "no such module", m)
			case !slices.Contains(mod.AssociatedRecordTypes, f.ParentForm):
				c.add(ml, fmt.Sprintf("module %s has no %s records", m, f.ParentForm), m)
			case slices.Index(f.ModuleIDs, m) != j:
				c.add(ml, "is listed twice", m)
			}
		}
		if f.FormGroupID != "" && !nameRE.MatchString(f.FormGroupID) {
			c.add(l.at("form_group_id"), "must be 1 to 80 lower-case letters, digits or _, starting with a letter", f.FormGroupID)
		}
		c.text(l.at("form_group_name"), f.FormGroupName, false, maxLabel)
		c.text(l.at("name"), f.Name, true, maxLabel)
		c.text(l.at("description"), f.Description, false, maxLongText)
		if len(f.Fields) > maxFieldsPerForm {
			c.add(l.at("fields"), fmt.Sprintf("at most %d fields", maxFieldsPerForm), nil)
		}
		names := map[string]bool{}
		for j := range f.Fields {
			fd := &f.Fields[j]
			fl := l.item("fields", j, fd.Name)
			switch {
			case !nameRE.MatchString(fd.Name):
				c.add(fl.at("name"), "must be 1 to 80 lower-case letters, digits or _, starting with a letter", fd.Name)
			case names[fd.Name]:
				c.add(fl.at("name"), "is used by another field of this form", fd.Name)
			case f.IsNested && fd.Name == "unique_id":
				c.add(fl.at("name"), "unique_id is reserved: it is each subform row's id", fd.Name)
			}
			names[fd.Name] = true
			if !f.IsNested && slices.Contains(RecordTypes, f.ParentForm) {
				if c.top[f.ParentForm] == nil {
					c.top[f.ParentForm] = map[string][]fieldRef{}
				}
				c.top[f.ParentForm][fd.Name] = append(c.top[f.ParentForm][fd.Name], fieldRef{fd, f, fl})
			}
		}
	}
	// Field names are unique across a record type's non-nested forms: every
	// occurrence after the first (in the bundle's order) is reported.
	for _, rt := range RecordTypes {
		for _, name := range sortedKeys(c.top[rt]) {
			refs := c.top[rt][name]
			for _, r := range refs[1:] {
				if r.form != refs[0].form { // twice in one form is reported above
					c.add(r.at.at("name"), fmt.Sprintf("is also a field of form %s: a field name is unique across the %s forms", refs[0].form.UniqueID, rt), name)
				}
			}
		}
	}
	// Subforms and their nested forms.
	for i := range c.b.Forms {
		f := &c.b.Forms[i]
		for j := range f.Fields {
			fd := &f.Fields[j]
			if fd.Type != TypeSubform || fd.SubformSectionUniqueID == "" {
				continue
			}
			fl := formLoc(i, f).item("fields", j, fd.Name).at("subform_section_unique_id")
			nested := c.forms[fd.SubformSectionUniqueID]
			switch {
			case nested == nil:
				c.add(fl, "no such form", fd.SubformSectionUniqueID)
			case !nested.IsNested:
				c.add(fl, "must name a nested form (is_nested: true)", fd.SubformSectionUniqueID)
			case nested.ParentForm != f.ParentForm:
				c.add(fl, fmt.Sprintf("names a form of %s records, not %s", nested.ParentForm, f.ParentForm), fd.SubformSectionUniqueID)
			default:
				if prev, ok := c.subformOf[nested.UniqueID]; ok {
					c.add(fl, fmt.Sprintf("is already the nested form of field %s of form %s", prev.field.Name, prev.form.UniqueID), fd.SubformSectionUniqueID)
					continue
				}
				c.subformOf[nested.UniqueID] = fieldRef{fd, f, fl}
			}
		}
	}
	// Pass 2: every field's attributes, now that every name is known.
	for i := range c.b.Forms {
		f := &c.b.Forms[i]
		for j := range f.Fields {
			c.checkField(f, &f.Fields[j], formLoc(i, f).item("fields", j, f.Fields[j].Name))
		}
	}
}

func formLoc(i int, f *Form) loc { return loc{}.item("forms", i, f.UniqueID) }

// typeAttrs lists the type-specific attributes each field type accepts.
var typeAttrs = map[string][]string{
	TypeText:       {"max_length"},
	TypeTextarea:   {"max_length"},
	TypeSelect:     {"option_strings_source", "option_strings_text", "multi_select"},
	TypeRadio:      {"option_strings_source", "option_strings_text"},
	TypeTickBox:    {"tick_box_label"},
	TypeNumeric:    {"min_value", "max_value", "integer"},
	TypeDate:       {"date_include_time", "date_validation"},
	TypeDateRange:  {"date_include_time", "date_validation"},
	TypeLocation:   {"location_admin_level"},
	TypePhoto:      {"max_attachments"},
	TypeAudio:      {"max_attachments"},
	TypeDocument:   {"max_attachments"},
	TypeSubform:    {"subform_section_unique_id", "subform_max_rows", "subform_sort_by"},
	TypeSeparator:  {},
	TypeTally:      {"tally"},
	TypeCalculated: {"calculation"},
}

// setAttrs lists the type-specific attributes set on f.
func setAttrs(f *Field) []string {
	var out []string
	for _, a := range []struct {
		name string
		set  bool
	}{
		{"max_length", f.MaxLength != nil},
		{"option_strings_source", f.OptionStringsSource != ""},
		{"option_strings_text", len(f.OptionStringsText) > 0},
		{"multi_select", f.MultiSelect},
		{"tick_box_label", len(f.TickBoxLabel) > 0},
		{"min_value", f.MinValue != nil},
		{"max_value", f.MaxValue != nil},
		{"integer", f.Integer},
		{"date_include_time", f.DateIncludeTime},
		{"date_validation", f.DateValidation != ""},
		{"location_admin_level", f.LocationAdminLevel != nil},
		{"max_attachments", f.MaxAttachments != nil},
		{"subform_section_unique_id", f.SubformSectionUniqueID != ""},
		{"subform_max_rows", f.SubformMaxRows != nil},
		{"subform_sort_by", f.SubformSortBy != ""},
		{"tally", len(f.Tally) > 0},
		{"calculation", f.Calculation != nil},
	} {
		if a.set {
			out = append(out, a.name)
		}
	}
	return out
}

func isUpload(t string) bool { return t == TypePhoto || t == TypeAudio || t == TypeDocument }

// holdsValue reports whether fields of type t hold a value in record data.
func holdsValue(t string) bool { return t != TypeSeparator }

// resolve finds the field a condition or calculation of a field of form f
// names: in a nested form, the row's fields first, then the record's.
func (c *checker) resolve(f *Form, name string) *Field {
	if f.IsNested {
		if i := slices.IndexFunc(f.Fields, func(x Field) bool { return x.Name == name }); i >= 0 {
			return &f.Fields[i]
		}
	}
	if refs := c.top[f.ParentForm][name]; len(refs) > 0 {
		return refs[0].field
	}
	return nil
}

func (c *checker) checkField(f *Form, fd *Field, l loc) {
	attrs, known := typeAttrs[fd.Type]
	if !known {
		c.add(l.at("type"), "must be one of "+strings.Join(FieldTypes, ", "), fd.Type)
	}
	c.text(l.at("display_name"), fd.DisplayName, true, maxLabel)
	c.text(l.at("help_text"), fd.HelpText, false, maxLongText)
	c.text(l.at("guiding_questions"), fd.GuidingQuestions, false, maxLongText)
	if !known {
		return
	}
	for _, a := range setAttrs(fd) {
		if !slices.Contains(attrs, a) {
			c.add(l.at(a), "does not apply to "+fd.Type+" fields", nil)
		}
	}
	if (fd.IDField || fd.PhoneNumber) && fd.Type != TypeText {
		attr := "id_field"
		if fd.PhoneNumber {
			attr = "phone_number"
		}
		c.add(l.at(attr), "applies only to text_field fields", nil)
	}
	if fd.IDField && fd.PhoneNumber {
		c.add(l.at("phone_number"), "a field is an identifier or a phone number, not both", nil)
	}
	noValue := fd.Type == TypeSeparator || fd.Type == TypeSubform || isUpload(fd.Type)
	if fd.Matchable && noValue {
		c.add(l.at("matchable"), "does not apply to "+fd.Type+" fields", nil)
	}
	if fd.Filterable && noValue {
		c.add(l.at("filterable"), "does not apply to "+fd.Type+" fields", nil)
	}
	if fd.Required && (fd.Type == TypeSeparator || fd.Type == TypeCalculated) {
		c.add(l.at("required"), fd.Type+" fields are never written, so cannot be required", nil)
	}
	switch fd.Type {
	case TypeText, TypeTextarea:
		limit := maxTextLength
		if fd.Type == TypeTextarea {
			limit = maxTextarea
		}
		if fd.MaxLength != nil && (*fd.MaxLength < 1 || *fd.MaxLength > limit) {
			c.add(l.at("max_length"), fmt.Sprintf("must be 1 to %d", limit), *fd.MaxLength)
		}
	case TypeSelect, TypeRadio:
		switch {
		case fd.OptionStringsSource == "" && len(fd.OptionStringsText) == 0:
			c.add(l.at("option_strings_source"), `give option_strings_source ("lookup lookup-sex") or option_strings_text`, nil)
		case fd.OptionStringsSource != "" && len(fd.OptionStringsText) > 0:
			c.add(l.at("option_strings_text"), "give option_strings_source or option_strings_text, not both", nil)
		case fd.OptionStringsSource != "":
			id, ok := strings.CutPrefix(fd.OptionStringsSource, "lookup ")
			if !ok {
				c.add(l.at("option_strings_source"), `must be "lookup " and a lookup's unique_id`, fd.OptionStringsSource)
			} else if c.lookups[id] == nil {
				c.add(l.at("option_strings_source"), "names lookup "+id+", which does not exist", fd.OptionStringsSource)
			}
		default:
			c.options(l, "option_strings_text", fd.OptionStringsText)
		}
	case TypeNumeric:
		if fd.MinValue != nil && fd.MaxValue != nil && *fd.MinValue > *fd.MaxValue {
			c.add(l.at("min_value"), "must not be greater than max_value", *fd.MinValue)
		}
	case TypeDate, TypeDateRange:
		if fd.DateValidation != "" && fd.DateValidation != DateValidationDefault && fd.DateValidation != DateValidationNotFuture {
			c.add(l.at("date_validation"), "must be default_date_validation or not_future_date", fd.DateValidation)
		}
	case TypeLocation:
		if fd.LocationAdminLevel != nil && (*fd.LocationAdminLevel < 0 || *fd.LocationAdminLevel > DeepestAdminLevel) {
			c.add(l.at("location_admin_level"), fmt.Sprintf("must be 0 (country) to %d", DeepestAdminLevel), *fd.LocationAdminLevel)
		}
	case TypePhoto, TypeAudio, TypeDocument:
		if fd.MaxAttachments != nil && (*fd.MaxAttachments < 1 || *fd.MaxAttachments > maxAttachments) {
			c.add(l.at("max_attachments"), fmt.Sprintf("must be 1 to %d", maxAttachments), *fd.MaxAttachments)
		}
	case TypeSubform:
		if f.IsNested {
			c.add(l.at("type"), "a nested form cannot contain subforms", fd.Type)
		}
		if fd.SubformSectionUniqueID == "" {
			c.add(l.at("subform_section_unique_id"), "must name the nested form of the rows", nil)
		}
		if fd.SubformMaxRows != nil && (*fd.SubformMaxRows < 1 || *fd.SubformMaxRows > maxSubformRows) {
			c.add(l.at("subform_max_rows"), fmt.Sprintf("must be 1 to %d", maxSubformRows), *fd.SubformMaxRows)
		}
		if fd.SubformSortBy != "" {
			if nested := c.forms[fd.SubformSectionUniqueID]; nested != nil &&
				!slices.ContainsFunc(nested.Fields, func(x Field) bool { return x.Name == fd.SubformSortBy }) {
				c.add(l.at("subform_sort_by"), "names no field of form "+nested.UniqueID, fd.SubformSortBy)
			}
		}
	case TypeTally:
		if len(fd.Tally) == 0 {
			c.add(l.at("tally"), "must list at least one thing to count", nil)
		}
		c.options(l, "tally", fd.Tally)
	case TypeCalculated:
		c.checkCalculation(f, fd, l.at("calculation"))
	}
	if fd.DisplayConditions != nil {
		c.checkCondition(f, fd, l.at("display_conditions"))
	}
}

func (c *checker) checkCalculation(f *Form, fd *Field, l loc) {
	calc := fd.Calculation
	if calc == nil || (calc.AgeFrom == "") == (len(calc.Sum) == 0) {
		c.add(l, `give one of age_from (a date field) or sum (numeric fields), e.g. {"age_from": "date_of_birth"}`, nil)
		return
	}
	if calc.AgeFrom != "" {
		src := c.resolve(f, calc.AgeFrom)
		switch {
		case src == nil:
			c.add(l.at("age_from"), "names field "+calc.AgeFrom+", which does not exist", calc.AgeFrom)
		case src.Type != TypeDate:
			c.add(l.at("age_from"), "must name a date_field", calc.AgeFrom)
		}
		return
	}
	for k, name := range calc.Sum {
		src := c.resolve(f, name)
		at := l.at(fmt.Sprintf("sum[%d]", k))
		switch {
		case src == nil:
			c.add(at, "names field "+name+", which does not exist", name)
		case src == fd:
			c.add(at, "a field cannot sum itself", name)
		case src.Type != TypeNumeric:
			c.add(at, "must name a numeric_field", name)
		}
	}
}

func (c *checker) checkCondition(f *Form, fd *Field, l loc) {
	cond, problems := parseCondition(fd.DisplayConditions)
	for _, p := range problems {
		c.add(loc{l.path + p.path, l.key + strings.ReplaceAll(p.path, ".", "/")}, p.reason, p.value)
	}
	if cond == nil {
		return
	}
	cond.walk("", func(cmp *condition, path string) {
		at := loc{l.path + path + "." + cmp.field, l.key + strings.ReplaceAll(path, ".", "/") + "/" + cmp.field}
		if cmp.op == opExists {
			at = loc{l.path + path, l.key + strings.ReplaceAll(path, ".", "/")}
		}
		src := c.resolve(f, cmp.field)
		switch {
		case src == nil:
			if f.IsNested {
				c.add(at, fmt.Sprintf("names field %s, which is not a field of the row or the %s forms", cmp.field, f.ParentForm), cmp.field)
			} else {
				c.add(at, fmt.Sprintf("names field %s, which is not a field of the %s forms", cmp.field, f.ParentForm), cmp.field)
			}
			return
		case src == fd:
			c.add(at, "a field's display conditions cannot depend on the field itself", cmp.field)
			return
		case !holdsValue(src.Type):
			c.add(at, "names a separator, which holds no value", cmp.field)
			return
		}
		if reason := c.comparable(src, cmp); reason != "" {
			v := cmp.value
			if cmp.op == opIn {
				v = cmp.list
			}
			c.add(at, reason, v)
		}
	})
}

// comparable explains why comparison cmp cannot apply to field src ("" if it can).
func (c *checker) comparable(src *Field, cmp *condition) string {
	values := []any{cmp.value}
	if cmp.op == opIn {
		values = cmp.list
	}
	switch cmp.op {
	case opExists:
		return ""
	case opGt, opGe, opLt, opLe:
		switch src.Type {
		case TypeNumeric, TypeCalculated:
			if _, ok := cmp.value.(float64); !ok {
				return "compares numeric field " + src.Name + ": give a number"
			}
		case TypeDate:
			s, _ := cmp.value.(string)
			if !isDate(s) {
				return "compares date field " + src.Name + `: give a date such as "2024-05-31"`
			}
		default:
			return cmp.op + " applies to numeric, calculated and date fields, not " + src.Type
		}
		return ""
	}
	// eq, in
	switch src.Type {
	case TypeSelect, TypeRadio, TypeTally:
		opts := c.optionIDs(src)
		for _, v := range values {
			s, ok := v.(string)
			if !ok || (opts != nil && !slices.Contains(opts, s)) {
				return fmt.Sprintf("must be option ids of field %s (%s)", src.Name, strings.Join(opts, ", "))
			}
		}
	case TypeTickBox:
		for _, v := range values {
			if _, ok := v.(bool); !ok {
				return "tick box " + src.Name + " is true or false"
			}
		}
	case TypeNumeric, TypeCalculated:
		for _, v := range values {
			if _, ok := v.(float64); !ok {
				return "field " + src.Name + " holds numbers"
			}
		}
	case TypeSubform, TypePhoto, TypeAudio, TypeDocument, TypeDateRange:
		return cmp.op + " does not apply to " + src.Type + " fields: use exists"
	default:
		for _, v := range values {
			if _, ok := v.(string); !ok {
				return "field " + src.Name + " holds text"
			}
		}
	}
	return ""
}

// optionIDs lists the ids of a select, radio or tally field's options; nil
// when they cannot be known (a missing lookup, reported elsewhere).
func (c *checker) optionIDs(f *Field) []string {
	opts := optionsOf(f, c.lookups)
	if opts == nil {
		return nil
	}
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return ids
}

// optionsOf returns a field's options: its lookup's values, its inline
// options or its tally; nil if none can be found.
func optionsOf(f *Field, lookups map[string]*Lookup) []Option {
	switch {
	case f.Type == TypeTally:
		return f.Tally
	case len(f.OptionStringsText) > 0:
		return f.OptionStringsText
	case f.OptionStringsSource != "":
		if lk := lookups[strings.TrimPrefix(f.OptionStringsSource, "lookup ")]; lk != nil {
			return lk.Values
		}
	}
	return nil
}

func (c *checker) checkRoles() {
	for _, role := range sortedKeys(c.b.Roles) {
		l := loc{"roles." + role, "roles/" + role}
		if !roleIDRE.MatchString(role) {
			c.add(l, "must be a role's unique_id such as role-caseworker", role)
			continue
		}
		access := c.b.Roles[role]
		for _, form := range sortedKeys(access) {
			fl := loc{l.path + "." + form, l.key + "/" + form}
			f := c.forms[form]
			switch {
			case f == nil:
				c.add(fl, "no such form", form)
			case f.IsNested:
				c.add(fl, "is a nested form: its access follows the form of its subform field", form)
			case access[form] != "r" && access[form] != "rw":
				c.add(fl, "must be r (read) or rw (read and write)", access[form])
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// isDate reports whether s is a date "2024-05-31".
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// itoa is strconv.Itoa, short.
func itoa(i int) string { return strconv.Itoa(i) }
