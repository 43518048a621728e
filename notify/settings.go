package notify

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// KindDigest is the daily email of a user's overdue tasks.
const KindDigest = "digest"

// Kinds are the kinds of email a user may turn off: the workflow events
// (their answers as <type>_<status>) and the daily digest.
var Kinds = []string{
	"assign", "referral", "transfer", "transfer_request",
	"referral_accepted", "referral_rejected", "referral_done", "referral_revoked",
	"transfer_accepted", "transfer_rejected", "transfer_revoked",
	"transfer_request_accepted", "transfer_request_rejected", "transfer_request_revoked",
	KindDigest,
}

// Permissions on one's own settings: those of one's own account.
var (
	PermReadSelf  = policy.Permission{Resource: "users", Action: "read_self"}
	PermWriteSelf = policy.Permission{Resource: "users", Action: "write_self"}
)

// Settings returns, for each of Kinds, whether the signed-in user gets
// that email (true unless they turned it off). Only users have settings
// (a service account: ErrNotFound). Needs users:read_self.
func (s *Service) Settings(ctx context.Context, code string) (map[string]bool, error) {
	if err := s.p.Authorize(ctx, code, PermReadSelf); err != nil {
		return nil, err
	}
	var out map[string]bool
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = settings(ctx, c)
		return err
	})
	return out, err
}

// UpdateSettings turns the kinds in change on (true) or off (false) for
// the signed-in user and returns all their settings. An unknown kind is a
// ValidationError at data.<kind>, and nothing changes. Needs users:write_self.
func (s *Service) UpdateSettings(ctx context.Context, code string, change map[string]bool) (map[string]bool, error) {
	if err := s.p.Authorize(ctx, code, PermWriteSelf); err != nil {
		return nil, err
	}
	var bad []tenancy.FieldError
	for k := range change {
		if !slices.Contains(Kinds, k) {
			bad = append(bad, tenancy.FieldError{Path: "data." + k, Reason: "is not a kind of email", Value: k})
		}
	}
	if len(bad) > 0 {
		slices.SortFunc(bad, func(a, b tenancy.FieldError) int { return strings.Compare(a.Path, b.Path) })
		return nil, &tenancy.ValidationError{Title: "The notification settings are not valid.", Errors: bad}
	}
	var out map[string]bool
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		user, err := selfUser(ctx, c)
		if err != nil {
			return err
		}
		var on, off []string
		for k, v := range change {
			if v {
				on = append(on, k)
			} else {
				off = append(off, k)
			}
		}
		if _, err := c.Exec(ctx, "delete from notification_opt_outs where user_id = $1 and kind = any($2)", user, on); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, `insert into notification_opt_outs (user_id, kind) select $1, k from unnest($2::text[]) k
			on conflict do nothing`, user, off); err != nil {
			return err
		}
		out, err = settings(ctx, c)
		return err
	})
	return out, err
}

// selfUser is the transaction's subject as a user of the tenant.
func selfUser(ctx context.Context, c *tenancy.Conn) (string, error) {
	sub := c.Subject()
	if sub.Kind != policy.KindUser {
		return "", tenancy.ErrNotFound
	}
	var id string
	err := c.QueryRow(ctx, "select id::text from users where id::text = $1", sub.ID).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", tenancy.ErrNotFound
	}
	return id, err
}

func settings(ctx context.Context, c *tenancy.Conn) (map[string]bool, error) {
	user, err := selfUser(ctx, c)
	if err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, "select kind from notification_opt_outs where user_id = $1", user)
	if err != nil {
		return nil, err
	}
	off, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(Kinds))
	for _, k := range Kinds {
		out[k] = !slices.Contains(off, k)
	}
	return out, nil
}
