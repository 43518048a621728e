package records

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	rowA = "aaaaaaaa-0000-4000-8000-000000000001"
	rowB = "bbbbbbbb-0000-4000-8000-000000000002"
	rowC = "cccccccc-0000-4000-8000-000000000003"
)

func jsonData(t testing.TB, s string) Data {
	t.Helper()
	var d Data
	require.NoError(t, json.Unmarshal([]byte(s), &d))
	return d
}

func isFamily(name string) bool { return name == "family" }

func TestApplyPatch(t *testing.T) {
	t.Parallel()
	current := `{"sex": "female", "age": 9, "family": [{"unique_id": "` + rowA + `", "relation": "mother", "age": 30},
		{"unique_id": "` + rowB + `", "relation": "father"}]}`
	for _, tc := range []struct {
		name, patch, want string
		errs              []string
	}{
		{"FieldReplaced", `{"sex": "male"}`, `{"sex": "male", "age": 9, "family": [{"unique_id": "` + rowA + `", "relation": "mother", "age": 30}, {"unique_id": "` + rowB + `", "relation": "father"}]}`, nil},
		{"NullRemoves", `{"age": null}`, `{"sex": "female", "family": [{"unique_id": "` + rowA + `", "relation": "mother", "age": 30}, {"unique_id": "` + rowB + `", "relation": "father"}]}`, nil},
		{"RowFieldsMerged", `{"family": [{"unique_id": "` + rowA + `", "age": 31, "relation": null}]}`,
			`{"sex": "female", "age": 9, "family": [{"unique_id": "` + rowA + `", "age": 31}, {"unique_id": "` + rowB + `", "relation": "father"}]}`, nil},
		{"RowDestroyed", `{"family": [{"unique_id": "` + rowB + `", "_destroy": true}]}`,
			`{"sex": "female", "age": 9, "family": [{"unique_id": "` + rowA + `", "relation": "mother", "age": 30}]}`, nil},
		{"LastRowDestroyedRemovesField", `{"family": [{"unique_id": "` + rowA + `", "_destroy": true}, {"unique_id": "` + rowB + `", "_destroy": true}]}`,
			`{"sex": "female", "age": 9}`, nil},
		{"DestroyUnknownRowIsNoOp", `{"family": [{"unique_id": "` + rowC + `", "_destroy": true}]}`, current, nil},
		{"RowAddedWithID", `{"family": [{"unique_id": "` + rowC + `", "relation": "aunt", "_destroy": false}]}`,
			`{"sex": "female", "age": 9, "family": [{"unique_id": "` + rowA + `", "relation": "mother", "age": 30}, {"unique_id": "` + rowB + `", "relation": "father"}, {"unique_id": "` + rowC + `", "relation": "aunt"}]}`, nil},
		{"BadRows", `{"family": ["x", {"unique_id": "NOT-A-UUID"}, {"_destroy": true}, {"unique_id": "` + rowA + `", "_destroy": "yes"}]}`, current,
			[]string{"data.family[0]", "data.family[1].unique_id", "data.family[2]", "data.family[3]._destroy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cur := jsonData(t, current)
			before := cloneData(cur)
			got, errs := applyPatch(cur, jsonData(t, tc.patch), isFamily)
			paths := []string{}
			for _, e := range errs {
				paths = append(paths, e.Path)
			}
			require.ElementsMatch(t, tc.errs, paths)
			require.Equal(t, jsonData(t, tc.want), got)
			require.Equal(t, before, cur, "current is not changed")
		})
	}

	t.Run("NewRowGetsAnID", func(t *testing.T) {
		t.Parallel()
		patch := jsonData(t, `{"family": [{"relation": "sister"}]}`)
		got, errs := applyPatch(jsonData(t, current), patch, isFamily)
		require.Empty(t, errs)
		rows := got["family"].([]any)
		require.Len(t, rows, 3)
		id := rows[2].(map[string]any)["unique_id"].(string)
		require.True(t, isUUID(id), id)
		require.Equal(t, id, patch["family"].([]any)[0].(map[string]any)["unique_id"], "the patch's row learns its id")
	})
}

func TestDiffAndUndo(t *testing.T) {
	t.Parallel()
	old := jsonData(t, `{"sex": "female", "name_first": "Amina", "family": [{"unique_id": "`+rowA+`", "relation": "mother", "age": 30},
		{"unique_id": "`+rowB+`", "relation": "father"}]}`)
	new := jsonData(t, `{"sex": "female", "age": 9, "family": [{"unique_id": "`+rowA+`", "relation": "mother", "age": 31},
		{"unique_id": "`+rowC+`", "relation": "aunt"}]}`)
	changes := diff(old, new, isFamily)
	require.Equal(t, []FieldChange{
		{Path: "age", To: 9.0},
		{Path: "family[" + rowB + "]", Op: OpRemove, From: map[string]any{"unique_id": rowB, "relation": "father"}},
		{Path: "family[" + rowC + "]", Op: OpAdd, To: map[string]any{"unique_id": rowC, "relation": "aunt"}},
		{Path: "family[" + rowA + "].age", From: 30.0, To: 31.0},
		{Path: "name_first", From: "Amina"},
	}, changes)
	require.Equal(t, old, normaliseRows(undo(new, changes)), "undo gives back the old data")
	forward := cloneData(old)
	for _, c := range changes {
		applyChange(forward, c)
	}
	require.Equal(t, normaliseRows(new), normaliseRows(forward))

	require.Empty(t, diff(old, old, isFamily))
	reordered := cloneData(old)
	rows := reordered["family"].([]any)
	rows[0], rows[1] = rows[1], rows[0]
	require.Empty(t, diff(old, reordered, isFamily), "row order alone is not a change")

	t.Run("CoreAttributesAreNotData", func(t *testing.T) {
		t.Parallel()
		d := jsonData(t, `{"sex": "male"}`)
		require.Equal(t, d, undo(d, []FieldChange{{Path: "record_state", From: true, To: false}, {Path: "hidden_name", From: false, To: true}}))
	})
}

// normaliseRows orders every row list by unique_id, so data can be compared
// whatever the rows' order.
func normaliseRows(d Data) Data {
	out := cloneData(d)
	for k, v := range out {
		if rows, ok := v.([]any); ok {
			slices.SortFunc(rows, func(a, b any) int {
				ra, _ := a.(map[string]any)
				rb, _ := b.(map[string]any)
				return strings.Compare(rowID(ra), rowID(rb))
			})
			out[k] = rows
		}
	}
	return out
}

func TestConflicts(t *testing.T) {
	t.Parallel()
	base := jsonData(t, `{"sex": "female", "risk_level": "low", "family": [{"unique_id": "`+rowA+`", "relation": "mother", "age": 30},
		{"unique_id": "`+rowB+`", "relation": "father", "age": 40}]}`)
	edit := func(patch string) []FieldChange {
		next, errs := applyPatch(base, jsonData(t, patch), isFamily)
		require.Empty(t, errs)
		return diff(base, next, isFamily)
	}
	for _, tc := range []struct {
		name, theirs, yours string
		want                []Conflict
	}{
		{"DifferentFields", `{"sex": "male"}`, `{"risk_level": "high"}`, nil},
		{"SameChange", `{"sex": "male"}`, `{"sex": "male"}`, nil},
		{"SameField", `{"sex": "male"}`, `{"sex": "other"}`, []Conflict{{Path: "sex", Base: "female", Theirs: "male", Yours: "other"}}},
		{"RemovedAndChanged", `{"risk_level": null}`, `{"risk_level": "high"}`, []Conflict{{Path: "risk_level", Base: "low", Theirs: nil, Yours: "high"}}},
		{"DifferentRows", `{"family": [{"unique_id": "` + rowA + `", "age": 31}]}`, `{"family": [{"unique_id": "` + rowB + `", "age": 41}]}`, nil},
		{"DifferentFieldsOfARow", `{"family": [{"unique_id": "` + rowA + `", "age": 31}]}`, `{"family": [{"unique_id": "` + rowA + `", "relation": "aunt"}]}`, nil},
		{"SameFieldOfARow", `{"family": [{"unique_id": "` + rowA + `", "age": 31}]}`, `{"family": [{"unique_id": "` + rowA + `", "age": 32}]}`,
			[]Conflict{{Path: "family[" + rowA + "].age", Base: 30.0, Theirs: 31.0, Yours: 32.0}}},
		{"BothRemovedARow", `{"family": [{"unique_id": "` + rowA + `", "_destroy": true}]}`, `{"family": [{"unique_id": "` + rowA + `", "_destroy": true}]}`, nil},
		{"BothAddedRows", `{"family": [{"unique_id": "` + rowC + `", "relation": "aunt"}]}`, `{"family": [{"relation": "uncle"}]}`, nil},
		{"TheyRemovedARowYouChanged", `{"family": [{"unique_id": "` + rowA + `", "_destroy": true}]}`, `{"family": [{"unique_id": "` + rowA + `", "age": 31}]}`,
			[]Conflict{{Path: "family[" + rowA + "].age", Base: 30.0, Theirs: nil, Yours: 31.0, Reason: "the row was removed since your base version"}}},
		{"YouRemovedARowTheyChanged", `{"family": [{"unique_id": "` + rowA + `", "age": 31}]}`, `{"family": [{"unique_id": "` + rowA + `", "_destroy": true}]}`,
			[]Conflict{{Path: "family[" + rowA + "].age", Base: 30.0, Theirs: 31.0, Yours: nil,
				Reason: "you removed the row, whose age was changed since your base version"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, conflicts(edit(tc.theirs), edit(tc.yours)))
		})
	}
}

// mergeModel merges like Service.Update: yours (a patch on base) applied
// on current when it does not conflict with theirs (base → current).
func mergeModel(base, current, patch Data, subform func(string) bool) (Data, []Conflict, bool) {
	mine, errs := applyPatch(base, patch, subform)
	if len(errs) > 0 {
		return nil, nil, false
	}
	yours := diff(base, mine, subform)
	if cs := conflicts(diff(base, current, subform), yours); len(cs) > 0 {
		return nil, cs, true
	}
	next := cloneData(current)
	for _, y := range yours {
		applyChange(next, y)
	}
	return next, nil, true
}

// FuzzMerge checks the merge code on arbitrary JSON: no panic, diff and undo
// are inverses, and a merge without conflicts keeps every change of both
// sides (nothing is silently overwritten).
func FuzzMerge(f *testing.F) {
	f.Add(`{"sex": "female", "family": [{"unique_id": "`+rowA+`", "age": 3}]}`,
		`{"sex": "male"}`, `{"family": [{"unique_id": "`+rowA+`", "age": 4}, {"relation": "aunt"}]}`)
	f.Add(`{"a": 1, "f": [{"unique_id": "`+rowA+`"}, {"unique_id": "`+rowB+`", "x": [1, {"y": null}]}]}`,
		`{"f": [{"unique_id": "`+rowB+`", "_destroy": true}]}`, `{"f": [{"unique_id": "`+rowB+`", "x": 2}], "a": null}`)
	f.Add(`{}`, `{"f": "x"}`, `{"f": [{"unique_id": 3}]}`)
	f.Add(`{"f": [1, 2]}`, `{"f": [{"_destroy": true}]}`, `{"f": null}`)
	f.Fuzz(func(t *testing.T, baseJSON, theirsJSON, yoursJSON string) {
		var base, theirsPatch, yoursPatch Data
		if json.Unmarshal([]byte(baseJSON), &base) != nil || json.Unmarshal([]byte(theirsJSON), &theirsPatch) != nil ||
			json.Unmarshal([]byte(yoursJSON), &yoursPatch) != nil || base == nil || theirsPatch == nil || yoursPatch == nil {
			return
		}
		if !fieldNames(base) || !fieldNames(theirsPatch) || !fieldNames(yoursPatch) {
			return // keys that are no field names never pass validation
		}
		base = withoutNulls(base)
		subform := shapeSubforms(base, theirsPatch, yoursPatch)
		current, errs := applyPatch(base, theirsPatch, subform)
		if len(errs) > 0 {
			return
		}
		theirs := diff(base, current, subform)
		if !rowIDsUnique(base) || !rowIDsUnique(current) {
			return // ids are unique within a subform (the validator refuses duplicates)
		}
		require.Equal(t, normaliseRows(base), normaliseRows(undo(current, theirs)), "undo(diff) gives back the base")
		patch := cloneData(yoursPatch)
		merged, cs, ok := mergeModel(base, current, patch, subform) // gives patch's new rows their ids
		if !ok || len(cs) > 0 {
			return
		}
		mine, _ := applyPatch(base, patch, subform)
		yours := diff(base, mine, subform)
		final := diff(base, merged, subform)
		for _, y := range yours {
			require.Contains(t, pathsOf(final, y), y.Path, "your change %+v is kept", y)
		}
		yourPaths := map[string]bool{}
		for _, y := range yours {
			yourPaths[y.Path] = true
		}
		for _, th := range theirs {
			if !yourPaths[th.Path] && !coveredByRow(th.Path, yourPaths) {
				require.Contains(t, pathsOf(final, th), th.Path, "their change %+v is kept", th)
			}
		}
	})
}

// pathsOf lists the paths of changes that have the same outcome as c.
func pathsOf(changes []FieldChange, c FieldChange) []string {
	var out []string
	for _, x := range changes {
		if x.Path == c.Path && x.Op == c.Op && reflect.DeepEqual(normaliseValue(x.To), normaliseValue(c.To)) {
			out = append(out, x.Path)
		}
	}
	return out
}

func normaliseValue(v any) any {
	if m, ok := v.(map[string]any); ok {
		return normaliseRows(m)
	}
	return v
}

// coveredByRow: a change of a row's field that the other side's row
// addition or removal supersedes.
func coveredByRow(p string, paths map[string]bool) bool {
	pp := parsePath(p)
	return pp.sub != "" && paths[rowPath(pp.field, pp.row)]
}

// fieldNames reports whether d's keys, and its rows' keys, are field names.
func fieldNames(d Data) bool {
	for k, v := range d {
		if !fieldNameRE(k) {
			return false
		}
		if list, ok := v.([]any); ok {
			for _, x := range list {
				if row, ok := x.(map[string]any); ok {
					for rk := range row {
						if rk != rowMark && !fieldNameRE(rk) {
							return false
						}
					}
				}
			}
		}
	}
	return true
}

func withoutNulls(d Data) Data {
	out := Data{}
	for k, v := range d {
		if v != nil {
			out[k] = v
		}
	}
	return out
}

func rowIDsUnique(d Data) bool {
	for _, v := range d {
		rows, ok := rowsOf(v)
		if !ok {
			continue
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if seen[rowID(r)] {
				return false
			}
			seen[rowID(r)] = true
		}
	}
	return true
}
