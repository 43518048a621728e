package people

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

// OwnAccountPatch is what people may change of their own account; nil fields
// stay. Their email is not among them: it changes only by a new invitation
// (docs/identity.md).
type OwnAccountPatch struct {
	FullName *string
	// Locale must be one of the tenant's languages.
	Locale *string
	// TimeZone is an IANA time zone (settings.ValidateTimeZone), or "" for the
	// tenant's default.
	TimeZone *string
}

// UpdateOwnAccount changes the acting user's own name and language in tenant
// code. Subjects other than users (service accounts, system actors) have no
// own account: tenancy.ErrNotFound.
func (s *Service) UpdateOwnAccount(ctx context.Context, code string, patch OwnAccountPatch) (User, error) {
	if err := s.p.Authorize(ctx, code, permUsersWriteSelf); err != nil {
		return User{}, err
	}
	var bad []tenancy.FieldError
	if patch.FullName != nil && (strings.TrimSpace(*patch.FullName) == "" || len([]rune(*patch.FullName)) > 200) {
		bad = append(bad, tenancy.FieldError{Path: "full_name", Value: *patch.FullName, Reason: "must be 1 to 200 characters"})
	}
	if patch.Locale != nil && tenancy.ValidateLocales([]string{*patch.Locale}) != nil {
		bad = append(bad, tenancy.FieldError{Path: "locale", Value: *patch.Locale, Reason: "must be a language tag such as \"en\""})
	}
	if patch.TimeZone != nil && *patch.TimeZone != "" {
		if err := settings.ValidateTimeZone("time_zone", *patch.TimeZone); err != nil {
			var ie *tenancy.InvalidError
			errors.As(err, &ie)
			bad = append(bad, tenancy.FieldError{Path: "time_zone", Value: *patch.TimeZone, Code: ie.Code, Reason: ie.Reason})
		}
	}
	if len(bad) > 0 {
		return User{}, &tenancy.ValidationError{Title: "The account change is not valid.", Errors: bad}
	}
	sub, err := policy.SubjectFrom(ctx)
	if err != nil {
		return User{}, err
	}
	if sub.Kind != policy.KindUser || !tenancy.IsUUID(sub.ID) {
		return User{}, tenancy.ErrNotFound
	}
	var u User
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "user", sub.ID)
		if patch.Locale != nil {
			var locales []string
			if err := c.QueryRow(ctx, "select locales from system_settings").Scan(&locales); err != nil {
				return err
			}
			if !slices.Contains(locales, *patch.Locale) {
				return &tenancy.ValidationError{Title: "The account change is not valid.", Errors: []tenancy.FieldError{{Path: "locale", Value: *patch.Locale,
					Reason: fmt.Sprintf("must be one of this instance's languages: %s", strings.Join(locales, ", "))}}}
			}
		}
		tag, err := c.Exec(ctx, `update users set full_name = coalesce($2, full_name), locale = coalesce($3, locale),
			time_zone = case when $4::text is null then time_zone else nullif($4, '') end,
			updated_at = now() where id = $1`, sub.ID, patch.FullName, patch.Locale, patch.TimeZone)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return tenancy.ErrNotFound
		}
		u, err = scanUser(c.QueryRow(ctx, "select "+userColumns+userFrom+"where u.id = $1", sub.ID))
		return err
	})
	return u, err
}
