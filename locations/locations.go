package locations

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Permissions of the use cases (declared in policy.Catalog).
var (
	PermRead  = policy.Permission{Resource: "locations", Action: "read"}
	PermWrite = policy.Permission{Resource: "locations", Action: "write"}
)

// Limits.
const (
	// MaxAdminLevel is the deepest admin level (0 is the country).
	MaxAdminLevel = 5
	// PerMax is the largest page of a list.
	PerMax = 1000
	// PerDefault is the page size when none is given.
	PerDefault = 100
	// NameMax is the longest name, in characters.
	NameMax = 200
)

// Location is a place of the tenant's hierarchy.
type Location struct {
	ID         string            `json:"id" doc:"Stable internal id (audit log); records refer to the code."`
	Code       string            `json:"code" example:"DL0102"`
	Name       map[string]string `json:"name" doc:"The name by locale." example:"{\"en\":\"Amara\",\"ar\":\"أمارا\"}"`
	AdminLevel int               `json:"admin_level" minimum:"0" maximum:"5"`
	Type       string            `json:"type" example:"district"`
	ParentCode string            `json:"parent_code,omitempty" doc:"Absent for a root (usually the country)."`
	Hierarchy  []string          `json:"hierarchy" doc:"Codes from the root down to this location, itself included." example:"[\"DL\",\"DL01\",\"DL0102\"]"`
	Disabled   bool              `json:"disabled" doc:"A disabled location stays valid in existing records but is not offered for new ones."`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// Spec defines a location without its bookkeeping: what a configuration
// bundle carries, and what Replace and Diff take.
type Spec struct {
	Code       string            `json:"code"`
	ParentCode string            `json:"parent_code,omitempty"`
	AdminLevel int               `json:"admin_level"`
	Type       string            `json:"type,omitempty"`
	Name       map[string]string `json:"name"`
	Disabled   bool              `json:"disabled,omitempty"`
}

// Service runs the locations use cases of every tenant.
type Service struct {
	p *tenancy.Platform
}

// New returns the service working through p.
func New(p *tenancy.Platform) *Service { return &Service{p: p} }

const columns = "id, code, name, admin_level, type, coalesce(parent_code, ''), path::text, disabled, created_at, updated_at"

func scan(r pgx.Row) (Location, error) {
	var l Location
	var path string
	err := r.Scan(&l.ID, &l.Code, &l.Name, &l.AdminLevel, &l.Type, &l.ParentCode, &path, &l.Disabled, &l.CreatedAt, &l.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, tenancy.ErrNotFound
	}
	l.Hierarchy = strings.Split(path, ".")
	return l, err
}

// Filter selects locations to list. Zero fields select everything.
type Filter struct {
	// AdminLevel, if set, keeps this level only.
	AdminLevel *int
	// Parent keeps the direct children of this code.
	Parent string
	// Subtree keeps this location and all below it.
	Subtree string
	// Query keeps locations whose name, in any locale, contains it
	// (case-insensitive), or whose code starts with it.
	Query string
	// Disabled, if set, keeps only disabled (true) or enabled (false) locations.
	Disabled *bool
	// Page (from 1) and Per select a page; Per defaults to PerDefault and
	// is at most PerMax.
	Page, Per int
}

// page normalises a page request.
func page(p, per int) (int, int) {
	if per <= 0 {
		per = PerDefault
	}
	return max(p, 1), min(per, PerMax)
}

// List lists the locations matching f in hierarchy order (each parent before
// its children), with the number matching in all pages.
func (s *Service) List(ctx context.Context, tenant string, f Filter) ([]Location, int, error) {
	if err := s.p.Authorize(ctx, tenant, PermRead); err != nil {
		return nil, 0, err
	}
	countSQL, listSQL, args := listQueries(f)
	var out []Location
	var total int
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, countSQL, args[:len(args)-2]...).Scan(&total); err != nil {
			return err
		}
		rows, err := c.Query(ctx, listSQL, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Location, error) { return scan(r) })
		return err
	})
	return out, total, err
}

// listQueries builds List's queries: the count (taking all args but the
// last two) and the page (taking all args).
func listQueries(f Filter) (countSQL, listSQL string, args []any) {
	f.Page, f.Per = page(f.Page, f.Per)
	var where []string
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.AdminLevel != nil {
		where = append(where, "admin_level = "+arg(*f.AdminLevel))
	}
	if f.Parent != "" {
		where = append(where, "parent_code = "+arg(f.Parent))
	}
	if f.Subtree != "" {
		// An initplan: the subtree's root is read once, then the GiST index answers.
		where = append(where, "path <@ (select path from locations where code = "+arg(f.Subtree)+")")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		p := arg("%" + likeEscape(q) + "%")
		cond := "(code ilike " + arg(likeEscape(q)+"%") + " or exists (select from jsonb_each_text(name) n where n.value ilike " + p + "))"
		// The trigram index (locations_search_idx) narrows the rows first. It
		// covers the code and the names as jsonb's text, where only quotes,
		// backslashes and control characters are escaped: such a query skips it.
		if !strings.ContainsFunc(q, func(r rune) bool { return r == '"' || r == '\\' || r < ' ' }) {
			cond = "(code || ' ' || name::text) ilike " + p + " and " + cond
		}
		where = append(where, cond)
	}
	if f.Disabled != nil {
		where = append(where, "disabled = "+arg(*f.Disabled))
	}
	cond := ""
	if len(where) > 0 {
		cond = " where " + strings.Join(where, " and ")
	}
	countSQL = "select count(*) from locations" + cond
	listSQL = "select " + columns + " from locations" + cond + " order by locations.path limit " + arg(f.Per) + " offset " + arg((f.Page-1)*f.Per)
	return countSQL, listSQL, args
}

// likeEscape escapes the LIKE wildcards of s (the default escape is \).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Get returns the location with this code.
func (s *Service) Get(ctx context.Context, tenant, code string) (Location, error) {
	if err := s.p.Authorize(ctx, tenant, PermRead); err != nil {
		return Location{}, err
	}
	var out Location
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		if out, err = get(ctx, c, code); err == nil {
			c.AuditRecord(ctx, auditRecordType, out.ID)
		}
		return err
	})
	return out, err
}

func get(ctx context.Context, c *tenancy.Conn, code string) (Location, error) {
	return scan(c.QueryRow(ctx, "select "+columns+" from locations where code = $1", code))
}

// auditRecordType names locations in the audit log.
const auditRecordType = "location"

// Create adds a location. A code already taken is tenancy.ErrConflict; bad
// input is a *tenancy.InvalidError naming the field.
func (s *Service) Create(ctx context.Context, tenant string, in Spec) (Location, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return Location{}, err
	}
	var out Location
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		if err := lock(ctx, c); err != nil {
			return err
		}
		if _, err := get(ctx, c, in.Code); err == nil {
			return fmt.Errorf("%w: a location with code %s already exists", tenancy.ErrConflict, in.Code)
		} else if !errors.Is(err, tenancy.ErrNotFound) {
			return err
		}
		e := specEntry(in)
		e.replaceName = true
		if err := applyOne(ctx, c, e); err != nil {
			return err
		}
		var err error
		if out, err = get(ctx, c, in.Code); err != nil {
			return err
		}
		c.AuditRecord(ctx, auditRecordType, out.ID)
		return configurationChanged(ctx, c, "locations")
	})
	return out, err
}

// Patch changes a location; nil fields stay as they are. The code never changes.
type Patch struct {
	// Name replaces the whole translated name.
	Name       map[string]string
	AdminLevel *int
	Type       *string
	// ParentCode moves the location (and everything below it); "" makes it a root.
	ParentCode *string
	Disabled   *bool
}

// Update changes the location with this code. Moving it moves its subtree;
// a change that would leave a child at or above its parent's level is refused.
func (s *Service) Update(ctx context.Context, tenant, code string, in Patch) (Location, error) {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return Location{}, err
	}
	var out Location
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		if err := lock(ctx, c); err != nil {
			return err
		}
		cur, err := get(ctx, c, code)
		if err != nil {
			return err
		}
		c.AuditRecord(ctx, auditRecordType, cur.ID)
		e := &entry{code: cur.Code, parent: cur.ParentCode, level: cur.AdminLevel, name: maps.Clone(in.Name), replaceName: in.Name != nil,
			typ: in.Type, disabled: in.Disabled}
		if in.Name != nil && len(in.Name) == 0 {
			return &tenancy.InvalidError{Field: "name", Reason: "give the name in at least one language, e.g. {\"en\": \"...\"}"}
		}
		if in.AdminLevel != nil {
			e.level = *in.AdminLevel
		}
		if in.ParentCode != nil {
			e.parent = *in.ParentCode
		}
		if err := applyOne(ctx, c, e); err != nil {
			return err
		}
		if out, err = get(ctx, c, code); err != nil {
			return err
		}
		if !out.UpdatedAt.Equal(cur.UpdatedAt) {
			return configurationChanged(ctx, c, "locations")
		}
		return nil
	})
	return out, err
}

// Delete removes a location that nothing uses: one with child locations, or
// used by records, is refused (tenancy.ErrConflict); disable it instead.
func (s *Service) Delete(ctx context.Context, tenant, code string) error {
	if err := s.p.Authorize(ctx, tenant, PermWrite); err != nil {
		return err
	}
	return s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		if err := lock(ctx, c); err != nil {
			return err
		}
		cur, err := get(ctx, c, code)
		if err != nil {
			return err
		}
		c.AuditRecord(ctx, auditRecordType, cur.ID)
		var children int
		if err := c.QueryRow(ctx, "select count(*) from locations where parent_code = $1", code).Scan(&children); err != nil {
			return err
		}
		if children == 1 {
			return fmt.Errorf("%w: location %s has a child location: move or delete it first, or disable location %s", tenancy.ErrConflict, code, code)
		}
		if children > 1 {
			return fmt.Errorf("%w: location %s has %d child locations: move or delete them first, or disable it", tenancy.ErrConflict, code, children)
		}
		if err := refuseUsed(ctx, c, []string{code}, true); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, "delete from locations where code = $1", code); err != nil {
			return err
		}
		return configurationChanged(ctx, c, "locations")
	})
}

// applyOne plans and writes one entry, turning a refusal into an InvalidError.
func applyOne(ctx context.Context, c *tenancy.Conn, e *entry) error {
	pl, err := newPlan(ctx, c, []*entry{e}, modeUpsert)
	if err != nil {
		return err
	}
	if e.problem != nil {
		return &tenancy.InvalidError{Field: e.problem.field, Value: e.problem.value, Reason: e.problem.reason,
			Code: e.problem.code, Params: e.problem.params}
	}
	_, err = pl.write(ctx, c, nil)
	return err
}

// lock serialises the tenant's location changes (an import plans against the
// hierarchy it read; a concurrent change must wait until it commits).
func lock(ctx context.Context, c *tenancy.Conn) error {
	_, err := c.Exec(ctx, "select pg_advisory_xact_lock(hashtext('cpims.locations.' || $1))", c.Tenant())
	return err
}

// inUse reports how many records refer to each of codes (codes no record
// uses are left out), counting at most UseCountLimit+1 records per code.
// Records hold location codes in the data of their location fields,
// top-level or in subform rows; which fields those are is read from the
// configuration (table forms of package forms: this package cannot import
// it). Each term "<field>=<code>" of a record type is one probe of the GIN
// index of record_data_terms(data) (migration 015_records_data_terms),
// bounded by the limit; the search columns (location_current,
// traces.location_last) are copies of the same data.
func inUse(ctx context.Context, c *tenancy.Conn, codes []string) (map[string]int, error) {
	out := map[string]int{}
	if len(codes) == 0 {
		return out, nil
	}
	rows, err := c.Query(ctx, `
		select p.parent_form, fld ->> 'name'
		from forms p cross join lateral jsonb_array_elements(p.definition -> 'fields') fld
		where not p.is_nested and fld ->> 'type' = 'location'
		union
		select p.parent_form, (sf ->> 'name') || '.' || (nf ->> 'name')
		from forms p cross join lateral jsonb_array_elements(p.definition -> 'fields') sf
		join forms n on n.unique_id = sf ->> 'subform_section_unique_id'
		cross join lateral jsonb_array_elements(n.definition -> 'fields') nf
		where not p.is_nested and sf ->> 'type' = 'subform' and nf ->> 'type' = 'location'
		order by 1, 2`)
	if err != nil {
		return nil, err
	}
	fields := map[string][]string{} // record type -> location field paths
	var recordType, path string
	if _, err := pgx.ForEachRow(rows, []any{&recordType, &path}, func() error {
		fields[recordType] = append(fields[recordType], path)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading the location fields: %w", err)
	}
	for _, rt := range slices.Sorted(maps.Keys(fields)) {
		terms := make([]string, 0, len(codes)*len(fields[rt]))
		for _, f := range fields[rt] {
			for _, code := range codes {
				terms = append(terms, f+"="+code)
			}
		}
		// One bounded probe per term: a limit over all the terms together
		// would leave the later codes uncounted once the first passed it.
		rows, err := c.Query(ctx, `select t, n from unnest($2::text[]) t
			cross join lateral (select count(*) n from (
				select from records where record_type = $1 and record_data_terms(data) @> array[t] limit $3) r) c
			where n > 0`, rt, terms, UseCountLimit+1)
		if err != nil {
			return nil, err
		}
		var term string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&term, &n}, func() error {
			_, code, _ := strings.Cut(term, "=")
			out[code] = min(out[code]+n, UseCountLimit+1)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("counting records that use locations: %w", err)
		}
	}
	return out, nil
}

// configurationChanged records that the tenant's configuration changed, once
// per use case: it bumps the configuration version (table configuration of
// package forms, migration 008), as every configuration change does, so
// exported bundles and cached validators are renewed. Plain SQL: this
// package does not import forms (forms imports locations). Callers hold the
// locations lock first, then this takes the configuration's row lock, the
// order forms' bundle imports follow too.
func configurationChanged(ctx context.Context, c *tenancy.Conn, _ string) error {
	_, err := c.Exec(ctx, "update configuration set version = version + 1, updated_at = now()")
	return err
}
