package forms

import (
	"context"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Locations tells the validator which location codes exist and at which
// admin level. Package locations implements it; without one, location
// values are checked for their form only.
type Locations interface {
	// AdminLevels returns the admin level (0 country to 5) of each of codes
	// that names an enabled location of the tenant of c; unknown codes are
	// left out.
	AdminLevels(ctx context.Context, c *tenancy.Conn, codes []string) (map[string]int, error)
}

// schema is the compiled configuration of one record type in one module at
// one configuration version: what every role's Validator shares.
type schema struct {
	version    int64
	recordType string
	module     string
	fields     map[string]*cfield
	order      []*cfield // in form order (form group, form, field)
	calculated []*cfield // the calculated fields of order
	forms      []string  // the non-nested forms, by index
}

// cfield is a field compiled for validation.
type cfield struct {
	*Field
	// form is the non-nested form whose access governs the field (for
	// fields of subform rows: the form of the subform field); formIdx its
	// index in the schema's forms.
	form       string
	formIdx    int
	cond       *condition
	options    map[string]bool // option id -> disabled (select, radio, tally)
	opts       []Option
	maxLen     int
	maxAttach  int
	adminLevel int
	maxRows    int
	rows       *rowSchema // subform fields
}

type rowSchema struct {
	fields map[string]*cfield
	order  []*cfield
}

// compileSchema compiles the forms of recordType shown in module.
func compileSchema(snap *snapshot, recordType, module string) (*schema, error) {
	b := snap.bundle
	mi := b.module(module)
	if mi < 0 || !slices.Contains(b.Modules[mi].AssociatedRecordTypes, recordType) {
		return nil, &tenancy.InvalidError{Field: "module_id", Value: module,
			Reason: fmt.Sprintf("no module %s with %s records", module, recordType)}
	}
	lookups := map[string]*Lookup{}
	for i := range b.Lookups {
		lookups[b.Lookups[i].UniqueID] = &b.Lookups[i]
	}
	s := &schema{version: snap.version, recordType: recordType, module: module, fields: map[string]*cfield{}}
	for _, f := range sortedForms(b.Forms) {
		if f.IsNested || f.ParentForm != recordType || !slices.Contains(f.ModuleIDs, module) {
			continue
		}
		formIdx := len(s.forms)
		s.forms = append(s.forms, f.UniqueID)
		for i := range f.Fields {
			cf := compileField(&f.Fields[i], f.UniqueID, lookups)
			cf.formIdx = formIdx
			if cf.Type == TypeSubform {
				if ni := b.form(cf.SubformSectionUniqueID); ni >= 0 {
					nested := &b.Forms[ni]
					cf.rows = &rowSchema{fields: map[string]*cfield{}}
					for j := range nested.Fields {
						rf := compileField(&nested.Fields[j], f.UniqueID, lookups)
						rf.formIdx = formIdx
						cf.rows.fields[rf.Name] = rf
						cf.rows.order = append(cf.rows.order, rf)
					}
				}
			}
			if _, dup := s.fields[cf.Name]; !dup {
				s.fields[cf.Name] = cf
				s.order = append(s.order, cf)
				if cf.Type == TypeCalculated {
					s.calculated = append(s.calculated, cf)
				}
			}
		}
	}
	return s, nil
}

// sortedForms orders forms as they are shown: form group, form, unique_id.
func sortedForms(forms []Form) []*Form {
	out := make([]*Form, len(forms))
	for i := range forms {
		out[i] = &forms[i]
	}
	slices.SortStableFunc(out, func(a, b *Form) int {
		if a.OrderFormGroup != b.OrderFormGroup {
			return a.OrderFormGroup - b.OrderFormGroup
		}
		if a.Order != b.Order {
			return a.Order - b.Order
		}
		return strings.Compare(a.UniqueID, b.UniqueID)
	})
	return out
}

func compileField(f *Field, form string, lookups map[string]*Lookup) *cfield {
	cf := &cfield{Field: f, form: form, adminLevel: DeepestAdminLevel, maxAttach: MaxAttachmentsDefault, maxRows: SubformMaxRowsDefault}
	if f.DisplayConditions != nil {
		// Checked when the configuration was written; a bad one (never
		// stored) would hide nothing.
		if cond, problems := parseCondition(f.DisplayConditions); len(problems) == 0 {
			cf.cond = cond
		}
	}
	if opts := optionsOf(f, lookups); opts != nil {
		cf.opts = opts
		cf.options = make(map[string]bool, len(opts))
		for _, o := range opts {
			cf.options[o.ID] = o.Disabled
		}
	}
	switch f.Type {
	case TypeText:
		cf.maxLen = TextMaxLengthDefault
	case TypeTextarea:
		cf.maxLen = TextareaMaxLengthDefault
	}
	if f.MaxLength != nil {
		cf.maxLen = *f.MaxLength
	}
	if f.MaxAttachments != nil {
		cf.maxAttach = *f.MaxAttachments
	}
	if f.LocationAdminLevel != nil {
		cf.adminLevel = *f.LocationAdminLevel
	}
	if f.SubformMaxRows != nil {
		cf.maxRows = *f.SubformMaxRows
	}
	return cf
}

// Validator checks the data of records of one record type and module
// written by one role, at one configuration version. It is immutable and
// safe for concurrent use; get one from Service.Validator (cached).
type Validator struct {
	s *schema
	// access is the role's access to each form of the schema (by form
	// index): accessNone, accessRead or accessWrite.
	access    []uint8
	role      string
	now       func() time.Time
	locations Locations
}

// Version is the configuration version the validator was compiled from.
func (v *Validator) Version() int64 { return v.s.version }

// RecordType is the record type the validator checks.
func (v *Validator) RecordType() string { return v.s.recordType }

// Module is the module whose forms the validator checks.
func (v *Validator) Module() string { return v.s.module }

// Role is the role the validator checks writes for ("" for system actors).
func (v *Validator) Role() string { return v.role }

// Access to a form, by form index.
const (
	accessNone uint8 = iota
	accessRead
	accessWrite
)

// newValidator builds the validator of schema sc for a role with form
// access (form -> "r" or "rw"); nil access means every form read-write
// (named system actors).
func newValidator(sc *schema, access map[string]string, role string, now func() time.Time, locs Locations) *Validator {
	v := &Validator{s: sc, access: make([]uint8, len(sc.forms)), role: role, now: now, locations: locs}
	for i, form := range sc.forms {
		switch a, ok := access[form]; {
		case access == nil, ok && a == "rw":
			v.access[i] = accessWrite
		case ok && a == "r":
			v.access[i] = accessRead
		}
	}
	return v
}

func (v *Validator) canRead(f *cfield) bool  { return v.access[f.formIdx] >= accessRead }
func (v *Validator) canWrite(f *cfield) bool { return v.access[f.formIdx] == accessWrite }

// notWritable explains why the role may not write field f ("" if it may).
func (v *Validator) notWritable(f *cfield) string {
	switch {
	case !v.canWrite(f):
		if v.canRead(f) {
			return "form " + f.form + " is read-only for your role"
		}
		return "your role may not write this field"
	case f.Type == TypeCalculated:
		return "is calculated by the server: leave it out"
	case f.Type == TypeSeparator:
		return "a separator holds no value"
	case !f.IsVisible():
		return "is hidden (visible: false) and cannot be written"
	case !f.IsEditable():
		return "is read-only (editable: false)"
	}
	return ""
}

// fieldNames lists the names of the fields that satisfy keep, in form order.
func (v *Validator) fieldNames(keep func(*cfield) bool) []string {
	var out []string
	for _, f := range v.s.order {
		if keep(f) {
			out = append(out, f.Name)
		}
	}
	return out
}

// ReadableForms lists the non-nested forms of the record type and module
// the role reads (or writes), in display order.
func (v *Validator) ReadableForms() []string {
	var out []string
	for i, form := range v.s.forms {
		if v.access[i] >= accessRead {
			out = append(out, form)
		}
	}
	return out
}

// WritableForms lists the non-nested forms the role writes, in display order.
func (v *Validator) WritableForms() []string {
	var out []string
	for i, form := range v.s.forms {
		if v.access[i] == accessWrite {
			out = append(out, form)
		}
	}
	return out
}

// ReadableFields lists the fields the role may read (those of the forms it
// reads), in form order: records' responses contain only these.
func (v *Validator) ReadableFields() []string {
	return v.fieldNames(func(f *cfield) bool { return v.canRead(f) && holdsValue(f.Type) })
}

// WritableFields lists the fields the role may write (display conditions
// aside), in form order.
func (v *Validator) WritableFields() []string {
	return v.fieldNames(func(f *cfield) bool { return v.notWritable(f) == "" })
}

// MatchableFields lists the fields compared by tracing (FTR) matching.
func (v *Validator) MatchableFields() []string {
	return v.fieldNames(func(f *cfield) bool { return f.Matchable })
}

// FilterableFields lists the fields offered as list filters.
func (v *Validator) FilterableFields() []string {
	return v.fieldNames(func(f *cfield) bool { return f.Filterable })
}

// IDFields lists the identifier fields (exact ID search, duplicate checks).
func (v *Validator) IDFields() []string {
	return v.fieldNames(func(f *cfield) bool { return f.IDField })
}

// PhoneFields lists the phone number fields (exact phone search).
func (v *Validator) PhoneFields() []string {
	return v.fieldNames(func(f *cfield) bool { return f.PhoneNumber })
}

// Field returns the definition of a field of the record type's forms in
// the module (nil if none).
func (v *Validator) Field(name string) *Field {
	if f := v.s.fields[name]; f != nil {
		return f.Field
	}
	return nil
}

// SubformFields returns the fields of the rows of subform field name, in
// order (nil if name is not a subform of these forms).
func (v *Validator) SubformFields(name string) []Field {
	f := v.s.fields[name]
	if f == nil || f.rows == nil {
		return nil
	}
	out := make([]Field, len(f.rows.order))
	for i, rf := range f.rows.order {
		out[i] = *rf.Field
	}
	return out
}

// Options returns the options of a select, radio or tally field ("name",
// or "subform.name" for a field of subform rows), from its lookup or its
// own list; nil for other fields.
func (v *Validator) Options(name string) []Option {
	f := v.s.fields[name]
	if sub, row, ok := strings.Cut(name, "."); ok {
		if parent := v.s.fields[sub]; parent != nil && parent.rows != nil {
			f = parent.rows.fields[row]
		}
	}
	if f == nil {
		return nil
	}
	return slices.Clone(f.opts)
}

// Readable returns the part of a record's data the role may read: the
// fields of the forms it reads (a copy; data is not changed).
func (v *Validator) Readable(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, x := range data {
		if f := v.s.fields[k]; f != nil && v.canRead(f) {
			out[k] = x
		}
	}
	return out
}

// Calculate returns data with the values of its calculated fields (and of
// its subform rows' calculated fields) computed; data is not changed.
// Calculated values that cannot be computed (a missing date of birth) are
// left out.
func (v *Validator) Calculate(data map[string]any) map[string]any {
	return v.calculate(data)
}

func (v *Validator) calculate(data map[string]any) map[string]any {
	out := maps.Clone(data)
	if out == nil {
		out = map[string]any{}
	}
	now := v.now()
	for _, f := range v.s.order {
		switch {
		case f.Type == TypeCalculated:
			setCalculated(out, f, func(name string) any { return out[name] }, now)
		case f.rows != nil && hasCalculated(f.rows):
			rows, ok := out[f.Name].([]any)
			if !ok {
				continue
			}
			copied := make([]any, len(rows))
			for i, x := range rows {
				if row, ok := x.(map[string]any); ok {
					copied[i] = calculateRow(f, row, func(name string) any { return out[name] }, now)
				} else {
					copied[i] = x
				}
			}
			out[f.Name] = copied
		}
	}
	return out
}

// calculateRow returns a copy of a row of subform f with its calculated
// values; names not in the row's form are read from the record.
func calculateRow(f *cfield, row map[string]any, record func(string) any, now time.Time) map[string]any {
	if !hasCalculated(f.rows) {
		return row
	}
	row = maps.Clone(row)
	for _, rf := range f.rows.order {
		if rf.Type == TypeCalculated {
			setCalculated(row, rf, func(name string) any {
				if _, inRow := f.rows.fields[name]; inRow {
					return row[name]
				}
				return record(name)
			}, now)
		}
	}
	return row
}

func hasCalculated(r *rowSchema) bool {
	return slices.ContainsFunc(r.order, func(f *cfield) bool { return f.Type == TypeCalculated })
}

func setCalculated(dst map[string]any, f *cfield, get func(string) any, now time.Time) {
	var val any
	switch calc := f.Calculation; {
	case calc == nil:
	case calc.AgeFrom != "":
		if s, ok := get(calc.AgeFrom).(string); ok {
			if dob, err := time.Parse(time.DateOnly, s); err == nil && !dob.After(now) {
				val = float64(ageOn(dob, now))
			}
		}
	default:
		sum, any := 0.0, false
		for _, name := range calc.Sum {
			if x, ok := get(name).(float64); ok {
				sum, any = sum+x, true
			}
		}
		if any {
			val = sum
		}
	}
	if val == nil {
		delete(dst, f.Name)
	} else {
		dst[f.Name] = val
	}
}

// ageOn is the age in whole years on day now of someone born on dob.
func ageOn(dob, now time.Time) int {
	y, m, d := now.Date()
	age := y - dob.Year()
	if m < dob.Month() || (m == dob.Month() && d < dob.Day()) {
		age--
	}
	return age
}

// Validate checks data, written by the role, as a record's whole data (a
// new record). It returns every problem at once, with paths from the body's
// root ("data.sex", "data.family_details_section[1].age"); none means
// valid. Location codes are checked for their form only: ValidateTx also
// checks that they exist.
func (v *Validator) Validate(data map[string]any) []tenancy.FieldError {
	errs, _ := v.validate(nil, data)
	return errs
}

// ValidateChange checks a change of a record's data: current is the data
// stored, written what the role sends (top-level keys replace current ones;
// subform rows are matched by unique_id, so send every row to keep). Values
// equal to the stored ones are not writes: a role may send back fields it
// cannot write, unchanged. Display conditions and required fields are
// evaluated on the data after the change, calculated values included.
func (v *Validator) ValidateChange(current, written map[string]any) []tenancy.FieldError {
	errs, _ := v.validate(current, written)
	return errs
}

// ValidateTx is ValidateChange plus the existence and admin level of the
// location codes written, read in c through the Locations given to the
// Service (if any).
func (v *Validator) ValidateTx(ctx context.Context, c *tenancy.Conn, current, written map[string]any) ([]tenancy.FieldError, error) {
	errs, locs := v.validate(current, written)
	if v.locations == nil || len(locs) == 0 {
		return errs, nil
	}
	codes := make([]string, 0, len(locs))
	for _, l := range locs {
		if !slices.Contains(codes, l.code) {
			codes = append(codes, l.code)
		}
	}
	levels, err := v.locations.AdminLevels(ctx, c, codes)
	if err != nil {
		return nil, err
	}
	for _, l := range locs {
		level, ok := levels[l.code]
		switch {
		case !ok:
			errs = append(errs, tenancy.FieldError{Path: l.path, Value: l.code, Reason: "no such location", Code: "unknown_location"})
		case level > l.maxLevel:
			errs = append(errs, tenancy.FieldError{Path: l.path, Value: l.code,
				Reason: fmt.Sprintf("must be a location at admin level %d or above (this one is at level %d)", l.maxLevel, level),
				Code:   "location_level", Params: map[string]string{"max_level": strconv.Itoa(l.maxLevel), "level": strconv.Itoa(level)}})
		}
	}
	return errs, nil
}

// locationRef is a location code written, to check against the locations.
type locationRef struct {
	path     string
	code     string
	maxLevel int
}

// run collects the problems of one validation.
type run struct {
	v    *Validator
	get  func(string) (any, bool) // the record's values after the change, calculated values included
	errs []tenancy.FieldError
	locs []locationRef
}

// add records a problem whose reason is one of reasonCodes' (or a form's
// read-only reason, notWritable).
func (r *run) add(path, reason string, value any) {
	code, params := reasonCodes[reason], map[string]string(nil)
	if form, ok := strings.CutSuffix(reason, " is read-only for your role"); ok && strings.HasPrefix(form, "form ") {
		code, params = "form_read_only", map[string]string{"form": strings.TrimPrefix(form, "form ")}
	}
	r.errs = append(r.errs, tenancy.FieldError{Path: path, Reason: reason, Value: value, Code: code, Params: params})
}

// addp records a problem with a code and the parameters of its reason
// (name, value pairs).
func (r *run) addp(path, code, reason string, value any, params ...string) {
	ps := make(map[string]string, len(params)/2)
	for i := 0; i+1 < len(params); i += 2 {
		ps[params[i]] = params[i+1]
	}
	r.errs = append(r.errs, tenancy.FieldError{Path: path, Reason: reason, Value: value, Code: code, Params: ps})
}

// reasonCodes are the machine codes of the validator's fixed reasons
// (docs/errors.md): clients translate by code, the API by reason.
var reasonCodes = map[string]string{
	"is required": "required",
	"each row needs a unique_id (a UUID, kept for the row's life)":    "required",
	"your role may not write this field":                              "not_writable",
	"is calculated by the server: leave it out":                       "not_writable",
	"a separator holds no value":                                      "not_writable",
	"is hidden (visible: false) and cannot be written":                "not_writable",
	"is read-only (editable: false)":                                  "not_writable",
	"is not shown (its display conditions do not hold): leave it out": "not_shown",
	"must be text":                                              "type",
	"must be an array of option ids":                            "type",
	"must be true or false":                                     "type",
	"must be a number":                                          "type",
	"must be a whole number":                                    "type",
	`must be {"from": date, "to": date}`:                        "type",
	"must be a location code":                                   "type",
	"must be an array of attachment ids":                        "type",
	"must be an attachment id (a UUID)":                         "type",
	`must be an object of counts, e.g. {"boys": 2}`:             "type",
	"must be a whole number, 0 or more":                         "type",
	"must be an option id":                                      "type",
	"must be an array of rows, each an object with a unique_id": "type",
	"must be an object with a unique_id":                        "type",
	`must be a date such as "2024-05-31"`:                       "date_format",
	`must be a date and time such as "2024-05-31T14:30:00Z"`:    "date_format",
	"must not be in the future":                                 "future_date",
	"from must not be after to":                                 "date_order",
	"a date range has only from and to":                         "unknown_field",
	"is not counted by this field":                              "not_an_option",
	"is not an option of this field":                            "not_an_option",
	"is disabled: choose another option":                        "option_disabled",
	"is chosen twice":                                           "duplicate",
	"is listed twice":                                           "duplicate",
	"is the id of another row":                                  "duplicate",
}

func (v *Validator) validate(current, written map[string]any) ([]tenancy.FieldError, []locationRef) {
	r := &run{v: v}
	// The data after the change: written over current, calculated values computed afresh.
	base := func(name string) (any, bool) {
		if x, ok := written[name]; ok {
			return x, true
		}
		x, ok := current[name]
		return x, ok
	}
	calc := v.calculatedValues(base)
	get := func(name string) (any, bool) {
		if f := v.s.fields[name]; f != nil && f.Type == TypeCalculated {
			x, ok := calc[name]
			return x, ok
		}
		return base(name)
	}
	r.get = get

	for key, val := range written {
		p := vpath{"data.", key}
		old, had := current[key]
		if had && reflect.DeepEqual(old, val) {
			continue // not a change
		}
		f := v.s.fields[key]
		if f == nil {
			r.addp(p.String(), "unknown_field", fmt.Sprintf("is not a field of the %s forms of module %s", v.s.recordType, v.s.module), nil,
				"record_type", v.s.recordType, "module", v.s.module)
			continue
		}
		if reason := v.notWritable(f); reason != "" {
			r.add(p.String(), reason, nil)
			continue
		}
		if f.cond != nil && !f.cond.eval(get) {
			if val != nil {
				r.add(p.String(), "is not shown (its display conditions do not hold): leave it out", nil)
			}
			continue
		}
		if val != nil {
			r.value(f, p, val, old, get)
		}
	}
	for _, f := range v.s.order {
		if f.Required && v.notWritable(f) == "" && (f.cond == nil || f.cond.eval(get)) {
			if x, _ := get(f.Name); isEmpty(x) {
				r.add("data."+f.Name, "is required", nil)
			}
		}
	}
	// Map order is random: errors come sorted by path.
	slices.SortStableFunc(r.errs, func(a, b tenancy.FieldError) int { return strings.Compare(a.Path, b.Path) })
	slices.SortStableFunc(r.locs, func(a, b locationRef) int { return strings.Compare(a.path, b.path) })
	return r.errs, r.locs
}

// vpath is where a value sits, e.g. {"data.", "sex"} or
// {"data.family_details_section[1].", "age"}: built into a string only
// when a problem is reported there.
type vpath struct{ prefix, key string }

func (p vpath) String() string { return p.prefix + p.key }

// calculatedValues computes the record-level calculated fields over get.
func (v *Validator) calculatedValues(get func(string) (any, bool)) map[string]any {
	if len(v.s.calculated) == 0 {
		return nil
	}
	out := make(map[string]any, len(v.s.calculated))
	now := v.now()
	for _, f := range v.s.calculated {
		setCalculated(out, f, func(name string) any { x, _ := get(name); return x }, now)
	}
	return out
}

var locationCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// isUUID reports whether s is a UUID in its text form (8-4-4-4-12 hex digits).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// value checks one written value (not null) of field f; old is the stored
// value (disabled options it holds may stay).
func (r *run) value(f *cfield, p vpath, val, old any, get func(string) (any, bool)) {
	switch f.Type {
	case TypeText, TypeTextarea:
		s, ok := val.(string)
		if !ok {
			r.add(p.String(), "must be text", val)
		} else if n := utf8.RuneCountInString(s); n > f.maxLen {
			r.addp(p.String(), "max_length", fmt.Sprintf("must be at most %d characters (is %d)", f.maxLen, n), nil,
				"max", strconv.Itoa(f.maxLen), "length", strconv.Itoa(n))
		}
	case TypeSelect, TypeRadio:
		if f.MultiSelect {
			list, ok := val.([]any)
			if !ok {
				r.add(p.String(), "must be an array of option ids", val)
				return
			}
			oldList, _ := old.([]any)
			for i, x := range list {
				if slices.Index(list, x) != i {
					r.add(fmt.Sprintf("%s[%d]", p, i), "is chosen twice", x)
					continue
				}
				r.option(f, p, i, x, slices.Contains(oldList, x))
			}
			return
		}
		r.option(f, p, -1, val, old == val)
	case TypeTickBox:
		if _, ok := val.(bool); !ok {
			r.add(p.String(), "must be true or false", val)
		}
	case TypeNumeric:
		x, ok := val.(float64)
		switch {
		case !ok:
			r.add(p.String(), "must be a number", val)
		case f.Integer && x != math.Trunc(x):
			r.add(p.String(), "must be a whole number", val)
		case f.MinValue != nil && x < *f.MinValue:
			r.addp(p.String(), "min_value", fmt.Sprintf("must be at least %g", *f.MinValue), val, "min", fmt.Sprintf("%g", *f.MinValue))
		case f.MaxValue != nil && x > *f.MaxValue:
			r.addp(p.String(), "max_value", fmt.Sprintf("must be at most %g", *f.MaxValue), val, "max", fmt.Sprintf("%g", *f.MaxValue))
		}
	case TypeDate:
		r.date(f, p, "", val)
	case TypeDateRange:
		obj, ok := val.(map[string]any)
		if !ok {
			r.add(p.String(), `must be {"from": date, "to": date}`, val)
			return
		}
		for _, k := range sortedKeys(obj) {
			if k != "from" && k != "to" {
				r.add(p.String()+"."+k, "a date range has only from and to", nil)
			}
		}
		from, okFrom := r.date(f, p, ".from", obj["from"])
		to, okTo := r.date(f, p, ".to", obj["to"])
		if okFrom && okTo && from.After(to) {
			r.add(p.String(), "from must not be after to", val)
		}
	case TypeLocation:
		s, ok := val.(string)
		if !ok || !locationCodeRE.MatchString(s) {
			r.add(p.String(), "must be a location code", val)
			return
		}
		r.locs = append(r.locs, locationRef{path: p.String(), code: s, maxLevel: f.adminLevel})
	case TypePhoto, TypeAudio, TypeDocument:
		list, ok := val.([]any)
		if !ok {
			r.add(p.String(), "must be an array of attachment ids", val)
			return
		}
		if len(list) > f.maxAttach {
			r.addp(p.String(), "max_items", fmt.Sprintf("at most %d attachments", f.maxAttach), nil, "max", strconv.Itoa(f.maxAttach))
		}
		for i, x := range list {
			s, ok := x.(string)
			switch {
			case !ok || !isUUID(s):
				r.add(fmt.Sprintf("%s[%d]", p, i), "must be an attachment id (a UUID)", x)
			case slices.Index(list, x) != i:
				r.add(fmt.Sprintf("%s[%d]", p, i), "is listed twice", x)
			}
		}
	case TypeTally:
		obj, ok := val.(map[string]any)
		if !ok {
			r.add(p.String(), `must be an object of counts, e.g. {"boys": 2}`, val)
			return
		}
		for _, k := range sortedKeys(obj) {
			if _, known := f.options[k]; !known {
				r.add(p.String()+"."+k, "is not counted by this field", nil)
				continue
			}
			if n, ok := obj[k].(float64); !ok || n < 0 || n != math.Trunc(n) {
				r.add(p.String()+"."+k, "must be a whole number, 0 or more", obj[k])
			}
		}
	case TypeSubform:
		r.rows(f, p.String(), val, old, get)
	}
}

func (r *run) option(f *cfield, p vpath, i int, x any, kept bool) {
	at := func() string {
		if i < 0 {
			return p.String()
		}
		return fmt.Sprintf("%s[%d]", p, i)
	}
	s, ok := x.(string)
	if !ok {
		r.add(at(), "must be an option id", x)
		return
	}
	disabled, known := f.options[s]
	switch {
	case !known:
		r.add(at(), "is not an option of this field", x)
	case disabled && !kept:
		r.add(at(), "is disabled: choose another option", x)
	}
}

// date checks a date (or date-time) value; nil is no value.
func (r *run) date(f *cfield, p vpath, suffix string, val any) (time.Time, bool) {
	if val == nil {
		return time.Time{}, false
	}
	s, ok := val.(string)
	var t time.Time
	var err error
	switch {
	case !ok:
		err = fmt.Errorf("not text")
	case f.DateIncludeTime:
		t, err = time.Parse(time.RFC3339, s)
	default:
		t, err = time.Parse(time.DateOnly, s)
	}
	if err != nil {
		if f.DateIncludeTime {
			r.add(p.String()+suffix, `must be a date and time such as "2024-05-31T14:30:00Z"`, val)
		} else {
			r.add(p.String()+suffix, `must be a date such as "2024-05-31"`, val)
		}
		return t, false
	}
	if f.DateValidation == DateValidationNotFuture {
		now := r.v.now()
		// A date is in the future when it is after today anywhere on Earth (UTC+14).
		latest := now.Add(14 * time.Hour).UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Nanosecond)
		if f.DateIncludeTime {
			latest = now.Add(5 * time.Minute) // clock skew
		}
		if t.After(latest) {
			r.add(p.String()+suffix, "must not be in the future", val)
		}
	}
	return t, true
}

// rows checks a subform's rows.
func (r *run) rows(f *cfield, path string, val, old any, get func(string) (any, bool)) {
	rows, ok := val.([]any)
	if !ok {
		r.add(path, `must be an array of rows, each an object with a unique_id`, val)
		return
	}
	if f.rows == nil {
		return
	}
	if len(rows) > f.maxRows {
		r.addp(path, "max_items", fmt.Sprintf("at most %d rows", f.maxRows), nil, "max", strconv.Itoa(f.maxRows))
	}
	stored := map[string]map[string]any{}
	if oldRows, ok := old.([]any); ok {
		for _, x := range oldRows {
			if row, ok := x.(map[string]any); ok {
				if id, ok := row["unique_id"].(string); ok {
					stored[id] = row
				}
			}
		}
	}
	seen := map[string]bool{}
	for i, x := range rows {
		rp := path + "[" + strconv.Itoa(i) + "]"
		row, ok := x.(map[string]any)
		if !ok {
			r.add(rp, "must be an object with a unique_id", x)
			continue
		}
		id, ok := row["unique_id"].(string)
		switch {
		case !ok || !isUUID(id):
			r.add(rp+".unique_id", "each row needs a unique_id (a UUID, kept for the row's life)", row["unique_id"])
		case seen[id]:
			r.add(rp+".unique_id", "is the id of another row", id)
		}
		seen[id] = true
		prev := stored[id]
		if prev != nil && reflect.DeepEqual(prev, row) {
			continue
		}
		// Row fields first, then the record's; calculated row values count.
		calc := calculateRow(f, row, func(name string) any { x, _ := r.get(name); return x }, r.v.now())
		rowGet := func(name string) (any, bool) {
			if _, inRow := f.rows.fields[name]; inRow {
				x, ok := calc[name]
				return x, ok
			}
			return get(name)
		}
		for key, val := range row {
			if key == "unique_id" {
				continue
			}
			fp := vpath{rp + ".", key}
			oldVal, had := prev[key]
			if had && reflect.DeepEqual(oldVal, val) {
				continue
			}
			rf := f.rows.fields[key]
			if rf == nil {
				r.addp(fp.String(), "unknown_field", "is not a field of the rows of "+f.Name, nil, "subform", f.Name)
				continue
			}
			if reason := r.v.notWritable(rf); reason != "" {
				r.add(fp.String(), reason, nil)
				continue
			}
			if rf.cond != nil && !rf.cond.eval(rowGet) {
				if val != nil {
					r.add(fp.String(), "is not shown (its display conditions do not hold): leave it out", nil)
				}
				continue
			}
			if val != nil {
				r.value(rf, fp, val, oldVal, rowGet)
			}
		}
		for _, rf := range f.rows.order {
			if rf.Required && r.v.notWritable(rf) == "" && (rf.cond == nil || rf.cond.eval(rowGet)) && isEmpty(calc[rf.Name]) {
				r.add(rp+"."+rf.Name, "is required", nil)
			}
		}
	}
}
