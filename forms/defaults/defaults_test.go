package defaults

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mustLoad returns the default configuration, shared: read it, never change it.
func mustLoad(t *testing.T) *config {
	t.Helper()
	c, err := sharedDefaults()
	require.NoError(t, err)
	return c
}

// mustLoadCopy returns a fresh copy of the default configuration to change.
func mustLoadCopy(t *testing.T) *config {
	t.Helper()
	c, err := loadDefaults()
	require.NoError(t, err)
	return c
}

// findForm returns the form with unique_id id.
func findForm(t *testing.T, c *config, id string) *form {
	t.Helper()
	for i := range c.Forms {
		if c.Forms[i].UniqueID == id {
			return &c.Forms[i]
		}
	}
	require.FailNow(t, "no form "+id)
	return nil
}

// findField returns field name of form formID.
func findField(t *testing.T, c *config, formID, name string) *field {
	t.Helper()
	f := findForm(t, c, formID)
	for i := range f.Fields {
		if f.Fields[i].Name == name {
			return &f.Fields[i]
		}
	}
	require.FailNow(t, "no field "+name+" in "+formID)
	return nil
}

// recordField returns the field name of a non-nested form of record type rt.
func recordField(t *testing.T, c *config, rt, name string) *field {
	t.Helper()
	for i := range c.Forms {
		f := &c.Forms[i]
		if f.ParentForm != rt || f.IsNested {
			continue
		}
		for j := range f.Fields {
			if f.Fields[j].Name == name {
				return &f.Fields[j]
			}
		}
	}
	require.FailNow(t, "no "+rt+" field "+name)
	return nil
}

func TestDefaultConfigurationIsConsistent(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	require.NotEmpty(t, c.KnownRoles, "the default roles are read from "+rolesMigration)
	require.Empty(t, check(c))
}

func TestDefaultConfigurationCoversEveryRecordType(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	require.Len(t, c.Modules, 1)
	require.Equal(t, "primeromodule-cp", c.Modules[0].UniqueID)
	require.ElementsMatch(t, recordTypes, c.Modules[0].AssociatedRecordTypes)
	forms := map[string][]string{}
	for _, f := range c.Forms {
		if !f.IsNested {
			forms[f.ParentForm] = append(forms[f.ParentForm], f.UniqueID)
		}
	}
	require.Subset(t, forms["case"], []string{
		"basic_identity", "consent", "family_details", "care_arrangements", "tracing",
		"protection_concerns", "assessment", "best_interests_assessment", "case_plan",
		"services", "followup", "referrals", "closure", "notes",
	})
	require.Subset(t, forms["tracing_request"], []string{"inquirer", "children_sought"})
	require.Subset(t, forms["incident"], []string{"incident_details", "perpetrators"})
}

// TestPrimeroKeys pins the keys that keep Primero v2's meaning (DESIGN.md
// "Reference facts"), so that migrated data and integrations still fit.
func TestPrimeroKeys(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	type want struct {
		typ     string
		lookup  string // option_strings_source without "lookup "
		multi   bool
		idField bool
		subform string
	}
	cases := map[string]want{
		"name_first":             {typ: "text_field"},
		"name_middle":            {typ: "text_field"},
		"name_last":              {typ: "text_field"},
		"name_nickname":          {typ: "text_field"},
		"name_other":             {typ: "text_field"},
		"sex":                    {typ: "select_box", lookup: "lookup-sex"},
		"age":                    {typ: "calculated"},
		"estimated":              {typ: "tick_box"},
		"date_of_birth":          {typ: "date_field"},
		"registration_date":      {typ: "date_field"},
		"risk_level":             {typ: "select_box", lookup: "lookup-risk-level"},
		"protection_concerns":    {typ: "select_box", lookup: "lookup-protection-concerns", multi: true},
		"nationality":            {typ: "select_box", lookup: "lookup-nationality", multi: true},
		"language":               {typ: "select_box", lookup: "lookup-language", multi: true},
		"religion":               {typ: "select_box", lookup: "lookup-religion", multi: true},
		"ethnicity":              {typ: "select_box", lookup: "lookup-ethnicity"},
		"displacement_status":    {typ: "select_box", lookup: "lookup-displacement-status"},
		"location_current":       {typ: "location"},
		"unhcr_id_no":            {typ: "text_field", idField: true},
		"national_id_no":         {typ: "text_field", idField: true},
		"consent_for_services":   {typ: "tick_box"},
		"disclosure_other_orgs":  {typ: "tick_box"},
		"consent_for_tracing":    {typ: "tick_box"},
		"family_details_section": {typ: "subform", subform: "family_details_section"},
		"services_section":       {typ: "subform", subform: "services_section"},
		"notes_section":          {typ: "subform", subform: "notes_section"},
	}
	for key, w := range cases {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			f := recordField(t, c, "case", key)
			require.Equal(t, w.typ, f.Type)
			if w.lookup != "" {
				require.Equal(t, "lookup "+w.lookup, f.OptionStringsSource)
			}
			require.Equal(t, w.multi, f.MultiSelect)
			require.Equal(t, w.idField, f.IDField)
			require.Equal(t, w.subform, f.SubformSectionUniqueID)
		})
	}
	t.Run("AgeFromDateOfBirth", func(t *testing.T) {
		t.Parallel()
		age := recordField(t, c, "case", "age")
		require.NotNil(t, age.Calculation)
		require.Equal(t, "date_of_birth", age.Calculation.AgeFrom)
		for _, d := range []string{"date_of_birth", "registration_date"} {
			require.Equal(t, "not_future_date", recordField(t, c, "case", d).DateValidation, d)
		}
	})
	t.Run("NoStatusField", func(t *testing.T) {
		t.Parallel()
		// status is a record column (open/closed), never a configured field.
		for _, f := range c.Forms {
			for _, fl := range f.Fields {
				require.NotEqual(t, "status", fl.Name, f.file)
				require.NotEqual(t, "record_state", fl.Name, f.file)
			}
		}
	})
}

// identityKeys are the fields that describe a child the same way in a case
// and in a trace (a child sought by a tracing request).
var identityKeys = []string{
	"name_first", "name_middle", "name_last", "name_nickname", "name_other", "sex",
	"date_of_birth", "nationality", "language", "religion", "ethnicity",
}

func TestTraceRowsDescribeAChildLikeACase(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	sub := recordField(t, c, "tracing_request", "tracing_request_subform_section")
	require.Equal(t, "subform", sub.Type)
	require.Equal(t, "tracing_request_subform_section", sub.SubformSectionUniqueID)
	for _, key := range identityKeys {
		inCase := recordField(t, c, "case", key)
		inTrace := findField(t, c, "tracing_request_subform_section", key)
		require.Equal(t, inCase.Type, inTrace.Type, key)
		require.Equal(t, inCase.OptionStringsSource, inTrace.OptionStringsSource, key)
		require.Equal(t, inCase.MultiSelect, inTrace.MultiSelect, key)
		require.True(t, inTrace.Matchable, key)
	}
	// An inquirer knows an age, rarely a date of birth: the trace's age is
	// given, not calculated.
	age := findField(t, c, "tracing_request_subform_section", "age")
	require.Equal(t, "numeric_field", age.Type)
	require.True(t, age.Matchable)
	for _, key := range []string{"location_last", "physical_characteristics", "relation"} {
		findField(t, c, "tracing_request_subform_section", key)
	}
}

// TestMatchableFields pins what FTR matching compares (DESIGN.md "FTR matching").
func TestMatchableFields(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	separation := []string{"date_of_separation", "separation_cause", "location_separation"}
	for _, key := range slices.Concat(identityKeys, []string{"age", "location_current"}, separation) {
		require.True(t, recordField(t, c, "case", key).Matchable, "case "+key)
	}
	for _, key := range []string{"relation_name", "relation_nickname", "relation_location_current"} {
		require.True(t, findField(t, c, "family_details_section", key).Matchable, "family member "+key)
	}
	for _, key := range slices.Concat(separation, []string{"relation_name", "relation_location_current"}) {
		require.True(t, recordField(t, c, "tracing_request", key).Matchable, "tracing request "+key)
	}
	for _, key := range []string{"location_last", "age"} {
		require.True(t, findField(t, c, "tracing_request_subform_section", key).Matchable, "trace "+key)
	}
	// Consent and separation status decide which cases are matched at all.
	require.True(t, recordField(t, c, "case", "unaccompanied_separated_status").Filterable)
}

func TestFilterableAndIDFields(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	for _, key := range []string{"sex", "age", "risk_level", "protection_concerns", "location_current", "displacement_status", "nationality"} {
		require.True(t, recordField(t, c, "case", key).Filterable, "case "+key)
	}
	for _, key := range []string{"unhcr_id_no", "national_id_no", "other_id_no"} {
		require.True(t, recordField(t, c, "case", key).IDField, key)
	}
	require.True(t, recordField(t, c, "case", "telephone_current").PhoneNumber)
	require.True(t, recordField(t, c, "tracing_request", "relation_telephone").PhoneNumber)
	for _, key := range []string{"cp_incident_date", "cp_incident_location", "cp_incident_violence_type"} {
		require.True(t, recordField(t, c, "incident", key).Filterable, "incident "+key)
	}
}

func TestNumericLimits(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	for _, f := range []*field{
		findField(t, c, "family_details_section", "relation_age"),
		findField(t, c, "tracing_request_subform_section", "age"),
		recordField(t, c, "tracing_request", "relation_age"),
	} {
		require.NotNil(t, f.MinValue, f.Name)
		require.NotNil(t, f.MaxValue, f.Name)
		require.Equal(t, 0.0, *f.MinValue, f.Name)
		require.Equal(t, 130.0, *f.MaxValue, f.Name)
		require.True(t, f.Integer, f.Name)
	}
}

func TestRolesFormAccess(t *testing.T) {
	t.Parallel()
	c := mustLoad(t)
	require.ElementsMatch(t, c.KnownRoles, keys(c.Roles), "roles.json lists every default role")
	for _, role := range []string{"role-caseworker", "role-case-manager"} {
		var want []string
		for _, f := range c.Forms {
			if !f.IsNested {
				want = append(want, f.UniqueID)
				require.Equal(t, "rw", c.Roles[role][f.UniqueID], role+" "+f.UniqueID)
			}
		}
		require.ElementsMatch(t, want, keys(c.Roles[role]), role)
	}
	// Aggregates only: the data analyst reads no form of personal data; the
	// administrators configure, they do not read children's records.
	for _, role := range []string{"role-data-analyst", "role-agency-admin", "role-system-administrator"} {
		require.Empty(t, c.Roles[role], role)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestStrictDecoding(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		json string
		err  string
	}{
		"UnknownFormKey":   {`{"unique_id": "a", "nme": {}}`, `unknown field "nme"`},
		"UnknownFieldKey":  {`{"unique_id": "a", "fields": [{"name": "x", "type": "text_field", "matchabel": true}]}`, `unknown field "matchabel"`},
		"DuplicateKey":     {`{"unique_id": "a", "fields": [{"name": "x", "name": "y"}]}`, `duplicate key "name" in $.fields[0]`},
		"TrailingData":     {`{"unique_id": "a"} {}`, "data after the JSON value"},
		"WrongType":        {`{"unique_id": "a", "order": "10"}`, "cannot unmarshal string"},
		"UnknownOptionKey": {`{"unique_id": "a", "fields": [{"name": "x", "option_strings_text": [{"id": "a", "label": {}}]}]}`, `unknown field "label"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var f form
			err := decodeStrict([]byte(tc.json), &f)
			require.ErrorContains(t, err, tc.err)
		})
	}
	t.Run("FieldKeysRemembered", func(t *testing.T) {
		t.Parallel()
		var f form
		require.NoError(t, decodeStrict([]byte(`{"fields": [{"name": "x", "type": "text_field", "min_value": 1}]}`), &f))
		require.Equal(t, []string{"min_value", "name", "type"}, f.Fields[0].keys)
	})
}

// TestCheckFindsProblems breaks the default configuration one way at a time
// and expects check to say so: the consistency test cannot pass vacuously.
func TestCheckFindsProblems(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		breakIt func(t *testing.T, c *config)
		want    string
	}{
		"MissingArabic": {func(t *testing.T, c *config) {
			delete(findField(t, c, "basic_identity", "sex").DisplayName, "ar")
		}, `(sex).display_name: no "ar" text`},
		"EnglishInArabic": {func(t *testing.T, c *config) {
			c.Lookups[0].Values[0].DisplayText["ar"] = "Female"
		}, "is not written in Arabic"},
		"ExtraLocale": {func(t *testing.T, c *config) {
			findForm(t, c, "closure").Name["de"] = "Abschluss"
		}, `unexpected locale "de"`},
		"UnknownLookup": {func(t *testing.T, c *config) {
			findField(t, c, "basic_identity", "sex").OptionStringsSource = "lookup lookup-gender"
		}, `option_strings_source "lookup lookup-gender" names no lookup`},
		"UnusedLookup": {func(t *testing.T, c *config) {
			c.Lookups = append(c.Lookups, lookup{UniqueID: "lookup-spare", Name: c.Lookups[0].Name, Values: c.Lookups[0].Values})
		}, "lookup-spare is used by no field"},
		"DuplicateOption": {func(t *testing.T, c *config) {
			l := &c.Lookups[0]
			l.Values = append(l.Values, l.Values[0])
		}, "given twice"},
		"BadOptionID": {func(t *testing.T, c *config) {
			c.Lookups[0].Values[0].ID = "Female"
		}, `option id "Female" does not match`},
		"BadFieldName": {func(t *testing.T, c *config) {
			findField(t, c, "basic_identity", "name_other").Name = "name-other"
		}, "name does not match"},
		"FieldInTwoForms": {func(t *testing.T, c *config) {
			f := findForm(t, c, "closure")
			f.Fields = append(f.Fields, *findField(t, c, "basic_identity", "name_first"))
		}, `field "name_first" is already a field of another case form`},
		"FieldTwiceInNestedForm": {func(t *testing.T, c *config) {
			f := findForm(t, c, "notes_section")
			f.Fields = append(f.Fields, f.Fields[0])
		}, "name given twice in the form"},
		"AttributeOfAnotherType": {func(t *testing.T, c *config) {
			f := findField(t, c, "basic_identity", "name_first")
			f.keys = append(f.keys, "min_value")
		}, `"min_value" is not an attribute of a text_field`},
		"SubformOfPlainForm": {func(t *testing.T, c *config) {
			findField(t, c, "notes", "notes_section").SubformSectionUniqueID = "closure"
		}, `subform "closure" is not a nested form`},
		"SubformOfOtherRecordType": {func(t *testing.T, c *config) {
			findField(t, c, "notes", "notes_section").SubformSectionUniqueID = "perpetrator_subform_section"
		}, `belongs to record type "incident", not "case"`},
		"NestedFormUnused": {func(t *testing.T, c *config) {
			findField(t, c, "notes", "notes_section").SubformSectionUniqueID = "services_section"
		}, "notes_section.json: nested form used by 0 subform fields"},
		"ConditionOnMissingField": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"eq": {"closure_reasn": "other"}}`)
		}, `names "closure_reasn", which is no field in scope`},
		"ConditionOnNestedFieldFromRecord": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"exists": "relation_name"}`)
		}, `names "relation_name", which is no field in scope`},
		"ConditionOnUnknownOption": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"eq": {"closure_reason": "others"}}`)
		}, "not one of its options"},
		"ConditionOrderingOptions": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"gt": {"closure_reason": "other"}}`)
		}, "options are not ordered"},
		"ConditionUnknownOperator": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"equals": {"closure_reason": "other"}}`)
		}, `unknown operator "equals"`},
		"ConditionTwoOperators": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"exists": "closure_reason", "not": {"exists": "date_closure"}}`)
		}, "is not an object with one operator"},
		"ConditionOnItself": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_reason_other").DisplayConditions = []byte(`{"exists": "closure_reason_other"}`)
		}, "cannot name the field itself"},
		"CalculationFromText": {func(t *testing.T, c *config) {
			recordField(t, c, "case", "age").Calculation.AgeFrom = "name_first"
		}, `age_from "name_first" is not a date field`},
		"DuplicateFormID": {func(t *testing.T, c *config) {
			f := *findForm(t, c, "closure")
			f.file = "forms/case/closure_copy.json"
			c.Forms = append(c.Forms, f)
		}, `unique_id "closure" is also forms/case/closure.json's`},
		"FormInWrongFolder": {func(t *testing.T, c *config) {
			findForm(t, c, "closure").ParentForm = "incident"
		}, `belongs in forms/incident/closure.json`},
		"GroupWithTwoNames": {func(t *testing.T, c *config) {
			f := findForm(t, c, "followup")
			f.FormGroupName = text{"en": "Other", "fr": "Autre", "es": "Otro", "ar": "أخرى"}
		}, "has another order or name"},
		"RoleUnknown": {func(t *testing.T, c *config) {
			c.Roles["role-superuser"] = map[string]string{}
		}, `"role-superuser" is not a default role`},
		"RoleUnknownForm": {func(t *testing.T, c *config) {
			c.Roles["role-caseworker"]["basic_identiy"] = "rw"
		}, `"basic_identiy" names no form`},
		"RoleNestedForm": {func(t *testing.T, c *config) {
			c.Roles["role-caseworker"]["notes_section"] = "r"
		}, `"notes_section" is a nested form`},
		"RoleBadAccess": {func(t *testing.T, c *config) {
			c.Roles["role-caseworker"]["closure"] = "w"
		}, `access "w" is neither r nor rw`},
		"MatchableTextarea": {func(t *testing.T, c *config) {
			findField(t, c, "closure", "closure_comments").Matchable = true
		}, "a textarea cannot be matchable"},
		"FilterableRowField": {func(t *testing.T, c *config) {
			findField(t, c, "perpetrator_subform_section", "perpetrator_relationship").Filterable = true
		}, "only a record-level field is filterable"},
		"RequiredCalculated": {func(t *testing.T, c *config) {
			recordField(t, c, "case", "age").Required = true
		}, "a calculated cannot be required"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := mustLoadCopy(t)
			tc.breakIt(t, c)
			problems := check(c)
			require.True(t, slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }),
				fmt.Sprintf("want a problem containing %q, got:\n%s", tc.want, strings.Join(problems, "\n")))
		})
	}
}
