package frontend

import (
	"embed"
	"io/fs"
)

//go:embed src/locales/*/messages.po
var catalogues embed.FS

// SourceLocale is the language the app's strings are written in (Lingui's
// sourceLocale, lingui.config.ts).
const SourceLocale = "en"

// Catalogues returns the app's UI string catalogues as shipped: one gettext
// PO file per locale, <locale>/messages.po (src/locales). Package
// translations exports them with each tenant's overrides.
func Catalogues() fs.FS {
	sub, err := fs.Sub(catalogues, "src/locales")
	if err != nil {
		panic(err) // the pattern above embeds this directory
	}
	return sub
}
