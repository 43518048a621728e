package tenancy

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
)

// SystemSettings are a tenant's country-wide settings.
type SystemSettings struct {
	Name          string   `json:"name"`
	DefaultLocale string   `json:"default_locale"`
	Locales       []string `json:"locales"`
	Modules       []Module `json:"modules"`
}

// Module is a Primero module (e.g. CP, child protection) enabled for the tenant.
type Module struct {
	UniqueID              string            `json:"unique_id"`
	Name                  map[string]string `json:"name"`
	AssociatedRecordTypes []string          `json:"associated_record_types"`
}

// GetSystemSettings reads the tenant's settings through a tenant transaction.
func (p *Platform) GetSystemSettings(ctx context.Context, code string) (SystemSettings, error) {
	var s SystemSettings
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		if err := c.QueryRow(ctx, "select name, default_locale, locales from system_settings").
			Scan(&s.Name, &s.DefaultLocale, &s.Locales); err != nil {
			return err
		}
		rows, err := c.Query(ctx, `select unique_id, name, associated_record_types from modules
			where enabled order by position, unique_id`)
		if err != nil {
			return err
		}
		s.Modules, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Module, error) {
			var m Module
			var name []byte
			if err := r.Scan(&m.UniqueID, &name, &m.AssociatedRecordTypes); err != nil {
				return m, err
			}
			return m, json.Unmarshal(name, &m.Name)
		})
		return err
	})
	return s, err
}
