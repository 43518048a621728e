package forms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func ptr[T any](v T) *T { return &v }

// newForm is a small valid case form.
func newForm(id string, fields ...forms.Field) forms.Form {
	if fields == nil {
		fields = []forms.Field{{Name: id + "_note", Type: forms.TypeText, DisplayName: forms.Text{"en": "Note"}}}
	}
	return forms.Form{UniqueID: id, ParentForm: forms.RecordCase, ModuleIDs: []string{cp},
		Name: forms.Text{"en": "Form " + id}, Fields: fields}
}

func version(t testing.TB, tb *testBundle, code string) int64 {
	t.Helper()
	_, v, err := tb.svc.Export(as(admin), code)
	require.NoError(t, err)
	return v
}

func TestConfigurationChanges(t *testing.T) {
	t.Parallel()

	t.Run("EveryChangeBumpsTheVersionAndIsAudited", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		ctx := as(admin)
		v0 := version(t, tb, "ke")
		_, err := tb.svc.CreateForm(ctx, "ke", newForm("extra"))
		require.NoError(t, err)
		require.Equal(t, v0+1, version(t, tb, "ke"))
		f, err := tb.svc.UpdateForm(ctx, "ke", "extra", forms.FormPatch{Fields: []forms.Field{
			{Name: "extra_b", Type: forms.TypeTickBox, DisplayName: forms.Text{"en": "B"}},
			{Name: "extra_note", Type: forms.TypeText, DisplayName: forms.Text{"en": "Note"}, Visible: ptr(false)},
		}})
		require.NoError(t, err)
		require.Equal(t, "extra_b", f.Fields[0].Name, "reordered")
		require.False(t, f.Fields[1].IsVisible(), "hidden")
		require.Equal(t, v0+2, version(t, tb, "ke"))
		_, err = tb.svc.UpdateForm(ctx, "ke", "extra", forms.FormPatch{Name: forms.Text{"en": "Form extra"}})
		require.NoError(t, err)
		require.Equal(t, v0+2, version(t, tb, "ke"), "a change that changes nothing keeps the version")
		_, err = tb.svc.CreateLookup(ctx, "ke", forms.Lookup{UniqueID: "lookup-t-yes-no", Name: forms.Text{"en": "Yes/no"},
			Values: []forms.Option{{ID: "yes", DisplayText: forms.Text{"en": "Yes"}}}})
		require.NoError(t, err)
		_, err = tb.svc.UpdateModule(ctx, "ke", cp, forms.ModulePatch{Options: &forms.ModuleOptions{Referral: true}})
		require.NoError(t, err)
		require.NoError(t, tb.svc.DeleteForm(ctx, "ke", "extra"))
		require.Equal(t, v0+5, version(t, tb, "ke"))

		logs, _, err := tb.p.ListAuditLogs(policy.WithSubject(context.Background(), policy.System(policy.ActorAuditor)), "ke",
			tenancy.AuditFilter{Per: 100})
		require.NoError(t, err)
		var changes []map[string]any
		for _, l := range logs {
			if l.Metadata["changes"] != nil {
				changes = append(changes, l.Metadata)
			}
		}
		require.Len(t, changes, 6, "one audit row per change, the no-op included")
		// Newest first: the delete.
		require.EqualValues(t, v0+5, changes[0]["configuration_version"])
		require.Equal(t, []any{map[string]any{"kind": "form", "id": "extra", "op": "removed"}}, changes[0]["changes"])
		require.Equal(t, []any{map[string]any{"kind": "module", "id": cp, "op": "changed", "attributes": []any{"options"}}}, changes[1]["changes"])
		require.Equal(t, []any{map[string]any{"kind": "form", "id": "extra", "op": "changed",
			"added": []any{"extra_b"}, "changed": []any{"extra_note"}}}, changes[4]["changes"])
		for _, c := range changes {
			require.NotContains(t, mustJSON(t, c), "Yes/no", "labels (values) stay out of the audit log")
		}
	})

	t.Run("ConfigurationErrorsNameEachPath", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.addTestConfig(t, "ke")
		ctx := as(admin)
		v0 := version(t, tb, "ke")
		bad := newForm("bad",
			forms.Field{Name: "bad_ok", Type: forms.TypeText, DisplayName: forms.Text{"en": "OK"}},
			forms.Field{Name: "Bad Name", Type: forms.TypeText, DisplayName: forms.Text{"en": "X"}},
			forms.Field{Name: "bad_select", Type: forms.TypeSelect, DisplayName: forms.Text{"en": "X"}, OptionStringsSource: "lookup lookup-nope"},
			forms.Field{Name: "bad_cond", Type: forms.TypeText, DisplayName: forms.Text{"en": "X"},
				DisplayConditions: map[string]any{"eq": map[string]any{"no_such_field": "x"}}},
			forms.Field{Name: "bad_num", Type: forms.TypeNumeric, DisplayName: forms.Text{"en": "X"}, MinValue: ptr(5.0), MaxValue: ptr(1.0), MaxLength: ptr(3)},
			forms.Field{Name: "t_text", Type: forms.TypeText, DisplayName: forms.Text{"en": "Duplicate of t_main's"}},
			forms.Field{Name: "bad_label", Type: forms.TypeText, DisplayName: forms.Text{"english": "X"}},
			forms.Field{Name: "bad_op", Type: forms.TypeText, DisplayName: forms.Text{"en": "X"},
				DisplayConditions: map[string]any{"and": []any{map[string]any{"eq": map[string]any{"t_select": "purple"}}, map[string]any{"like": "x"}}}},
		)
		bad.ModuleIDs = []string{"primeromodule-nope"}
		_, err := tb.svc.CreateForm(ctx, "ke", bad)
		require.Equal(t, []string{
			"fields[1].name",
			"fields[2].option_strings_source",
			"fields[3].display_conditions.eq.no_such_field",
			"fields[4].max_length",
			"fields[4].min_value",
			"fields[5].name",
			"fields[6].display_name.english",
			"fields[7].display_conditions.and[0].eq.t_select",
			"fields[7].display_conditions.and[1]",
			"module_ids[0]",
		}, paths(validationErrors(t, err)))
		require.Equal(t, v0, version(t, tb, "ke"), "a refused change changes nothing")
		_, err = tb.svc.GetForm(ctx, "ke", "bad")
		require.ErrorIs(t, err, tenancy.ErrNotFound)
	})

	t.Run("ChangesThatBreakOtherFormsAreRefused", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.addTestConfig(t, "ke")
		ctx := as(admin)
		// t_main's display conditions read t_row_age and t_tick; t_select reads lookup-t-colour.
		main, err := tb.svc.GetForm(ctx, "ke", "t_main")
		require.NoError(t, err)
		var fields []forms.Field
		for _, f := range main.Fields {
			if f.Name != "t_radio" {
				fields = append(fields, f)
			}
		}
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_main", forms.FormPatch{Fields: fields})
		errs := validationErrors(t, err)
		require.Len(t, errs, 1)
		require.Equal(t, "fields[21].display_conditions.eq.t_radio", errs[0].Path) // t_required moved up one place
		require.Contains(t, errs[0].Reason, "names field t_radio")

		// t_tick is read by a field of t_readonly_form and by a field of t_main's subform rows.
		fields = nil
		for _, f := range main.Fields {
			if f.Name != "t_tick" {
				fields = append(fields, f)
			}
		}
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_main", forms.FormPatch{Fields: fields})
		errs = validationErrors(t, err)
		require.Equal(t, []string{"fields", "fields"}, paths(errs), "blamed on the fields sent: %v", errs)
		require.Contains(t, errs[0].Reason+errs[1].Reason, "would break forms/t_readonly_form/fields/t_ro_flag/display_conditions/eq/t_tick: names field t_tick")
		require.Contains(t, errs[0].Reason+errs[1].Reason, "would break forms/t_row_form/fields/t_row_ticked/display_conditions")

		err = tb.svc.DeleteForm(ctx, "ke", "t_row_form")
		require.ErrorIs(t, err, tenancy.ErrConflict)
		require.Contains(t, err.Error(), "subform_section_unique_id")
		err = tb.svc.DeleteLookup(ctx, "ke", "lookup-t-colour")
		require.ErrorIs(t, err, tenancy.ErrConflict)
		require.Contains(t, err.Error(), "names lookup lookup-t-colour")
		_, err = tb.svc.UpdateLookup(ctx, "ke", "lookup-t-colour", forms.LookupPatch{Values: []forms.Option{
			{ID: "red", DisplayText: forms.Text{"en": "Red"}}, {ID: "blue", DisplayText: forms.Text{"en": "Blue"}}}})
		errs = validationErrors(t, err)
		require.Equal(t, []string{"values"}, paths(errs), "t_cond's display conditions name option green")
		require.Contains(t, errs[0].Reason, "would break forms/t_main/fields/t_cond/display_conditions/or[0]/in/t_select: must be option ids of field t_select (red, blue)")
		_, err = tb.svc.UpdateLookup(ctx, "ke", "lookup-t-colour", forms.LookupPatch{Values: []forms.Option{
			{ID: "green", DisplayText: forms.Text{"en": "Green"}}, {ID: "blue", DisplayText: forms.Text{"en": "Blue"}}}})
		require.NoError(t, err, "removing an option no record uses is allowed")
	})

	t.Run("CoreFormsCannotBeDeleted", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		err := tb.svc.DeleteForm(as(admin), "ke", "basic_identity")
		require.ErrorIs(t, err, tenancy.ErrConflict)
		require.Contains(t, err.Error(), "core form")
		_, err = tb.svc.CreateForm(as(admin), "ke", forms.Form{UniqueID: "x", ParentForm: "case", ModuleIDs: []string{cp},
			Name: forms.Text{"en": "X"}, CoreForm: true})
		require.Equal(t, []string{"core_form"}, paths(validationErrors(t, err)))
		_, err = tb.svc.UpdateForm(as(admin), "ke", "basic_identity", forms.FormPatch{CoreForm: ptr(false), ParentForm: ptr("incident")})
		require.Equal(t, []string{"core_form", "parent_form"}, paths(validationErrors(t, err)))
		_, err = tb.svc.GetForm(as(admin), "ke", "basic_identity")
		require.NoError(t, err)
	})

	t.Run("WhatRecordsUseCannotBeRemoved", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.addTestConfig(t, "ke")
		ctx := as(admin)
		// Records come with the next issue: until then, a stand-in says which values they hold.
		var asked []forms.Use
		tb.svc.SetUsage(func(_ context.Context, _ *tenancy.Conn, uses []forms.Use) ([]forms.Use, error) {
			asked = uses
			var used []forms.Use
			for _, u := range uses {
				if u.Field == "t_text" || u.Option == "red" || u.Field == "t_rows.t_row_age" || u.Field == "t_secret" {
					used = append(used, u)
				}
			}
			return used, nil
		})
		main, err := tb.svc.GetForm(ctx, "ke", "t_main")
		require.NoError(t, err)
		main.Fields[0].Type, main.Fields[0].IDField = forms.TypeTextarea, false // t_text changes type
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_main", forms.FormPatch{Fields: main.Fields})
		errs := validationErrors(t, err)
		require.Len(t, errs, 1)
		require.Equal(t, "fields", errs[0].Path)
		require.Contains(t, errs[0].Reason, "case records use field t_text:")
		require.Equal(t, []forms.Use{{RecordType: "case", Field: "t_text"}}, asked)

		_, err = tb.svc.UpdateLookup(ctx, "ke", "lookup-t-colour", forms.LookupPatch{Values: []forms.Option{
			{ID: "green", DisplayText: forms.Text{"en": "Green"}}, {ID: "blue", DisplayText: forms.Text{"en": "Blue"}}}})
		errs = validationErrors(t, err)
		require.Equal(t, []string{"values"}, paths(errs))
		require.Contains(t, errs[0].Reason, "case records use option red of field t_select:")
		_, err = tb.svc.UpdateLookup(ctx, "ke", "lookup-t-colour", forms.LookupPatch{Values: []forms.Option{
			{ID: "red", DisplayText: forms.Text{"en": "Red"}, Disabled: true}, {ID: "green", DisplayText: forms.Text{"en": "Green"}},
			{ID: "blue", DisplayText: forms.Text{"en": "Blue"}}}})
		require.NoError(t, err, "disabling is the way")

		err = tb.svc.DeleteForm(ctx, "ke", "t_secret_form")
		require.ErrorIs(t, err, tenancy.ErrConflict)
		require.Contains(t, err.Error(), "case records use field t_secret:")

		row, err := tb.svc.GetForm(ctx, "ke", "t_row_form")
		require.NoError(t, err)
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_row_form", forms.FormPatch{Fields: []forms.Field{row.Fields[0], row.Fields[3]}})
		errs = validationErrors(t, err)
		require.Equal(t, []string{"fields"}, paths(errs))
		require.Contains(t, errs[0].Reason, "case records use field t_rows.t_row_age:")
	})

	t.Run("ConcurrentChangesApplyOneAtATime", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		v0 := version(t, tb, "ke")
		errs := make(chan error, 8)
		for i := range 8 {
			go func() {
				_, err := tb.svc.CreateForm(as(admin), "ke", newForm("concurrent_"+string(rune('a'+i))))
				errs <- err
			}()
		}
		for range 8 {
			require.NoError(t, <-errs)
		}
		require.Equal(t, v0+8, version(t, tb, "ke"))
		list, err := tb.svc.ListForms(as(admin), "ke", forms.ListFormsParams{})
		require.NoError(t, err)
		n := 0
		for _, f := range list {
			if len(f.UniqueID) > 11 && f.UniqueID[:11] == "concurrent_" {
				n++
			}
		}
		require.Equal(t, 8, n)
	})

	t.Run("PermissionsAreCheckedByTheService", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		_, err := tb.svc.CreateForm(as(caseworker), "ke", newForm("x"))
		require.ErrorIs(t, err, tenancy.ErrForbidden)
		_, _, err = tb.svc.Export(as(caseworker), "ke")
		require.ErrorIs(t, err, tenancy.ErrForbidden)
		_, err = tb.svc.ListForms(context.Background(), "ke", forms.ListFormsParams{})
		require.ErrorIs(t, err, policy.ErrNoActor)
		_, err = tb.svc.ListForms(as(caseworker), "ke", forms.ListFormsParams{})
		require.NoError(t, err)
	})
}

func TestFormsSeenByRole(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	ids := func(ctx context.Context) []string {
		list, err := tb.svc.ListForms(ctx, "ke", forms.ListFormsParams{RecordType: forms.RecordCase, ModuleID: cp})
		require.NoError(t, err)
		var out []string
		for _, f := range list {
			out = append(out, f.UniqueID)
		}
		return out
	}
	cw := ids(as(tester))
	require.Contains(t, cw, "t_main")
	require.Contains(t, cw, "t_row_form", "the nested form of a form it reads")
	require.Contains(t, cw, "t_readonly_form")
	require.NotContains(t, cw, "t_secret_form")
	require.Contains(t, ids(as(admin)), "t_secret_form", "administrators configure every form")
	_, err := tb.svc.GetForm(as(tester), "ke", "t_secret_form")
	require.ErrorIs(t, err, tenancy.ErrNotFound)
}

func TestRoleFormAccessIsCheckedAgainstForms(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	ctx := as(admin)
	v0 := version(t, tb, "ke")
	_, err := tb.p.CreateRole(ctx, "ke", tenancy.RoleInput{UniqueID: "role-field", Name: map[string]string{"en": "Field"},
		RecordScope: "own", FormAccess: map[string]string{"t_main": "rw", "no_such_form": "r", "t_row_form": "r"}})
	require.Equal(t, []string{"form_access.no_such_form", "form_access.t_row_form"}, paths(validationErrors(t, err)))
	require.Equal(t, v0, version(t, tb, "ke"))

	r, err := tb.p.CreateRole(ctx, "ke", tenancy.RoleInput{UniqueID: "role-field", Name: map[string]string{"en": "Field"},
		RecordScope: "own", FormAccess: map[string]string{"t_main": "r"}})
	require.NoError(t, err)
	require.Equal(t, v0+1, version(t, tb, "ke"), "form access is configuration")
	field := policy.WithSubject(context.Background(), policy.Subject{Kind: policy.KindUser, ID: newUUID(), Roles: []string{"role-field"}})
	v := tb.validator(t, "ke", forms.RecordCase, cp, field)
	require.Equal(t, []string{"data.t_text"}, paths(v.Validate(map[string]any{"t_text": "x"})), "read only")

	_, err = tb.p.UpdateRole(ctx, "ke", r.ID, tenancy.RoleInput{FormAccess: map[string]string{"t_main": "rw"}})
	require.NoError(t, err)
	v = tb.validator(t, "ke", forms.RecordCase, cp, field)
	require.Empty(t, v.Validate(map[string]any{"t_text": "x"}), "the new access applies at the next call")

	// Deleting a form removes it from the roles' access.
	require.NoError(t, tb.svc.DeleteForm(ctx, "ke", "t_secret_form"))
	_, err = tb.svc.UpdateForm(ctx, "ke", "t_readonly_form", forms.FormPatch{Visible: ptr(false)})
	require.NoError(t, err)
	roles, err := tb.p.ListRoles(ctx, "ke")
	require.NoError(t, err)
	for _, r := range roles {
		require.NotContains(t, r.FormAccess, "t_secret_form")
	}
}

func TestBundleRoundTrip(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	ctx := as(admin)
	_, err := tb.svc.UpdateModule(ctx, "ke", cp, forms.ModulePatch{Options: &forms.ModuleOptions{Tracing: true, Approvals: []string{"closure"}}})
	require.NoError(t, err)
	v0 := version(t, tb, "ke")
	_, err = locations.New(tb.p).Upsert(ctx, "ke", []locations.Spec{
		{Code: "KE", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Kenya"}},
		{Code: "KE01", ParentCode: "KE", AdminLevel: 1, Name: map[string]string{"en": "Mombasa", "sw": "Mombasa"}},
		{Code: "KE0101", ParentCode: "KE01", AdminLevel: 3, Type: "camp", Name: map[string]string{"en": "A camp"}, Disabled: true},
	})
	require.NoError(t, err)
	require.Equal(t, v0+1, version(t, tb, "ke"), "locations are configuration too")
	exported, _, err := tb.svc.Export(ctx, "ke")
	require.NoError(t, err)
	require.Len(t, exported.Locations, 3)
	first := mustJSON(t, exported)

	tb.provision(t, "so")
	_, err = tb.p.CreateRole(ctx, "so", tenancy.RoleInput{UniqueID: tester, Name: map[string]string{"en": "Tester"}, RecordScope: policy.ScopeOwn})
	require.NoError(t, err, "bundles carry roles' form access, not roles: create the role first")
	soVersion := version(t, tb, "so")
	dry, err := tb.svc.Import(ctx, "so", exported, forms.ImportOptions{DryRun: true})
	require.NoError(t, err)
	require.True(t, dry.DryRun)
	require.Contains(t, dry.Changes, forms.Change{Kind: "form", ID: "t_main", Op: "added"})
	require.Contains(t, dry.Changes, forms.Change{Kind: "lookup", ID: "lookup-t-colour", Op: "added"})
	require.Contains(t, dry.Changes, forms.Change{Kind: "module", ID: cp, Op: "changed", Attributes: []string{"options"}})
	require.Contains(t, dry.Changes, forms.Change{Kind: "role", ID: tester, Op: "changed", Added: []string{"t_main", "t_readonly_form"}})
	require.Contains(t, dry.Changes, forms.Change{Kind: "location", ID: "KE0101", Op: "added"})
	require.Equal(t, soVersion, version(t, tb, "so"), "a dry run changes nothing")

	applied, err := tb.svc.Import(ctx, "so", exported, forms.ImportOptions{IfVersion: ptr(soVersion)})
	require.NoError(t, err)
	require.Equal(t, dry.Changes, applied.Changes)
	require.Greater(t, applied.Version, soVersion)
	require.Equal(t, applied.Version, version(t, tb, "so"))
	again, _, err := tb.svc.Export(ctx, "so")
	require.NoError(t, err)
	require.JSONEq(t, first, mustJSON(t, again))
	require.Equal(t, first, mustJSON(t, again), "byte for byte")

	_, err = tb.svc.Import(ctx, "so", exported, forms.ImportOptions{IfVersion: ptr(soVersion)})
	require.ErrorIs(t, err, forms.ErrVersionMismatch)
	res, err := tb.svc.Import(ctx, "so", exported, forms.ImportOptions{})
	require.NoError(t, err)
	require.Empty(t, res.Changes, "importing the same bundle again changes nothing")
	require.Equal(t, applied.Version, res.Version)
}

func TestBundleImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := as(admin)
	var b forms.Bundle
	exported, _, err := tb.svc.Export(ctx, "ke")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, exported)), &b))
	// A core form left out, a good new form, and problems in other places.
	b.Forms = slices.DeleteFunc(b.Forms, func(f forms.Form) bool { return f.UniqueID == "basic_identity" })
	delete(b.Roles["role-case-manager"], "basic_identity")
	b.Forms = append(b.Forms, newForm("good"), newForm("good"))
	b.Lookups = append(b.Lookups, forms.Lookup{UniqueID: "lookup-empty", Name: forms.Text{"en": "Empty"}})
	b.Roles["role-nobody"] = map[string]string{}
	b.Roles[caseworker] = map[string]string{"no_such_form": "rw"}
	b.Locations = append(b.Locations, locations.Spec{Code: "ZZ1", ParentCode: "NOPE", AdminLevel: 1, Name: map[string]string{"en": "Nowhere"}})
	_, err = tb.svc.Import(ctx, "ke", b, forms.ImportOptions{})
	errs := validationErrors(t, err)
	got := paths(errs)
	require.Contains(t, got, "data.forms", "a core form left out")
	require.Contains(t, got, fmt.Sprintf("data.lookups[%d].values", len(b.Lookups)-1))
	require.Contains(t, got, "data.roles.role-nobody")
	require.Contains(t, got, "data.roles.role-caseworker.no_such_form")
	require.Contains(t, got, fmt.Sprintf("data.forms[%d].unique_id", len(b.Forms)-1), "the second form named good")
	require.True(t, slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, "data.locations[0]") }),
		"the locations' problems come with the others: %v", got)
	_, n, err := locations.New(tb.p).List(ctx, "ke", locations.Filter{})
	require.NoError(t, err)
	require.Zero(t, n, "nothing was applied")
	_, err = tb.svc.GetForm(ctx, "ke", "good")
	require.ErrorIs(t, err, tenancy.ErrNotFound, "nothing was applied")
}
