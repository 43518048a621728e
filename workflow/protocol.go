package workflow

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// ProtocolRule allows one agency to refer and/or transfer cases to another
// (agencies by unique_id).
type ProtocolRule struct {
	FromAgency string `json:"from_agency" doc:"The sending agency's unique_id." minLength:"1" maxLength:"70"`
	ToAgency   string `json:"to_agency" doc:"The receiving agency's unique_id." minLength:"1" maxLength:"70"`
	Referral   bool   `json:"referral" required:"false" doc:"The sending agency may refer cases to the receiving one."`
	Transfer   bool   `json:"transfer" required:"false" doc:"The sending agency may transfer cases to the receiving one."`
}

// Protocol returns the information sharing protocol: every pair of agencies
// allowed to refer or transfer across, sorted. Needs sharing_protocol:read.
func (s *Service) Protocol(ctx context.Context, code string) ([]ProtocolRule, error) {
	if err := s.p.Authorize(ctx, code, PermProtocolRead); err != nil {
		return nil, err
	}
	var out []ProtocolRule
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = readProtocol(ctx, c)
		return err
	})
	return out, err
}

func readProtocol(ctx context.Context, c *tenancy.Conn) ([]ProtocolRule, error) {
	rows, err := c.Query(ctx, `select f.unique_id, t.unique_id, p.referral, p.transfer from sharing_protocol p
		join agencies f on f.id = p.from_agency_id join agencies t on t.id = p.to_agency_id order by 1, 2`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ProtocolRule])
	if out == nil {
		out = []ProtocolRule{}
	}
	return out, err
}

// SetProtocol replaces the information sharing protocol with rules (pairs
// allowing nothing are dropped). Unknown agencies, a pair listed twice or
// an agency paired with itself: 422 naming each, nothing changed. Needs
// sharing_protocol:write.
func (s *Service) SetProtocol(ctx context.Context, code string, rules []ProtocolRule) ([]ProtocolRule, error) {
	if err := s.p.Authorize(ctx, code, PermProtocolWrite); err != nil {
		return nil, err
	}
	var out []ProtocolRule
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		rows, err := c.Query(ctx, "select unique_id, id::text from agencies")
		if err != nil {
			return err
		}
		ids := map[string]string{}
		var u, id string
		if _, err := pgx.ForEachRow(rows, []any{&u, &id}, func() error { ids[u] = id; return nil }); err != nil {
			return err
		}
		var bad []tenancy.FieldError
		seen := map[[2]string]bool{}
		for i, r := range rules {
			at := fmt.Sprintf("data[%d]", i)
			if ids[r.FromAgency] == "" {
				bad = append(bad, tenancy.FieldError{Path: at + ".from_agency", Value: r.FromAgency, Reason: "is not an agency of this country instance"})
			}
			if ids[r.ToAgency] == "" {
				bad = append(bad, tenancy.FieldError{Path: at + ".to_agency", Value: r.ToAgency, Reason: "is not an agency of this country instance"})
			}
			if r.FromAgency == r.ToAgency {
				bad = append(bad, tenancy.FieldError{Path: at + ".to_agency", Value: r.ToAgency, Reason: "is the sending agency: within an agency everything is allowed"})
			}
			k := [2]string{r.FromAgency, r.ToAgency}
			if seen[k] {
				bad = append(bad, tenancy.FieldError{Path: at, Reason: "lists a pair of agencies listed before"})
			}
			seen[k] = true
		}
		if len(bad) > 0 {
			return &tenancy.ValidationError{Title: "The sharing protocol is not valid.", Errors: bad}
		}
		if _, err := c.Exec(ctx, "delete from sharing_protocol"); err != nil {
			return err
		}
		for _, r := range rules {
			if !r.Referral && !r.Transfer {
				continue
			}
			if _, err := c.Exec(ctx, "insert into sharing_protocol (from_agency_id, to_agency_id, referral, transfer) values ($1, $2, $3, $4)",
				ids[r.FromAgency], ids[r.ToAgency], r.Referral, r.Transfer); err != nil {
				return err
			}
		}
		if out, err = readProtocol(ctx, c); err != nil {
			return err
		}
		return c.AuditChange(ctx, "sharing_protocol:write", map[string]any{"rules": len(out)})
	})
	return out, err
}
