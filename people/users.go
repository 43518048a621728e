package people

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

// User is a tenant's member.
type User struct {
	ID         string `json:"id"`
	IdentityID string `json:"identity_id"`
	Email      string `json:"email"`
	FullName   string `json:"full_name"`
	Locale     string `json:"locale"`
	// TimeZone is the user's own IANA time zone, "" for the tenant's default.
	TimeZone   string    `json:"time_zone" doc:"The person's IANA time zone (Africa/Nairobi); empty: the instance's default (system_settings.time_zone). Their daily digest goes out on their local morning and their tasks are overdue from their local day."`
	Role       string    `json:"role_unique_id"`
	Agency     string    `json:"agency_unique_id"`
	UserGroups []string  `json:"user_group_unique_ids"`
	Disabled   bool      `json:"disabled"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// userVisible is the SQL predicate (on alias u) of the users the acting
// subject may see: its record scope, computed from current membership.
// Parameters: $1 scope, $2 own user id, $3 agency id.
const userVisible = `(case $1::text
	when 'all' then true
	when 'agency' then u.agency_id = $3::uuid
	when 'group' then u.id = $2::uuid or exists (
		select from user_groups_users a join user_groups_users b on a.user_group_id = b.user_group_id
		where a.user_id = u.id and b.user_id = $2::uuid)
	else u.id = $2::uuid end)`

const userColumns = `u.id, u.identity_id, u.email, u.full_name, u.locale, coalesce(u.time_zone, ''), r.unique_id, a.unique_id,
	coalesce((select array_agg(g.unique_id order by g.unique_id) from user_groups_users gu join user_groups g on g.id = gu.user_group_id
	 where gu.user_id = u.id), '{}'), u.disabled, u.created_at, u.updated_at`

const userFrom = ` from users u join roles r on r.id = u.role_id join agencies a on a.id = u.agency_id `

func scanUser(r pgx.Row) (User, error) {
	var u User
	err := r.Scan(&u.ID, &u.IdentityID, &u.Email, &u.FullName, &u.Locale, &u.TimeZone, &u.Role, &u.Agency, &u.UserGroups,
		&u.Disabled, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, tenancy.ErrNotFound
	}
	return u, err
}

// VisibleUser checks, in the caller's transaction, that user userID is within
// the acting subject's scope (tenancy.ErrNotFound otherwise) and, when change is set,
// that their role does not reach beyond the actor's (tenancy.DeniedError; what names
// the thing changed, e.g. "this user's devices").
func VisibleUser(ctx context.Context, c *tenancy.Conn, userID string, change bool, what string) error {
	var target policy.Reach
	err := c.QueryRow(ctx, "select r.permissions, r.record_scope from users u join roles r on r.id = u.role_id where u.id = $4 and "+
		userVisible, append(scopeArgs(c.Subject()), userID)...).Scan(&target.Permissions, &target.Scope)
	if errors.Is(err, pgx.ErrNoRows) {
		return tenancy.ErrNotFound
	} else if err != nil || !change {
		return err
	}
	actor, bound, err := tenancy.ActorReach(ctx, c)
	if err != nil {
		return err
	}
	return tenancy.CheckTarget(actor, bound, what+": their role", target)
}

func scopeArgs(s policy.Subject) []any {
	var agency any
	if s.Agency != "" {
		agency = s.Agency
	}
	var self any
	if s.Kind == policy.KindUser {
		self = s.ID
	}
	return []any{s.Scope, self, agency}
}

// ListUsers lists the users visible to the acting subject, with the exact total.
func (s *Service) ListUsers(ctx context.Context, code string, page tenancy.Page) ([]User, int, error) {
	if err := s.p.Authorize(ctx, code, permUsersRead); err != nil {
		return nil, 0, err
	}
	var out []User
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		args := scopeArgs(c.Subject())
		if err := c.QueryRow(ctx, "select count(*)"+userFrom+"where "+userVisible, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := c.Query(ctx, "select "+userColumns+userFrom+"where "+userVisible+
			" order by u.full_name, u.id limit $4 offset $5", append(args, page.Per, (page.Page-1)*page.Per)...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
		return err
	})
	return out, total, err
}

// GetUser returns one user if visible to the acting subject (else
// tenancy.ErrNotFound). It needs users:read, or users:read_self for one's own account.
func (s *Service) GetUser(ctx context.Context, code, id string) (User, error) {
	if err := s.p.Authorize(ctx, code, permUsersRead); err != nil {
		if sub, serr := policy.SubjectFrom(ctx); serr != nil || sub.ID != id || s.p.Authorize(ctx, code, permUsersReadSelf) != nil {
			return User{}, err
		}
	}
	var u User
	if !tenancy.IsUUID(id) {
		return u, tenancy.ErrNotFound
	}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "user", id)
		var err error
		u, err = scanUser(c.QueryRow(ctx, "select "+userColumns+userFrom+"where u.id = $4 and "+userVisible,
			append(scopeArgs(c.Subject()), id)...))
		return err
	})
	return u, err
}

// NewUser is a user to add to a tenant.
type NewUser struct {
	Email      string
	FullName   string
	Locale     string
	Role       string   // role unique_id
	Agency     string   // agency unique_id
	UserGroups []string // user group unique_ids
	// TimeZone is the person's IANA time zone (settings.ValidateTimeZone), "" for
	// the tenant's default.
	TimeZone string
}

// Validate checks the fields that do not need the database.
func (n NewUser) Validate() error {
	a, err := mail.ParseAddress(n.Email)
	switch {
	case err != nil || a.Address != n.Email:
		return &tenancy.InvalidError{Field: "email", Value: n.Email, Reason: "must be a plain email address"}
	case strings.TrimSpace(n.FullName) == "" || len([]rune(n.FullName)) > 200:
		return &tenancy.InvalidError{Field: "full_name", Value: n.FullName, Reason: "must be 1 to 200 characters"}
	case tenancy.ValidateLocales([]string{n.Locale}) != nil:
		return &tenancy.InvalidError{Field: "locale", Value: n.Locale, Reason: "must be a language tag such as \"en\""}
	case n.TimeZone != "":
		return settings.ValidateTimeZone("time_zone", n.TimeZone)
	}
	return nil
}

// AddUser makes an identity a member of the tenant. The role, agency and
// groups must exist; an email already in the tenant is tenancy.ErrConflict. A user
// without the "all" scope may only add users to their own agency, and never
// grant a role with the "all" scope. identity is called once those checks
// pass, to find or create the Kratos identity; onAdded runs in the same
// transaction (e.g. to queue the invitation email). Nor may a user or service
// account grant a role that reaches beyond its own (policy.Beyond).
func (s *Service) AddUser(ctx context.Context, code string, n NewUser, identity func(ctx context.Context) (string, error),
	onAdded func(ctx context.Context, c *tenancy.Conn, u User) error) (User, error) {
	if err := s.p.Authorize(ctx, code, permUsersWrite); err != nil {
		return User{}, err
	}
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	var u User
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var roleID, agencyID string
		var role policy.Reach
		err := c.QueryRow(ctx, "select id, record_scope, permissions from roles where unique_id = $1", n.Role).
			Scan(&roleID, &role.Scope, &role.Permissions)
		if errors.Is(err, pgx.ErrNoRows) {
			return &tenancy.InvalidError{Field: "role_unique_id", Value: n.Role, Reason: "no such role"}
		} else if err != nil {
			return err
		}
		err = c.QueryRow(ctx, "select id from agencies where unique_id = $1 and not disabled", n.Agency).Scan(&agencyID)
		if errors.Is(err, pgx.ErrNoRows) {
			return &tenancy.InvalidError{Field: "agency_unique_id", Value: n.Agency, Reason: "no such agency"}
		} else if err != nil {
			return err
		}
		actor, bound, err := tenancy.ActorReach(ctx, c)
		if err != nil {
			return err
		}
		if bound && actor.Scope != policy.ScopeAll && c.Subject().Agency != agencyID {
			return &tenancy.InvalidError{Field: "agency_unique_id", Value: n.Agency, Reason: "you may only add users to your own agency"}
		}
		if err := tenancy.CheckGrant(actor, bound, "role_unique_id", n.Role, role); err != nil {
			return err
		}
		var exists bool
		if err := c.QueryRow(ctx, "select exists (select from users where email = $1)", n.Email).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return fmt.Errorf("%w: %s is already a user of this country instance", tenancy.ErrConflict, n.Email)
		}
		if len(n.UserGroups) > 0 {
			var found int
			if err := c.QueryRow(ctx, "select count(*) from user_groups where unique_id = any($1) and not disabled",
				n.UserGroups).Scan(&found); err != nil {
				return err
			}
			if found != len(n.UserGroups) {
				return &tenancy.InvalidError{Field: "user_group_unique_ids", Value: n.UserGroups, Reason: "one or more user groups do not exist"}
			}
		}
		identityID, err := identity(ctx)
		if err != nil {
			return err
		}
		var id string
		err = c.QueryRow(ctx, `insert into users (identity_id, email, full_name, locale, role_id, agency_id, time_zone)
			values ($1, $2, $3, $4, $5, $6, nullif($7, '')) returning id`, identityID, n.Email, n.FullName, n.Locale, roleID, agencyID,
			n.TimeZone).Scan(&id)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return fmt.Errorf("%w: %s is already a user of this country instance", tenancy.ErrConflict, n.Email)
		} else if err != nil {
			return err
		}
		if len(n.UserGroups) > 0 {
			if _, err := c.Exec(ctx, `insert into user_groups_users (user_group_id, user_id)
				select id, $1 from user_groups where unique_id = any($2)`, id, n.UserGroups); err != nil {
				return err
			}
		}
		c.AuditRecord(ctx, "user", id)
		u, err = scanUser(c.QueryRow(ctx, "select "+userColumns+userFrom+"where u.id = $1", id))
		if err != nil {
			return err
		}
		if onAdded != nil {
			return onAdded(ctx, c, u)
		}
		return nil
	})
	return u, err
}

// UserPatch changes a user; nil fields stay.
type UserPatch struct {
	FullName *string
	Locale   *string
	// TimeZone is an IANA time zone, or "" for the tenant's default.
	TimeZone   *string
	Role       *string   // role unique_id
	Agency     *string   // agency unique_id
	UserGroups *[]string // user group unique_ids: replaces the memberships
	Disabled   *bool
}

// UpdateUser changes a user visible to the acting subject. As in AddUser, a
// subject without the "all" scope keeps users in its own agency, and no user
// or service account grants a role reaching beyond its own; nor does it
// change a user whose role does (tenancy.DeniedError). A change that would leave the
// tenant without an active administrator is refused (tenancy.ErrConflict). A
// disabled user's requests are refused at once (membership is read on every
// request), and their devices are revoked (a trigger of table users, migration
// device_keys_sealed: any change that disables a user does it).
func (s *Service) UpdateUser(ctx context.Context, code, id string, patch UserPatch) (User, error) {
	if err := s.p.Authorize(ctx, code, permUsersWrite); err != nil {
		return User{}, err
	}
	if patch.FullName != nil && (len([]rune(*patch.FullName)) < 1 || len([]rune(*patch.FullName)) > 200) {
		return User{}, &tenancy.InvalidError{Field: "full_name", Value: *patch.FullName, Reason: "must be 1 to 200 characters"}
	}
	if patch.Locale != nil && tenancy.ValidateLocales([]string{*patch.Locale}) != nil {
		return User{}, &tenancy.InvalidError{Field: "locale", Value: *patch.Locale, Reason: "must be a language tag such as \"en\""}
	}
	if patch.TimeZone != nil && *patch.TimeZone != "" {
		if err := settings.ValidateTimeZone("time_zone", *patch.TimeZone); err != nil {
			return User{}, err
		}
	}
	if !tenancy.IsUUID(id) {
		return User{}, tenancy.ErrNotFound
	}
	var u User
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "user", id)
		sub := c.Subject()
		actor, bound, err := tenancy.ActorReach(ctx, c)
		if err != nil {
			return err
		}
		limited := bound && actor.Scope != policy.ScopeAll
		var target policy.Reach
		err = c.QueryRow(ctx, "select r.permissions, r.record_scope from users u join roles r on r.id = u.role_id where u.id = $4 and "+userVisible,
			append(scopeArgs(sub), id)...).Scan(&target.Permissions, &target.Scope)
		if errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		} else if err != nil {
			return err
		}
		if err := tenancy.CheckTarget(actor, bound, "this user: their role", target); err != nil {
			return err
		}
		var roleID, agencyID *string
		if patch.Role != nil {
			var rid string
			var role policy.Reach
			err := c.QueryRow(ctx, "select id, record_scope, permissions from roles where unique_id = $1", *patch.Role).
				Scan(&rid, &role.Scope, &role.Permissions)
			if errors.Is(err, pgx.ErrNoRows) {
				return &tenancy.InvalidError{Field: "role_unique_id", Value: *patch.Role, Reason: "no such role"}
			} else if err != nil {
				return err
			}
			if err := tenancy.CheckGrant(actor, bound, "role_unique_id", *patch.Role, role); err != nil {
				return err
			}
			roleID = &rid
		}
		if patch.Agency != nil {
			var aid string
			err := c.QueryRow(ctx, "select id from agencies where unique_id = $1 and not disabled", *patch.Agency).Scan(&aid)
			if errors.Is(err, pgx.ErrNoRows) {
				return &tenancy.InvalidError{Field: "agency_unique_id", Value: *patch.Agency, Reason: "no such agency"}
			} else if err != nil {
				return err
			}
			if limited && aid != sub.Agency {
				return &tenancy.InvalidError{Field: "agency_unique_id", Value: *patch.Agency, Reason: "you may only move users within your own agency"}
			}
			agencyID = &aid
		}
		update := func() error {
			_, err := c.Exec(ctx, `update users set full_name = coalesce($2, full_name), locale = coalesce($3, locale),
				role_id = coalesce($4, role_id), agency_id = coalesce($5, agency_id), disabled = coalesce($6, disabled),
				time_zone = case when $7::text is null then time_zone else nullif($7, '') end,
				updated_at = now() where id = $1`, id, patch.FullName, patch.Locale, roleID, agencyID, patch.Disabled, patch.TimeZone)
			return err
		}
		if roleID != nil || patch.Disabled != nil {
			err = tenancy.KeepAdministrator(ctx, c, update)
		} else {
			err = update()
		}
		if err != nil {
			return err
		}
		if patch.UserGroups != nil {
			groups := *patch.UserGroups
			var found int
			if err := c.QueryRow(ctx, "select count(*) from user_groups where unique_id = any($1) and not disabled", groups).Scan(&found); err != nil {
				return err
			}
			if found != len(groups) {
				return &tenancy.InvalidError{Field: "user_group_unique_ids", Value: groups, Reason: "one or more user groups do not exist"}
			}
			if _, err := c.Exec(ctx, `delete from user_groups_users where user_id = $1;`, id); err != nil {
				return err
			}
			if _, err := c.Exec(ctx, `insert into user_groups_users (user_group_id, user_id)
				select id, $1 from user_groups where unique_id = any($2)`, id, groups); err != nil {
				return err
			}
		}
		u, err = scanUser(c.QueryRow(ctx, "select "+userColumns+userFrom+"where u.id = $1", id))
		return err
	})
	return u, err
}

// SetUserDisabled enables or disables a user visible to the acting subject.
func (s *Service) SetUserDisabled(ctx context.Context, code, id string, disabled bool) (User, error) {
	return s.UpdateUser(ctx, code, id, UserPatch{Disabled: &disabled})
}
