package settings

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/cpims-hosted/cpims/tenancy"
)

// LocaleInUseError refuses to remove a language that members of the tenant
// still use as their own (users.locale). It matches tenancy.ErrConflict.
type LocaleInUseError struct {
	Locale string
	// Users is how many members have it as their language.
	Users int
}

func (e *LocaleInUseError) Error() string {
	return fmt.Sprintf("%d user(s) have %s as their language: change theirs first", e.Users, e.Locale)
}

// Unwrap makes errors.Is(err, tenancy.ErrConflict) hold.
func (e *LocaleInUseError) Unwrap() error { return tenancy.ErrConflict }

// DefaultLocaleError refuses to remove the tenant's default language (the
// source of every translation). It matches tenancy.ErrConflict.
type DefaultLocaleError struct {
	Locale string
}

func (e *DefaultLocaleError) Error() string {
	return fmt.Sprintf("%s is this instance's default language and cannot be removed", e.Locale)
}

// Unwrap makes errors.Is(err, tenancy.ErrConflict) hold.
func (e *DefaultLocaleError) Unwrap() error { return tenancy.ErrConflict }

// LocalePresentError refuses to add a language the tenant already has. It
// matches tenancy.ErrConflict.
type LocalePresentError struct {
	Locale string
}

func (e *LocalePresentError) Error() string {
	return fmt.Sprintf("%s is already one of this instance's languages", e.Locale)
}

// Unwrap makes errors.Is(err, tenancy.ErrConflict) hold.
func (e *LocalePresentError) Unwrap() error { return tenancy.ErrConflict }

// ErrorCode returns "locale_present" and the locale.
func (e *LocalePresentError) ErrorCode() (string, map[string]string) {
	return "locale_present", map[string]string{"locale": e.Locale}
}

// ErrorCode returns "locale_default" and the locale.
func (e *DefaultLocaleError) ErrorCode() (string, map[string]string) {
	return "locale_default", map[string]string{"locale": e.Locale}
}

// ErrorCode returns "locale_in_use", the locale and the count of its users.
func (e *LocaleInUseError) ErrorCode() (string, map[string]string) {
	return "locale_in_use", map[string]string{"locale": e.Locale, "count": strconv.Itoa(e.Users)}
}

// validateLocale checks one locale tag (as tenancy.ValidateLocales) and that it is a
// well-formed BCP 47 tag.
func validateLocale(field, locale string) error {
	if err := tenancy.ValidateLocales([]string{locale}); err != nil {
		return &tenancy.InvalidError{Field: field, Value: locale, Reason: "must be a language tag such as \"fr\", \"pt-BR\" or \"ku-Arab\""}
	}
	if _, err := language.Parse(locale); err != nil {
		return &tenancy.InvalidError{Field: field, Value: locale, Reason: "is not a valid language tag (BCP 47)"}
	}
	return nil
}

// AddLocale adds a language to tenant code: to its system settings and to
// platform.tenants, in one transaction (so the two never disagree), audited
// as system_settings:write with the locale. Its direction is derived from
// the tag (Direction). A language the tenant has already: *LocalePresentError
// (tenancy.ErrConflict). Translations export, import and the web app's texts accept
// it from the next request on.
func (svc *Service) AddLocale(ctx context.Context, code, locale string) (SystemSettings, error) {
	if err := svc.p.Authorize(ctx, code, permSettingsWrite); err != nil {
		return SystemSettings{}, err
	}
	if err := validateLocale("locale", locale); err != nil {
		return SystemSettings{}, err
	}
	var s SystemSettings
	err := svc.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var locales []string
		if err := c.QueryRow(ctx, "select locales from system_settings for update").Scan(&locales); err != nil {
			return err
		}
		if slices.ContainsFunc(locales, func(l string) bool { return strings.EqualFold(l, locale) }) {
			return &LocalePresentError{Locale: locale}
		}
		locales = append(locales, locale)
		if err := setLocales(ctx, c, locales); err != nil {
			return err
		}
		if err := c.AuditChange(ctx, "system_settings:write", map[string]any{"locale_added": locale}); err != nil {
			return err
		}
		var err error
		s, err = readSystemSettings(ctx, c)
		return err
	})
	return s, err
}

// RemoveLocale removes a language from tenant code (system settings and
// platform.tenants, one transaction, audited). Refused with tenancy.ErrConflict for
// the default language (*DefaultLocaleError) and while members have it as
// their language (*LocaleInUseError, with their count); tenancy.ErrNotFound when the
// tenant has no such language. Texts already translated into it (labels, UI
// overrides) are kept: adding the language again brings them back.
func (svc *Service) RemoveLocale(ctx context.Context, code, locale string) (SystemSettings, error) {
	if err := svc.p.Authorize(ctx, code, permSettingsWrite); err != nil {
		return SystemSettings{}, err
	}
	if err := validateLocale("locale", locale); err != nil {
		err.(*tenancy.InvalidError).In = "path"
		return SystemSettings{}, err
	}
	var s SystemSettings
	err := svc.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var def string
		var locales []string
		if err := c.QueryRow(ctx, "select default_locale, locales from system_settings for update").Scan(&def, &locales); err != nil {
			return err
		}
		i := slices.IndexFunc(locales, func(l string) bool { return strings.EqualFold(l, locale) })
		if i < 0 {
			return tenancy.ErrNotFound
		}
		locale = locales[i]
		if locale == def {
			return &DefaultLocaleError{Locale: locale}
		}
		var users int
		if err := c.QueryRow(ctx, "select count(*) from users where locale = $1", locale).Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return &LocaleInUseError{Locale: locale, Users: users}
		}
		if err := setLocales(ctx, c, slices.Delete(locales, i, i+1)); err != nil {
			return err
		}
		if err := c.AuditChange(ctx, "system_settings:write", map[string]any{"locale_removed": locale}); err != nil {
			return err
		}
		var err error
		s, err = readSystemSettings(ctx, c)
		return err
	})
	return s, err
}

// setLocales writes the tenant's languages to its system settings and to
// its platform row (tenancy.Conn.SetTenantLocales) in the transaction c.
func setLocales(ctx context.Context, c *tenancy.Conn, locales []string) error {
	if _, err := c.Exec(ctx, "update system_settings set locales = $1, updated_at = now()", locales); err != nil {
		return err
	}
	return c.SetTenantLocales(ctx, locales)
}
