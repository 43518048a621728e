package tenancy

import (
	"regexp"
	"slices"
	"strings"
)

var (
	codeRE   = regexp.MustCompile(`^[a-z][a-z0-9]{1,15}$`)
	localeRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`)
)

// reservedCodes cannot be tenant codes: they name schemas or host names the
// platform uses itself.
var reservedCodes = []string{
	"admin", "api", "app", "auth", "docs", "information", "kratos", "mail",
	"platform", "public", "river", "static", "status", "system", "www",
}

// ValidateCode checks a tenant code: 2 to 16 lower-case letters and digits,
// starting with a letter, not reserved and not starting with "pg".
func ValidateCode(code string) error {
	switch {
	case !codeRE.MatchString(code):
		return &InvalidError{Field: "code", Value: code,
			Reason: "must be 2 to 16 characters: lower-case letters a-z and digits, starting with a letter (e.g. \"ke\")"}
	case strings.HasPrefix(code, "pg"):
		return &InvalidError{Field: "code", Value: code, Reason: "must not start with \"pg\" (reserved by PostgreSQL)"}
	case slices.Contains(reservedCodes, code):
		return &InvalidError{Field: "code", Value: code, Reason: "is reserved by the platform"}
	}
	return nil
}

// ValidateLocales checks a list of locale tags such as "en", "fr", "ar", "pt-BR",
// "ku-Arab": a language, an optional script and an optional region.
func ValidateLocales(locales []string) error {
	if len(locales) == 0 {
		return &InvalidError{Field: "locales", Reason: "at least one locale is required"}
	}
	seen := map[string]bool{}
	for _, l := range locales {
		if !localeRE.MatchString(l) {
			return &InvalidError{Field: "locales", Value: l, Reason: "must be a language tag such as \"en\" or \"pt-BR\""}
		}
		if seen[l] {
			return &InvalidError{Field: "locales", Value: l, Reason: "is listed twice"}
		}
		seen[l] = true
	}
	return nil
}

// SchemaName is the schema holding a tenant's data.
func SchemaName(code string) string { return "tenant_" + code }
