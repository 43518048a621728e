package records_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/records"
)

// TestPhoneSearchLocalAndInternational: without a calling code a phone
// search matches all the digits as written (a local 0712... does not find
// +254 712...); with the tenant's code (system_settings.phone_calling_code)
// local, 00 and + writings find each other, in searches and in duplicates
// (a phone in common is a reason). A number written the local way before
// the code was set is found by its local writing until the record is saved
// again.
func TestPhoneSearchLocalAndInternational(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tt := newRecordsTenant(t, "role-phone", []string{"cases:read", "cases:write"}, "6f1c1f5e-3f6b-4b0e-9a55-0000000000ac")
	p, su, user := tt.p, tt.su, tt.user
	rs := records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{Locations: locations.New(p)}))})

	create := func(first, phone string) records.Record {
		t.Helper()
		r, _, err := rs.Create(user, "ke", records.TypeCase, records.CreateInput{Body: records.Data{
			"name_first": first, "name_last": "Odhiambo", "sex": "male", "telephone_current": phone, "registration_date": "2026-01-10"}})
		require.NoError(t, err)
		return r
	}
	search := func(q string) []string {
		t.Helper()
		res, err := rs.List(user, "ke", records.TypeCase, records.ListParams{Search: records.Search{Query: q, PhoneNumber: true}})
		require.NoError(t, err)
		var out []string
		for _, r := range res.Records {
			out = append(out, r.Data["name_first"].(string))
		}
		slices.Sort(out)
		require.Len(t, out, res.Total)
		return out
	}
	phoneReason := func(phone string) bool {
		t.Helper()
		dups, err := rs.Duplicates(user, "ke", records.Data{"name_first": "Otieno", "name_last": "Odhiambo", "sex": "male",
			"telephone_current": phone})
		require.NoError(t, err)
		require.NotEmpty(t, dups)
		return slices.Contains(dups[0].Reasons, records.Reason{Field: "telephone_current", Match: "exact"})
	}

	intl := create("Otieno", "+254 712 345 678")
	local := create("Ochieng", "0722 111 222")
	// No calling code: all the digits, as written.
	require.Equal(t, []string{"Otieno"}, search("254712345678"))
	require.Empty(t, search("0712 345 678"), "local and international writings differ without a calling code")
	require.Equal(t, []string{"Ochieng"}, search("0722-111-222"))
	require.Empty(t, search("+254 722 111 222"))
	require.False(t, phoneReason("0712 345 678"))
	require.True(t, phoneReason("+254 712 345 678"))

	_, err := su.Exec(ctx, "update tenant_ke.system_settings set phone_calling_code = '254'")
	require.NoError(t, err)
	require.Equal(t, []string{"Otieno"}, search("0712 345 678"), "the local writing finds the international one")
	require.Equal(t, []string{"Otieno"}, search("00254 712 345 678"))
	require.Equal(t, []string{"Otieno"}, search("+254 712 345 678"))
	require.True(t, phoneReason("0712 345 678"), "duplicates compare local and international writings")
	require.Equal(t, []string{"Ochieng"}, search("0722 111 222"), "a local number stored before the code: by its local writing")
	require.Empty(t, search("+254 722 111 222"), "... not yet by the international one")

	// Saved again, it is stored in international form.
	_, err = rs.Update(user, "ke", records.TypeCase, records.UpdateInput{ID: local.ID, IfMatch: []int64{local.Version},
		Body: records.Data{"name_nickname": "Ochi"}})
	require.NoError(t, err)
	require.Equal(t, []string{"Ochieng"}, search("+254 722 111 222"))
	require.Equal(t, []string{"Ochieng"}, search("0722 111 222"))

	later := create("Omondi", "0733 000 111")
	require.Equal(t, []string{"Omondi"}, search("+254 733 000 111"))
	require.Equal(t, []string{"Omondi"}, search("254733000111"))
	require.Equal(t, []string{"Omondi"}, search("0733000111"))
	require.Empty(t, search("0733 000 112"))
	var stored []string
	require.NoError(t, su.QueryRow(ctx, "select id_values from tenant_ke.records where id = $1", later.ID).Scan(&stored))
	require.Equal(t, []string{"254733000111"}, stored)
	require.NotEmpty(t, intl.ID)
}
