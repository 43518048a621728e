package forms

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/cpims-hosted/cpims/locations"
)

// Record types: what a form belongs to (its parent_form).
const (
	RecordCase           = "case"
	RecordTracingRequest = "tracing_request"
	RecordIncident       = "incident"
)

// RecordTypes lists the record types, in their usual order.
var RecordTypes = []string{RecordCase, RecordTracingRequest, RecordIncident}

// Field types (docs/configuration.md, "Fields").
const (
	TypeText       = "text_field"
	TypeTextarea   = "textarea"
	TypeSelect     = "select_box"
	TypeRadio      = "radio_button"
	TypeTickBox    = "tick_box"
	TypeNumeric    = "numeric_field"
	TypeDate       = "date_field"
	TypeDateRange  = "date_range"
	TypeLocation   = "location"
	TypePhoto      = "photo_upload_box"
	TypeAudio      = "audio_upload_box"
	TypeDocument   = "document_upload_box"
	TypeSubform    = "subform"
	TypeSeparator  = "separator"
	TypeTally      = "tally_field"
	TypeCalculated = "calculated"
)

// FieldTypes lists every field type.
var FieldTypes = []string{TypeText, TypeTextarea, TypeSelect, TypeRadio, TypeTickBox, TypeNumeric, TypeDate,
	TypeDateRange, TypeLocation, TypePhoto, TypeAudio, TypeDocument, TypeSubform, TypeSeparator, TypeTally, TypeCalculated}

// Date validations of date_field and date_range fields.
const (
	DateValidationDefault   = "default_date_validation"
	DateValidationNotFuture = "not_future_date"
)

// Defaults of field attributes.
const (
	TextMaxLengthDefault     = 500
	TextareaMaxLengthDefault = 10000
	MaxAttachmentsDefault    = 10
	// SubformMaxRowsDefault applies when subform_max_rows is not set.
	SubformMaxRowsDefault = 100
	// DeepestAdminLevel is the deepest location admin level (0 is the country).
	DeepestAdminLevel = 5
)

// BundleFormat identifies the format of a configuration bundle.
const BundleFormat = "cpims.configuration.v1"

// Text is a translated text: locale to text, e.g. {"en": "Sex", "fr": "Sexe"}.
type Text map[string]string

// Option is one choice of a lookup, of a select field's inline options, or of a tally.
type Option struct {
	ID          string `json:"id" doc:"Stored in record data; never changes." example:"female"`
	DisplayText Text   `json:"display_text" doc:"The label by locale."`
	Disabled    bool   `json:"disabled,omitempty" doc:"No new value may choose it; records keep it."`
}

// Calculation says how a calculated field's value is computed from other fields.
type Calculation struct {
	AgeFrom string   `json:"age_from,omitempty" doc:"A date field: the value is the age in whole years today." example:"date_of_birth"`
	Sum     []string `json:"sum,omitempty" doc:"Numeric fields: the value is their sum (missing ones count 0)."`
}

// Field is one field of a form. Attributes that do not apply to its type
// must be left out; attributes at their default are left out of stored
// definitions (nil visible, mobile_visible and editable mean true).
type Field struct {
	Name              string `json:"name" doc:"The key in record data; immutable once records use it." example:"name_first"`
	Type              string `json:"type" enum:"text_field,textarea,select_box,radio_button,tick_box,numeric_field,date_field,date_range,location,photo_upload_box,audio_upload_box,document_upload_box,subform,separator,tally_field,calculated"`
	DisplayName       Text   `json:"display_name" doc:"The label by locale."`
	HelpText          Text   `json:"help_text,omitempty"`
	GuidingQuestions  Text   `json:"guiding_questions,omitempty"`
	Required          bool   `json:"required,omitempty" doc:"A value must be present when the field is shown."`
	Visible           *bool  `json:"visible,omitempty" doc:"Defaults to true; false hides the field everywhere (kept in data, not writable)."`
	HideOnViewPage    bool   `json:"hide_on_view_page,omitempty"`
	MobileVisible     *bool  `json:"mobile_visible,omitempty" doc:"Defaults to true."`
	Editable          *bool  `json:"editable,omitempty" doc:"Defaults to true; false: read-only for everyone."`
	DisplayConditions any    `json:"display_conditions,omitempty" doc:"An expression over other fields: the field is shown, writable and required only when it holds."`
	Matchable         bool   `json:"matchable,omitempty" doc:"Compared by tracing (FTR) matching."`
	Filterable        bool   `json:"filterable,omitempty" doc:"Offered as a list filter."`
	IDField           bool   `json:"id_field,omitempty" doc:"An identifier: exact ID search and duplicate checks."`
	PhoneNumber       bool   `json:"phone_number,omitempty" doc:"A phone number: normalised, exact phone search."`

	MaxLength              *int         `json:"max_length,omitempty" minimum:"1" doc:"text_field (default 500), textarea (default 10000)."`
	OptionStringsSource    string       `json:"option_strings_source,omitempty" doc:"select_box, radio_button: \"lookup <lookup unique_id>\"." example:"lookup lookup-sex"`
	OptionStringsText      []Option     `json:"option_strings_text,omitempty" doc:"select_box, radio_button: inline options."`
	MultiSelect            bool         `json:"multi_select,omitempty" doc:"select_box: the value is an array of option ids."`
	TickBoxLabel           Text         `json:"tick_box_label,omitempty"`
	MinValue               *float64     `json:"min_value,omitempty"`
	MaxValue               *float64     `json:"max_value,omitempty"`
	Integer                bool         `json:"integer,omitempty"`
	DateIncludeTime        bool         `json:"date_include_time,omitempty"`
	DateValidation         string       `json:"date_validation,omitempty" enum:"default_date_validation,not_future_date"`
	LocationAdminLevel     *int         `json:"location_admin_level,omitempty" doc:"Deepest admin level accepted (0 country to 5); default 5."`
	MaxAttachments         *int         `json:"max_attachments,omitempty" doc:"Upload boxes; default 10."`
	SubformSectionUniqueID string       `json:"subform_section_unique_id,omitempty" doc:"subform: the nested form of its rows."`
	SubformMaxRows         *int         `json:"subform_max_rows,omitempty" doc:"subform: default 100."`
	SubformSortBy          string       `json:"subform_sort_by,omitempty" doc:"subform: a field of the nested form."`
	Tally                  []Option     `json:"tally,omitempty" doc:"tally_field: the things counted."`
	Calculation            *Calculation `json:"calculation,omitempty" doc:"calculated: how the value is computed."`
}

// IsVisible reports whether the field is shown (visible defaults to true).
func (f Field) IsVisible() bool { return f.Visible == nil || *f.Visible }

// IsEditable reports whether the field may be written (editable defaults to true).
func (f Field) IsEditable() bool { return f.Editable == nil || *f.Editable }

// Form is a form (section) of a record type: its fields in order.
type Form struct {
	UniqueID       string   `json:"unique_id" doc:"Unique in the tenant, immutable." example:"basic_identity"`
	ParentForm     string   `json:"parent_form" enum:"case,tracing_request,incident" doc:"The record type; immutable."`
	ModuleIDs      []string `json:"module_ids" doc:"The modules showing this form." example:"[\"primeromodule-cp\"]"`
	FormGroupID    string   `json:"form_group_id,omitempty" example:"identification_registration"`
	FormGroupName  Text     `json:"form_group_name,omitempty"`
	Name           Text     `json:"name"`
	Description    Text     `json:"description,omitempty"`
	Order          int      `json:"order"`
	OrderFormGroup int      `json:"order_form_group"`
	Visible        *bool    `json:"visible,omitempty" doc:"Defaults to true."`
	IsNested       bool     `json:"is_nested" doc:"The field set of a subform's rows, not shown on its own; immutable."`
	CoreForm       bool     `json:"core_form" doc:"Part of the default configuration: may be changed, never deleted. Set only by the default configuration and bundles."`
	Fields         []Field  `json:"fields"`
}

// IsVisible reports whether the form is shown (visible defaults to true).
func (f Form) IsVisible() bool { return f.Visible == nil || *f.Visible }

// Lookup is an option list used by select and radio fields.
type Lookup struct {
	UniqueID string   `json:"unique_id" example:"lookup-sex"`
	Name     Text     `json:"name"`
	Values   []Option `json:"values"`
}

// ModuleOptions switch a module's workflows on or off.
type ModuleOptions struct {
	Referral  bool     `json:"referral,omitempty" doc:"Cases may be referred."`
	Transfer  bool     `json:"transfer,omitempty" doc:"Cases may be transferred."`
	Tracing   bool     `json:"tracing,omitempty" doc:"Family tracing (tracing requests and matching)."`
	Approvals []string `json:"approvals,omitempty" doc:"Which approvals are used." example:"[\"assessment\",\"case_plan\",\"closure\",\"action_plan\"]"`
}

// Approval types of ModuleOptions.Approvals.
var ApprovalTypes = []string{"assessment", "case_plan", "closure", "action_plan"}

// ModuleConfig is a module as configured: its record types and options.
type ModuleConfig struct {
	UniqueID              string        `json:"unique_id" example:"primeromodule-cp"`
	Name                  Text          `json:"name"`
	AssociatedRecordTypes []string      `json:"associated_record_types"`
	Options               ModuleOptions `json:"options"`
}

// Bundle is a whole configuration: what GET /api/v2/configuration exports and
// POST /api/v2/configuration imports. Lists are sorted by unique_id
// (locations: parents first). Bundles the service caches hold no locations:
// Export reads them, Import hands them to package locations.
type Bundle struct {
	Format  string         `json:"format" enum:"cpims.configuration.v1"`
	Modules []ModuleConfig `json:"modules"`
	Lookups []Lookup       `json:"lookups"`
	Forms   []Form         `json:"forms"`
	// Roles maps each role's unique_id to its form access (form unique_id to "r" or "rw").
	Roles map[string]map[string]string `json:"roles"`
	// Locations is the location hierarchy, parents first (package locations).
	Locations []locations.Spec `json:"locations"`

	loadedVersion int64 // the stored version this bundle was read at, while a change edits it
}

// normalize puts f in its canonical stored form: attributes at their
// default left out, empty lists and texts nil, display conditions
// re-encoded. Two forms meaning the same thing normalize to the same JSON.
func (f *Form) normalize() {
	if f.Visible != nil && *f.Visible {
		f.Visible = nil
	}
	f.FormGroupName = normText(f.FormGroupName)
	f.Description = normText(f.Description)
	if f.ModuleIDs == nil {
		f.ModuleIDs = []string{}
	}
	if f.Fields == nil {
		f.Fields = []Field{}
	}
	for i := range f.Fields {
		f.Fields[i].normalize()
	}
}

func (f *Field) normalize() {
	for _, b := range []**bool{&f.Visible, &f.MobileVisible, &f.Editable} {
		if *b != nil && **b {
			*b = nil
		}
	}
	f.HelpText = normText(f.HelpText)
	f.GuidingQuestions = normText(f.GuidingQuestions)
	f.TickBoxLabel = normText(f.TickBoxLabel)
	if len(f.OptionStringsText) == 0 {
		f.OptionStringsText = nil
	}
	if len(f.Tally) == 0 {
		f.Tally = nil
	}
	if f.Calculation != nil && f.Calculation.AgeFrom == "" && len(f.Calculation.Sum) == 0 {
		f.Calculation = nil
	}
	if f.DateValidation == DateValidationDefault {
		f.DateValidation = ""
	}
	if f.DisplayConditions != nil {
		// Canonical JSON: what clients sent, re-encoded (numbers as JSON numbers, keys sorted).
		if b, err := json.Marshal(f.DisplayConditions); err == nil {
			var v any
			if json.Unmarshal(b, &v) == nil {
				f.DisplayConditions = v
			}
		}
	}
}

func (l *Lookup) normalize() {
	if l.Values == nil {
		l.Values = []Option{}
	}
}

func (m *ModuleConfig) normalize() {
	if m.AssociatedRecordTypes == nil {
		m.AssociatedRecordTypes = []string{}
	}
	if len(m.Options.Approvals) == 0 {
		m.Options.Approvals = nil
	}
}

func normText(t Text) Text {
	if len(t) == 0 {
		return nil
	}
	return t
}

// normalize normalizes every item of the bundle.
func (b *Bundle) normalize() {
	b.Format = BundleFormat
	if b.Modules == nil {
		b.Modules = []ModuleConfig{}
	}
	if b.Lookups == nil {
		b.Lookups = []Lookup{}
	}
	if b.Forms == nil {
		b.Forms = []Form{}
	}
	if b.Roles == nil {
		b.Roles = map[string]map[string]string{}
	}
	if b.Locations == nil {
		b.Locations = []locations.Spec{}
	}
	for i := range b.Modules {
		b.Modules[i].normalize()
	}
	for i := range b.Lookups {
		b.Lookups[i].normalize()
	}
	for i := range b.Forms {
		b.Forms[i].normalize()
	}
	for r, access := range b.Roles {
		if access == nil {
			b.Roles[r] = map[string]string{}
		}
	}
}

// sort orders the bundle's lists by unique_id, as stored and exported.
// Checks run before, on the order the caller sent, so paths point into it.
func (b *Bundle) sort() {
	slices.SortStableFunc(b.Modules, func(x, y ModuleConfig) int { return strings.Compare(x.UniqueID, y.UniqueID) })
	slices.SortStableFunc(b.Lookups, func(x, y Lookup) int { return strings.Compare(x.UniqueID, y.UniqueID) })
	slices.SortStableFunc(b.Forms, func(x, y Form) int { return strings.Compare(x.UniqueID, y.UniqueID) })
}

// clone returns a deep copy of b (through JSON: bundles are small and this
// runs only on configuration changes).
func (b *Bundle) clone() *Bundle {
	raw, err := json.Marshal(b)
	if err != nil {
		panic(err) // a Bundle always encodes
	}
	var out Bundle
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(err)
	}
	return &out
}

// form returns the index of the form with unique_id id, or -1.
func (b *Bundle) form(id string) int {
	return slices.IndexFunc(b.Forms, func(f Form) bool { return f.UniqueID == id })
}

// lookup returns the index of the lookup with unique_id id, or -1.
func (b *Bundle) lookup(id string) int {
	return slices.IndexFunc(b.Lookups, func(l Lookup) bool { return l.UniqueID == id })
}

// module returns the index of the module with unique_id id, or -1.
func (b *Bundle) module(id string) int {
	return slices.IndexFunc(b.Modules, func(m ModuleConfig) bool { return m.UniqueID == id })
}
