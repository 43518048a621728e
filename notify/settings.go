package notify

import (
	"context"
	"fmt"
	"slices"

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

// Setting is whether a user gets one kind of email.
type Setting struct {
	Kind  string `json:"kind" enum:"assign,referral,transfer,transfer_request,referral_accepted,referral_rejected,referral_done,referral_revoked,transfer_accepted,transfer_rejected,transfer_revoked,transfer_request_accepted,transfer_request_rejected,transfer_request_revoked,digest"`
	Email bool   `json:"email" doc:"Whether the user receives this kind of email."`
}

// Permissions on one's own settings: those of one's own account.
var (
	PermReadSelf  = policy.Permission{Resource: "users", Action: "read_self"}
	PermWriteSelf = policy.Permission{Resource: "users", Action: "write_self"}
)

// Settings returns, for each of Kinds in order, whether the signed-in user
// gets that email (true unless they turned it off). Only users have
// settings (a service account: ErrNotFound). Needs users:read_self.
func (s *Service) Settings(ctx context.Context, code string) ([]Setting, error) {
	if err := s.p.Authorize(ctx, code, PermReadSelf); err != nil {
		return nil, err
	}
	var out []Setting
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = userSettings(ctx, c)
		return err
	})
	return out, err
}

// UpdateSettings turns the kinds in change on or off for the signed-in
// user and returns all their settings; kinds not named are left as they
// are. An unknown or repeated kind is a ValidationError at data[i].kind,
// and nothing changes. Needs users:write_self.
func (s *Service) UpdateSettings(ctx context.Context, code string, change []Setting) ([]Setting, error) {
	if err := s.p.Authorize(ctx, code, PermWriteSelf); err != nil {
		return nil, err
	}
	var bad []tenancy.FieldError
	seen := map[string]bool{}
	for i, c := range change {
		path := fmt.Sprintf("data[%d].kind", i)
		switch {
		case !slices.Contains(Kinds, c.Kind):
			bad = append(bad, tenancy.FieldError{Path: path, Reason: "is not a kind of email", Value: c.Kind})
		case seen[c.Kind]:
			bad = append(bad, tenancy.FieldError{Path: path, Reason: "is given twice", Value: c.Kind})
		}
		seen[c.Kind] = true
	}
	if len(bad) > 0 {
		return nil, &tenancy.ValidationError{Title: "The notification settings are not valid.", Errors: bad}
	}
	var out []Setting
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		user, err := selfUser(ctx, c)
		if err != nil {
			return err
		}
		var on, off []string
		for _, c := range change {
			if c.Email {
				on = append(on, c.Kind)
			} else {
				off = append(off, c.Kind)
			}
		}
		if _, err := c.Exec(ctx, "delete from notification_opt_outs where user_id = $1 and kind = any($2)", user, on); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, `insert into notification_opt_outs (user_id, kind) select $1, k from unnest($2::text[]) k
			on conflict do nothing`, user, off); err != nil {
			return err
		}
		out, err = userSettings(ctx, c)
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

func userSettings(ctx context.Context, c *tenancy.Conn) ([]Setting, error) {
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
	out := make([]Setting, len(Kinds))
	for i, k := range Kinds {
		out[i] = Setting{Kind: k, Email: !slices.Contains(off, k)}
	}
	return out, nil
}
