// Package defaults holds the default CPIMS+ configuration seeded in every new
// tenant, as JSON files in the format of docs/configuration.md, written by us
// and modelled on the inter-agency child protection case management forms:
//
//	modules.json                      the modules (primeromodule-cp) and their options
//	lookups.json                      every option list the forms use
//	forms/<record type>/<form>.json   one form (section) each: case, tracing_request, incident;
//	                                  nested forms (subform rows) beside the form that uses them
//	roles.json                        the default roles' form access (role unique_id -> form unique_id -> "r" | "rw")
//
// Labels are given in English, French, Spanish and Arabic. Package forms
// loads, validates and seeds them. README.md describes the content (forms,
// matchable, filterable and ID fields); the package's test checks it on its
// own against docs/configuration.md.
package defaults

import "embed"

// FS is the default configuration's files.
//
//go:embed modules.json lookups.json roles.json forms
var FS embed.FS
