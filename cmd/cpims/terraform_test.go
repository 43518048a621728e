package main

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/stretchr/testify/require"
)

func TestSummarisePlan(t *testing.T) {
	t.Parallel()
	change := func(actions ...tfjson.Action) *tfjson.ResourceChange {
		return &tfjson.ResourceChange{Change: &tfjson.Change{Actions: actions}}
	}
	for _, tc := range []struct {
		name      string
		plan      *tfjson.Plan
		add       int
		change    int
		destroy   int
		countries map[string]country
		err       string
	}{
		{
			name: "CountsLikeTerraform",
			plan: &tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				change(tfjson.ActionCreate), change(tfjson.ActionCreate), change(tfjson.ActionUpdate),
				change(tfjson.ActionDelete), change(tfjson.ActionDelete, tfjson.ActionCreate),
				change(tfjson.ActionCreate, tfjson.ActionDelete), change(tfjson.ActionNoop), change(tfjson.ActionRead),
				{Change: nil},
			}},
			add: 4, change: 1, destroy: 3,
		},
		{
			name: "ReadsCountries",
			plan: &tfjson.Plan{PlannedValues: &tfjson.StateValues{Outputs: map[string]*tfjson.StateOutput{
				"countries": {Value: map[string]any{"ke": map[string]any{"name": "Kenya", "locales": []any{"en", "sw"}}}},
			}}},
			countries: map[string]country{"ke": {Name: "Kenya", Locales: []string{"en", "sw"}}},
		},
		{
			name: "NoCountriesOutput",
			plan: &tfjson.Plan{PlannedValues: &tfjson.StateValues{Outputs: map[string]*tfjson.StateOutput{"urls": {Value: "x"}}}},
		},
		{
			name: "MalformedCountries",
			plan: &tfjson.Plan{PlannedValues: &tfjson.StateValues{Outputs: map[string]*tfjson.StateOutput{
				"countries": {Value: []any{"ke"}},
			}}},
			err: `output "countries" must be a map of tenant code to {name, locales}, not ["ke"]`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := summarisePlan(tc.plan)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, [3]int{tc.add, tc.change, tc.destroy}, [3]int{p.Add, p.Change, p.Destroy})
			require.Equal(t, tc.countries, p.Countries)
		})
	}
}

func TestIndentWriter(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	w := &indentWriter{w: &b, prefix: "  "}
	_, _ = w.Write([]byte("one\ntw"))
	_, _ = w.Write([]byte("o\n\nthree"))
	require.Equal(t, "  one\n  two\n  \n", b.String())
	w.flush()
	require.Equal(t, "  one\n  two\n  \n  three\n", b.String())
}

func TestDeclaredCodes(t *testing.T) {
	t.Parallel()
	require.Equal(t, "none", declaredCodes(nil))
	require.Equal(t, "ke, so", declaredCodes(map[string]country{"so": {}, "ke": {}}))
}
