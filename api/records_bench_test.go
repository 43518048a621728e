package api_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// seedCases fills tenant ke with n cases owned by n/200 users (at least
// 20) spread over two agencies and n/2000 groups (at least 4); owners are
// plain user rows that never sign in. Each case has names, family rows and
// a note, ~1.5 KB of data, the way a country's data looks to the records
// queries.
func seedCases(b *testing.B, mb *membersBundle, n int) {
	b.Helper()
	ctx := context.Background()
	su := mb.db.Superuser(b)
	for _, q := range []string{
		`insert into tenant_ke.user_groups (unique_id, name)
		select 'usergroup-seed-' || g, 'Seed group ' || g from generate_series(1, greatest(4, $1::int / 2000)) g`,
		`insert into tenant_ke.users (identity_id, email, full_name, role_id, agency_id)
		select gen_random_uuid(), 'seed-' || u || '@example.org', 'Seed user ' || u,
			(select id from tenant_ke.roles where unique_id = 'role-caseworker'),
			(select id from tenant_ke.agencies where unique_id = case when u % 2 = 0 then 'agency-unicef' else 'agency-save' end)
		from generate_series(1, greatest(20, $1::int / 200)) u`,
		`insert into tenant_ke.user_groups_users (user_group_id, user_id)
		select g.id, u.id from tenant_ke.users u join tenant_ke.user_groups g
			on g.unique_id = 'usergroup-seed-' || (1 + abs(hashtext(u.email)) % greatest(4, $1::int / 2000)) where u.email like 'seed-%'`,
	} {
		_, err := su.Exec(ctx, q, n)
		require.NoError(b, err)
	}
	_, err := su.Exec(ctx, `
		with owners as (select array_agg(id order by email) ids from tenant_ke.users where email like 'seed-%'),
		made as (
			insert into tenant_ke.records (id, short_id, record_type, module_id, data, created_by, updated_by, create_digest,
				name_folded, sex, age, date_of_birth, registration_date, risk_level, location_current)
			select gen_random_uuid(), 'seed' || lpad(i::text, 7, '0'), 'case', 'primeromodule-cp',
				jsonb_build_object('name_first', (array['Mohamed','Amina','Yusuf','Fatima','Abdirahman','Halima'])[1 + i % 6],
					'name_last', (array['Hassan','Ali','Omar','Abdi','Warsame'])[1 + i % 5], 'sex', case when i % 2 = 0 then 'male' else 'female' end,
					'date_of_birth', (date '2010-01-01' + (i % 4000))::text, 'registration_date', (date '2024-01-01' + (i % 700))::text,
					'nationality', jsonb_build_array('som'), 'risk_level', (array['low','medium','high'])[1 + i % 3],
					'protection_concerns', jsonb_build_array('separated', 'unaccompanied'), 'consent_for_services', true,
					'address_current', 'Block ' || i % 97 || ', Dadaab', 'telephone_current', '+2547' || lpad((i % 99999999)::text, 8, '0'),
					'family_details_section', jsonb_build_array(
						jsonb_build_object('unique_id', gen_random_uuid(), 'relation', 'mother', 'relation_name', 'Halima Abdi', 'relation_age', 30 + i % 20),
						jsonb_build_object('unique_id', gen_random_uuid(), 'relation', 'father', 'relation_name', 'Omar Hassan', 'relation_is_alive', 'unknown')),
					'notes_section', jsonb_build_array(jsonb_build_object('unique_id', gen_random_uuid(), 'notes_date', '2024-03-01T10:00:00Z',
						'note_subject', 'Home visit', 'field_notes_subform_fields', repeat('The child was seen at home with the caregiver. ', 8)))),
				'seed', 'seed', sha256(i::text::bytea), 'seed', case when i % 2 = 0 then 'male' else 'female' end, 5 + i % 12,
				date '2010-01-01' + (i % 4000), date '2024-01-01' + (i % 700), (array['low','medium','high'])[1 + i % 3], 'KE01'
			from generate_series(1, $1::int) i
			returning id, short_id)
		insert into tenant_ke.record_access (record_id, user_id, kind)
		select made.id, owners.ids[1 + (substr(made.short_id, 5)::int % array_length(owners.ids, 1))], 'owner' from made, owners`, n)
	require.NoError(b, err)
	_, err = su.Exec(ctx, "analyze tenant_ke.records; analyze tenant_ke.record_access")
	require.NoError(b, err)
}

// BenchmarkRecords measures records calls through the whole server (session
// check, Casbin, tenant transaction, visibility, audit row) on a tenant of
// CPIMS_BENCH_CASES cases (default 20,000).
func BenchmarkRecords(b *testing.B) {
	n := 20_000
	if s := os.Getenv("CPIMS_BENCH_CASES"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	mb := setupMembers(b)
	seedCases(b, mb, n)
	cw := mb.member(b, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	manager := mb.member(b, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	own := mb.createCase(b, cw.token, map[string]any{"family_details_section": []any{
		map[string]any{"relation": "mother", "relation_name": "Halima"}}})
	for range 50 {
		mb.createCase(b, cw.token, nil)
	}
	path := "/api/v2/cases/" + own["id"].(string)
	expect := func(b *testing.B, res response, code int) {
		if res.Code != code {
			b.Fatalf("%d: %s", res.Code, res.Body.String())
		}
	}
	b.Run("GetOwn", func(b *testing.B) {
		for range b.N {
			expect(b, mb.call(b, "GET", path, cw.token, nil, nil), http.StatusOK)
		}
	})
	b.Run("GetGroupScope", func(b *testing.B) {
		for range b.N {
			expect(b, mb.call(b, "GET", path, manager.token, nil, nil), http.StatusOK)
		}
	})
	b.Run("ListOwnPage20", func(b *testing.B) {
		for range b.N {
			expect(b, mb.call(b, "GET", "/api/v2/cases?per=20", cw.token, nil, nil), http.StatusOK)
		}
	})
	b.Run("Create", func(b *testing.B) {
		for range b.N {
			expect(b, mb.call(b, "POST", "/api/v2/cases", cw.token, nil, envelope(caseData(nil))), http.StatusCreated)
		}
	})
	b.Run("Patch", func(b *testing.B) {
		version := int(mb.call(b, "GET", path, cw.token, nil, nil).body["data"].(map[string]any)["version"].(float64))
		for range b.N {
			res := mb.call(b, "PATCH", path, cw.token, ifMatch(version), envelope(map[string]any{"name_middle": fmt.Sprint("v", version)}))
			expect(b, res, http.StatusOK)
			version++
		}
	})
}
