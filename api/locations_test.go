package api_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

func dataOf(t testing.TB, res response) map[string]any {
	t.Helper()
	d, ok := res.body["data"].(map[string]any)
	require.True(t, ok, res.Body.String())
	return d
}

func TestLocationsAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef").token
	post := func(body map[string]any) response {
		return mb.do(t, "POST", "ke.localhost", "/api/v2/locations", admin, body)
	}
	for _, l := range []map[string]any{
		{"code": "KE", "admin_level": 0, "type": "country", "name": map[string]string{"en": "Kenya", "sw": "Kenya"}},
		{"code": "KE01", "parent_code": "KE", "admin_level": 1, "type": "county", "name": map[string]string{"en": "Mombasa"}},
		{"code": "KE02", "parent_code": "KE", "admin_level": 1, "type": "county", "name": map[string]string{"en": "Kwale"}},
		{"code": "KE0101", "parent_code": "KE01", "admin_level": 2, "type": "sub_county", "name": map[string]string{"en": "Mvita"}},
		{"code": "KE0101C", "parent_code": "KE0101", "admin_level": 4, "type": "camp", "name": map[string]string{"en": "Likoni camp"}},
	} {
		res := post(l)
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	}
	camp := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/KE0101C", cw, nil))
	require.Equal(t, []any{"KE", "KE01", "KE0101", "KE0101C"}, camp["hierarchy"])
	require.EqualValues(t, 4, camp["admin_level"], "a level may be skipped")

	// The change was audited with the location's id.
	auditor := policy.WithSubject(context.Background(), policy.System(policy.ActorAuditor))
	logs, _, err := mb.p.ListAuditLogs(auditor, "ke", tenancy.AuditFilter{Action: "locations:read", Per: 1})
	require.NoError(t, err)
	require.Equal(t, "location", logs[0].RecordType)
	require.Equal(t, camp["id"], logs[0].RecordID)

	t.Run("BadInputIsAProblemAndChangesNothing", func(t *testing.T) {
		res := post(map[string]any{"code": "KE01", "parent_code": "KE", "admin_level": 1, "name": map[string]string{"en": "Again"}})
		requireProblem(t, res, http.StatusConflict)
		for _, tc := range []struct {
			body     map[string]any
			location string
		}{
			{map[string]any{"code": "KE03", "parent_code": "KE99", "admin_level": 1, "name": map[string]string{"en": "X"}}, "body.parent_code"},
			{map[string]any{"code": "KE03", "parent_code": "KE01", "admin_level": 1, "name": map[string]string{"en": "X"}}, "body.admin_level"},
			{map[string]any{"code": "KE-03", "parent_code": "KE", "admin_level": 1, "name": map[string]string{"en": "X"}}, "body.code"},
			{map[string]any{"code": "KE03", "parent_code": "KE", "admin_level": 1, "name": map[string]string{}}, "body.name"},
		} {
			res := post(tc.body)
			requireProblem(t, res, http.StatusUnprocessableEntity)
			errs := res.body["errors"].([]any)
			require.Equal(t, tc.location, errs[0].(map[string]any)["location"], res.Body.String())
		}
		requireProblem(t, mb.do(t, "PATCH", "ke.localhost", "/api/v2/locations/KE01", admin, map[string]any{}), http.StatusUnprocessableEntity)
		requireProblem(t, mb.do(t, "PATCH", "ke.localhost", "/api/v2/locations/KE01", admin, map[string]any{"admin_level": 2}),
			http.StatusUnprocessableEntity)
		requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/KE03", admin, nil), http.StatusNotFound)
		res = mb.do(t, "GET", "ke.localhost", "/api/v2/locations", admin, nil)
		require.EqualValues(t, 5, res.body["metadata"].(map[string]any)["total"])
	})

	t.Run("ListFilters", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			want  []any
		}{
			{"?admin_level=1", []any{"KE01", "KE02"}},
			{"?subtree=KE01", []any{"KE01", "KE0101", "KE0101C"}},
			{"?parent=KE", []any{"KE01", "KE02"}},
			{"?query=likoni", []any{"KE0101C"}},
			{"?per=2&page=2", []any{"KE0101", "KE0101C"}},
		} {
			res := mb.do(t, "GET", "ke.localhost", "/api/v2/locations"+tc.query, cw, nil)
			require.Equal(t, http.StatusOK, res.Code, res.Body.String())
			var got []any
			for _, l := range res.body["data"].([]any) {
				got = append(got, l.(map[string]any)["code"])
			}
			require.Equal(t, tc.want, got, tc.query)
		}
		requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations?admin_level=6", cw, nil), http.StatusUnprocessableEntity)
	})

	t.Run("MoveDisableDelete", func(t *testing.T) {
		res := mb.do(t, "PATCH", "ke.localhost", "/api/v2/locations/KE0101", admin, map[string]any{"parent_code": "KE02"})
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		camp := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/KE0101C", cw, nil))
		require.Equal(t, []any{"KE", "KE02", "KE0101", "KE0101C"}, camp["hierarchy"])

		requireProblem(t, mb.do(t, "DELETE", "ke.localhost", "/api/v2/locations/KE0101", admin, nil), http.StatusConflict)
		res = mb.do(t, "PATCH", "ke.localhost", "/api/v2/locations/KE0101", admin, map[string]any{"disabled": true})
		require.Equal(t, true, dataOf(t, res)["disabled"])
		res = mb.do(t, "GET", "ke.localhost", "/api/v2/locations?disabled=false&subtree=KE02", cw, nil)
		require.EqualValues(t, 2, res.body["metadata"].(map[string]any)["total"], "KE02 and the camp: the disabled one is not offered")

		res = mb.do(t, "DELETE", "ke.localhost", "/api/v2/locations/KE0101C", admin, nil)
		require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
		requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/KE0101C", admin, nil), http.StatusNotFound)
	})
}

func multipartBody(t testing.TB, field, filename string, content []byte) rawBody {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, err := w.CreateFormFile(field, filename)
	require.NoError(t, err)
	_, err = part.Write(content)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return rawBody{w.FormDataContentType(), buf.Bytes()}
}

func TestLocationImportAPI(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	upload := func(body rawBody) response {
		return mb.do(t, "POST", "ke.localhost", "/api/v2/locations/import", admin, body)
	}
	queued := func() int {
		var n int
		require.NoError(t, mb.db.Pool.QueryRow(context.Background(),
			"select count(*) from river.river_job where kind = 'import_locations'").Scan(&n))
		return n
	}

	csv := "code,parent_code,admin_level,type,name_en,name_sw\nKE,,0,country,Kenya,Kenya\nKE01,KE,1,county,Mombasa,Mombasa\nKE02,KX,1,county,Kwale,\n"
	res := upload(multipartBody(t, "file", "kenya.csv", []byte(csv)))
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	im := dataOf(t, res)
	require.Equal(t, "/api/v2/locations/imports/"+im["id"].(string), res.Header().Get("Location"))
	require.Equal(t, "queued", im["status"])
	require.Equal(t, "kenya.csv", im["filename"])
	require.EqualValues(t, 3, im["rows_total"])
	mb.waitJob(t, "import_locations", im["id"].(string))

	res = mb.do(t, "GET", "ke.localhost", res.Header().Get("Location"), admin, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	im = dataOf(t, res)
	require.Equal(t, "succeeded", im["status"])
	require.EqualValues(t, 3, im["rows_done"])
	require.EqualValues(t, 2, im["rows_applied"])
	require.EqualValues(t, 1, im["rows_invalid"])
	report := im["report"].([]any)
	require.Len(t, report, 3)
	require.Equal(t, map[string]any{"row": 4.0, "code": "KE02", "outcome": "invalid", "reason": "parent_code: no location has code KX",
		"reason_code": "parent_not_found", "reason_params": map[string]any{"parent": "KX"}}, report[2])
	require.Equal(t, map[string]any{"row": 2.0, "code": "KE", "outcome": "applied"}, report[0])
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/locations/imports/"+im["id"].(string)+"?outcome=invalid", admin, nil)
	require.Len(t, dataOf(t, res)["report"], 1)
	require.EqualValues(t, 1, res.body["metadata"].(map[string]any)["total"])
	require.Equal(t, "Mombasa", dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/KE01", admin, nil))["name"].(map[string]any)["sw"])

	// HXL, as the body itself.
	hxl := "County,County code,Sub-county,Sub-county code\n#adm1+name,#adm1+code,#adm2+name+i_sw,#adm2+code\nMombasa,KE01,Mvita,KE0101\n"
	res = upload(rawBody{"text/csv; charset=utf-8", []byte(hxl)})
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	require.Equal(t, "hxl", dataOf(t, res)["format"])
	mb.waitJob(t, "import_locations", dataOf(t, res)["id"].(string))
	mvita := dataOf(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/KE0101", admin, nil))
	require.Equal(t, []any{"KE", "KE01", "KE0101"}, mvita["hierarchy"], "the county existed: it stays under the country")
	require.Equal(t, map[string]any{"sw": "Mvita"}, mvita["name"])

	t.Run("RefusedBeforeTheJob", func(t *testing.T) {
		before := queued()
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		for _, body := range []rawBody{{"text/csv", png}, multipartBody(t, "file", "photo.png", png),
			{"text/csv", []byte("name,level\nKenya,0\n")}, multipartBody(t, "upload", "kenya.csv", []byte(csv))} {
			res := upload(body)
			requireProblem(t, res, http.StatusUnprocessableEntity)
			require.Equal(t, "body.file", res.body["errors"].([]any)[0].(map[string]any)["location"], res.Body.String())
		}
		requireProblem(t, upload(rawBody{"application/json", []byte(`{"code": "KE"}`)}), http.StatusUnsupportedMediaType)
		big := bytes.Repeat([]byte("KE01,KE,1,county,Mombasa,Mombasa\n"), 22<<20/33)
		requireProblem(t, upload(rawBody{"text/csv", append([]byte("code,parent_code,admin_level,type,name_en,name_sw\n"), big...)}),
			http.StatusRequestEntityTooLarge)
		require.Equal(t, before, queued(), "no job queued")
		requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/locations/imports/00000000-0000-0000-0000-000000000000", admin, nil),
			http.StatusNotFound)
	})
}

// TestLocationsInUseAreRefusedInTheCallersLanguage: removing locations that
// records use is a 409 location_in_use whose detail is one sentence in the
// caller's language, each count in its plural form (Arabic's one, two, few,
// many; past the counting limit), with one errors[] entry per location
// (its code and count as params) and one for the locations not named; a
// location with an invalid parent in a bundle is refused in Arabic, the
// parent's own problem included.
func TestLocationsInUseAreRefusedInTheCallersLanguage(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	adminAr := mb.memberIn(t, "ar", "ke", "role-system-administrator", "agency-unicef").token
	adminFr := mb.memberIn(t, "fr", "ke", "role-system-administrator", "agency-unicef").token
	adminEn := mb.member(t, "ke", "role-system-administrator", "agency-unicef").token
	post := func(l map[string]any) {
		res := mb.do(t, "POST", "ke.localhost", "/api/v2/locations", adminEn, l)
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	}
	post(map[string]any{"code": "KE", "admin_level": 0, "name": map[string]string{"en": "Kenya"}})
	// KE01..KE12: records use KE01 once, KE02 twice, KE03 3 times, KE04 11
	// times, KE05 more than the limit (10,000), the others once.
	uses := map[string]int{"KE01": 1, "KE02": 2, "KE03": 3, "KE04": 11, "KE05": locations.UseCountLimit + 1}
	su := mb.db.Superuser(t)
	for i := 1; i <= 12; i++ {
		code := fmt.Sprintf("KE%02d", i)
		post(map[string]any{"code": code, "parent_code": "KE", "admin_level": 1, "name": map[string]string{"en": "County " + code}})
		_, err := su.Exec(context.Background(), `insert into tenant_ke.records
			(id, record_type, short_id, module_id, data, created_by, updated_by, create_digest)
			select gen_random_uuid(), 'case', $1 || '-' || g, 'primeromodule-cp', jsonb_build_object('location_current', $1::text),
				'test', 'test', sha256(gen_random_uuid()::text::bytea)
			from generate_series(1, $2) g`, code, max(uses[code], 1))
		require.NoError(t, err)
	}

	for _, tc := range []struct {
		code, ar, arMessage, fr, frMessage string
		params                             map[string]any
	}{
		{"KE01", "سجل واحد", "مستخدم في سجل واحد", "1 dossier", "utilisé par 1 dossier", map[string]any{"location": "KE01", "count": "1"}},
		{"KE02", "سجلان", "مستخدم في سجلين", "2 dossiers", "utilisé par 2 dossiers", map[string]any{"location": "KE02", "count": "2"}},
		{"KE03", "3 سجلات", "مستخدم في 3 سجلات", "3 dossiers", "utilisé par 3 dossiers", map[string]any{"location": "KE03", "count": "3"}},
		{"KE04", "11 سجلًا", "مستخدم في 11 سجلًا", "11 dossiers", "utilisé par 11 dossiers", map[string]any{"location": "KE04", "count": "11"}},
		{"KE05", "أكثر من 10000 سجل", "مستخدم في أكثر من 10000 سجل", "plus de 10000 dossiers", "utilisé par plus de 10000 dossiers",
			map[string]any{"location": "KE05", "more_than": "10000"}},
	} {
		for _, lang := range []struct{ token, detail, message string }{
			{adminAr, "توجد سجلات تستخدم الموقع " + tc.code + " (" + tc.ar + "): عطّله بدلًا من ذلك.", tc.arMessage},
			{adminFr, "Des dossiers utilisent le lieu " + tc.code + " (" + tc.fr + ") : désactivez-le plutôt.", tc.frMessage},
		} {
			res := mb.do(t, "DELETE", "ke.localhost", "/api/v2/locations/"+tc.code, lang.token, nil)
			requireProblem(t, res, http.StatusConflict)
			require.Equal(t, "location_in_use", res.body["code"])
			require.Equal(t, lang.detail, res.body["detail"])
			require.Equal(t, []any{map[string]any{"code": "location_in_use", "location": "path.code", "value": tc.code,
				"params": tc.params, "message": lang.message}}, res.body["errors"])
		}
	}
	res := mb.do(t, "DELETE", "ke.localhost", "/api/v2/locations/KE01", adminEn, nil)
	require.Equal(t, "Records use location KE01 (1 record): disable it instead.", res.body["detail"])
	require.Equal(t, "used by 1 record", res.body["errors"].([]any)[0].(map[string]any)["message"])

	// A bundle without KE01..KE12: the dry run refuses their removal, naming
	// the first ten and counting the other two.
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/configuration", adminEn, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	bundle := dataOf(t, res)
	var kept []any
	for _, l := range bundle["locations"].([]any) {
		if l.(map[string]any)["code"] == "KE" {
			kept = append(kept, l)
		}
	}
	require.Len(t, kept, 1)
	bundle["locations"] = kept
	arList := "KE01 (سجل واحد)، KE02 (سجلان)، KE03 (3 سجلات)، KE04 (11 سجلًا)، KE05 (أكثر من 10000 سجل)، " +
		"KE06 (سجل واحد)، KE07 (سجل واحد)، KE08 (سجل واحد)، KE09 (سجل واحد)، KE10 (سجل واحد)، وموقعان آخران"
	frList := "KE01 (1 dossier), KE02 (2 dossiers), KE03 (3 dossiers), KE04 (11 dossiers), KE05 (plus de 10000 dossiers), " +
		"KE06 (1 dossier), KE07 (1 dossier), KE08 (1 dossier), KE09 (1 dossier), KE10 (1 dossier), et 2 autres"
	for _, lang := range []struct{ token, detail, more string }{
		{adminAr, "توجد سجلات تستخدم المواقع " + arList + ": أبقِها (معطّلة) بدلًا من حذفها.", "توجد سجلات تستخدم موقعين آخرين"},
		{adminFr, "Des dossiers utilisent les lieux " + frList + " : conservez-les (désactivés) au lieu de les retirer.", "des dossiers utilisent 2 autres lieux"},
		{adminEn, "Records use locations KE01 (1 record), KE02 (2 records), KE03 (3 records), KE04 (11 records), KE05 (more than 10000 records), " +
			"KE06 (1 record), KE07 (1 record), KE08 (1 record), KE09 (1 record), KE10 (1 record), and 2 more: keep them (disabled) instead of removing them.",
			"records use 2 more locations"},
	} {
		res := mb.do(t, "POST", "ke.localhost", "/api/v2/configuration?dry_run=true", lang.token, map[string]any{"data": bundle})
		requireProblem(t, res, http.StatusConflict)
		require.Equal(t, "location_in_use", res.body["code"])
		require.Equal(t, lang.detail, res.body["detail"])
		errs := res.body["errors"].([]any)
		require.Len(t, errs, 11)
		require.Equal(t, map[string]any{"code": "location_in_use", "value": "KE04", "params": map[string]any{"location": "KE04", "count": "11"},
			"message": map[string]string{adminAr: "مستخدم في 11 سجلًا", adminFr: "utilisé par 11 dossiers", adminEn: "used by 11 records"}[lang.token]}, errs[3])
		require.Equal(t, map[string]any{"code": "more_locations_in_use", "params": map[string]any{"count": "2"}, "message": lang.more}, errs[10])
	}
	// Nothing was removed.
	res = mb.do(t, "GET", "ke.localhost", "/api/v2/locations", adminEn, nil)
	require.EqualValues(t, 13, res.body["metadata"].(map[string]any)["total"])
}

// TestLocationWithAnInvalidParentIsRefusedInArabic: a bundle whose location
// has a parent refused in turn (its own parent refused: a level out of
// range) is a 422 whose messages are wholly Arabic, the parents' problems
// included, with their codes and values as the cause params.
func TestLocationWithAnInvalidParentIsRefusedInArabic(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	adminAr := mb.memberIn(t, "ar", "ke", "role-system-administrator", "agency-unicef").token
	res := mb.do(t, "GET", "ke.localhost", "/api/v2/configuration", adminAr, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	bundle := dataOf(t, res)
	bundle["locations"] = []any{
		map[string]any{"code": "KX", "admin_level": 9, "name": map[string]any{"en": "Nowhere"}},
		map[string]any{"code": "KX01", "parent_code": "KX", "admin_level": 1, "name": map[string]any{"en": "Nowhere 1"}},
		map[string]any{"code": "KX0101", "parent_code": "KX01", "admin_level": 2, "name": map[string]any{"en": "Nowhere 1.1"}},
	}
	res = mb.do(t, "POST", "ke.localhost", "/api/v2/configuration?dry_run=true", adminAr, map[string]any{"data": bundle})
	requireProblem(t, res, http.StatusUnprocessableEntity)
	errs := res.body["errors"].([]any)
	require.Len(t, errs, 3, res.Body.String())
	level := "يجب أن يكون من 0 (البلد) إلى 5"
	require.Equal(t, map[string]any{"code": "admin_level_range", "location": "body.data.locations[0].admin_level", "value": 9.0,
		"params": map[string]any{"max": "5"}, "message": level}, errs[0])
	require.Equal(t, map[string]any{"code": "parent_invalid", "location": "body.data.locations[1].parent_code", "value": "KX",
		"params":  map[string]any{"parent": "KX", "location": "KX", "cause": "admin_level_range", "cause_field": "admin_level", "cause.max": "5"},
		"message": "الأصل KX غير صالح (admin_level: " + level + ")"}, errs[1])
	require.Equal(t, map[string]any{"code": "parent_invalid", "location": "body.data.locations[2].parent_code", "value": "KX01",
		"params": map[string]any{"parent": "KX01", "location": "KX01", "cause": "parent_invalid", "cause_field": "parent_code",
			"cause.parent": "KX", "cause.location": "KX", "cause.cause": "admin_level_range", "cause.cause_field": "admin_level", "cause.cause.max": "5"},
		"message": "الأصل KX01 غير صالح (parent_code: الأصل KX غير صالح (admin_level: " + level + "))"}, errs[2])
}
