package forms_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// testNow is the clock of every test Service: dates after it are in the future.
var testNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

type testBundle struct {
	db  *testdb.DB
	p   *tenancy.Platform
	enf *policy.Enforcer
	svc *forms.Service
}

// setup gives a database with tenant "ke" provisioned (default configuration
// seeded) and a Service; a Locations stand-in knows a few codes.
func setup(t testing.TB) *testBundle {
	t.Helper()
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	b := &testBundle{db: db, p: p, enf: enf, svc: forms.New(p, forms.Config{Now: func() time.Time { return testNow }, Locations: testLocations})}
	b.provision(t, "ke")
	return b
}

// provision creates and provisions a tenant, and loads its roles' policy.
func (b *testBundle) provision(t testing.TB, code string) {
	t.Helper()
	ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorProvisioner))
	_, err := b.p.Create(ctx, tenancy.CreateParams{Code: code, Name: "Country " + code, Locales: []string{"en", "fr"}})
	require.NoError(t, err)
	require.NoError(t, b.p.Provision(ctx, code))
	b.loadPolicy(t, code)
}

// loadPolicy loads the tenant's roles into the enforcer, as the API does at each request.
func (b *testBundle) loadPolicy(t testing.TB, code string) {
	t.Helper()
	version, roles, err := b.p.TenantPolicy(policy.WithSubject(context.Background(), policy.System(policy.ActorAuthenticator)), code)
	require.NoError(t, err)
	require.NoError(t, b.enf.SetTenantPolicy(code, version, roles))
}

// as acts as a user with the given role.
func as(role string) context.Context {
	return policy.WithSubject(context.Background(), policy.Subject{Kind: policy.KindUser, ID: newUUID(), Roles: []string{role}, Scope: policy.ScopeAll})
}

const (
	admin      = "role-system-administrator"
	caseworker = "role-caseworker"
	analyst    = "role-data-analyst"
)

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// locationsStandIn stands in for package locations (built by another
// engineer at the same time) behind the forms.Locations interface: a
// fixed map of codes to admin levels.
type locationsStandIn map[string]int

func (l locationsStandIn) AdminLevels(_ context.Context, _ *tenancy.Conn, codes []string) (map[string]int, error) {
	out := map[string]int{}
	for _, c := range codes {
		if lvl, ok := l[c]; ok {
			out[c] = lvl
		}
	}
	return out, nil
}

var testLocations = locationsStandIn{"KE": 0, "KE01": 1, "KE0101": 2, "KE010101": 3}

// testConfig is a configuration exercising every field type, added to the
// default configuration by addTestConfig. Its names start with t_ so they
// never clash with the default forms' fields.
const testConfig = `{
 "lookups": [{"unique_id": "lookup-t-colour", "name": {"en": "Colour"}, "values": [
   {"id": "red", "display_text": {"en": "Red"}}, {"id": "green", "display_text": {"en": "Green"}},
   {"id": "blue", "display_text": {"en": "Blue"}, "disabled": true}]}],
 "forms": [
  {"unique_id": "t_main", "parent_form": "case", "module_ids": ["primeromodule-cp"], "name": {"en": "Test main"},
   "order": 900, "order_form_group": 900, "is_nested": false, "core_form": false, "fields": [
    {"name": "t_text", "type": "text_field", "display_name": {"en": "Text"}, "max_length": 10, "id_field": true},
    {"name": "t_textarea", "type": "textarea", "display_name": {"en": "Textarea"}},
    {"name": "t_select", "type": "select_box", "display_name": {"en": "Colour"}, "option_strings_source": "lookup lookup-t-colour", "filterable": true},
    {"name": "t_multi", "type": "select_box", "multi_select": true, "display_name": {"en": "Multi"},
     "option_strings_text": [{"id": "a", "display_text": {"en": "A"}}, {"id": "b", "display_text": {"en": "B"}},
       {"id": "c", "display_text": {"en": "C"}, "disabled": true}]},
    {"name": "t_radio", "type": "radio_button", "display_name": {"en": "Radio"},
     "option_strings_text": [{"id": "yes", "display_text": {"en": "Yes"}}, {"id": "no", "display_text": {"en": "No"}}]},
    {"name": "t_tick", "type": "tick_box", "display_name": {"en": "Tick"}, "tick_box_label": {"en": "Yes"}},
    {"name": "t_number", "type": "numeric_field", "display_name": {"en": "Number"}, "min_value": 0, "max_value": 120, "integer": true, "matchable": true},
    {"name": "t_decimal", "type": "numeric_field", "display_name": {"en": "Decimal"}},
    {"name": "t_date", "type": "date_field", "display_name": {"en": "Date"}, "date_validation": "not_future_date"},
    {"name": "t_datetime", "type": "date_field", "display_name": {"en": "Date time"}, "date_include_time": true},
    {"name": "t_range", "type": "date_range", "display_name": {"en": "Range"}},
    {"name": "t_location", "type": "location", "display_name": {"en": "Location"}, "location_admin_level": 2},
    {"name": "t_photo", "type": "photo_upload_box", "display_name": {"en": "Photo"}, "max_attachments": 2},
    {"name": "t_audio", "type": "audio_upload_box", "display_name": {"en": "Audio"}},
    {"name": "t_document", "type": "document_upload_box", "display_name": {"en": "Document"}},
    {"name": "t_rows", "type": "subform", "display_name": {"en": "Rows"}, "subform_section_unique_id": "t_row_form", "subform_max_rows": 2},
    {"name": "t_sep", "type": "separator", "display_name": {"en": "Separator"}},
    {"name": "t_tally", "type": "tally_field", "display_name": {"en": "Tally"},
     "tally": [{"id": "boys", "display_text": {"en": "Boys"}}, {"id": "girls", "display_text": {"en": "Girls"}}]},
    {"name": "t_dob", "type": "date_field", "display_name": {"en": "Date of birth"}},
    {"name": "t_age", "type": "calculated", "display_name": {"en": "Age"}, "calculation": {"age_from": "t_dob"}},
    {"name": "t_total", "type": "calculated", "display_name": {"en": "Total"}, "calculation": {"sum": ["t_number", "t_decimal"]}},
    {"name": "t_phone", "type": "text_field", "display_name": {"en": "Phone"}, "phone_number": true},
    {"name": "t_required", "type": "text_field", "display_name": {"en": "Required when yes"}, "required": true,
     "display_conditions": {"eq": {"t_radio": "yes"}}},
    {"name": "t_teen", "type": "text_field", "display_name": {"en": "Teen"},
     "display_conditions": {"and": [{"ge": {"t_age": 13}}, {"lt": {"t_age": 20}}]}},
    {"name": "t_cond", "type": "text_field", "display_name": {"en": "Conditional"},
     "display_conditions": {"or": [{"in": {"t_select": ["green"]}}, {"not": {"exists": "t_text"}}]}},
    {"name": "t_hidden", "type": "text_field", "display_name": {"en": "Hidden"}, "visible": false},
    {"name": "t_readonly", "type": "text_field", "display_name": {"en": "Read-only"}, "editable": false}
  ]},
  {"unique_id": "t_row_form", "parent_form": "case", "module_ids": ["primeromodule-cp"], "name": {"en": "Row"},
   "order": 0, "order_form_group": 0, "is_nested": true, "core_form": false, "fields": [
    {"name": "t_row_name", "type": "text_field", "display_name": {"en": "Name"}, "required": true},
    {"name": "t_row_age", "type": "numeric_field", "display_name": {"en": "Age"}},
    {"name": "t_row_note", "type": "text_field", "display_name": {"en": "Note"}, "display_conditions": {"gt": {"t_row_age": 12}}},
    {"name": "t_row_ticked", "type": "text_field", "display_name": {"en": "When ticked"}, "display_conditions": {"eq": {"t_tick": true}}}
  ]},
  {"unique_id": "t_readonly_form", "parent_form": "case", "module_ids": ["primeromodule-cp"], "name": {"en": "Read only"},
   "order": 901, "order_form_group": 900, "is_nested": false, "core_form": false, "fields": [
    {"name": "t_ro_text", "type": "text_field", "display_name": {"en": "Read only text"}},
    {"name": "t_ro_flag", "type": "text_field", "display_name": {"en": "When ticked"}, "display_conditions": {"eq": {"t_tick": true}}}]},
  {"unique_id": "t_secret_form", "parent_form": "case", "module_ids": ["primeromodule-cp"], "name": {"en": "Secret"},
   "order": 902, "order_form_group": 900, "is_nested": false, "core_form": false, "fields": [
    {"name": "t_secret", "type": "text_field", "display_name": {"en": "Secret"}}]}
 ],
 "roles": {"role-tester": {"t_main": "rw", "t_readonly_form": "r"}}
}`

// tester is a role that reads and writes only the test forms: t_main rw,
// t_readonly_form r, t_secret_form not at all (the default forms' required
// fields do not concern it).
const tester = "role-tester"

// addTestConfig imports the default configuration plus testConfig into
// tenant code, as the system administrator, with role tester.
func (b *testBundle) addTestConfig(t testing.TB, code string) {
	t.Helper()
	ctx := as(admin)
	_, err := b.p.CreateRole(ctx, code, tenancy.RoleInput{UniqueID: tester, Name: map[string]string{"en": "Tester"},
		RecordScope: policy.ScopeOwn, Permissions: []string{"forms:read", "lookups:read"}})
	require.NoError(t, err)
	b.loadPolicy(t, code)
	cur, _, err := b.svc.Export(ctx, code)
	require.NoError(t, err)
	var extra forms.Bundle
	require.NoError(t, json.Unmarshal([]byte(testConfig), &extra))
	cur.Lookups = append(cur.Lookups, extra.Lookups...)
	cur.Forms = append(cur.Forms, extra.Forms...)
	for role, access := range extra.Roles {
		for form, a := range access {
			cur.Roles[role][form] = a
		}
	}
	_, err = b.svc.Import(ctx, code, cur, forms.ImportOptions{})
	require.NoError(t, err)
}

// paths lists the paths of field errors.
func paths(errs []tenancy.FieldError) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, e.Path)
	}
	slices.Sort(out)
	return out
}

// validationErrors requires err to be a ValidationError and returns its entries.
func validationErrors(t testing.TB, err error) []tenancy.FieldError {
	t.Helper()
	var ve *tenancy.ValidationError
	require.ErrorAs(t, err, &ve)
	return ve.Errors
}

// validator returns the validator of a record type and module for the
// subject of ctx (default: a named system actor, who writes every form).
func (b *testBundle) validator(t testing.TB, code, recordType, module string, ctx ...context.Context) *forms.Validator {
	t.Helper()
	c := policy.WithSubject(context.Background(), policy.System("test"))
	if len(ctx) > 0 {
		c = ctx[0]
	}
	var v *forms.Validator
	require.NoError(t, b.p.Tx(c, code, func(ctx context.Context, conn *tenancy.Conn) error {
		var err error
		v, err = b.svc.Validator(ctx, conn, recordType, module)
		return err
	}))
	return v
}

// sampleData builds valid data for every field the validator lets its
// subject write, leaving out fields hidden by their display conditions.
func sampleData(v *forms.Validator) map[string]any {
	data := map[string]any{}
	for _, name := range v.WritableFields() {
		f := v.Field(name)
		if f.Type == forms.TypeSubform {
			row := map[string]any{"unique_id": newUUID()}
			for _, rf := range v.SubformFields(name) {
				if rf.IsVisible() && rf.IsEditable() && rf.Type != forms.TypeCalculated && rf.Type != forms.TypeSeparator {
					row[rf.Name] = sampleValue(&rf, v.Options(name+"."+rf.Name))
				}
			}
			data[name] = []any{row}
			continue
		}
		data[name] = sampleValue(f, v.Options(name))
	}
	// Leave out what display conditions hide (a few rounds: conditions chain).
	for range 5 {
		dropped := false
		for _, e := range v.Validate(data) {
			if !strings.Contains(e.Reason, "display conditions do not hold") {
				continue
			}
			dropped = true
			key := strings.TrimPrefix(e.Path, "data.")
			if sub, rest, ok := strings.Cut(key, "["); ok {
				i, _ := strconv.Atoi(rest[:strings.Index(rest, "]")])
				row := data[sub].([]any)[i].(map[string]any)
				delete(row, rest[strings.Index(rest, "].")+2:])
				continue
			}
			delete(data, key)
		}
		if !dropped {
			break
		}
	}
	return data
}

func sampleValue(f *forms.Field, opts []forms.Option) any {
	firstOption := func() string {
		for _, o := range opts {
			if !o.Disabled {
				return o.ID
			}
		}
		return ""
	}
	switch f.Type {
	case forms.TypeText, forms.TypeTextarea:
		return "Sample"[:min(6, lengthOr(f.MaxLength, 6))]
	case forms.TypeSelect, forms.TypeRadio:
		if f.MultiSelect {
			return []any{firstOption()}
		}
		return firstOption()
	case forms.TypeTickBox:
		return true
	case forms.TypeNumeric:
		x := 1.0
		if f.MinValue != nil {
			x = *f.MinValue
		}
		if f.MaxValue != nil && x > *f.MaxValue {
			x = *f.MaxValue
		}
		return x
	case forms.TypeDate:
		if f.DateIncludeTime {
			return "2020-01-02T10:00:00Z"
		}
		return "2020-01-02"
	case forms.TypeDateRange:
		if f.DateIncludeTime {
			return map[string]any{"from": "2020-01-01T10:00:00Z", "to": "2020-02-01T10:00:00Z"}
		}
		return map[string]any{"from": "2020-01-01", "to": "2020-02-01"}
	case forms.TypeLocation:
		return "KE"
	case forms.TypePhoto, forms.TypeAudio, forms.TypeDocument:
		return []any{newUUID()}
	case forms.TypeTally:
		return map[string]any{opts[0].ID: 1.0}
	}
	return nil
}

func lengthOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}
