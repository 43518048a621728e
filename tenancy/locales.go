package tenancy

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// LocaleInUseError refuses to remove a language that members of the tenant
// still use as their own (users.locale). It matches ErrConflict.
type LocaleInUseError struct {
	Locale string
	// Users is how many members have it as their language.
	Users int
}

func (e *LocaleInUseError) Error() string {
	return fmt.Sprintf("%d user(s) have %s as their language: change theirs first", e.Users, e.Locale)
}

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *LocaleInUseError) Unwrap() error { return ErrConflict }

// DefaultLocaleError refuses to remove the tenant's default language (the
// source of every translation). It matches ErrConflict.
type DefaultLocaleError struct {
	Locale string
}

func (e *DefaultLocaleError) Error() string {
	return fmt.Sprintf("%s is this instance's default language and cannot be removed", e.Locale)
}

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *DefaultLocaleError) Unwrap() error { return ErrConflict }

// LocalePresentError refuses to add a language the tenant already has. It
// matches ErrConflict.
type LocalePresentError struct {
	Locale string
}

func (e *LocalePresentError) Error() string {
	return fmt.Sprintf("%s is already one of this instance's languages", e.Locale)
}

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *LocalePresentError) Unwrap() error { return ErrConflict }

// validateLocale checks one locale tag (as ValidateLocales) and that it is a
// well-formed BCP 47 tag.
func validateLocale(field, locale string) error {
	if err := ValidateLocales([]string{locale}); err != nil {
		return &InvalidError{Field: field, Value: locale, Reason: "must be a language tag such as \"fr\", \"pt-BR\" or \"ku-Arab\""}
	}
	if _, err := language.Parse(locale); err != nil {
		return &InvalidError{Field: field, Value: locale, Reason: "is not a valid language tag (BCP 47)"}
	}
	return nil
}

// AddLocale adds a language to tenant code: to its system settings and to
// platform.tenants, in one transaction (so the two never disagree), audited
// as system_settings:write with the locale. Its direction is derived from
// the tag (Direction). A language the tenant has already: *LocalePresentError
// (ErrConflict). Translations export, import and the web app's texts accept
// it from the next request on.
func (p *Platform) AddLocale(ctx context.Context, code, locale string) (SystemSettings, error) {
	if err := p.authorize(ctx, code, permSettingsWrite); err != nil {
		return SystemSettings{}, err
	}
	if err := validateLocale("locale", locale); err != nil {
		return SystemSettings{}, err
	}
	var s SystemSettings
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var locales []string
		if err := c.QueryRow(ctx, "select locales from system_settings for update").Scan(&locales); err != nil {
			return err
		}
		if slices.ContainsFunc(locales, func(l string) bool { return strings.EqualFold(l, locale) }) {
			return &LocalePresentError{Locale: locale}
		}
		locales = append(locales, locale)
		if err := c.setLocales(ctx, locales); err != nil {
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
// platform.tenants, one transaction, audited). Refused with ErrConflict for
// the default language (*DefaultLocaleError) and while members have it as
// their language (*LocaleInUseError, with their count); ErrNotFound when the
// tenant has no such language. Texts already translated into it (labels, UI
// overrides) are kept: adding the language again brings them back.
func (p *Platform) RemoveLocale(ctx context.Context, code, locale string) (SystemSettings, error) {
	if err := p.authorize(ctx, code, permSettingsWrite); err != nil {
		return SystemSettings{}, err
	}
	if err := validateLocale("locale", locale); err != nil {
		err.(*InvalidError).In = "path"
		return SystemSettings{}, err
	}
	var s SystemSettings
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var def string
		var locales []string
		if err := c.QueryRow(ctx, "select default_locale, locales from system_settings for update").Scan(&def, &locales); err != nil {
			return err
		}
		i := slices.IndexFunc(locales, func(l string) bool { return strings.EqualFold(l, locale) })
		if i < 0 {
			return ErrNotFound
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
		if err := c.setLocales(ctx, slices.Delete(locales, i, i+1)); err != nil {
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
// platform.tenants in the transaction c (asLoginRole).
func (c *Conn) setLocales(ctx context.Context, locales []string) error {
	if _, err := c.Exec(ctx, "update system_settings set locales = $1, updated_at = now()", locales); err != nil {
		return err
	}
	err := c.asLoginRole(ctx, func() error {
		_, err := c.Exec(ctx, "update platform.tenants set locales = $2, updated_at = now() where code = $1", c.tenant, locales)
		return err
	})
	c.p.tenants.forget(c.tenant)
	return err
}

// asLoginRole runs fn in the transaction c as the login role, which writes
// the platform's row of the tenant (the tenant role cannot reach the
// platform schema; the search path is empty, so fn names platform.tenants),
// then returns the transaction to the tenant role and its search path: what
// fn writes commits or rolls back with the tenant's writes.
func (c *Conn) asLoginRole(ctx context.Context, fn func() error) error {
	if err := resetRole(ctx, c.Tx); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	_, err := c.Exec(ctx, `select set_config('role', $1, true), set_config('search_path', $2, true)`,
		c.p.TenantRole(c.tenant), tenantSearchPath(c.tenant))
	return err
}
