// Package migrations embeds the SQL migrations of the control plane (schema
// "platform") and of every tenant schema ("tenant_<code>").
//
// Files are numbered (001_name.sql, 002_name.sql, ...) and parsed by
// github.com/jackc/tern/v2/migrate: the forward SQL comes first, the reverse
// SQL after a line "---- create above / drop below ----". Tenant migrations
// never name a schema: they run with search_path set to the tenant's schema,
// so every tenant ends up with byte-identical DDL. See docs/tenancy.md.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed platform/*.sql
var platformFS embed.FS

//go:embed tenant/*.sql
var tenantFS embed.FS

// Platform returns the control-plane migrations.
func Platform() fs.FS { return mustSub(platformFS, "platform") }

// Tenant returns the migrations applied to every tenant schema.
func Tenant() fs.FS { return mustSub(tenantFS, "tenant") }

func mustSub(f embed.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
