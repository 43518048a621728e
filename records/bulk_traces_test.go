package records_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

// TestBatchTracesKeepTheirPositions: a tracing request written by
// CreateBatch (demo and benchmark seeds) mirrors its trace rows with their
// places among the rows, as a request written one at a time does (FTR
// matching reads the request's separation as its first row's).
func TestBatchTracesKeepTheirPositions(t *testing.T) {
	t.Parallel()
	tt := newRecordsTenant(t, "role-batch", []string{"tracing_requests:read"}, "6f1c1f5e-3f6b-4b0e-9a55-0000000000c1")
	rs := records.New(tt.p, records.Config{})
	seeder := policy.WithSubject(context.Background(), policy.System(policy.ActorDemoSeeder))
	rows := []string{"ffffffff-0000-4000-8000-0000000000c3", "00000000-0000-4000-8000-0000000000c1", "77777777-0000-4000-8000-0000000000c2"}
	var subform []any
	for _, id := range rows {
		subform = append(subform, map[string]any{"unique_id": id, "name_first": "Akuol"})
	}
	var owner string
	_, err := tt.su.Exec(context.Background(), `insert into tenant_ke.agencies (unique_id, name, agency_code) values ('agency-batch', '{"en": "Batch"}', 'BATCH')`)
	require.NoError(t, err)
	require.NoError(t, tt.su.QueryRow(context.Background(), `insert into tenant_ke.users (identity_id, email, full_name, role_id, agency_id)
		values (gen_random_uuid(), 'owner@example.org', 'Owner', (select id from tenant_ke.roles where unique_id = 'role-caseworker'),
			(select id from tenant_ke.agencies where unique_id = 'agency-batch')) returning id::text`).Scan(&owner))
	now := time.Now()
	trID := "6f1c1f5e-3f6b-4b0e-9a55-0000000000d1"
	_, err = rs.CreateBatch(seeder, "ke", []records.BatchRecord{{ID: trID, RecordType: records.TypeTracingRequest,
		ModuleID: "primeromodule-cp", Status: "open", Workflow: "new", OwnerID: owner,
		CreatedAt: now, UpdatedAt: now, Data: records.Data{"inquiry_date": "2026-02-01", records.TraceSubform: subform}}})
	require.NoError(t, err)
	q, err := tt.su.Query(context.Background(), "select id::text from tenant_ke.traces where tracing_request_id = $1 order by position, id", trID)
	require.NoError(t, err)
	got, err := pgx.CollectRows(q, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, rows, got)
}
