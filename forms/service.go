package forms

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Permissions of the configuration (declared in policy.Catalog).
var (
	PermFormsRead          = policy.Permission{Resource: "forms", Action: "read"}
	PermFormsWrite         = policy.Permission{Resource: "forms", Action: "write"}
	PermLookupsRead        = policy.Permission{Resource: "lookups", Action: "read"}
	PermLookupsWrite       = policy.Permission{Resource: "lookups", Action: "write"}
	PermConfigurationRead  = policy.Permission{Resource: "configuration", Action: "read"}
	PermConfigurationWrite = policy.Permission{Resource: "configuration", Action: "write"}
)

// CacheSizeDefault is Config.CacheSize's default.
const CacheSizeDefault = 1024

// Config configures a Service.
type Config struct {
	// Locations checks location codes of record data; nil checks their form only.
	Locations Locations
	// CacheSize bounds how many compiled validators (and, separately,
	// tenants' configurations) a Service keeps; when full the cache starts
	// afresh. Defaults to CacheSizeDefault.
	CacheSize int
	// Now is the clock of date checks and calculated ages. Defaults to time.Now.
	Now func() time.Time
}

// Service is the configuration of every tenant: reads, changes, bundles and
// the validators compiled from it. One per process: it caches each tenant's
// configuration and validators by configuration version, and every call
// reads the tenant's current version first, so a change made by any server
// applies at this server's next call. Safe for concurrent use.
type Service struct {
	p     *tenancy.Platform
	cfg   Config
	usage UsageFunc

	mu         sync.Mutex
	snaps      map[string]*snapshot // tenant -> latest configuration loaded
	schemas    map[schemaKey]*schema
	validators map[validatorKey]*Validator
}

type schemaKey struct {
	tenant             string
	version            int64
	recordType, module string
}

type validatorKey struct {
	schemaKey
	role string
}

// New returns a Service on platform p.
func New(p *tenancy.Platform, cfg Config) *Service {
	cfg.CacheSize = cmp.Or(cfg.CacheSize, CacheSizeDefault)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{p: p, cfg: cfg, usage: RecordsUse, snaps: map[string]*snapshot{},
		schemas: map[schemaKey]*schema{}, validators: map[validatorKey]*Validator{}}
}

// VersionSQL is the tenant's configuration version as an SQL expression.
// A domain that reads a row in a call's transaction may select it beside
// and give it to NoteVersion: the Validator calls of that transaction then
// use it instead of reading the version in a statement of their own.
const VersionSQL = "(select version from configuration)"

// versionNote is the tenancy.Conn note of the configuration version.
type versionNote struct{}

// NoteVersion tells the later Validator calls of transaction c the
// configuration version read in c (VersionSQL). The transaction must not
// change the configuration afterwards (changes made through this package
// forget the note).
func NoteVersion(c *tenancy.Conn, version int64) { c.Note(versionNote{}, version) }

// current returns the tenant's configuration as c sees it: the cached one
// if its version is current, else loaded afresh. The version is read in c,
// or was (NoteVersion).
func (s *Service) current(ctx context.Context, c *tenancy.Conn) (*snapshot, error) {
	var version int64
	if v, ok := c.Noted(versionNote{}); ok {
		version = v.(int64)
	} else {
		var err error
		if version, err = readVersion(ctx, c.Tx); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	snap := s.snaps[c.Tenant()]
	s.mu.Unlock()
	if snap != nil && snap.version == version {
		return snap, nil
	}
	snap, err := load(ctx, c.Tx, false)
	if err != nil {
		return nil, err
	}
	s.remember(c.Tenant(), snap)
	return snap, nil
}

// remember caches snap as the tenant's configuration unless a newer one is
// cached, and forgets what was compiled from older versions.
func (s *Service) remember(tenant string, snap *snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.snaps[tenant]; old != nil && old.version >= snap.version {
		return
	}
	if len(s.snaps) >= s.cfg.CacheSize {
		clear(s.snaps)
	}
	s.snaps[tenant] = snap
	for k := range s.schemas {
		if k.tenant == tenant && k.version < snap.version {
			delete(s.schemas, k)
		}
	}
	for k := range s.validators {
		if k.tenant == tenant && k.version < snap.version {
			delete(s.validators, k)
		}
	}
}

// Validator returns the validator of recordType in module for the subject
// of c at the tenant's current configuration version: compiled once per
// (version, record type, module, role) and cached. Named system actors
// write every form. Records call it inside their own transaction, after
// authorizing their own operation.
func (s *Service) Validator(ctx context.Context, c *tenancy.Conn, recordType, module string) (*Validator, error) {
	snap, err := s.current(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.validator(c.Tenant(), snap, c.Subject(), recordType, module)
}

// ValidatorForRole is Validator for role instead of the subject's own: how
// the receiver of a referral reads a case, through the referral's access
// role (package workflow).
func (s *Service) ValidatorForRole(ctx context.Context, c *tenancy.Conn, recordType, module, role string) (*Validator, error) {
	snap, err := s.current(ctx, c)
	if err != nil {
		return nil, err
	}
	sub := c.Subject()
	sub.Kind, sub.Roles = policy.KindUser, []string{role}
	return s.validator(c.Tenant(), snap, sub, recordType, module)
}

func (s *Service) validator(tenant string, snap *snapshot, sub policy.Subject, recordType, module string) (*Validator, error) {
	var access map[string]string
	role := ""
	if sub.Kind != policy.KindSystem {
		access = map[string]string{} // a subject without a role reads and writes nothing
		if len(sub.Roles) > 0 {
			role = sub.Roles[0]
			maps.Copy(access, snap.bundle.Roles[role])
		}
	}
	sk := schemaKey{tenant: tenant, version: snap.version, recordType: recordType, module: module}
	vk := validatorKey{schemaKey: sk, role: role}
	if sub.Kind == policy.KindSystem {
		vk.role = "\x00system"
	}
	s.mu.Lock()
	v, sc := s.validators[vk], s.schemas[sk]
	s.mu.Unlock()
	if v != nil {
		return v, nil
	}
	if sc == nil {
		var err error
		if sc, err = compileSchema(snap, recordType, module); err != nil {
			return nil, err
		}
	}
	v = newValidator(sc, access, role, s.cfg.Now, s.cfg.Locations)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.validators) >= s.cfg.CacheSize {
		clear(s.validators)
		clear(s.schemas)
	}
	s.schemas[sk] = sc
	s.validators[vk] = v
	return v, nil
}

// ValidateParams is what Validate checks.
type ValidateParams struct {
	RecordType string
	ModuleID   string
	// Data is a record's data, as the caller would write it on a new record.
	Data map[string]any
}

// ValidateResult is the outcome of Validate.
type ValidateResult struct {
	Valid bool `json:"valid"`
	// Errors lists every problem; empty when valid.
	Errors []tenancy.FieldError `json:"-"`
	// Calculated holds the values of the record's calculated fields.
	Calculated map[string]any `json:"calculated"`
	// Version is the configuration version the data was checked against.
	Version int64 `json:"configuration_version"`
}

// Validate checks record data against the configuration as the acting
// subject would write it (forms:read): every problem at once.
func (s *Service) Validate(ctx context.Context, code string, in ValidateParams) (ValidateResult, error) {
	if err := s.p.Authorize(ctx, code, PermFormsRead); err != nil {
		return ValidateResult{}, err
	}
	if !slices.Contains(RecordTypes, in.RecordType) {
		return ValidateResult{}, &tenancy.InvalidError{Field: "record_type", Value: in.RecordType, Reason: "must be case, tracing_request or incident"}
	}
	var out ValidateResult
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		v, err := s.Validator(ctx, c, in.RecordType, in.ModuleID)
		if err != nil {
			return err
		}
		out.Version = v.Version()
		out.Errors, err = v.ValidateTx(ctx, c, nil, in.Data)
		if err != nil {
			return err
		}
		calc := v.Calculate(in.Data)
		out.Calculated = map[string]any{}
		for _, f := range v.s.order {
			if x, ok := calc[f.Name]; ok && f.Type == TypeCalculated {
				out.Calculated[f.Name] = x
			}
		}
		return nil
	})
	out.Valid = len(out.Errors) == 0
	return out, err
}

// ListFormsParams filters ListForms.
type ListFormsParams struct {
	RecordType string // "" for all
	ModuleID   string // "" for all
}

// ListForms lists forms in display order (form group, order, unique_id).
// Callers who may change forms (forms:write) see every form; others see
// the forms their role reads, with the nested forms of their subforms.
func (s *Service) ListForms(ctx context.Context, code string, in ListFormsParams) ([]Form, error) {
	if err := s.p.Authorize(ctx, code, PermFormsRead); err != nil {
		return nil, err
	}
	all := s.p.Authorize(ctx, code, PermFormsWrite) == nil
	var out []Form
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		snap, err := s.current(ctx, c)
		if err != nil {
			return err
		}
		visible := visibleForms(snap.bundle, c.Subject(), all)
		for _, f := range sortedForms(snap.bundle.Forms) {
			if visible(f.UniqueID) && (in.RecordType == "" || f.ParentForm == in.RecordType) &&
				(in.ModuleID == "" || slices.Contains(f.ModuleIDs, in.ModuleID)) {
				out = append(out, *f)
			}
		}
		return nil
	})
	return out, err
}

// FormAccess returns the caller's role's access to each form (form
// unique_id to "r" or "rw"), so a client shows a form it reads but does not
// write read-only; nested forms follow their subform's form and are not
// listed. Empty for a subject without a role.
func (s *Service) FormAccess(ctx context.Context, code string) (map[string]string, error) {
	if err := s.p.Authorize(ctx, code, PermFormsRead); err != nil {
		return nil, err
	}
	out := map[string]string{}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		snap, err := s.current(ctx, c)
		if err != nil {
			return err
		}
		if roles := c.Subject().Roles; len(roles) > 0 {
			maps.Copy(out, snap.bundle.Roles[roles[0]])
		}
		return nil
	})
	return out, err
}

// visibleForms returns whether the subject sees a form.
func visibleForms(b *Bundle, sub policy.Subject, all bool) func(string) bool {
	if all || sub.Kind == policy.KindSystem {
		return func(string) bool { return true }
	}
	seen := map[string]bool{}
	if len(sub.Roles) > 0 {
		for form := range b.Roles[sub.Roles[0]] {
			seen[form] = true
			if i := b.form(form); i >= 0 {
				for _, fd := range b.Forms[i].Fields {
					if fd.Type == TypeSubform {
						seen[fd.SubformSectionUniqueID] = true
					}
				}
			}
		}
	}
	return func(id string) bool { return seen[id] }
}

// GetForm returns a form by unique_id; a form the caller does not see is
// not found.
func (s *Service) GetForm(ctx context.Context, code, id string) (Form, error) {
	if err := s.p.Authorize(ctx, code, PermFormsRead); err != nil {
		return Form{}, err
	}
	all := s.p.Authorize(ctx, code, PermFormsWrite) == nil
	var out Form
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		snap, err := s.current(ctx, c)
		if err != nil {
			return err
		}
		i := snap.bundle.form(id)
		if i < 0 || !visibleForms(snap.bundle, c.Subject(), all)(id) {
			return tenancy.ErrNotFound
		}
		out = snap.bundle.clone().Forms[i]
		return nil
	})
	return out, err
}

// FormPatch changes a form; nil attributes stay. Fields, when given,
// replace the form's fields: add, change, reorder and hide (visible:
// false) fields by sending the whole list. unique_id, parent_form,
// is_nested and core_form cannot change: they may be sent (e.g. a whole
// form read before) only with their current values.
type FormPatch struct {
	UniqueID       *string  `json:"unique_id,omitempty" doc:"Cannot change; accepted when equal."`
	ParentForm     *string  `json:"parent_form,omitempty" doc:"Cannot change; accepted when equal."`
	IsNested       *bool    `json:"is_nested,omitempty" doc:"Cannot change; accepted when equal."`
	CoreForm       *bool    `json:"core_form,omitempty" doc:"Cannot change; accepted when equal."`
	ModuleIDs      []string `json:"module_ids,omitempty"`
	FormGroupID    *string  `json:"form_group_id,omitempty"`
	FormGroupName  Text     `json:"form_group_name,omitempty"`
	Name           Text     `json:"name,omitempty"`
	Description    Text     `json:"description,omitempty"`
	Order          *int     `json:"order,omitempty"`
	OrderFormGroup *int     `json:"order_form_group,omitempty"`
	Visible        *bool    `json:"visible,omitempty"`
	Fields         []Field  `json:"fields,omitempty" doc:"The whole list of fields, in order."`
}

func (p FormPatch) empty() bool {
	return p.UniqueID == nil && p.ParentForm == nil && p.IsNested == nil && p.CoreForm == nil && p.ModuleIDs == nil &&
		p.FormGroupID == nil && p.FormGroupName == nil && p.Name == nil && p.Description == nil && p.Order == nil &&
		p.OrderFormGroup == nil && p.Visible == nil && p.Fields == nil
}

func (p FormPatch) apply(f *Form) []tenancy.FieldError {
	var bad []tenancy.FieldError
	if p.UniqueID != nil && *p.UniqueID != f.UniqueID {
		bad = append(bad, tenancy.FieldError{Path: "unique_id", Reason: "cannot be changed", Value: *p.UniqueID})
	}
	if p.ParentForm != nil && *p.ParentForm != f.ParentForm {
		bad = append(bad, tenancy.FieldError{Path: "parent_form", Reason: "cannot be changed", Value: *p.ParentForm})
	}
	if p.IsNested != nil && *p.IsNested != f.IsNested {
		bad = append(bad, tenancy.FieldError{Path: "is_nested", Reason: "cannot be changed", Value: *p.IsNested})
	}
	if p.CoreForm != nil && *p.CoreForm != f.CoreForm {
		bad = append(bad, tenancy.FieldError{Path: "core_form", Reason: "cannot be changed", Value: *p.CoreForm})
	}
	if p.ModuleIDs != nil {
		f.ModuleIDs = p.ModuleIDs
	}
	if p.FormGroupID != nil {
		f.FormGroupID = *p.FormGroupID
	}
	if p.FormGroupName != nil {
		f.FormGroupName = p.FormGroupName
	}
	if p.Name != nil {
		f.Name = p.Name
	}
	if p.Description != nil {
		f.Description = p.Description
	}
	if p.Order != nil {
		f.Order = *p.Order
	}
	if p.OrderFormGroup != nil {
		f.OrderFormGroup = *p.OrderFormGroup
	}
	if p.Visible != nil {
		f.Visible = p.Visible
	}
	if p.Fields != nil {
		f.Fields = p.Fields
	}
	return bad
}

// CreateForm adds a form (forms:write). Core forms come only from the
// default configuration and bundles.
func (s *Service) CreateForm(ctx context.Context, code string, f Form) (Form, error) {
	res, err := s.change(ctx, code, PermFormsWrite, focus{list: "forms", id: f.UniqueID, blame: "fields"}, false,
		func(b *Bundle) error {
			if b.form(f.UniqueID) >= 0 {
				return fmt.Errorf("%w: a form %s already exists", tenancy.ErrConflict, f.UniqueID)
			}
			if f.CoreForm {
				return invalid("The form is not valid.", tenancy.FieldError{Path: "core_form", Value: true,
					Reason: "core forms come only from the default configuration"})
			}
			b.Forms = append(b.Forms, f)
			return nil
		})
	if err != nil {
		return Form{}, err
	}
	return res.after.Forms[res.after.form(f.UniqueID)], nil
}

// UpdateForm changes a form (forms:write).
func (s *Service) UpdateForm(ctx context.Context, code, id string, p FormPatch) (Form, error) {
	if p.empty() {
		return Form{}, &tenancy.InvalidError{Field: "", Reason: "give at least one attribute to change"}
	}
	res, err := s.change(ctx, code, PermFormsWrite, focus{list: "forms", id: id, blame: "fields"}, false,
		func(b *Bundle) error {
			i := b.form(id)
			if i < 0 {
				return tenancy.ErrNotFound
			}
			if bad := p.apply(&b.Forms[i]); len(bad) > 0 {
				return invalid("The form is not valid.", bad...)
			}
			return nil
		})
	if err != nil {
		return Form{}, err
	}
	return res.after.Forms[res.after.form(id)], nil
}

// DeleteForm removes a form (forms:write), and the roles' access to it. Core
// forms, nested forms used by a subform and forms whose fields other forms
// or records use cannot be removed (ErrConflict, saying why).
func (s *Service) DeleteForm(ctx context.Context, code, id string) error {
	_, err := s.change(ctx, code, PermFormsWrite, focus{list: "forms", id: id, deleting: true}, false, func(b *Bundle) error {
		i := b.form(id)
		if i < 0 {
			return tenancy.ErrNotFound
		}
		if b.Forms[i].CoreForm {
			return fmt.Errorf("%w: %s is a core form: core forms cannot be deleted (hide it with visible: false)", tenancy.ErrConflict, id)
		}
		b.Forms = slices.Delete(b.Forms, i, i+1)
		for _, access := range b.Roles {
			delete(access, id)
		}
		return nil
	})
	return err
}

// ListLookups lists lookups by unique_id (lookups:read).
func (s *Service) ListLookups(ctx context.Context, code string) ([]Lookup, error) {
	var out []Lookup
	err := s.read(ctx, code, PermLookupsRead, func(b *Bundle) error {
		out = b.Lookups
		return nil
	})
	return out, err
}

// GetLookup returns a lookup by unique_id (lookups:read).
func (s *Service) GetLookup(ctx context.Context, code, id string) (Lookup, error) {
	var out Lookup
	err := s.read(ctx, code, PermLookupsRead, func(b *Bundle) error {
		i := b.lookup(id)
		if i < 0 {
			return tenancy.ErrNotFound
		}
		out = b.Lookups[i]
		return nil
	})
	return out, err
}

// LookupPatch changes a lookup; nil attributes stay. Values, when given,
// replace the options: disable an option that records use rather than
// removing it.
type LookupPatch struct {
	Name   Text     `json:"name,omitempty"`
	Values []Option `json:"values,omitempty" doc:"The whole list of options, in order."`
}

// CreateLookup adds a lookup (lookups:write).
func (s *Service) CreateLookup(ctx context.Context, code string, l Lookup) (Lookup, error) {
	res, err := s.change(ctx, code, PermLookupsWrite, focus{list: "lookups", id: l.UniqueID, blame: "values"}, false,
		func(b *Bundle) error {
			if b.lookup(l.UniqueID) >= 0 {
				return fmt.Errorf("%w: a lookup %s already exists", tenancy.ErrConflict, l.UniqueID)
			}
			b.Lookups = append(b.Lookups, l)
			return nil
		})
	if err != nil {
		return Lookup{}, err
	}
	return res.after.Lookups[res.after.lookup(l.UniqueID)], nil
}

// UpdateLookup changes a lookup (lookups:write).
func (s *Service) UpdateLookup(ctx context.Context, code, id string, p LookupPatch) (Lookup, error) {
	if p.Name == nil && p.Values == nil {
		return Lookup{}, &tenancy.InvalidError{Field: "", Reason: "give name or values"}
	}
	res, err := s.change(ctx, code, PermLookupsWrite, focus{list: "lookups", id: id, blame: "values"}, false,
		func(b *Bundle) error {
			i := b.lookup(id)
			if i < 0 {
				return tenancy.ErrNotFound
			}
			if p.Name != nil {
				b.Lookups[i].Name = p.Name
			}
			if p.Values != nil {
				b.Lookups[i].Values = p.Values
			}
			return nil
		})
	if err != nil {
		return Lookup{}, err
	}
	return res.after.Lookups[res.after.lookup(id)], nil
}

// DeleteLookup removes a lookup that no form uses (lookups:write).
func (s *Service) DeleteLookup(ctx context.Context, code, id string) error {
	_, err := s.change(ctx, code, PermLookupsWrite, focus{list: "lookups", id: id, deleting: true}, false, func(b *Bundle) error {
		i := b.lookup(id)
		if i < 0 {
			return tenancy.ErrNotFound
		}
		b.Lookups = slices.Delete(b.Lookups, i, i+1)
		return nil
	})
	return err
}

// ListModules lists the modules with their options (forms:read).
func (s *Service) ListModules(ctx context.Context, code string) ([]ModuleConfig, error) {
	var out []ModuleConfig
	err := s.read(ctx, code, PermFormsRead, func(b *Bundle) error {
		out = b.Modules
		return nil
	})
	return out, err
}

// GetModule returns a module by unique_id (forms:read).
func (s *Service) GetModule(ctx context.Context, code, id string) (ModuleConfig, error) {
	var out ModuleConfig
	err := s.read(ctx, code, PermFormsRead, func(b *Bundle) error {
		i := b.module(id)
		if i < 0 {
			return tenancy.ErrNotFound
		}
		out = b.Modules[i]
		return nil
	})
	return out, err
}

// ModulePatch changes a module; nil attributes stay. Options, when given,
// replace them all.
type ModulePatch struct {
	Name    Text           `json:"name,omitempty"`
	Options *ModuleOptions `json:"options,omitempty"`
}

// UpdateModule changes a module's name or options (forms:write).
func (s *Service) UpdateModule(ctx context.Context, code, id string, p ModulePatch) (ModuleConfig, error) {
	if p.Name == nil && p.Options == nil {
		return ModuleConfig{}, &tenancy.InvalidError{Field: "", Reason: "give name or options"}
	}
	res, err := s.change(ctx, code, PermFormsWrite, focus{list: "modules", id: id, blame: "options"}, false,
		func(b *Bundle) error {
			i := b.module(id)
			if i < 0 {
				return tenancy.ErrNotFound
			}
			if p.Name != nil {
				b.Modules[i].Name = p.Name
			}
			if p.Options != nil {
				b.Modules[i].Options = *p.Options
			}
			return nil
		})
	if err != nil {
		return ModuleConfig{}, err
	}
	return res.after.Modules[res.after.module(id)], nil
}

// Export returns the whole configuration as a bundle, and its version
// (configuration:read).
func (s *Service) Export(ctx context.Context, code string) (Bundle, int64, error) {
	if err := s.p.Authorize(ctx, code, PermConfigurationRead); err != nil {
		return Bundle{}, 0, err
	}
	var out Bundle
	var version int64
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		snap, err := s.current(ctx, c)
		if err != nil {
			return err
		}
		out, version = *snap.bundle.clone(), snap.version
		out.Locations, err = locations.Export(ctx, c)
		if out.Locations == nil {
			out.Locations = []locations.Spec{}
		}
		return err
	})
	return out, version, err
}

// ImportOptions says how Import applies a bundle.
type ImportOptions struct {
	// DryRun checks the bundle and lists the changes without applying them.
	DryRun bool
	// IfVersion, if set, applies the bundle only if the configuration is
	// still at this version (else ErrVersionMismatch).
	IfVersion *int64
}

// ErrVersionMismatch means the configuration changed since the version the
// caller based its change on.
var ErrVersionMismatch = errors.New("the configuration changed since that version")

// ImportResult is what an import did, or would do.
type ImportResult struct {
	DryRun bool `json:"dry_run"`
	// Version is the configuration version after the import (the current
	// one for a dry run, or when nothing changed).
	Version int64    `json:"configuration_version"`
	Changes []Change `json:"changes"`
}

// Import makes the tenant's configuration the bundle's, all or nothing
// (configuration:write, and locations:write for the locations): forms and
// lookups it lacks are removed (core forms cannot be), the others created
// or replaced; the modules it lists get its names and options (it cannot add
// modules); the roles it lists get its form access, other roles keep theirs
// (without forms removed); the location hierarchy becomes its locations
// (package locations). Every problem is a 422 naming its path under
// "data."; a dry run changes nothing and lists the changes.
func (s *Service) Import(ctx context.Context, code string, b Bundle, opts ImportOptions) (ImportResult, error) {
	// Locations first: package locations takes its own lock before the
	// configuration's (as its own changes do), so the two never deadlock.
	pre := func(ctx context.Context, c *tenancy.Conn) ([]Change, []tenancy.FieldError, error) {
		if opts.IfVersion != nil {
			v, err := readVersion(ctx, c.Tx)
			if err != nil {
				return nil, nil, err
			}
			if v != *opts.IfVersion {
				return nil, nil, ErrVersionMismatch
			}
		}
		specs := b.Locations
		if specs == nil {
			specs = []locations.Spec{}
		}
		var sum locations.Changes
		var err error
		if opts.DryRun {
			sum, err = locations.Diff(ctx, c, specs)
		} else {
			sum, err = locations.Replace(ctx, c, specs)
		}
		if ve := (*tenancy.ValidationError)(nil); errors.As(err, &ve) {
			problems := make([]tenancy.FieldError, len(ve.Errors))
			for i, e := range ve.Errors {
				problems[i] = tenancy.FieldError{Path: "data." + e.Path, Reason: e.Reason, Value: e.Value, Code: e.Code, Params: e.Params}
			}
			return nil, problems, nil
		} else if err != nil {
			return nil, nil, err
		}
		var changes []Change
		for _, l := range []struct {
			op    string
			codes []string
		}{{"added", sum.Added}, {"changed", sum.Changed}, {"removed", sum.Removed}} {
			for _, code := range l.codes {
				changes = append(changes, Change{Kind: "location", ID: code, Op: l.op})
			}
		}
		return changes, nil, nil
	}
	res, err := s.changeWith(ctx, code, PermConfigurationWrite, focus{prefix: "data."}, opts.DryRun, pre, func(cur *Bundle) error {
		next := *(&b).clone()
		for _, m := range cur.Modules {
			if next.module(m.UniqueID) < 0 {
				next.Modules = append(next.Modules, m)
			}
		}
		if next.Roles == nil {
			next.Roles = map[string]map[string]string{}
		}
		for role, access := range cur.Roles {
			if _, listed := next.Roles[role]; listed {
				continue
			}
			kept := map[string]string{}
			for form, a := range access {
				if i := next.form(form); i >= 0 && !next.Forms[i].IsNested {
					kept[form] = a
				}
			}
			next.Roles[role] = kept
		}
		*cur = next
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return ImportResult{DryRun: opts.DryRun, Version: res.version, Changes: res.changes}, nil
}

// read runs fn on the tenant's current configuration (after perm).
func (s *Service) read(ctx context.Context, code string, perm policy.Permission, fn func(b *Bundle) error) error {
	if err := s.p.Authorize(ctx, code, perm); err != nil {
		return err
	}
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		snap, err := s.current(ctx, c)
		if err != nil {
			return err
		}
		return fn(snap.bundle.clone())
	})
}

type changeResult struct {
	version int64
	changes []Change
	after   *Bundle
}

// change is every configuration change: in one tenant transaction it locks
// the configuration, lets edit change a copy of it, checks the result
// (every problem at once, reported by f), refuses to remove what records
// use, writes the difference, bumps the version and records the changes in
// the audit log. A dry run stops before writing. Nothing changes unless all
// of it succeeds.
func (s *Service) change(ctx context.Context, code string, perm policy.Permission, f focus, dryRun bool,
	edit func(b *Bundle) error) (changeResult, error) {
	return s.changeWith(ctx, code, perm, f, dryRun, nil, edit)
}

// preFunc is a first step of a change, in its transaction before the
// configuration is locked (Import's locations, which take their own lock
// first): the changes it made (or would make, in a dry run) and the
// problems it found, reported with the configuration's.
type preFunc func(ctx context.Context, c *tenancy.Conn) ([]Change, []tenancy.FieldError, error)

func (s *Service) changeWith(ctx context.Context, code string, perm policy.Permission, f focus, dryRun bool,
	pre preFunc, edit func(b *Bundle) error) (changeResult, error) {
	if err := s.p.Authorize(ctx, code, perm); err != nil {
		return changeResult{}, err
	}
	var res changeResult
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		res, err = s.changeIn(ctx, c, perm, f, dryRun, pre, edit)
		return err
	})
	if err != nil {
		return changeResult{}, err
	}
	if !dryRun && len(res.changes) > 0 {
		s.remember(code, &snapshot{version: res.version, bundle: res.after})
	}
	return res, nil
}

// changeIn is a change inside the open transaction c (see change).
func (s *Service) changeIn(ctx context.Context, c *tenancy.Conn, perm policy.Permission, f focus, dryRun bool,
	pre preFunc, edit func(b *Bundle) error) (changeResult, error) {
	var res changeResult
	err := func() error {
		var preChanges []Change
		var preProblems []tenancy.FieldError
		if pre != nil {
			var err error
			if preChanges, preProblems, err = pre(ctx, c); err != nil {
				return err
			}
		}
		before, err := load(ctx, c.Tx, true)
		if err != nil {
			return err
		}
		after := before.bundle.clone()
		after.loadedVersion = before.version
		if err := edit(after); err != nil {
			return err
		}
		after = after.clone() // shares nothing with what the caller sent
		after.normalize()
		if i := after.form(f.id); f.list == "forms" && i >= 0 {
			// The form sent goes last: a field name it shares with another
			// form is reported on it, not on the other form.
			sent := after.Forms[i]
			after.Forms = append(slices.Delete(after.Forms, i, i+1), sent)
		}
		after.Locations = nil // owned by package locations (pre), never cached here
		deleting := f.deleting
		if bad := append(preProblems, f.errors(before.bundle, after)...); len(bad) > 0 {
			if deleting {
				return conflict(f, bad)
			}
			return invalid(titles[f.list], bad...)
		}
		used, err := s.usage(ctx, c, removedUses(before.bundle, after))
		if err != nil {
			return err
		}
		if len(used) > 0 {
			bad := f.useErrors(before.bundle, used)
			if deleting {
				return conflict(f, bad)
			}
			return invalid(titles[f.list], bad...)
		}
		after.sort()
		changes := diff(before.bundle, after)
		res = changeResult{version: before.version, changes: append(preChanges, changes...), after: after}
		if dryRun || len(changes) == 0 {
			return c.AuditChange(ctx, perm.String(), map[string]any{"configuration_version": before.version,
				"dry_run": dryRun, "changes": compactChanges(res.changes)})
		}
		c.Forget(versionNote{}) // the version read before this change is stale
		if res.version, err = write(ctx, c.Tx, before.bundle, after); err != nil {
			return err
		}
		if err := refreshFilters(ctx, c, before.bundle, after); err != nil {
			return err
		}
		return c.AuditChange(ctx, perm.String(), map[string]any{"configuration_version": res.version,
			"changes": compactChanges(res.changes)})
	}()
	if err != nil {
		return changeResult{}, err
	}
	return res, nil
}

// BundleTx returns the tenant's configuration as the open transaction c sees
// it (without locations), and its version: for packages that read it with
// other data in one transaction (translations). Needs forms:read and
// lookups:read. The bundle is the caller's to change.
func (s *Service) BundleTx(ctx context.Context, c *tenancy.Conn) (*Bundle, int64, error) {
	for _, p := range []policy.Permission{PermFormsRead, PermLookupsRead} {
		if err := c.Authorize(p); err != nil {
			return nil, 0, err
		}
	}
	snap, err := s.current(ctx, c)
	if err != nil {
		return nil, 0, err
	}
	return snap.bundle.clone(), snap.version, nil
}

// ErrNotLabels refuses a RelabelTx edit that changed more than translated texts.
var ErrNotLabels = errors.New("a relabelling may change only translated texts")

// RelabelTx changes translated texts (names, labels, help texts, option
// labels...) of the configuration inside the open transaction c, as every
// change does: locked, checked whole, only what differs written, version
// bumped, audited (action forms:write). edit receives the current
// configuration and changes it in place; anything it changes besides
// translated texts refuses the whole edit (ErrNotLabels). Needs forms:write
// and lookups:write. The service's cache learns the new version at its next
// call (after c commits; nothing is cached if it rolls back).
func (s *Service) RelabelTx(ctx context.Context, c *tenancy.Conn, edit func(b *Bundle) error) (int64, []Change, error) {
	for _, p := range []policy.Permission{PermFormsWrite, PermLookupsWrite} {
		if err := c.Authorize(p); err != nil {
			return 0, nil, err
		}
	}
	res, err := s.changeIn(ctx, c, PermFormsWrite, focus{list: "labels"}, false, nil, func(b *Bundle) error {
		before := b.clone()
		if err := edit(b); err != nil {
			return err
		}
		if !same(withoutTexts(before), withoutTexts(b.clone())) {
			return ErrNotLabels
		}
		return nil
	})
	return res.version, res.changes, err
}

// withoutTexts clears every translated text of b (a copy): what is left is
// what a relabelling must not change.
func withoutTexts(b *Bundle) *Bundle {
	opts := func(os []Option) {
		for i := range os {
			os[i].DisplayText = nil
		}
	}
	for i := range b.Modules {
		b.Modules[i].Name = nil
	}
	for i := range b.Lookups {
		b.Lookups[i].Name = nil
		opts(b.Lookups[i].Values)
	}
	for i := range b.Forms {
		f := &b.Forms[i]
		f.Name, f.Description, f.FormGroupName = nil, nil, nil
		for j := range f.Fields {
			fd := &f.Fields[j]
			fd.DisplayName, fd.HelpText, fd.GuidingQuestions, fd.TickBoxLabel = nil, nil, nil, nil
			opts(fd.OptionStringsText)
			opts(fd.Tally)
		}
	}
	return b
}

var titles = map[string]string{
	"":        "The configuration bundle is not valid.",
	"forms":   "The form is not valid.",
	"lookups": "The lookup is not valid.",
	"modules": "The module is not valid.",
	"labels":  "The translated texts are not valid.",
}

func invalid(title string, errs ...tenancy.FieldError) error {
	return &tenancy.ValidationError{Title: title, Errors: errs}
}

// conflict explains why an item cannot be deleted.
func conflict(f focus, bad []tenancy.FieldError) error {
	return &DeleteRefusedError{Kind: strings.TrimSuffix(f.list, "s"), ID: f.id, Reasons: bad}
}

// DeleteRefusedError refuses deleting a form or a lookup that other
// configuration or records still use (tenancy.ErrConflict, problem code
// in_use): Reasons are the uses, each a coded FieldError whose reason the
// catalogue words, so that a client reads them one by one and the API words
// the whole refusal in the caller's language (docs/errors.md).
type DeleteRefusedError struct {
	Kind    string // "form" or "lookup"
	ID      string
	Reasons []tenancy.FieldError
}

func (e *DeleteRefusedError) Error() string {
	reasons := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		reasons[i] = r.Reason
	}
	return tenancy.ErrConflict.Error() + ": " + e.Kind + " " + e.ID + " cannot be deleted: " + strings.Join(reasons, "; ")
}

func (e *DeleteRefusedError) Unwrap() error { return tenancy.ErrConflict }
