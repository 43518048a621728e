// Package locations owns a tenant's places: a hierarchy of admin levels 0
// (the country) to 5, with camps and sites where the country puts them.
// Record data refers to a location by its code; forms offer location pickers
// down to a given admin level (docs/configuration.md, "Locations").
//
// # Storage
//
// Table locations holds one row per place: code (unique, stable, an ltree
// label), translated name, admin level, type, parent code, disabled, and the
// ltree path of codes from the root (DL.DL01.DL0102). Subtree queries are one
// GiST-indexed condition (path <@ ...). The ltree extension lives in the shared
// schema "extensions", created once per database by `cpims migrate`
// (docs/tenancy.md).
//
// A child's admin level is greater than its parent's, not necessarily by one:
// a country without a level in some area skips it (a camp at level 3 directly
// under a level-1 region). Because levels strictly increase down every branch,
// the hierarchy can have no cycle.
//
// # Use cases
//
// Service is the entry point for the API and jobs: it checks the caller's
// permission (locations:read, locations:write) and runs each use case in one
// tenant transaction (tenancy.Platform.Tx): the change, its audit row, the
// configuration version bump and, for imports, the River job.
//
// Other packages that already hold a tenant transaction use the functions
// taking a *tenancy.Conn: Levels and Refs (the forms validator checks location
// fields), Export, Diff and Replace (configuration bundles). They check the
// transaction subject's permission themselves.
//
// # Imports
//
// An uploaded file (CSV with columns code, parent_code, admin_level, type,
// disabled, name_<locale>; or HXL-tagged, as OCHA's common operational
// datasets are) is checked before anything is stored (ParseFile), kept in
// location_imports, and applied by a River job (ImportArgs, run by
// Service.RunImport as the named system actor location_importer) in one
// transaction: every valid row is applied, every invalid row reported with its
// reason, progress (rows done of total) committed as it goes.
package locations
