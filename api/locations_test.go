package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

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
