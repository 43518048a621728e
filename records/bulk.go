package records

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// BatchRecord is a record written by CreateBatch: what a create sets, and
// the core attributes that workflows would have changed since (status,
// workflow, flagged, times), so that generated data looks lived in.
type BatchRecord struct {
	ID         string
	RecordType string
	ModuleID   string
	Status     string
	Workflow   string
	Flagged    bool
	// OwnerID is the owning user's id.
	OwnerID   string
	CreatedAt time.Time
	UpdatedAt time.Time
	Data      Data
}

// CreateBatch writes many records at once, in one tenant transaction (a
// few statements, whatever the number of records): the records with their
// search columns, owners and create history, and the traces of tracing
// requests. It is for named system actors filling a tenant with data they
// generated (demo and benchmark seeds): the data is not validated against
// the configuration, and no audit row names each record. Records whose id
// exists are left as they are (a batch written again writes nothing), and
// the number of records written is returned.
func (s *Service) CreateBatch(ctx context.Context, code string, recs []BatchRecord) (int, error) {
	sub, err := policy.SubjectFrom(ctx)
	if err != nil {
		return 0, err
	}
	if sub.Kind != policy.KindSystem {
		return 0, tenancy.ErrForbidden
	}
	for _, t := range Types {
		if err := s.p.Authorize(ctx, code, permsOf(t).write); err != nil {
			return 0, err
		}
	}
	var written int
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		schemas := map[string]Schema{}
		n := len(recs)
		all := make([]string, n)
		for i, r := range recs {
			all[i] = r.ID
		}
		var existing int
		if err := c.QueryRow(ctx, "select count(*) from records where id = any($1::uuid[])", all).Scan(&existing); err != nil || existing == n {
			return err // written by an earlier run
		}
		rows, err := c.Query(ctx, "select records_short_id() from generate_series(1, $1)", n)
		if err != nil {
			return err
		}
		shortIDs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		col := func() []any { return make([]any, n) }
		ids, short, types, modules, status, workflow, flagged, owners := col(), col(), col(), col(), col(), col(), col(), col()
		created, updated, data, keys, folded, idValues, sex, age := col(), col(), col(), col(), col(), col(), col(), col()
		dob, registration, risk, location, filters, history := col(), col(), col(), col(), col(), col()
		var traceIDs, traceTR, traceData, traceKeys, traceFolded, traceSex, traceAge, traceDOB, traceLocation, tracePos []any
		phones := phoneRuleOf(ctx, c)
		for i, r := range recs {
			sch := schemas[r.RecordType+"/"+r.ModuleID]
			if sch == nil {
				if sch, err = s.schemas.Schema(ctx, c, r.RecordType, r.ModuleID); err != nil {
					return err
				}
				schemas[r.RecordType+"/"+r.ModuleID] = sch
			}
			x := extract(r.RecordType, sch.Calculate(r.Data), sch, phones)
			if err := phones.Err(); err != nil {
				return err
			}
			ids[i], short[i], types[i], modules[i], status[i], workflow[i], flagged[i], owners[i] =
				r.ID, shortIDs[i], r.RecordType, r.ModuleID, r.Status, r.Workflow, r.Flagged, r.OwnerID
			created[i], updated[i], data[i] = r.CreatedAt, r.UpdatedAt, r.Data
			keys[i], folded[i], idValues[i] = strings.Join(x.NameKeys, " "), x.NameFolded, strings.Join(x.IDValues, " ")
			sex[i], age[i], dob[i], registration[i], risk[i], location[i] = x.Sex, x.Age, x.DateOfBirth, x.Registration, x.RiskLevel, x.Location
			filters[i] = x.Filters
			changes := diff(nil, r.Data, subforms(sch, r.Data))
			if changes == nil {
				changes = []FieldChange{}
			}
			j, err := json.Marshal(changes)
			if err != nil {
				return err
			}
			history[i] = string(j)
			if r.RecordType == TypeTracingRequest {
				trs, _ := rowsOf(r.Data[TraceSubform])
				for k, row := range trs {
					t := extractTrace(row)
					tracePos = append(tracePos, k)
					traceIDs = append(traceIDs, rowID(row))
					traceTR = append(traceTR, r.ID)
					traceData, traceKeys, traceFolded = append(traceData, row), append(traceKeys, strings.Join(t.NameKeys, " ")), append(traceFolded, t.NameFolded)
					traceSex, traceAge, traceDOB, traceLocation = append(traceSex, t.Sex), append(traceAge, t.Age), append(traceDOB, t.DateOfBirth), append(traceLocation, t.Location)
				}
			}
		}
		tag, err := c.Exec(ctx, `insert into records (id, short_id, record_type, module_id, status, workflow, flagged, data, created_by,
				updated_by, created_at, updated_at, create_digest, name_keys, name_keys_version, name_folded, id_values, sex, age,
				date_of_birth, registration_date, risk_level, location_current, filters)
			select r.id, r.short_id, r.record_type, r.module_id, r.status, r.workflow, r.flagged, r.data, o.name, o.name,
				r.created_at, r.updated_at, sha256(r.id::text::bytea), string_to_array(r.keys, ' '), `+keysVersion+`, r.folded,
				string_to_array(r.id_values, ' '), r.sex, r.age, r.dob, r.registration, r.risk, l.path, r.filters
			from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::jsonb[], $9::uuid[],
				$10::timestamptz[], $11::timestamptz[], $12::text[], $13::text[], $14::text[], $15::text[], $16::int[], $17::date[],
				$18::date[], $19::text[], $20::text[], $21::jsonb[])
				as r (id, short_id, record_type, module_id, status, workflow, flagged, data, owner, created_at, updated_at, keys, folded,
				id_values, sex, age, dob, registration, risk, location, filters)
			left join principals o on o.id = r.owner
			left join locations l on l.code = r.location
			on conflict (id) do nothing`,
			ids, short, types, modules, status, workflow, flagged, data, owners, created, updated, keys, folded, idValues, sex, age,
			dob, registration, risk, location, filters)
		if err != nil {
			return err
		}
		written = int(tag.RowsAffected())
		if written == 0 {
			return nil
		}
		if _, err := c.Exec(ctx, `insert into record_access (record_id, user_id, kind)
			select r.id, r.owner, 'owner' from unnest($1::uuid[], $2::uuid[]) as r (id, owner)
			where not exists (select from record_access a where a.record_id = r.id and a.kind = 'owner')`, ids, owners); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, `insert into record_history (record_id, version, changed_at, actor, actor_name, action, changes)
			select r.id, 1, r.created_at, $3, $3, 'create', r.changes from unnest($1::uuid[], $2::jsonb[], $4::timestamptz[]) as r (id, changes, created_at)
			on conflict do nothing`, ids, history, sub.String(), created); err != nil {
			return err
		}
		if len(traceIDs) > 0 {
			if _, err := c.Exec(ctx, `insert into traces (id, tracing_request_id, data, name_keys, name_keys_version, name_folded, sex, age,
					date_of_birth, location_last, position)
				select t.id, t.tr, t.data, string_to_array(t.keys, ' '), `+keysVersion+`, t.folded, t.sex, t.age, t.dob, l.path, t.position
				from unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::int[], $8::date[], $9::text[], $10::int[])
					as t (id, tr, data, keys, folded, sex, age, dob, location, position)
				left join locations l on l.code = t.location
				on conflict (id) do nothing`,
				traceIDs, traceTR, traceData, traceKeys, traceFolded, traceSex, traceAge, traceDOB, traceLocation, tracePos); err != nil {
				return err
			}
		}
		return nil
	})
	return written, err
}
