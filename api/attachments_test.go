package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/storage"
)

// Tests of record attachments through the real server, PostgreSQL, Kratos
// and S3 server (versitygw): docs/records.md, "Attachments".

// testStorage is a store on a new bucket of the test binary's versitygw.
func testStorage(t testing.TB, change func(*storage.Config)) *storage.Store {
	t.Helper()
	cfg := s3test.Bucket(t)
	if change != nil {
		change(&cfg)
	}
	st, err := storage.New(cfg)
	require.NoError(t, err)
	return st
}

// pngBytes is a real PNG image of w x h pixels.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// upload is an attachment upload: the file and what the query says of it.
type upload struct {
	field, name, contentType string
	data                     []byte
	query                    url.Values // more parameters (description, date)
	length                   int64      // Content-Length if not len(data); -1: unknown
}

// upload posts a file to a record's attachments as token's holder, through srv.
func (mb *membersBundle) upload(t testing.TB, srv http.Handler, resource, id, token string, u upload) response {
	t.Helper()
	q := url.Values{"field_name": {u.field}, "file_name": {u.name}}
	for k, v := range u.query {
		q[k] = v
	}
	req := httptest.NewRequest("POST", "/api/v2/"+resource+"/"+id+"/attachments?"+q.Encode(), bytes.NewReader(u.data))
	req.Host = "ke.localhost"
	req.ContentLength = int64(len(u.data))
	if u.length != 0 {
		req.ContentLength = u.length
	}
	if u.contentType != "" {
		req.Header.Set("Content-Type", u.contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	out := response{ResponseRecorder: rec}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out.body), rec.Body.String())
	}
	return out
}

// objects lists the keys of the tenant's attachment files in the bucket of st.
func objects(t testing.TB, st *storage.Store) []string {
	t.Helper()
	out, err := s3test.Default().Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{
		Bucket: aws(st.Config().Bucket), Prefix: aws("tenants/ke/attachments/")})
	require.NoError(t, err)
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, *o.Key)
	}
	return keys
}

func aws(s string) *string { return &s }

// serverWith is the members' server with other file storage.
func (mb *membersBundle) serverWith(t testing.TB, st *storage.Store) *api.Server {
	t.Helper()
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	srv, err := api.New(mb.p, mb.enf, api.Config{OperatorAPIKey: operatorKey, Sessions: identity.NewCachedSessions(k, 0),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), AuthFailuresPerMinute: 10_000,
		Storage: st})
	require.NoError(t, err)
	return srv
}

func TestAttachmentLifecycle(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	st := testStorage(t, nil)
	srv := mb.serverWith(t, st)
	mb.srv = srv
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	c := mb.createCase(t, cw.token, nil)
	id := c["id"].(string)
	photo := pngBytes(t, 64, 48)
	sum := sha256.Sum256(photo)

	res := mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "Amina à l'école.png", contentType: "image/png", data: photo,
		query: url.Values{"description": {"At registration"}, "date": {"2026-01-10"}}})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	a := data(res)
	aid := a["id"].(string)
	require.Equal(t, "/api/v2/cases/"+id+"/attachments/"+aid, res.Header().Get("Location"))
	require.Equal(t, map[string]any{"id": aid, "record_id": id, "record_type": "case", "field_name": "photos",
		"file_name": "Amina à l'école.png", "content_type": "image/png", "size": float64(len(photo)), "sha256": hex.EncodeToString(sum[:]),
		"description": "At registration", "date": "2026-01-10", "created_by": cw.email, "created_at": a["created_at"]}, a)
	require.Equal(t, []string{"tenants/ke/attachments/" + id + "/" + aid}, objects(t, st))

	t.Run("TheFieldListsItInANewVersion", func(t *testing.T) {
		got := data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))
		require.Equal(t, []any{aid}, got["photos"])
		require.EqualValues(t, 2, got["version"])
		hist := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cw.token, nil, nil)
		entry := hist.body["data"].([]any)[0].(map[string]any)
		require.Equal(t, "attachment_added", entry["action"])
		require.Equal(t, []any{map[string]any{"path": "photos", "to": []any{aid}}}, entry["record_changes"])
	})
	t.Run("ListedAndDownloadedThroughItsLink", func(t *testing.T) {
		list := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", cw.token, nil, nil)
		require.Equal(t, http.StatusOK, list.Code, list.Body.String())
		require.Equal(t, []any{a}, list.body["data"])

		got := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments/"+aid, cw.token, nil, nil)
		require.Equal(t, http.StatusOK, got.Code, got.Body.String())
		d := data(got)
		expires, err := time.Parse(time.RFC3339, d["download_expires_at"].(string))
		require.NoError(t, err)
		require.WithinDuration(t, time.Now().Add(5*time.Minute), expires, 10*time.Second)
		link := d["download_url"].(string)
		dl, err := http.Get(link)
		require.NoError(t, err)
		body, err := io.ReadAll(dl.Body)
		dl.Body.Close()
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, dl.StatusCode, string(body))
		require.Equal(t, photo, body, "the bytes uploaded")
		require.Equal(t, "image/png", dl.Header.Get("Content-Type"))
		require.Contains(t, dl.Header.Get("Content-Disposition"), "attachment")

		// A link with a changed signature, object or expiry is refused by the S3 server.
		u, err := url.Parse(link)
		require.NoError(t, err)
		for name, tamper := range map[string]func(q url.Values, u *url.URL){
			"Signature": func(q url.Values, _ *url.URL) {
				s := q.Get("X-Amz-Signature")
				q.Set("X-Amz-Signature", strings.Repeat("0", len(s)))
			},
			"OtherObject":  func(_ url.Values, u *url.URL) { u.Path = strings.Replace(u.Path, aid, c["id"].(string), 1) },
			"LongerExpiry": func(q url.Values, _ *url.URL) { q.Set("X-Amz-Expires", "604800") },
		} {
			v := *u
			q := v.Query()
			tamper(q, &v)
			v.RawQuery = q.Encode()
			res, err := http.Get(v.String())
			require.NoError(t, err, name)
			res.Body.Close()
			require.Equal(t, http.StatusForbidden, res.StatusCode, name)
		}
	})
	t.Run("DeleteRemovesRowFieldAndFile", func(t *testing.T) {
		link := data(mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments/"+aid, cw.token, nil, nil))["download_url"].(string)
		res := mb.call(t, "DELETE", "/api/v2/cases/"+id+"/attachments/"+aid, cw.token, nil, nil)
		require.Equal(t, http.StatusNoContent, res.Code, res.Body.String())
		require.Empty(t, objects(t, st))
		dl, err := http.Get(link)
		require.NoError(t, err)
		dl.Body.Close()
		require.Equal(t, http.StatusNotFound, dl.StatusCode, "a link issued before the deletion finds nothing")
		requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments/"+aid, cw.token, nil, nil), http.StatusNotFound)
		requireProblem(t, mb.call(t, "DELETE", "/api/v2/cases/"+id+"/attachments/"+aid, cw.token, nil, nil), http.StatusNotFound)
		list := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", cw.token, nil, nil)
		require.Equal(t, []any{}, list.body["data"])
		got := data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))
		require.NotContains(t, got, "photos")
		require.EqualValues(t, 3, got["version"])
		entry := mb.call(t, "GET", "/api/v2/cases/"+id+"/record_history", cw.token, nil, nil).body["data"].([]any)[0].(map[string]any)
		require.Equal(t, "attachment_removed", entry["action"])
		require.Equal(t, []any{map[string]any{"path": "photos", "from": []any{aid}}}, entry["record_changes"])
	})
	t.Run("Audited", func(t *testing.T) {
		rows, err := mb.db.Superuser(t).Query(context.Background(), `select operation, outcome, record_type, record_id::text, metadata
			from tenant_ke.audit_logs where operation like '%attachment%' order by id`)
		require.NoError(t, err)
		type row struct {
			op, outcome, rt, id string
			meta                map[string]any
		}
		var got []row
		for rows.Next() {
			var r row
			require.NoError(t, rows.Scan(&r.op, &r.outcome, &r.rt, &r.id, &r.meta))
			got = append(got, r)
		}
		require.NoError(t, rows.Err())
		want := []struct{ op, outcome, attachment string }{
			{"create-case-attachment", "allowed", aid}, {"list-case-attachments", "allowed", ""}, {"get-case-attachment", "allowed", aid},
			{"get-case-attachment", "allowed", aid}, {"delete-case-attachment", "allowed", aid}, {"get-case-attachment", "failed", ""},
			{"delete-case-attachment", "failed", ""}, {"list-case-attachments", "allowed", ""},
		}
		require.Len(t, got, len(want))
		for i, w := range want {
			require.Equal(t, w.op, got[i].op, i)
			require.Equal(t, w.outcome, got[i].outcome, w.op)
			require.Equal(t, "case", got[i].rt, w.op)
			require.Equal(t, id, got[i].id, w.op)
			if w.attachment != "" {
				require.Equal(t, w.attachment, got[i].meta["attachment_id"], w.op)
			}
		}
		require.Equal(t, "photos", got[0].meta["field_name"])
		require.Equal(t, []any{aid}, got[1].meta["attachment_ids"])
	})
}

func TestAttachmentRefusals(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	st := testStorage(t, nil)
	srv := mb.serverWith(t, st)
	mb.srv = srv
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	other := mb.member(t, "ke", "role-caseworker", "agency-save")
	manager := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	mb.customRole(t, admin.token, "role-photo-reader", "all", []string{"cases:read", "cases:write"},
		map[string]string{"basic_identity": "rw", "photos_and_documents": "r"})
	reader := mb.member(t, "ke", "role-photo-reader", "agency-unicef")
	id := mb.createCase(t, cw.token, nil)["id"].(string)
	photo := pngBytes(t, 32, 32)
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	ok := func(t *testing.T, res response) string {
		t.Helper()
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		return data(res)["id"].(string)
	}
	// nothingStored: no row, no file and the case unchanged (version 1 plus the uploads that succeeded).
	stored := 0
	nothingStored := func(t *testing.T) {
		t.Helper()
		list := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", cw.token, nil, nil)
		require.Len(t, list.body["data"], stored)
		require.Len(t, objects(t, st), stored)
		require.EqualValues(t, 1+stored, data(mb.call(t, "GET", "/api/v2/cases/"+id, cw.token, nil, nil))["version"])
	}
	problemAt := func(t *testing.T, res response, status int, location string) {
		t.Helper()
		requireProblem(t, res, status)
		if location != "" {
			require.Equal(t, location, res.body["errors"].([]any)[0].(map[string]any)["location"], res.Body.String())
		}
	}

	for name, tc := range map[string]struct {
		token    string
		record   string
		u        upload
		status   int
		location string
	}{
		"TextDeclaredAsPNG":        {cw.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: []byte("just some text, not an image at all")}, 422, "header.Content-Type"},
		"TextUndeclared":           {cw.token, id, upload{field: "photos", name: "a.png", data: []byte("just some text, not an image at all")}, 422, "header.Content-Type"},
		"PDFOnAPhotoField":         {cw.token, id, upload{field: "photos", name: "a.pdf", contentType: "application/pdf", data: pdf}, 422, "header.Content-Type"},
		"PNGOnAnAudioField":        {cw.token, id, upload{field: "recorded_audio", name: "a.png", contentType: "image/png", data: photo}, 422, "header.Content-Type"},
		"NotAnUploadField":         {cw.token, id, upload{field: "sex", name: "a.png", contentType: "image/png", data: photo}, 422, "query.field_name"},
		"UnknownField":             {cw.token, id, upload{field: "no_such_field", name: "a.png", contentType: "image/png", data: photo}, 422, "query.field_name"},
		"ReadOnlyForm":             {reader.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo}, 422, "query.field_name"},
		"PathInFileName":           {cw.token, id, upload{field: "photos", name: "../a.png", contentType: "image/png", data: photo}, 422, "query.file_name"},
		"BadDate":                  {cw.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo, query: url.Values{"date": {"yesterday"}}}, 422, "query.date"},
		"Empty":                    {cw.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: nil}, 422, "body"},
		"NoLength":                 {cw.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo, length: -1}, 411, ""},
		"ShorterThanItsLength":     {cw.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo, length: int64(len(photo)) + 10}, 400, ""},
		"OtherScope":               {other.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo}, 404, ""},
		"RandomRecord":             {cw.token, "6f1c1f5e-3f6b-4b0e-9a55-000000000000", upload{field: "photos", name: "a.png", contentType: "image/png", data: photo}, 404, ""},
		"NoWritePermission":        {admin.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo}, 403, ""},
		"IncidentWithoutUploadBox": {cw.token, id, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo}, 404, ""},
	} {
		t.Run(name, func(t *testing.T) {
			resource := "cases"
			if name == "IncidentWithoutUploadBox" {
				resource = "incidents" // a case's id is no incident
			}
			problemAt(t, mb.upload(t, srv, resource, tc.record, tc.token, tc.u), tc.status, tc.location)
			nothingStored(t)
		})
	}
	t.Run("ReadOnlyFormStillReads", func(t *testing.T) {
		aid := ok(t, mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo}))
		stored++
		list := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", reader.token, nil, nil)
		require.Len(t, list.body["data"], 1)
		require.Equal(t, http.StatusOK, mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments/"+aid, reader.token, nil, nil).Code)
		problemAt(t, mb.call(t, "DELETE", "/api/v2/cases/"+id+"/attachments/"+aid, reader.token, nil, nil), 422, "query.field_name")
		requireProblem(t, mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments/"+aid, other.token, nil, nil), http.StatusNotFound)
		requireProblem(t, mb.call(t, "DELETE", "/api/v2/cases/"+id+"/attachments/"+aid, other.token, nil, nil), http.StatusNotFound)
		nothingStored(t)
	})
	// The limits are set through the system settings API, as an administrator does.
	setLimits := func(t *testing.T, limits map[string]any) {
		t.Helper()
		res := mb.call(t, "PATCH", "/api/v2/system_settings", admin.token, nil, limits)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		for k, v := range limits {
			require.EqualValues(t, v, data(res)[k], k)
		}
	}
	t.Run("Oversized", func(t *testing.T) {
		setLimits(t, map[string]any{"attachment_max_photo_bytes": len(photo) - 1})
		res := mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo})
		problemAt(t, res, http.StatusRequestEntityTooLarge, "")
		require.Contains(t, res.body["detail"], "photo files may have at most")
		nothingStored(t)
		// A document field has its own limit: a PDF is still accepted there.
		ok(t, mb.upload(t, srv, "cases", id, cw.token, upload{field: "other_documents", name: "consent.pdf", contentType: "application/pdf", data: pdf}))
		stored++
		// A photo of exactly the limit is accepted.
		setLimits(t, map[string]any{"attachment_max_photo_bytes": len(photo)})
		ok(t, mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "at-limit.png", contentType: "image/png", data: photo}))
		stored++
		setLimits(t, map[string]any{"attachment_max_photo_bytes": 10 << 20})
	})
	t.Run("CountLimit", func(t *testing.T) {
		setLimits(t, map[string]any{"attachments_per_record": stored + 1})
		ok(t, mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "b.png", contentType: "image/png", data: photo}))
		stored++
		res := mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "c.png", contentType: "image/png", data: photo})
		problemAt(t, res, http.StatusUnprocessableEntity, "query.field_name")
		require.Contains(t, res.Body.String(), fmt.Sprintf("at most %d attachments", stored))
		nothingStored(t)
	})
	t.Run("DisabledRecordReadsButDoesNotChange", func(t *testing.T) {
		res := mb.call(t, "POST", "/api/v2/cases/"+id+"/disable", manager.token, nil, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body.String())
		requireProblem(t, mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "d.png", contentType: "image/png", data: photo}), http.StatusConflict)
		list := mb.call(t, "GET", "/api/v2/cases/"+id+"/attachments", cw.token, nil, nil)
		require.Equal(t, http.StatusOK, list.Code)
		aid := list.body["data"].([]any)[0].(map[string]any)["id"].(string)
		requireProblem(t, mb.call(t, "DELETE", "/api/v2/cases/"+id+"/attachments/"+aid, cw.token, nil, nil), http.StatusConflict)
		require.Len(t, objects(t, st), stored)
	})
	t.Run("NoStorageConfigured", func(t *testing.T) {
		srv := mb.serverWith(t, nil)
		res := mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "a.png", contentType: "image/png", data: photo})
		requireProblem(t, res, http.StatusServiceUnavailable)
		require.Contains(t, res.body["detail"], "storage is not configured")
	})
}

func TestAttachmentLinkExpires(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	srv := mb.serverWith(t, testStorage(t, func(c *storage.Config) { c.PresignTTL = time.Second }))
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	id := mb.createCase(t, cw.token, nil)["id"].(string)
	res := mb.upload(t, srv, "cases", id, cw.token, upload{field: "photos", name: "a.png", contentType: "image/png", data: pngBytes(t, 8, 8)})
	require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
	get := httptest.NewRequest("GET", "/api/v2/cases/"+id+"/attachments/"+data(res)["id"].(string), nil)
	get.Host = "ke.localhost"
	get.Header.Set("Authorization", "Bearer "+cw.token)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, get)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var body struct {
		Data struct {
			URL string `json:"download_url"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	u, err := url.Parse(body.Data.URL)
	require.NoError(t, err)
	require.Equal(t, "1", u.Query().Get("X-Amz-Expires"))
	// Polled until refused: SigV4 links have a one-second resolution.
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := http.Get(body.Data.URL)
		require.NoError(t, err)
		res.Body.Close()
		if res.StatusCode == http.StatusForbidden {
			break
		}
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.True(t, time.Now().Before(deadline), "the link still works after 15 s")
		<-time.After(100 * time.Millisecond)
	}
}

// BenchmarkAttachmentUpload uploads a 1 MiB photo per operation through the
// whole server (authentication, checks, versitygw, the transaction).
func BenchmarkAttachmentUpload(b *testing.B) {
	mb := setupMembers(b)
	_, err := mb.db.Superuser(b).Exec(context.Background(), "update tenant_ke.system_settings set attachments_per_record = 1000000")
	require.NoError(b, err)
	cw := mb.member(b, "ke", "role-caseworker", "agency-unicef")
	photo := make([]byte, 1<<20)
	_, _ = rand.Read(photo)
	copy(photo, pngBytes(b, 4, 4)[:64]) // a PNG by its first bytes
	var id string
	b.SetBytes(int64(len(photo)))
	b.ResetTimer()
	for i := range b.N {
		if i%10 == 0 { // the photo field holds at most 10
			b.StopTimer()
			id = mb.createCase(b, cw.token, nil)["id"].(string)
			b.StartTimer()
		}
		res := mb.upload(b, mb.srv, "cases", id, cw.token, upload{field: "photos", name: "p" + strconv.Itoa(i) + ".png", contentType: "image/png", data: photo})
		if res.Code != http.StatusCreated {
			b.Fatal(res.Body.String())
		}
	}
}

// attachmentCall says how TestTenantPermissionMatrix calls an attachment
// operation: on the owner's target record of the resource (get: an
// attachment uploaded there once), or on a new record with a new attachment
// (delete). Incidents and tracing requests have no upload field in the
// default configuration: uploads are refused, random ids not found.
func (mb *membersBundle) attachmentCall(t testing.TB, op, owner string, targets map[string]string,
	newRecord func(string) map[string]any) (method, path string, body any, ok bool) {
	t.Helper()
	var resource, action string
	for _, r := range []struct{ singular, resource string }{{"case", "cases"}, {"incident", "incidents"}, {"tracing-request", "tracing_requests"}} {
		for _, a := range []string{"create", "list", "get", "delete"} {
			name := a + "-" + r.singular + "-attachment"
			if a == "list" {
				name += "s"
			}
			if op == name {
				resource, action = r.resource, a
			}
		}
	}
	if resource == "" {
		return "", "", nil, false
	}
	photo := rawBody{contentType: "image/png", data: pngBytes(t, 16, 16)}
	attach := func(record string) string {
		if resource != "cases" {
			return "6f1c1f5e-3f6b-4b0e-9a55-00000000000a"
		}
		res := mb.call(t, "POST", "/api/v2/cases/"+record+"/attachments?field_name=photos&file_name=m.png", owner, nil, photo)
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		return data(res)["id"].(string)
	}
	base := "/api/v2/" + resource + "/" + targets[resource] + "/attachments"
	switch action {
	case "create":
		return "POST", base + "?field_name=photos&file_name=m.png", photo, true
	case "list":
		return "GET", base, nil, true
	case "get":
		key := "attachment:" + resource
		if targets[key] == "" {
			targets[key] = attach(targets[resource])
		}
		return "GET", base + "/" + targets[key], nil, true
	default:
		record := newRecord(resource)["id"].(string)
		return "DELETE", "/api/v2/" + resource + "/" + record + "/attachments/" + attach(record), nil, true
	}
}

// TestRecordWritesKeepUploadFields: a record write may reorder the ids an
// upload field lists, never add, drop or invent one.
func TestRecordWritesKeepUploadFields(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	cw := mb.member(t, "ke", "role-caseworker", "agency-unicef")
	invented := "6f1c1f5e-3f6b-4b0e-9a55-0000000000b1"
	res := mb.call(t, "POST", "/api/v2/cases", cw.token, nil, envelope(caseData(map[string]any{"photos": []any{invented}})))
	requireProblem(t, res, http.StatusUnprocessableEntity)
	require.Equal(t, "body.data.photos", res.body["errors"].([]any)[0].(map[string]any)["location"], res.Body.String())

	id := mb.createCase(t, cw.token, nil)["id"].(string)
	var photos []any
	for _, name := range []string{"first.png", "second.png"} {
		res := mb.upload(t, mb.srv, "cases", id, cw.token, upload{field: "photos", name: name, contentType: "image/png", data: pngBytes(t, 8, 8)})
		require.Equal(t, http.StatusCreated, res.Code, res.Body.String())
		photos = append(photos, data(res)["id"])
	}
	for name, value := range map[string]any{
		"Invented": []any{photos[0], photos[1], invented},
		"Dropped":  []any{photos[0]},
		"Removed":  nil,
		"Replaced": []any{photos[0], invented},
	} {
		t.Run(name, func(t *testing.T) {
			res := mb.call(t, "PATCH", "/api/v2/cases/"+id, cw.token, ifMatch(3), envelope(map[string]any{"photos": value}))
			requireProblem(t, res, http.StatusUnprocessableEntity)
			require.Equal(t, "body.data.photos", res.body["errors"].([]any)[0].(map[string]any)["location"], res.Body.String())
		})
	}
	res = mb.call(t, "PATCH", "/api/v2/cases/"+id, cw.token, ifMatch(3), envelope(map[string]any{"photos": []any{photos[1], photos[0]}}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []any{photos[1], photos[0]}, data(res)["photos"], "reordered: the first photo is the one shown")
	// A PUT sends the whole data back, photos included; other fields change as usual.
	body := data(res)
	body["sex"] = "male"
	res = mb.call(t, "PUT", "/api/v2/cases/"+id, cw.token, ifMatch(4), envelope(body))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, []any{photos[1], photos[0]}, data(res)["photos"])
}
