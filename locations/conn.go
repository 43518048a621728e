package locations

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Functions for other packages' tenant transactions: the forms validator
// (Refs, Levels) and configuration bundles (Export, Diff, Replace). Each
// checks the transaction subject's permission itself.

// Ref is what a form field needs to know about a location.
type Ref struct {
	AdminLevel int
	Disabled   bool
}

// Refs returns the admin level and disabled flag of each of codes that
// exists; unknown codes are absent from the map. Needs locations:read.
func Refs(ctx context.Context, c *tenancy.Conn, codes []string) (map[string]Ref, error) {
	if err := c.Authorize(PermRead); err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, "select code, admin_level, disabled from locations where code = any($1)", codes)
	if err != nil {
		return nil, err
	}
	out := map[string]Ref{}
	var code string
	var ref Ref
	_, err = pgx.ForEachRow(rows, []any{&code, &ref.AdminLevel, &ref.Disabled}, func() error {
		out[code] = ref
		return nil
	})
	return out, err
}

// Levels returns the admin level of each of codes that exists and is
// enabled (a value new record data may take); others are absent. Needs
// locations:read.
func Levels(ctx context.Context, c *tenancy.Conn, codes []string) (map[string]int, error) {
	refs, err := Refs(ctx, c, codes)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(refs))
	for code, r := range refs {
		if !r.Disabled {
			out[code] = r.AdminLevel
		}
	}
	return out, nil
}

// AdminLevels is Levels: with it, a *Service is what the forms validator
// asks which location codes exist, at which level (forms.Locations).
func (s *Service) AdminLevels(ctx context.Context, c *tenancy.Conn, codes []string) (map[string]int, error) {
	return Levels(ctx, c, codes)
}

// Export returns the whole hierarchy, each parent before its children (the
// order Replace takes). Needs locations:read.
func Export(ctx context.Context, c *tenancy.Conn) ([]Spec, error) {
	if err := c.Authorize(PermRead); err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, "select code, coalesce(parent_code, ''), admin_level, type, name, disabled from locations order by locations.path")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Spec, error) {
		var s Spec
		return s, r.Scan(&s.Code, &s.ParentCode, &s.AdminLevel, &s.Type, &s.Name, &s.Disabled)
	})
}

// Diff says what Replace(specs) would change, without changing anything: a
// configuration bundle's dry run. Invalid specs give a
// *tenancy.ValidationError. Needs locations:read.
func Diff(ctx context.Context, c *tenancy.Conn, specs []Spec) (Changes, error) {
	if err := c.Authorize(PermRead); err != nil {
		return Changes{}, err
	}
	pl, err := planSpecs(ctx, c, specs, modeReplace)
	if err != nil {
		return Changes{}, err
	}
	sum := pl.summary()
	// The refusal Replace would give: a dry run shows it.
	if err := refuseUsed(ctx, c, sum.Removed, false); err != nil {
		return Changes{}, err
	}
	return sum, nil
}

// Replace makes the hierarchy exactly specs: adds, changes and removes
// locations, all or nothing (a location records use cannot be removed:
// tenancy.ErrConflict). Invalid specs give a *tenancy.ValidationError naming
// each (locations[3].parent_code). Needs locations:write.
func Replace(ctx context.Context, c *tenancy.Conn, specs []Spec) (Changes, error) {
	if err := c.Authorize(PermWrite); err != nil {
		return Changes{}, err
	}
	return put(ctx, c, specs, modeReplace)
}

// Upsert adds and changes the locations of specs, leaving the others, all
// or nothing (invalid specs: *tenancy.ValidationError). It is how seed data
// (the demo tenant's places) is written.
func (s *Service) Upsert(ctx context.Context, tenant string, specs []Spec) (Changes, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return Changes{}, err
	}
	var out Changes
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = put(ctx, c, specs, modeUpsert)
		return err
	})
	return out, err
}

func put(ctx context.Context, c *tenancy.Conn, specs []Spec, m mode) (Changes, error) {
	if err := lock(ctx, c); err != nil {
		return Changes{}, err
	}
	pl, err := planSpecs(ctx, c, specs, m)
	if err != nil {
		return Changes{}, err
	}
	sum, err := pl.write(ctx, c, nil)
	if err != nil {
		return Changes{}, err
	}
	if len(sum.Added)+len(sum.Changed)+len(sum.Removed) > 0 {
		if err := configurationChanged(ctx, c, "locations"); err != nil {
			return Changes{}, err
		}
	}
	return sum, nil
}

// planSpecs plans specs, refusing them all if any is invalid.
func planSpecs(ctx context.Context, c *tenancy.Conn, specs []Spec, m mode) (*plan, error) {
	entries := make([]*entry, len(specs))
	for i, s := range specs {
		entries[i] = specEntry(s)
	}
	pl, err := newPlan(ctx, c, entries, m)
	if err != nil {
		return nil, err
	}
	var errs []tenancy.FieldError
	for i, e := range entries {
		if e.problem != nil {
			errs = append(errs, tenancy.FieldError{Path: fmt.Sprintf("locations[%d].%s", i, e.problem.field),
				Reason: e.problem.reason, Value: e.problem.value, Code: e.problem.code, Params: e.problem.params})
		}
	}
	if len(errs) > 0 {
		return nil, &tenancy.ValidationError{Title: "The locations are not valid.", Errors: errs}
	}
	return pl, nil
}

// RenameTx merges names into existing locations, code to locale to name
// (other locales keep theirs), inside the open transaction c: the one
// change translations make. Codes that name no location are left out; it
// returns the codes whose names changed, sorted, and bumps the
// configuration version when any did. Names are the caller's to check
// (1 to NameMax characters). Needs locations:write.
func RenameTx(ctx context.Context, c *tenancy.Conn, names map[string]map[string]string) ([]string, error) {
	if err := c.Authorize(PermWrite); err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, nil
	}
	if err := lock(ctx, c); err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(names))
	patches := make([]map[string]string, 0, len(names))
	for code, n := range names {
		codes = append(codes, code)
		patches = append(patches, n)
	}
	rows, err := c.Query(ctx, `update locations l set name = l.name || v.patch, updated_at = now()
		from (select unnest($1::text[]) as code, unnest($2::jsonb[]) as patch) v
		where l.code = v.code and not l.name @> v.patch
		returning l.code`, codes, patches)
	if err != nil {
		return nil, err
	}
	changed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	slices.Sort(changed)
	if len(changed) > 0 {
		if err := configurationChanged(ctx, c, "locations"); err != nil {
			return nil, err
		}
	}
	return changed, nil
}

// LockTx takes the tenant's locations lock in the open transaction c (held
// until it ends), as every change of locations does first: a caller that
// changes locations and the configuration in one transaction takes it
// before the configuration's lock, so the two never deadlock. Needs
// locations:write.
func LockTx(ctx context.Context, c *tenancy.Conn) error {
	if err := c.Authorize(PermWrite); err != nil {
		return err
	}
	return lock(ctx, c)
}
