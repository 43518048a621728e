// Package translations exports and imports a tenant's texts as gettext PO
// files, one per locale: every configuration label (forms, fields, their
// help texts and inline options, lookups and their values, modules,
// locations) and the web app's UI catalogue (with the tenant's overrides),
// each addressed by a stable msgctxt (docs/translations.md).
//
// # Format
//
// Parse and Write are a PO reader and writer of our own: msgctxt, msgid,
// msgid_plural and msgstr[n], comments (translator, extracted, references,
// flags), C escapes, multi-line strings and the header (Language,
// Plural-Forms). Parse is strict: what is not PO is an error naming its line.
//
// # Import
//
// An import is checked when uploaded (PO syntax, the locale one of the
// tenant's) and refused before any job starts; then the file, its import row
// and the River job import_translations are stored in one transaction. The
// job (named system actor translator) applies every valid entry in one
// tenant transaction through the forms and locations change machinery
// (configuration version, audit row with counts) and writes a per-entry
// report: applied, unchanged, skipped (empty or fuzzy), unknown (the context
// addresses nothing), stale (the msgid is no longer the source text) and
// invalid (placeholders differ from the source's).
package translations
