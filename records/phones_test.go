package records_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/l10n"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestPhoneCallingCodeRewritesStoredNumbers: setting the calling code
// (validated; the same code again changes nothing) queues a River job that
// rewrites the stored form of numbers written before, so that their
// international writing finds them; clearing it rewrites them back. Real
// River, real configuration.
func TestPhoneCallingCodeRewritesStoredNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tt := newRecordsTenant(t, "role-phone", []string{"cases:read", "cases:write", "system_settings:write"},
		"6f1c1f5e-3f6b-4b0e-9a55-0000000000ad")
	rs := records.New(tt.p, records.Config{Schemas: records.FormsSchemas(forms.New(tt.p, forms.Config{Locations: locations.New(tt.p)}))})
	client, err := jobs.NewClient(tt.db.Pool, tt.p, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	require.NoError(t, client.Start(ctx))
	t.Cleanup(func() {
		cancel()
		sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(sctx))
	})
	rewritten := func() {
		t.Helper()
		deadline := time.After(60 * time.Second)
		for {
			select {
			case e := <-events:
				if e.Job.Kind != (records.RewritePhonesArgs{}).Kind() {
					continue
				}
				require.Equal(t, river.EventKindJobCompleted, e.Kind, "%v", e.Job.Errors)
				return
			case <-deadline:
				t.Fatal("the rewrite job did not finish within 60s")
			}
		}
	}
	create := func(first, phone string) records.Record {
		t.Helper()
		r, _, err := rs.Create(tt.user, "ke", records.TypeCase, records.CreateInput{Body: records.Data{
			"name_first": first, "name_last": "Odhiambo", "sex": "male", "telephone_current": phone, "registration_date": "2026-01-10"}})
		require.NoError(t, err)
		return r
	}
	search := func(q string) []string {
		t.Helper()
		res, err := rs.List(tt.user, "ke", records.TypeCase, records.ListParams{Search: records.Search{Query: q, PhoneNumber: true}})
		require.NoError(t, err)
		var out []string
		for _, r := range res.Records {
			out = append(out, r.Data["name_first"].(string))
		}
		slices.Sort(out)
		return out
	}
	stored := func(id string) []string {
		t.Helper()
		var v []string
		require.NoError(t, tt.su.QueryRow(ctx, "select id_values from tenant_ke.records where id = $1", id).Scan(&v))
		return v
	}

	local := create("Ochieng", "0722 111 222")
	create("Otieno", "+254 712 345 678")
	create("Omondi", "733 000 111") // no trunk prefix: kept as written
	require.Empty(t, search("+254 722 111 222"))

	for _, bad := range []string{"0254", "+254", "12345", "25a", " 254"} {
		_, err := rs.SetPhoneCallingCode(tt.user, "ke", bad)
		var ie *tenancy.InvalidError
		require.ErrorAs(t, err, &ie, bad)
		require.Equal(t, "phone_calling_code", ie.Field)
		require.Equal(t, "calling_code", ie.Code)
		for _, lang := range []string{"fr", "es", "ar"} {
			require.NotEqual(t, ie.Reason, l10n.Translate(lang, "error:calling_code", ie.Reason, nil), "translated in %s", lang)
		}
	}
	pc, err := rs.PhoneCallingCode(tt.user, "ke")
	require.NoError(t, err)
	require.Equal(t, records.PhoneCallingCode{}, pc, "bad input changes nothing")
	reader := policy.WithSubject(ctx, policy.Subject{Kind: policy.KindUser, ID: "6f1c1f5e-3f6b-4b0e-9a55-0000000000ae",
		Roles: []string{"role-case-manager"}, Scope: policy.ScopeAll})
	_, err = rs.SetPhoneCallingCode(reader, "ke", "254")
	require.ErrorIs(t, err, tenancy.ErrForbidden)

	pc, err = rs.SetPhoneCallingCode(tt.user, "ke", "254")
	require.NoError(t, err)
	require.Equal(t, "254", pc.CallingCode)
	require.NotNil(t, pc.Rewrite)
	require.Equal(t, "254", pc.Rewrite.CallingCode)
	rewritten()
	require.Equal(t, []string{"Ochieng"}, search("+254 722 111 222"), "found by its international writing without being saved again")
	require.Equal(t, []string{"Ochieng"}, search("0722 111 222"))
	require.Equal(t, []string{"254722111222"}, stored(local.ID))
	require.Equal(t, []string{"Omondi"}, search("733000111"))
	pc, err = rs.PhoneCallingCode(tt.user, "ke")
	require.NoError(t, err)
	require.NotNil(t, pc.Rewrite.FinishedAt)
	require.Equal(t, 3, pc.Rewrite.RecordsTotal)
	require.Equal(t, 3, pc.Rewrite.RecordsDone)
	require.Equal(t, 1, pc.Rewrite.RecordsChanged)

	again, err := rs.SetPhoneCallingCode(tt.user, "ke", "254")
	require.NoError(t, err)
	require.Equal(t, pc, again, "the same code again: no new rewrite")

	_, err = rs.SetPhoneCallingCode(tt.user, "ke", "")
	require.NoError(t, err)
	rewritten()
	require.Equal(t, []string{"0722111222"}, stored(local.ID), "without a code: the digits as written")
	require.Empty(t, search("+254 722 111 222"))
}
