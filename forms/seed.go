package forms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/forms/defaults"
	"github.com/cpims-hosted/cpims/tenancy"
)

// LoadDefaults reads the default CPIMS+ configuration (package
// forms/defaults) as a bundle, without checking it (Seed does). Each file
// is decoded strictly: an unknown attribute is an error naming the file.
func LoadDefaults() (*Bundle, error) {
	return loadBundleFS(defaults.FS)
}

func loadBundleFS(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{Format: BundleFormat}
	for _, part := range []struct {
		file string
		dst  any
	}{{"modules.json", &b.Modules}, {"lookups.json", &b.Lookups}, {"roles.json", &b.Roles}} {
		if err := decodeFile(fsys, part.file, part.dst); err != nil {
			return nil, err
		}
	}
	for _, rt := range RecordTypes {
		files, err := fs.Glob(fsys, path.Join("forms", rt, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, file := range files {
			var f Form
			if err := decodeFile(fsys, file, &f); err != nil {
				return nil, err
			}
			if f.ParentForm != rt {
				return nil, fmt.Errorf("%s: parent_form is %q, but the file is under forms/%s", file, f.ParentForm, rt)
			}
			if want := strings.TrimSuffix(path.Base(file), ".json"); f.UniqueID != want {
				return nil, fmt.Errorf("%s: unique_id is %q: name the file after it (%s.json)", file, f.UniqueID, f.UniqueID)
			}
			b.Forms = append(b.Forms, f)
		}
	}
	b.normalize()
	b.sort()
	return b, nil
}

func decodeFile(fsys fs.FS, file string, dst any) error {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if dec.More() {
		return fmt.Errorf("%s: more than one JSON value", file)
	}
	return nil
}

// CheckBundle checks a whole configuration on its own (as a fresh tenant
// would receive it): every problem, with paths from the bundle's root.
func CheckBundle(b *Bundle) []tenancy.FieldError {
	c := b.clone()
	c.normalize()
	var out []tenancy.FieldError
	for _, is := range checkBundle(c) {
		out = append(out, is.fieldError(""))
	}
	return out
}

// defaultBundle is the default configuration, loaded and checked once.
var defaultBundle = sync.OnceValues(func() (*Bundle, error) {
	b, err := LoadDefaults()
	if err != nil {
		return nil, fmt.Errorf("the default configuration (forms/defaults): %w", err)
	}
	if bad := checkBundle(b); len(bad) > 0 {
		msgs := make([]string, 0, len(bad))
		for _, is := range bad {
			msgs = append(msgs, is.path+": "+is.reason)
		}
		return nil, fmt.Errorf("the default configuration (forms/defaults) is not valid: %s", strings.Join(msgs, "; "))
	}
	return b, nil
})

// Seed writes the default configuration into a new tenant (a
// tenancy.SeedFunc, run by provisioning as the tenant's role): its modules
// and their options, lookups, forms, and the default roles' form access.
// The configuration version becomes 1. A default configuration that does
// not pass its own checks, or names a role the tenant lacks, fails the
// provisioning.
func Seed(ctx context.Context, tx pgx.Tx, _ tenancy.Tenant) error {
	defaults, err := defaultBundle()
	if err != nil {
		return err
	}
	before, err := load(ctx, tx, true)
	if err != nil {
		return err
	}
	if before.version != 0 {
		return errors.New("the tenant already has a configuration")
	}
	after := defaults.clone()
	for role, access := range after.Roles {
		if _, ok := before.bundle.Roles[role]; !ok {
			return fmt.Errorf("forms/defaults/roles.json names role %s, which new tenants do not have", role)
		}
		after.Roles[role] = access
	}
	for role, access := range before.bundle.Roles {
		if _, ok := after.Roles[role]; !ok {
			after.Roles[role] = access
		}
	}
	for _, m := range before.bundle.Modules {
		if !slices.ContainsFunc(after.Modules, func(x ModuleConfig) bool { return x.UniqueID == m.UniqueID }) {
			after.Modules = append(after.Modules, m)
		}
	}
	after.normalize()
	after.sort()
	_, err = write(ctx, tx, before.bundle, after)
	return err
}
