package locations_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/tenancy"
)

// insertRecord stores a record holding data in tenant ke (as package
// records would, minus its search columns).
func (b *testBundle) insertRecord(t testing.TB, recordType string, data map[string]any) {
	t.Helper()
	raw, err := json.Marshal(data)
	require.NoError(t, err)
	digest := sha256.Sum256(raw)
	_, err = b.db.Superuser(t).Exec(context.Background(), `insert into tenant_ke.records
		(id, record_type, short_id, module_id, data, created_by, updated_by, create_digest)
		values (gen_random_uuid(), $1, left(md5(gen_random_uuid()::text), 7), 'primeromodule-cp', $2, 'test', 'test', $3)`,
		recordType, raw, digest[:])
	require.NoError(t, err)
}

// TestLocationsRecordsUseCannotBeRemoved: the location fields come from the
// default configuration (case location_current, the trace subform's
// location_last), top-level and in subform rows.
func TestLocationsRecordsUseCannotBeRemoved(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := admin()
	_, err := b.svc.Upsert(ctx, "ke", demo)
	require.NoError(t, err)
	b.insertRecord(t, "case", map[string]any{"location_current": "DL0101C1", "sex": "female"})
	b.insertRecord(t, "case", map[string]any{"location_current": "DL0101C1"})
	b.insertRecord(t, "tracing_request", map[string]any{"tracing_request_subform_section": []map[string]any{
		{"unique_id": "0b0f8d5e-3b43-4c36-9a43-1b7c0d7f2a11", "location_last": "DL0201"}}})
	// A case key that is no location field of cases does not count.
	b.insertRecord(t, "case", map[string]any{"location_last": "DL01C1"})

	err = b.svc.Delete(ctx, "ke", "DL0101C1")
	require.ErrorIs(t, err, tenancy.ErrConflict)
	var iu *locations.InUseError
	require.ErrorAs(t, err, &iu)
	require.Equal(t, &locations.InUseError{Delete: true, Uses: []locations.Use{{Code: "DL0101C1", Records: 2}}}, iu)
	b.get(t, "DL0101C1")

	err = b.svc.Delete(ctx, "ke", "DL0201")
	require.ErrorAs(t, err, &iu)
	require.Equal(t, &locations.InUseError{Delete: true, Uses: []locations.Use{{Code: "DL0201", Records: 1}}}, iu)

	require.NoError(t, b.svc.Delete(ctx, "ke", "DL01C1"), "unused")

	// A bundle without the DL02 subtree: the dry run shows the refusal, the import refuses and changes nothing.
	var kept []locations.Spec
	for _, s := range demo {
		if s.Code != "DL02" && s.Code != "DL0201" && s.Code != "DL01C1" {
			kept = append(kept, s)
		}
	}
	require.NoError(t, b.p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
		_, err := locations.Diff(ctx, c, kept)
		require.ErrorIs(t, err, tenancy.ErrConflict)
		var iu *locations.InUseError
		require.ErrorAs(t, err, &iu)
		require.Equal(t, &locations.InUseError{Uses: []locations.Use{{Code: "DL0201", Records: 1}}}, iu)
		return nil
	}))
	err = b.p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
		_, err := locations.Replace(ctx, c, kept)
		return err
	})
	require.ErrorIs(t, err, tenancy.ErrConflict)
	b.get(t, "DL02")
	b.get(t, "DL0201")
}
