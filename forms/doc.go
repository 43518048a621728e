// Package forms owns a tenant's configuration: what its records contain.
// The format is the contract of docs/configuration.md, shared with the
// default configuration's content (forms/defaults), locations, records,
// tracing (FTR) and the web app.
//
// # The configuration
//
// A Bundle is a whole configuration: modules with their options
// (ModuleConfig), lookups (option lists), forms (sections of ordered
// fields) per record type and module, and each role's form access. It is
// stored in the tenant's schema (migration 008_configuration.sql): one
// canonical JSON definition per form and per lookup, module options on the
// modules table, form access on the roles table, and one configuration
// version.
//
// # Changes
//
// Every change (a form, a lookup, a module's options, a bundle import) is
// one tenant transaction that locks the configuration, applies the change to
// a copy, checks the whole result (checkBundle: every rule at once, each
// problem with its path, e.g. fields[3].display_conditions), refuses to
// remove what records use (RecordsUse), writes only what differs, bumps the
// version and records the changes (ids, never labels or values) on the
// call's audit row. A refused change changes nothing. Roles' form access
// (changed through tenancy's role functions) bumps the version too.
//
// # Validation
//
// Service.Validator compiles the forms of one record type and module into a
// Validator for one role, once per configuration version, and caches it.
// Each call reads the tenant's version first (one small query), so a change
// made through any server is seen at this server's next call. A Validator
// checks record data (Validate, ValidateChange, ValidateTx): every field
// type, display conditions, required fields, subform rows with stable ids,
// unknown keys, and what the role may write (its form access, hidden,
// read-only and calculated fields). It also lists the readable, matchable,
// filterable, ID and phone fields, filters data for responses (Readable)
// and computes calculated values (Calculate).
//
// # Seeding
//
// Seed (a tenancy.SeedFunc) writes the default configuration into every new
// tenant during provisioning; cmd/cpims and the test helpers wire it into
// tenancy.Config.Seed, because tenancy cannot import forms.
package forms
