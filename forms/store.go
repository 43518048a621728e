package forms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// snapshot is a tenant's whole configuration at one version.
type snapshot struct {
	version int64
	bundle  *Bundle // normalized; never changed once loaded
}

// loadSQL reads the whole configuration in one statement, so in one
// snapshot of the database: the version always matches the content.
const loadSQL = `select c.version,
	coalesce((select jsonb_agg(definition order by unique_id) from forms), '[]'),
	coalesce((select jsonb_agg(definition order by unique_id) from lookups), '[]'),
	coalesce((select jsonb_agg(jsonb_build_object('unique_id', unique_id, 'name', name,
		'associated_record_types', to_jsonb(associated_record_types), 'options', options) order by unique_id) from modules), '[]'),
	coalesce((select jsonb_object_agg(unique_id, form_access) from roles), '{}')
	from configuration c`

// load reads the configuration in tx. With lock, it first takes the
// configuration's row lock, held until tx ends: changes apply one at a time.
func load(ctx context.Context, tx pgx.Tx, lock bool) (*snapshot, error) {
	if lock {
		if _, err := tx.Exec(ctx, "select version from configuration for update"); err != nil {
			return nil, err
		}
	}
	var version int64
	var forms, lookups, modules, roles []byte
	if err := tx.QueryRow(ctx, loadSQL).Scan(&version, &forms, &lookups, &modules, &roles); err != nil {
		return nil, fmt.Errorf("loading the configuration: %w", err)
	}
	b := &Bundle{Format: BundleFormat}
	for _, part := range []struct {
		raw []byte
		dst any
	}{{forms, &b.Forms}, {lookups, &b.Lookups}, {modules, &b.Modules}, {roles, &b.Roles}} {
		if err := json.Unmarshal(part.raw, part.dst); err != nil {
			return nil, fmt.Errorf("decoding the stored configuration: %w", err)
		}
	}
	b.normalize()
	b.sort()
	return &snapshot{version: version, bundle: b}, nil
}

// readVersion reads the configuration version in tx.
func readVersion(ctx context.Context, tx pgx.Tx) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, "select version from configuration").Scan(&v)
	return v, err
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // configuration types always encode
	}
	return b
}

// same reports whether two configuration items encode identically.
func same(a, b any) bool { return bytes.Equal(mustJSON(a), mustJSON(b)) }

// write stores what differs between before (as stored) and after, and
// bumps the configuration version, which it returns.
func write(ctx context.Context, tx pgx.Tx, before, after *Bundle) (int64, error) {
	var upForms []Form
	var delForms []string
	for _, f := range after.Forms {
		if i := before.form(f.UniqueID); i < 0 || !same(before.Forms[i], f) {
			upForms = append(upForms, f)
		}
	}
	for _, f := range before.Forms {
		if after.form(f.UniqueID) < 0 {
			delForms = append(delForms, f.UniqueID)
		}
	}
	var upLookups []Lookup
	var delLookups []string
	for _, l := range after.Lookups {
		if i := before.lookup(l.UniqueID); i < 0 || !same(before.Lookups[i], l) {
			upLookups = append(upLookups, l)
		}
	}
	for _, l := range before.Lookups {
		if after.lookup(l.UniqueID) < 0 {
			delLookups = append(delLookups, l.UniqueID)
		}
	}
	batch := &pgx.Batch{}
	if len(delForms) > 0 {
		batch.Queue("delete from forms where unique_id = any($1)", delForms)
	}
	if len(upForms) > 0 {
		batch.Queue(`insert into forms (unique_id, parent_form, is_nested, core_form, definition)
			select d ->> 'unique_id', d ->> 'parent_form', (d ->> 'is_nested')::boolean, (d ->> 'core_form')::boolean, d
			from jsonb_array_elements($1::jsonb) d
			on conflict (unique_id) do update set parent_form = excluded.parent_form, is_nested = excluded.is_nested,
				core_form = excluded.core_form, definition = excluded.definition, updated_at = now()`, string(mustJSON(upForms)))
	}
	if len(delLookups) > 0 {
		batch.Queue("delete from lookups where unique_id = any($1)", delLookups)
	}
	if len(upLookups) > 0 {
		batch.Queue(`insert into lookups (unique_id, definition)
			select d ->> 'unique_id', d from jsonb_array_elements($1::jsonb) d
			on conflict (unique_id) do update set definition = excluded.definition, updated_at = now()`, string(mustJSON(upLookups)))
	}
	for _, m := range after.Modules {
		if i := before.module(m.UniqueID); i < 0 || !same(before.Modules[i], m) {
			batch.Queue(`insert into modules (unique_id, name, associated_record_types, options) values ($1, $2, $3, $4)
				on conflict (unique_id) do update set name = excluded.name,
					associated_record_types = excluded.associated_record_types, options = excluded.options`,
				m.UniqueID, string(mustJSON(m.Name)), m.AssociatedRecordTypes, string(mustJSON(m.Options)))
		}
	}
	for _, role := range sortedKeys(after.Roles) {
		if prev, ok := before.Roles[role]; !ok || !same(prev, after.Roles[role]) {
			batch.Queue("update roles set form_access = $2, updated_at = now() where unique_id = $1",
				role, string(mustJSON(after.Roles[role])))
		}
	}
	var version int64
	batch.Queue("update configuration set version = version + 1, updated_at = now() returning version").
		QueryRow(func(r pgx.Row) error { return r.Scan(&version) })
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return 0, err
	}
	return version, nil
}
