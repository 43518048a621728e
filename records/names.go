package records

import (
	"context"
	"strings"

	"github.com/cpims-hosted/cpims/tenancy"
)

// caseNameFields make a case's name in the queues, in this order.
var caseNameFields = []string{"name_first", "name_middle", "name_last"}

// CaseNames returns the names of cases ids (those visible to the
// transaction's subject; others are absent) as the subject may see them,
// for lists of workflow rows (transfers, referrals, approvals): the first,
// middle and last names its role reads (a referral's access role when a
// referral is its only way to the case), masked (HiddenNameMask) where the
// case hides the name from it. A case whose name fields it cannot read has
// no entry.
func (s *Service) CaseNames(ctx context.Context, c *tenancy.Conn, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	cl := &caller{s: s, c: c, recordType: TypeCase, schemas: map[string]Schema{},
		viewHidden: c.Authorize(permsOf(TypeCase).viewHidden) == nil}
	if err := cl.resolveRoles(ctx, ids...); err != nil {
		return nil, err
	}
	q := &sqlQuery{}
	q.where("r.id = any(" + q.arg(ids) + "::uuid[])")
	q.where("r.record_type = 'case'")
	q.where(visible(q, c.Subject()))
	rows, err := c.Query(ctx, `select r.id::text, r.module_id, r.hidden_name,
		coalesce((select o.user_id::text from record_access o where o.record_id = r.id and o.kind = 'owner' limit 1), ''),
		jsonb_build_object('name_first', r.data->'name_first', 'name_middle', r.data->'name_middle', 'name_last', r.data->'name_last')
		from records r where `+q.whereSQL(), q.args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		id, module, owner string
		hidden            bool
		data              Data
	}
	var found []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.id, &x.module, &x.hidden, &x.owner, &x.data); err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, x := range found {
		sch, err := cl.recordSchema(ctx, x.id, x.module)
		if err != nil {
			return nil, err
		}
		d := sch.Readable(x.data)
		var parts []string
		for _, f := range caseNameFields {
			if v, ok := d[f].(string); ok && strings.TrimSpace(v) != "" {
				parts = append(parts, strings.TrimSpace(v))
			}
		}
		switch {
		case len(parts) == 0:
		case cl.masked(x.hidden, x.owner):
			out[x.id] = HiddenNameMask
		default:
			out[x.id] = strings.Join(parts, " ")
		}
	}
	return out, nil
}
