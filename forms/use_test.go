package forms_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
)

// insertRecord stores a record holding data in tenant code's records table
// (as package records would, minus its search columns, which the check does
// not read).
func (b *testBundle) insertRecord(t testing.TB, code, recordType string, enabled bool, data map[string]any) {
	t.Helper()
	su := b.db.Superuser(t)
	raw, err := json.Marshal(data)
	require.NoError(t, err)
	digest := sha256.Sum256(raw)
	schema := "tenant_" + code
	_, err = su.Exec(context.Background(), fmt.Sprintf(`insert into %[1]s.records
		(id, record_type, short_id, module_id, enabled, data, created_by, updated_by, create_digest)
		values (gen_random_uuid(), $1, left(md5(gen_random_uuid()::text), 7), 'primeromodule-cp', $2, $3, 'test', 'test', $4)`, schema),
		recordType, enabled, raw, digest[:])
	require.NoError(t, err)
}

// configurationState is what a refused change must leave as it was.
func configurationState(t testing.TB, tb *testBundle, code string) string {
	t.Helper()
	b, v, err := tb.svc.Export(as(admin), code)
	require.NoError(t, err)
	raw, err := json.Marshal(b)
	require.NoError(t, err)
	return fmt.Sprint(v, string(raw))
}

func TestRecordsUseRefusesRemovingWhatRecordsHold(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.addTestConfig(t, "ke")
	ctx := as(admin)
	row := "0b0f8d5e-3b43-4c36-9a43-1b7c0d7f2a11"
	tb.insertRecord(t, "ke", "case", true, map[string]any{
		"t_select": "red", "t_multi": []string{"a"}, "t_tally": map[string]int{"boys": 2},
		"t_rows": []map[string]any{{"unique_id": row, "t_row_name": "Amina", "t_row_age": 4}},
	})
	tb.insertRecord(t, "ke", "case", true, map[string]any{"t_select": "red"})
	// A disabled record keeps its data: it counts.
	tb.insertRecord(t, "ke", "case", false, map[string]any{"t_text": "abc"})
	// Another record type's key of the same name does not.
	tb.insertRecord(t, "ke", "tracing_request", true, map[string]any{"t_secret": "x", "t_select": "green"})

	t.Run("LookupOptionRefusedWithCountThenDisabled", func(t *testing.T) {
		before := configurationState(t, tb, "ke")
		_, err := tb.svc.UpdateLookup(ctx, "ke", "lookup-t-colour", forms.LookupPatch{Values: []forms.Option{
			{ID: "green", DisplayText: forms.Text{"en": "Green"}}, {ID: "blue", DisplayText: forms.Text{"en": "Blue"}}}})
		errs := validationErrors(t, err)
		require.Equal(t, []string{"values"}, paths(errs))
		require.Contains(t, errs[0].Reason, "2 case records use option red of field t_select: disable the option (disabled: true)")
		require.Equal(t, before, configurationState(t, tb, "ke"), "a refused change changes nothing")

		_, err = tb.svc.UpdateLookup(ctx, "ke", "lookup-t-colour", forms.LookupPatch{Values: []forms.Option{
			{ID: "red", DisplayText: forms.Text{"en": "Red"}, Disabled: true}, {ID: "green", DisplayText: forms.Text{"en": "Green"}}}})
		require.NoError(t, err, "disabling red and removing unused blue are allowed")
	})

	t.Run("FieldsAndInlineOptions", func(t *testing.T) {
		main, err := tb.svc.GetForm(ctx, "ke", "t_main")
		require.NoError(t, err)
		edit := func(fn func(f *forms.Field) bool) []forms.Field {
			var out []forms.Field
			for _, f := range main.Fields {
				f := f
				if fn(&f) {
					out = append(out, f)
				}
			}
			return out
		}
		cases := []struct {
			name   string
			edit   func(f *forms.Field) bool
			reason string
		}{
			{"InlineOption", func(f *forms.Field) bool {
				if f.Name == "t_multi" {
					f.OptionStringsText = f.OptionStringsText[1:] // a
				}
				return true
			}, "1 case record uses option a of field t_multi: disable the option"},
			{"TallyOption", func(f *forms.Field) bool {
				if f.Name == "t_tally" {
					f.Tally = f.Tally[1:] // boys
				}
				return true
			}, "1 case record uses option boys of field t_tally"},
			{"RemovedField", func(f *forms.Field) bool { return f.Name != "t_select" && f.Name != "t_cond" },
				"2 case records use field t_select: it cannot be removed, renamed or change type"},
			{"RenamedKey", func(f *forms.Field) bool {
				if f.Name == "t_text" {
					f.Name = "t_text_renamed"
				}
				return f.Name != "t_cond" // its condition reads t_text
			}, "1 case record uses field t_text"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := configurationState(t, tb, "ke")
				_, err := tb.svc.UpdateForm(ctx, "ke", "t_main", forms.FormPatch{Fields: edit(c.edit)})
				errs := validationErrors(t, err)
				var reasons []string
				for _, e := range errs {
					reasons = append(reasons, e.Reason)
				}
				require.Contains(t, fmt.Sprint(reasons), c.reason)
				require.Equal(t, before, configurationState(t, tb, "ke"))
			})
		}

		// Unused: inline option c and tally option girls go.
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_main", forms.FormPatch{Fields: edit(func(f *forms.Field) bool {
			switch f.Name {
			case "t_multi":
				f.OptionStringsText = f.OptionStringsText[:2]
			case "t_tally":
				f.Tally = f.Tally[:1]
			}
			return f.Name != "t_photo"
		})})
		require.NoError(t, err, "removing unused options and an unused field is allowed")
	})

	t.Run("SubformField", func(t *testing.T) {
		rows, err := tb.svc.GetForm(ctx, "ke", "t_row_form")
		require.NoError(t, err)
		before := configurationState(t, tb, "ke")
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_row_form", forms.FormPatch{Fields: []forms.Field{rows.Fields[0], rows.Fields[3]}})
		errs := validationErrors(t, err)
		require.Equal(t, []string{"fields"}, paths(errs))
		require.Contains(t, errs[0].Reason, "1 case record uses field t_rows.t_row_age")
		require.Equal(t, before, configurationState(t, tb, "ke"))
		_, err = tb.svc.UpdateForm(ctx, "ke", "t_row_form", forms.FormPatch{Fields: []forms.Field{rows.Fields[0], rows.Fields[1], rows.Fields[3]}})
		require.NoError(t, err, "t_row_note is unused")
	})

	t.Run("DeletingAFormNoRecordOfItsTypeUses", func(t *testing.T) {
		require.NoError(t, tb.svc.DeleteForm(ctx, "ke", "t_secret_form"), "only a tracing request holds a t_secret key")
	})

	t.Run("BundleDryRunShowsTheRefusal", func(t *testing.T) {
		b, v, err := tb.svc.Export(ctx, "ke")
		require.NoError(t, err)
		for i := range b.Forms {
			if b.Forms[i].UniqueID == "t_main" {
				b.Forms[i].Fields = slices.DeleteFunc(b.Forms[i].Fields, func(f forms.Field) bool {
					return f.Name == "t_text" || f.Name == "t_cond" // t_cond reads t_text
				})
			}
		}
		_, err = tb.svc.Import(ctx, "ke", b, forms.ImportOptions{DryRun: true})
		errs := validationErrors(t, err)
		require.Equal(t, []string{"data.forms"}, paths(errs))
		require.Contains(t, errs[0].Reason, "1 case record uses field t_text")
		_, err = tb.svc.Import(ctx, "ke", b, forms.ImportOptions{})
		validationErrors(t, err)
		_, v2, err := tb.svc.Export(ctx, "ke")
		require.NoError(t, err)
		require.Equal(t, v, v2)
	})
}

// TestRecordsUseProbeUsesTheIndex checks that the probe is the GIN lookup of
// migration 015_records_data_terms (not a scan of data) once the planner
// knows the table is big, and what the terms of a record are.
func TestRecordsUseProbeUsesTheIndex(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	su := tb.db.Superuser(t)
	ctx := context.Background()
	var terms []string
	require.NoError(t, su.QueryRow(ctx, `select tenant_ke.record_data_terms($1)`, `{"sex": "female",
		"protection_concerns": ["separated", "trafficked"], "tally": {"boys": 1}, "age": 4, "story": "x", "family_details_section": [{"unique_id": "0b0f8d5e-3b43-4c36-9a43-1b7c0d7f2a11",
		"relation": "mother", "relation_age": 40}]}`).Scan(&terms))
	require.ElementsMatch(t, []string{"sex", "sex=female", "protection_concerns", "protection_concerns=separated",
		"protection_concerns=trafficked", "tally", "tally=boys", "age", "story", "story=x", "family_details_section",
		"family_details_section.relation", "family_details_section.relation=mother", "family_details_section.relation_age"}, terms)

	_, err := su.Exec(ctx, `insert into tenant_ke.records (id, record_type, short_id, module_id, data, created_by, updated_by, create_digest)
		select gen_random_uuid(), 'case', lpad(to_hex(i), 7, '0'), 'primeromodule-cp',
			jsonb_build_object('sex', case when i % 2 = 0 then 'female' else 'male' end, 'note', 'n' || i),
			'test', 'test', sha256(i::text::bytea)
		from generate_series(1, 5000) i`)
	require.NoError(t, err)
	_, err = su.Exec(ctx, `analyze tenant_ke.records`)
	require.NoError(t, err)
	rows, err := su.Query(ctx, `explain select count(*) from (select 1 from tenant_ke.records
		where record_type = 'case' and tenant_ke.record_data_terms(data) @> array['sex=unknown'] limit 10001) used`)
	require.NoError(t, err)
	var lines []string
	for rows.Next() {
		var l string
		require.NoError(t, rows.Scan(&l))
		lines = append(lines, l)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, fmt.Sprint(lines), "records_data_terms_idx", "plan: %v", lines)
}
