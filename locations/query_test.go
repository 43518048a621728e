package locations_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// demo is a small hierarchy with a skipped level (DL01C1, a camp under a region).
var demo = []locations.Spec{
	{Code: "DL", AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Demoland", "fr": "Démolande", "ar": "ديمولاند"}},
	{Code: "DL01", ParentCode: "DL", AdminLevel: 1, Type: "region", Name: map[string]string{"en": "North", "fr": "Nord", "ar": "الشمال"}},
	{Code: "DL02", ParentCode: "DL", AdminLevel: 1, Type: "region", Name: map[string]string{"en": "Coast", "fr": "Côte", "ar": "الساحل"}},
	{Code: "DL0101", ParentCode: "DL01", AdminLevel: 2, Type: "district", Name: map[string]string{"en": "Amara"}},
	{Code: "DL0102", ParentCode: "DL01", AdminLevel: 2, Type: "district", Name: map[string]string{"en": "Belcor"}, Disabled: true},
	{Code: "DL0201", ParentCode: "DL02", AdminLevel: 2, Type: "district", Name: map[string]string{"en": "Sirvane"}},
	{Code: "DL0101C1", ParentCode: "DL0101", AdminLevel: 3, Type: "camp", Name: map[string]string{"en": "Riverside camp"}},
	{Code: "DL01C1", ParentCode: "DL01", AdminLevel: 3, Type: "camp", Name: map[string]string{"en": "Hilltop camp", "fr": "Camp de la colline"}},
}

func codes(ls []locations.Location) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.Code)
	}
	return out
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := admin()
	ch, err := b.svc.Upsert(ctx, "ke", demo)
	require.NoError(t, err)
	require.Len(t, ch.Added, len(demo))
	for _, tc := range []struct {
		name  string
		f     locations.Filter
		want  []string
		total int
	}{
		{"All", locations.Filter{}, []string{"DL", "DL01", "DL0101", "DL0101C1", "DL0102", "DL01C1", "DL02", "DL0201"}, 8},
		{"Level", locations.Filter{AdminLevel: new(1)}, []string{"DL01", "DL02"}, 2},
		{"Children", locations.Filter{Parent: "DL01"}, []string{"DL0101", "DL0102", "DL01C1"}, 3},
		{"Subtree", locations.Filter{Subtree: "DL01"}, []string{"DL01", "DL0101", "DL0101C1", "DL0102", "DL01C1"}, 5},
		{"SubtreeAtLevel", locations.Filter{Subtree: "DL01", AdminLevel: new(3)}, []string{"DL0101C1", "DL01C1"}, 2},
		{"UnknownSubtree", locations.Filter{Subtree: "ZZ"}, []string{}, 0},
		{"NameInFrench", locations.Filter{Query: "colline"}, []string{"DL01C1"}, 1},
		{"NameAnyCase", locations.Filter{Query: "CAMP"}, []string{"DL0101C1", "DL01C1"}, 2},
		{"NameInArabic", locations.Filter{Query: "الساحل"}, []string{"DL02"}, 1},
		{"CodePrefix", locations.Filter{Query: "dl02"}, []string{"DL02", "DL0201"}, 2},
		{"WildcardsAreLiteral", locations.Filter{Query: "%"}, []string{}, 0},
		{"Enabled", locations.Filter{Subtree: "DL01", Disabled: new(false)}, []string{"DL01", "DL0101", "DL0101C1", "DL01C1"}, 4},
		{"Page", locations.Filter{Page: 2, Per: 3}, []string{"DL0101C1", "DL0102", "DL01C1"}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := b.svc.List(ctx, "ke", tc.f)
			require.NoError(t, err)
			require.Equal(t, tc.want, codes(got))
			require.Equal(t, tc.total, total)
		})
	}
}

func TestBundleFunctions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	prov := policy.WithSubject(context.Background(), policy.System(policy.ActorProvisioner))
	_, err := b.p.Create(prov, tenancy.CreateParams{Code: "so", Name: "so", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, b.p.Provision(prov, "so"))
	ctx := admin()
	_, err = b.svc.Upsert(ctx, "ke", demo)
	require.NoError(t, err)
	in := func(code string, fn func(context.Context, *tenancy.Conn) error) {
		t.Helper()
		require.NoError(t, b.p.Tx(ctx, code, fn))
	}
	export := func(code string) []byte {
		var specs []locations.Spec
		in(code, func(ctx context.Context, c *tenancy.Conn) error {
			var err error
			specs, err = locations.Export(ctx, c)
			return err
		})
		out, err := json.Marshal(specs)
		require.NoError(t, err)
		return out
	}

	t.Run("RefsAndLevels", func(t *testing.T) {
		in("ke", func(ctx context.Context, c *tenancy.Conn) error {
			refs, err := locations.Refs(ctx, c, []string{"DL01", "DL0102", "NOPE"})
			require.NoError(t, err)
			require.Equal(t, map[string]locations.Ref{"DL01": {AdminLevel: 1}, "DL0102": {AdminLevel: 2, Disabled: true}}, refs)
			levels, err := locations.Levels(ctx, c, []string{"DL01", "DL0102", "DL0101C1", "NOPE"})
			require.NoError(t, err)
			require.Equal(t, map[string]int{"DL01": 1, "DL0101C1": 3}, levels, "disabled and unknown codes are absent")
			viaService, err := b.svc.AdminLevels(ctx, c, []string{"DL01", "DL0102", "DL0101C1", "NOPE"})
			require.NoError(t, err)
			require.Equal(t, levels, viaService)
			return nil
		})
	})

	t.Run("RoundTrip", func(t *testing.T) {
		first := export("ke")
		var specs []locations.Spec
		require.NoError(t, json.Unmarshal(first, &specs))
		require.Len(t, specs, len(demo))
		require.Equal(t, "DL", specs[0].Code, "parents first")
		in("so", func(ctx context.Context, c *tenancy.Conn) error {
			diff, err := locations.Diff(ctx, c, specs)
			require.NoError(t, err)
			require.Len(t, diff.Added, len(demo))
			require.Empty(t, diff.Changed)
			return nil
		})
		var n int
		in("so", func(ctx context.Context, c *tenancy.Conn) error {
			return c.QueryRow(ctx, "select count(*) from locations").Scan(&n)
		})
		require.Zero(t, n, "a diff changes nothing")
		in("so", func(ctx context.Context, c *tenancy.Conn) error {
			ch, err := locations.Replace(ctx, c, specs)
			require.NoError(t, err)
			require.Len(t, ch.Added, len(demo))
			return nil
		})
		require.JSONEq(t, string(first), string(export("so")))
		in("so", func(ctx context.Context, c *tenancy.Conn) error {
			ch, err := locations.Replace(ctx, c, specs)
			require.NoError(t, err)
			require.Equal(t, locations.Changes{Added: []string{}, Changed: []string{}, Removed: []string{}, Unchanged: len(demo)}, ch)
			return nil
		})
	})

	t.Run("ReplaceRemovesChangesAndMoves", func(t *testing.T) {
		specs := []locations.Spec{demo[0], demo[1], demo[2], demo[3], demo[6]}
		specs[3].ParentCode = "DL02" // Amara moves to the coast, with its camp
		in("so", func(ctx context.Context, c *tenancy.Conn) error {
			ch, err := locations.Replace(ctx, c, specs)
			require.NoError(t, err)
			require.Equal(t, []string{"DL0102", "DL01C1", "DL0201"}, ch.Removed)
			require.Equal(t, []string{"DL0101", "DL0101C1"}, ch.Changed)
			return nil
		})
		var paths []string
		in("so", func(ctx context.Context, c *tenancy.Conn) error {
			rows, err := c.Query(ctx, "select path::text from locations order by path")
			require.NoError(t, err)
			for rows.Next() {
				var p string
				require.NoError(t, rows.Scan(&p))
				paths = append(paths, p)
			}
			return rows.Err()
		})
		require.Equal(t, []string{"DL", "DL.DL01", "DL.DL02", "DL.DL02.DL0101", "DL.DL02.DL0101.DL0101C1"}, paths)
	})

	t.Run("InvalidSpecsChangeNothing", func(t *testing.T) {
		before := export("so")
		bad := []locations.Spec{demo[0], {Code: "X1", ParentCode: "NOPE", AdminLevel: 1, Name: map[string]string{"en": "X"}},
			{Code: "X2", ParentCode: "DL", AdminLevel: 0, Name: map[string]string{"en": "X"}}, demo[0]}
		err := b.p.Tx(ctx, "so", func(ctx context.Context, c *tenancy.Conn) error {
			_, err := locations.Replace(ctx, c, bad)
			return err
		})
		var ve *tenancy.ValidationError
		require.ErrorAs(t, err, &ve)
		var paths []string
		for _, fe := range ve.Errors {
			paths = append(paths, fe.Path)
		}
		require.Equal(t, []string{"locations[1].parent_code", "locations[2].admin_level", "locations[3].code"}, paths)
		require.Equal(t, string(before), string(export("so")))
	})

	t.Run("NeedsPermission", func(t *testing.T) {
		reader := policy.WithSubject(context.Background(), policy.System(policy.ActorAuthenticator))
		err := b.p.Tx(reader, "so", func(ctx context.Context, c *tenancy.Conn) error {
			_, err := locations.Replace(ctx, c, demo)
			return err
		})
		require.ErrorIs(t, err, tenancy.ErrForbidden)
	})
}
