package tenancy_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/tenancy"
)

// TestLikelyThresholdMigrationRelabels: migration 048 relabels the stored
// potential matches between the old default threshold of `likely` (0.5)
// and the new (0.6) as `possible`, on a tenant that labels by the defaults
// (no stored matching configuration), and leaves every other label, and a
// tenant with a configuration of its own, as they were.
func TestLikelyThresholdMigrationRelabels(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	su := b.db.Superuser(t)
	for _, code := range []string{"dflt", "own"} {
		_, err := b.p.Create(ctx, tenancy.CreateParams{Code: code, Name: code, Locales: []string{"en"}})
		require.NoError(t, err)
		require.NoError(t, b.p.ProvisionAt(ctx, code, 47))
		schema := tenancy.SchemaName(code)
		_, err = su.Exec(ctx, `set search_path = `+schema+`;
			insert into records (id, record_type, short_id, module_id, created_by, updated_by, create_digest) values
				('00000000-0000-0000-0000-00000000000a', 'tracing_request', 't1', 'primeromodule-cp', 'test', 'test', decode(repeat('00', 32), 'hex')),
				('00000000-0000-0000-0000-000000000001', 'case', 'c1', 'primeromodule-cp', 'test', 'test', decode(repeat('01', 32), 'hex')),
				('00000000-0000-0000-0000-000000000002', 'case', 'c2', 'primeromodule-cp', 'test', 'test', decode(repeat('02', 32), 'hex')),
				('00000000-0000-0000-0000-000000000003', 'case', 'c3', 'primeromodule-cp', 'test', 'test', decode(repeat('03', 32), 'hex')),
				('00000000-0000-0000-0000-000000000004', 'case', 'c4', 'primeromodule-cp', 'test', 'test', decode(repeat('04', 32), 'hex'));
			insert into traces (id, tracing_request_id, data) values ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000000a', '{}');
			insert into potential_matches (trace_id, tracing_request_id, case_id, probability, label, weight, parameters_version, comparisons, status)
			select '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000000a', c::uuid, p, l, 10, 1, '[]', s
			from (values ('00000000-0000-0000-0000-000000000001', 0.55, 'likely', 'pending'),
				('00000000-0000-0000-0000-000000000002', 0.5, 'likely', 'rejected'),
				('00000000-0000-0000-0000-000000000003', 0.6, 'likely', 'pending'),
				('00000000-0000-0000-0000-000000000004', 0.3, 'possible', 'pending')) x (c, p, l, s);
			reset search_path`)
		require.NoError(t, err)
	}
	_, err := su.Exec(ctx, `insert into tenant_own.matching_configuration (configuration, version, updated_by)
		values ('{"thresholds": {"likely": 0.5, "possible": 0.05}}', 1, 'test')`)
	require.NoError(t, err)

	rep, err := b.p.MigrateTenants(ctx, tenancy.MigrateOptions{})
	require.NoError(t, err)
	require.Empty(t, rep.Failed)
	labels := func(code string) []string {
		rows, err := su.Query(ctx, `select probability || ' ' || label from `+tenancy.SchemaName(code)+`.potential_matches order by case_id`)
		require.NoError(t, err)
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return out
	}
	require.Equal(t, []string{"0.55 possible", "0.5 possible", "0.6 likely", "0.3 possible"}, labels("dflt"))
	require.Equal(t, []string{"0.55 likely", "0.5 likely", "0.6 likely", "0.3 possible"}, labels("own"))
}

// TestTracePositionMigrationBackfills: migration 049 gives each stored trace
// its place among its tracing request's trace rows (0: the first), as the
// records service writes it from then on, whatever the order of the rows'
// ids, and leaves a trace its request no longer lists at 0.
func TestTracePositionMigrationBackfills(t *testing.T) {
	t.Parallel()
	ctx, b := setup(t)
	su := b.db.Superuser(t)
	_, err := b.p.Create(ctx, tenancy.CreateParams{Code: "pos", Name: "pos", Locales: []string{"en"}})
	require.NoError(t, err)
	require.NoError(t, b.p.ProvisionAt(ctx, "pos", 48))
	_, err = su.Exec(ctx, `set search_path = `+tenancy.SchemaName("pos")+`;
		insert into records (id, record_type, short_id, module_id, created_by, updated_by, create_digest, data) values
			('00000000-0000-0000-0000-00000000000a', 'tracing_request', 't1', 'primeromodule-cp', 'test', 'test', decode(repeat('00', 32), 'hex'),
			'{"tracing_request_subform_section": [{"unique_id": "00000000-0000-0000-0000-0000000000b3"},
				{"unique_id": "00000000-0000-0000-0000-0000000000b1"}, {"unique_id": "00000000-0000-0000-0000-0000000000b2"}]}');
		insert into traces (id, tracing_request_id, data) values
			('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000000a', '{}'),
			('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-00000000000a', '{}'),
			('00000000-0000-0000-0000-0000000000b3', '00000000-0000-0000-0000-00000000000a', '{}'),
			('00000000-0000-0000-0000-0000000000b4', '00000000-0000-0000-0000-00000000000a', '{}');
		reset search_path`)
	require.NoError(t, err)

	rep, err := b.p.MigrateTenants(ctx, tenancy.MigrateOptions{})
	require.NoError(t, err)
	require.Empty(t, rep.Failed)
	rows, err := su.Query(ctx, `select right(id::text, 2) || ' ' || position from tenant_pos.traces order by id`)
	require.NoError(t, err)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"b1 1", "b2 2", "b3 0", "b4 0"}, got)
}
