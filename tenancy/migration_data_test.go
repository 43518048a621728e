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
