package forms_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/tenancy"
)

const cp = "primeromodule-cp"

func TestValidatorFieldTypes(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	v := tb.validator(t, "ke", forms.RecordCase, cp, as(tester))
	uuid := newUUID()
	for _, tc := range []struct {
		name    string
		field   string
		valid   []any
		invalid []any
	}{
		{"Text", "t_text", []any{"", "0123456789", "ééééééééé"}, []any{"01234567890", 12.0, true, []any{"a"}}},
		{"Textarea", "t_textarea", []any{strings.Repeat("x", 10000)}, []any{strings.Repeat("x", 10001), 1.0}},
		{"SelectFromLookup", "t_select", []any{"red", "green"}, []any{"blue" /* disabled */, "purple", 1.0, []any{"red"}}},
		{"MultiSelect", "t_multi", []any{[]any{"a"}, []any{"a", "b"}, []any{}},
			[]any{"a", []any{"a", "a"}, []any{"c"} /* disabled */, []any{"z"}, []any{1.0}}},
		{"Radio", "t_radio", []any{"no" /* yes makes t_required required */}, []any{"maybe", true}},
		{"TickBox", "t_tick", []any{true, false}, []any{"true", 1.0}},
		{"IntegerInRange", "t_number", []any{0.0, 120.0, 7.0}, []any{-1.0, 121.0, 7.5, "7"}},
		{"Decimal", "t_decimal", []any{-3.25, 1e9}, []any{"1.5", true}},
		{"DateNotFuture", "t_date", []any{"2026-06-15", "2020-02-29", "2026-06-16" /* tomorrow somewhere on Earth */},
			[]any{"2026-06-18", "2021-02-29", "15/06/2026", "2026-06-15T10:00:00Z", 20260615.0}},
		{"DateTime", "t_datetime", []any{"2030-01-02T03:04:05Z", "2024-05-31T14:30:00+03:00"}, []any{"2024-05-31", "2024-05-31 14:30"}},
		{"DateRange", "t_range", []any{map[string]any{"from": "2024-01-01", "to": "2024-01-01"}, map[string]any{"from": "2024-01-01"}},
			[]any{map[string]any{"from": "2024-02-01", "to": "2024-01-01"}, map[string]any{"start": "2024-01-01"}, "2024-01-01",
				map[string]any{"from": "yesterday"}}},
		{"Location", "t_location", []any{"KE", "KE0101"}, []any{"", 12.0, "KE 01"}},
		{"Photo", "t_photo", []any{[]any{uuid}, []any{uuid, newUUID()}}, []any{[]any{uuid, newUUID(), newUUID()}, []any{"photo.jpg"}, []any{uuid, uuid}, uuid}},
		{"Audio", "t_audio", []any{[]any{uuid}}, []any{"x"}},
		{"Document", "t_document", []any{[]any{uuid}}, []any{[]any{1.0}}},
		{"Tally", "t_tally", []any{map[string]any{"boys": 2.0, "girls": 0.0}, map[string]any{}},
			[]any{map[string]any{"boys": -1.0}, map[string]any{"boys": 1.5}, map[string]any{"men": 1.0}, 3.0}},
		{"Separator", "t_sep", nil, []any{"x", ""}},
		{"Calculated", "t_age", nil, []any{7.0}},
		{"Hidden", "t_hidden", nil, []any{"x"}},
		{"ReadOnly", "t_readonly", nil, []any{"x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, x := range tc.valid {
				require.Empty(t, v.Validate(map[string]any{tc.field: x}), "%.60v should be accepted", x)
			}
			for _, x := range tc.invalid {
				errs := v.Validate(map[string]any{tc.field: x})
				require.NotEmpty(t, errs, "%.60v should be refused", x)
				for _, e := range errs {
					require.True(t, strings.HasPrefix(e.Path, "data."+tc.field), "%#v: error at %s", x, e.Path)
					require.NotEmpty(t, e.Reason)
					require.NotEmpty(t, e.Code, "%q has no machine code (reasonCodes)", e.Reason)
				}
			}
			if tc.valid != nil {
				require.Empty(t, v.Validate(map[string]any{tc.field: nil}), "null clears a writable field")
			}
		})
	}

	t.Run("EveryErrorAtOnce", func(t *testing.T) {
		t.Parallel()
		errs := v.Validate(map[string]any{"t_text": 1.0, "t_number": "x", "t_nope": 1.0, "t_tick": "y"})
		require.Equal(t, []string{"data.t_nope", "data.t_number", "data.t_text", "data.t_tick"}, paths(errs))
	})

	t.Run("LocationsExistAtTheirLevel", func(t *testing.T) {
		t.Parallel()
		check := func(code string) []tenancy.FieldError {
			var errs []tenancy.FieldError
			require.NoError(t, tb.p.Tx(as(admin), "ke", func(ctx context.Context, c *tenancy.Conn) error {
				var err error
				errs, err = v.ValidateTx(ctx, c, nil, map[string]any{"t_location": code})
				return err
			}))
			return errs
		}
		require.Empty(t, check("KE0101"))
		require.Empty(t, check("KE"))
		errs := check("KE010101") // a camp, below the field's admin level 2
		require.Len(t, errs, 1)
		require.Contains(t, errs[0].Reason, "admin level 2 or above")
		errs = check("ZZ99")
		require.Len(t, errs, 1)
		require.Equal(t, "no such location", errs[0].Reason)
	})

	t.Run("CalculatedValues", func(t *testing.T) {
		t.Parallel()
		out := v.Calculate(map[string]any{"t_dob": "2010-06-16", "t_number": 3.0, "t_decimal": 0.5})
		require.Equal(t, 15.0, out["t_age"], "born 2010-06-16, on 2026-06-15 one is still 15")
		require.Equal(t, 3.5, out["t_total"])
		out = v.Calculate(map[string]any{"t_dob": "not a date"})
		require.NotContains(t, out, "t_age")
		require.NotContains(t, out, "t_total")
	})

	t.Run("FieldLists", func(t *testing.T) {
		t.Parallel()
		require.Contains(t, v.MatchableFields(), "t_number")
		require.Contains(t, v.FilterableFields(), "t_select")
		require.Contains(t, v.IDFields(), "t_text")
		require.Contains(t, v.PhoneFields(), "t_phone")
		require.NotContains(t, v.WritableFields(), "t_age")
		require.NotContains(t, v.WritableFields(), "t_hidden")
		require.Contains(t, v.ReadableFields(), "t_hidden")
	})
}

func TestValidatorDisplayConditions(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	v := tb.validator(t, "ke", forms.RecordCase, cp, as(tester))
	for _, tc := range []struct {
		name string
		data map[string]any
		want []string
	}{
		{"EqHoldsRequired", map[string]any{"t_radio": "yes"}, []string{"data.t_required"}},
		{"EqHoldsGiven", map[string]any{"t_radio": "yes", "t_required": "here"}, nil},
		{"EqFailsNotRequired", map[string]any{"t_radio": "no"}, nil},
		{"EqFailsCannotWrite", map[string]any{"t_radio": "no", "t_required": "x"}, []string{"data.t_required"}},
		{"EqFailsNullIsFine", map[string]any{"t_required": nil}, nil},
		{"AndGeLtOverCalculatedAge", map[string]any{"t_dob": "2010-01-01", "t_teen": "x"}, nil},
		{"AndFailsTooYoung", map[string]any{"t_dob": "2020-01-01", "t_teen": "x"}, []string{"data.t_teen"}},
		{"AndFailsTooOld", map[string]any{"t_dob": "1990-01-01", "t_teen": "x"}, []string{"data.t_teen"}},
		{"AndFailsNoAge", map[string]any{"t_teen": "x"}, []string{"data.t_teen"}},
		{"OrInHolds", map[string]any{"t_select": "green", "t_text": "t", "t_cond": "x"}, nil},
		{"OrNotExistsHolds", map[string]any{"t_select": "red", "t_cond": "x"}, nil},
		{"OrFails", map[string]any{"t_select": "red", "t_text": "t", "t_cond": "x"}, []string{"data.t_cond"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := v.Validate(tc.data)
			if tc.want == nil {
				require.Empty(t, errs)
				return
			}
			require.Equal(t, tc.want, paths(errs), "%v", errs)
		})
	}
}

func TestValidatorSubformRows(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	v := tb.validator(t, "ke", forms.RecordCase, cp, as(tester))
	id1, id2 := newUUID(), newUUID()
	row := func(id string, kv ...any) map[string]any {
		r := map[string]any{"unique_id": id}
		for i := 0; i < len(kv); i += 2 {
			r[kv[i].(string)] = kv[i+1]
		}
		return r
	}
	for _, tc := range []struct {
		name string
		rows any
		more map[string]any
		want []string
	}{
		{"Valid", []any{row(id1, "t_row_name", "Amina", "t_row_age", 14.0, "t_row_note", "older")}, nil, nil},
		{"Empty", []any{}, nil, nil},
		{"RequiredInRow", []any{row(id1, "t_row_age", 3.0)}, nil, []string{"data.t_rows[0].t_row_name"}},
		{"RowConditionOnRowField", []any{row(id1, "t_row_name", "A", "t_row_age", 10.0, "t_row_note", "x")}, nil,
			[]string{"data.t_rows[0].t_row_note"}},
		{"RowConditionOnRecordField", []any{row(id1, "t_row_name", "A", "t_row_ticked", "x")}, map[string]any{"t_tick": true}, nil},
		{"RowConditionOnRecordFieldFails", []any{row(id1, "t_row_name", "A", "t_row_ticked", "x")}, map[string]any{"t_tick": false},
			[]string{"data.t_rows[0].t_row_ticked"}},
		{"TypeInRow", []any{row(id1, "t_row_name", "A"), row(id2, "t_row_name", "B", "t_row_age", "ten")}, nil,
			[]string{"data.t_rows[1].t_row_age"}},
		{"UnknownKeyInRow", []any{row(id1, "t_row_name", "A", "colour", "red")}, nil, []string{"data.t_rows[0].colour"}},
		{"MissingID", []any{map[string]any{"t_row_name": "A"}}, nil, []string{"data.t_rows[0].unique_id"}},
		{"BadID", []any{row("1", "t_row_name", "A")}, nil, []string{"data.t_rows[0].unique_id"}},
		{"DuplicateID", []any{row(id1, "t_row_name", "A"), row(id1, "t_row_name", "B")}, nil, []string{"data.t_rows[1].unique_id"}},
		{"TooManyRows", []any{row(id1, "t_row_name", "A"), row(id2, "t_row_name", "B"), row(newUUID(), "t_row_name", "C")}, nil,
			[]string{"data.t_rows"}},
		{"NotAnArray", map[string]any{"t_row_name": "A"}, nil, []string{"data.t_rows"}},
		{"RowNotAnObject", []any{"A"}, nil, []string{"data.t_rows[0]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := map[string]any{"t_rows": tc.rows}
			for k, x := range tc.more {
				data[k] = x
			}
			errs := v.Validate(data)
			if tc.want == nil {
				require.Empty(t, errs)
				return
			}
			require.Equal(t, tc.want, paths(errs), "%v", errs)
		})
	}

	t.Run("UnchangedRowsAreNotRewritten", func(t *testing.T) {
		t.Parallel()
		current := map[string]any{"t_rows": []any{row(id1, "t_row_name", "A", "t_row_age", 20.0, "t_row_note", "kept")}}
		// The stored row is sent back as is, with a new row: only the new row is checked.
		written := map[string]any{"t_rows": []any{row(id1, "t_row_name", "A", "t_row_age", 20.0, "t_row_note", "kept"), row(id2)}}
		require.Equal(t, []string{"data.t_rows[1].t_row_name"}, paths(v.ValidateChange(current, written)))
	})
}

func TestValidatorRoleAccess(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	v := tb.validator(t, "ke", forms.RecordCase, cp, as(tester)) // t_main rw, t_readonly_form r, t_secret_form none

	require.Empty(t, v.Validate(map[string]any{"t_text": "ok"}))
	errs := v.Validate(map[string]any{"t_ro_text": "x", "t_secret": "y", "t_unknown": "z"})
	require.Equal(t, []string{"data.t_ro_text", "data.t_secret", "data.t_unknown"}, paths(errs))
	require.Contains(t, errs[0].Reason, "read-only for your role")
	require.Contains(t, errs[1].Reason, "may not write")
	require.Contains(t, errs[2].Reason, "not a field")
	require.Equal(t, []string{"form_read_only", "not_writable", "unknown_field"}, []string{errs[0].Code, errs[1].Code, errs[2].Code})
	require.Equal(t, map[string]string{"form": "t_readonly_form"}, errs[0].Params)
	require.Equal(t, map[string]string{"record_type": "case", "module": cp}, errs[2].Params)

	t.Run("UnchangedReadOnlyValuesMayBeSentBack", func(t *testing.T) {
		t.Parallel()
		current := map[string]any{"t_ro_text": "set by a manager", "t_secret": "s"}
		require.Empty(t, v.ValidateChange(current, map[string]any{"t_ro_text": "set by a manager", "t_secret": "s", "t_text": "new"}))
		require.Equal(t, []string{"data.t_ro_text"}, paths(v.ValidateChange(current, map[string]any{"t_ro_text": "changed"})))
	})

	t.Run("ReadableFiltersResponses", func(t *testing.T) {
		t.Parallel()
		got := v.Readable(map[string]any{"t_text": "a", "t_ro_text": "b", "t_secret": "c", "gone": "d"})
		require.Equal(t, map[string]any{"t_text": "a", "t_ro_text": "b"}, got)
		require.Contains(t, v.ReadableFields(), "t_ro_text")
		require.Equal(t, []string{"t_main", "t_readonly_form"}, v.ReadableForms())
		require.Equal(t, []string{"t_main"}, v.WritableForms())
		require.NotContains(t, v.ReadableFields(), "t_secret")
		require.NotContains(t, v.WritableFields(), "t_ro_text")
	})

	t.Run("ARoleWithoutFormsWritesNothing", func(t *testing.T) {
		t.Parallel()
		va := tb.validator(t, "ke", forms.RecordCase, cp, as(analyst))
		require.Empty(t, va.WritableFields())
		require.Empty(t, va.ReadableFields())
		require.Equal(t, []string{"data.t_text"}, paths(va.Validate(map[string]any{"t_text": "x"})))
	})

	t.Run("DisabledOptionsStayOnRecordsThatHaveThem", func(t *testing.T) {
		t.Parallel()
		require.Empty(t, v.ValidateChange(map[string]any{"t_multi": []any{"c"}}, map[string]any{"t_multi": []any{"c", "a"}}))
		require.NotEmpty(t, v.ValidateChange(map[string]any{"t_multi": []any{"a"}}, map[string]any{"t_multi": []any{"c", "a"}}))
	})
}
