package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/kratostest"
	"github.com/cpims-hosted/cpims/internal/s3test"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
)

var kratosServer *kratostest.Server

func TestMain(m *testing.M) { testdb.Main(m, kratostest.Hook(&kratosServer), s3test.Hook) }

// decodeQP decodes a quoted-printable email body for assertions.
func decodeQP(t testing.TB, raw string) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(raw)))
	require.NoError(t, err)
	return string(b)
}

const operatorKey = "test-operator-key"

type testBundle struct {
	enf    *policy.Enforcer // shared by the platform and the server, as in cpims serve
	db     *testdb.DB
	p      *tenancy.Platform
	srv    *api.Server
	events <-chan *river.Event
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	return setupWithEmail(t, nil)
}

// setupWithEmail is setup with workers that deliver email through sender.
func setupWithEmail(t testing.TB, sender email.Sender) *testBundle {
	t.Helper()
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	reg := prometheus.NewRegistry()
	reg.MustRegister(jobs.NewCollector(db.Pool))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := api.New(p, enf, api.Config{OperatorAPIKey: operatorKey, Logger: log, Registry: reg, AuthFailuresPerMinute: 10_000})
	require.NoError(t, err)
	client, err := jobs.NewClient(db.Pool, p, jobs.Config{Logger: log, Email: sender,
		Origin: func(code string) string { return "https://" + code + ".cpims.example.org" }})
	require.NoError(t, err)
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobCancelled, river.EventKindJobFailed)
	require.NoError(t, client.Start(context.Background()))
	t.Cleanup(func() {
		cancel()
		ctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		require.NoError(t, client.Stop(ctx))
	})
	return &testBundle{enf: enf, db: db, p: p, srv: srv, events: events}
}

type response struct {
	*httptest.ResponseRecorder
	body map[string]any
}

// rawBody is a request body sent as it is, with its content type.
type rawBody struct {
	contentType string
	data        []byte
}

// do sends a request; body is sent as JSON, or as it is if a rawBody.
func (b *testBundle) do(t testing.TB, method, host, path, key string, body any) response {
	t.Helper()
	var r io.Reader
	contentType := ""
	switch v := body.(type) {
	case nil:
	case rawBody:
		r, contentType = bytes.NewReader(v.data), v.contentType
	default:
		j, err := json.Marshal(body)
		require.NoError(t, err)
		r, contentType = strings.NewReader(string(j)), "application/json"
	}
	req := httptest.NewRequest(method, path, r)
	req.Host = host
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	out := response{ResponseRecorder: rec}
	if strings.Contains(rec.Header().Get("Content-Type"), "json") {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out.body), rec.Body.String())
	}
	return out
}

// createTenant creates a tenant through the platform API and waits for its provisioning job.
func (b *testBundle) createTenant(t testing.TB, code, name string) {
	t.Helper()
	res := b.do(t, "POST", "localhost", "/api/platform/v1/tenants", operatorKey,
		map[string]any{"code": code, "name": name, "locales": []string{"en", "ar"}})
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	require.Equal(t, "/api/platform/v1/tenants/"+code, res.Header().Get("Location"))
	require.Equal(t, "provisioning", res.body["status"])
	b.waitJob(t, "provision_tenant", code)
}

func (b *testBundle) waitJob(t testing.TB, kind, code string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-b.events:
			if ev.Job.Kind == kind && strings.Contains(string(ev.Job.EncodedArgs), `"`+code+`"`) {
				require.Equal(t, river.EventKindJobCompleted, ev.Kind, "job %s for %s ended as %s: %v", kind, code, ev.Kind, ev.Job.Errors)
				return
			}
		case <-timeout:
			t.Fatalf("job %s for %s did not finish within 30s", kind, code)
		}
	}
}

func requireProblem(t testing.TB, res response, status int) {
	t.Helper()
	require.Equal(t, status, res.Code, res.Body.String())
	require.Equal(t, "application/problem+json", res.Header().Get("Content-Type"))
	require.EqualValues(t, status, res.body["status"])
	require.NotEmpty(t, res.body["title"])
}

func TestCreateTenantAnswers202AndProvisions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	res := b.do(t, "GET", "localhost", "/api/platform/v1/tenants/ke", operatorKey, nil)
	require.Equal(t, http.StatusOK, res.Code)
	require.Equal(t, "active", res.body["status"])
	require.Equal(t, "tenant_ke", res.body["schema"])

	res = b.do(t, "GET", "ke.localhost:8080", "/api/v2/system_settings", "", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	data := res.body["data"].(map[string]any)
	require.Equal(t, "Kenya", data["name"])
	require.Equal(t, []any{"en", "ar"}, data["locales"])
	require.Equal(t, "en", data["default_locale"])

	res = b.do(t, "GET", "localhost", "/api/platform/v1/tenants", operatorKey, nil)
	require.Equal(t, http.StatusOK, res.Code)
	require.Len(t, res.body["data"], 1)
	require.Equal(t, map[string]any{"total": 1.0, "per": 1.0, "page": 1.0}, res.body["metadata"])
}

func TestPlatformAPIRequiresOperatorKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, key := range []string{"", "wrong-key", operatorKey + "x"} {
		res := b.do(t, "GET", "localhost", "/api/platform/v1/tenants", key, nil)
		requireProblem(t, res, http.StatusUnauthorized)
		require.Contains(t, res.Header().Get("WWW-Authenticate"), "Bearer")
		res = b.do(t, "POST", "localhost", "/api/platform/v1/tenants", key, map[string]any{"code": "ke", "name": "Kenya", "locales": []string{"en"}})
		requireProblem(t, res, http.StatusUnauthorized)
	}
	var n int
	require.NoError(t, b.db.Pool.QueryRow(context.Background(), "select count(*) from platform.tenants").Scan(&n))
	require.Zero(t, n)
}

func TestBadInputGetsProblemAndChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	cases := []struct {
		name   string
		body   any
		status int
	}{
		{"Uppercase", map[string]any{"code": "KE", "name": "X", "locales": []string{"en"}}, 422},
		{"TooLong", map[string]any{"code": "abcdefghijklmnopq", "name": "X", "locales": []string{"en"}}, 422},
		{"ReservedPlatform", map[string]any{"code": "platform", "name": "X", "locales": []string{"en"}}, 422},
		{"ReservedRiver", map[string]any{"code": "river", "name": "X", "locales": []string{"en"}}, 422},
		{"ReservedPublic", map[string]any{"code": "public", "name": "X", "locales": []string{"en"}}, 422},
		{"PgPrefix", map[string]any{"code": "pg_toast", "name": "X", "locales": []string{"en"}}, 422},
		{"PgPrefixLetters", map[string]any{"code": "pgabc", "name": "X", "locales": []string{"en"}}, 422},
		{"Quotes", map[string]any{"code": `x"; drop schema platform cascade; --`, "name": "X", "locales": []string{"en"}}, 422},
		{"NoLocales", map[string]any{"code": "so", "name": "Somalia", "locales": []string{}}, 422},
		{"BadLocale", map[string]any{"code": "so", "name": "Somalia", "locales": []string{"Somali!"}}, 422},
		{"MissingName", map[string]any{"code": "so", "locales": []string{"en"}}, 422},
		{"UnknownField", map[string]any{"code": "so", "name": "Somalia", "locales": []string{"en"}, "schema": "public"}, 422},
		{"Duplicate", map[string]any{"code": "ke", "name": "Kenya 2", "locales": []string{"en"}}, 409},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := b.do(t, "POST", "localhost", "/api/platform/v1/tenants", operatorKey, tc.body)
			requireProblem(t, res, tc.status)
		})
	}
	res := b.do(t, "DELETE", "localhost", "/api/platform/v1/tenants/ke", operatorKey, nil)
	requireProblem(t, res, 422)
	require.Contains(t, res.Body.String(), "confirm")
	res = b.do(t, "DELETE", "localhost", "/api/platform/v1/tenants/ke?confirm=so", operatorKey, nil)
	requireProblem(t, res, 422)
	res = b.do(t, "POST", "localhost", "/api/platform/v1/tenants/ke/resume", operatorKey, nil)
	requireProblem(t, res, 409)
	res = b.do(t, "GET", "localhost", "/api/platform/v1/tenants/zz", operatorKey, nil)
	requireProblem(t, res, 404)

	rows, err := b.db.Pool.Query(context.Background(), "select code || ':' || name || ':' || status from platform.tenants")
	require.NoError(t, err)
	all, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"ke:Kenya:active"}, all)
	var schemas int
	require.NoError(t, b.db.Pool.QueryRow(context.Background(), "select count(*) from pg_namespace where nspname like 'tenant\\_%'").Scan(&schemas))
	require.Equal(t, 1, schemas)
}

func TestTenantIsResolvedFromHostOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	b.createTenant(t, "so", "Somalia")
	name := func(res response) string {
		return res.body["data"].(map[string]any)["name"].(string)
	}
	for _, tc := range []struct {
		host, path string
		status     int
		want       string
	}{
		{"ke.localhost", "/api/v2/system_settings", 200, "Kenya"},
		{"KE.LocalHost:8080", "/api/v2/system_settings", 200, "Kenya"},
		{"so.localhost.", "/api/v2/system_settings", 200, "Somalia"},
		{"ke.localhost", "/api/v2/system_settings?tenant=so&code=so", 200, "Kenya"},
		{"zz.localhost", "/api/v2/system_settings", 404, ""},
		{"ke.localhost.evil.example", "/api/v2/system_settings", 404, ""},
		{"so.ke.localhost", "/api/v2/system_settings", 404, ""},
		{"evil.example", "/api/v2/system_settings", 404, ""},
		{"platform.localhost", "/api/v2/system_settings", 404, ""},
		{"localhost", "/api/v2/system_settings", 404, ""},
		{"ke.localhost", "/api/platform/v1/tenants", 404, ""},
	} {
		t.Run(tc.host+tc.path, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			req.Host = tc.host
			req.Header.Set("X-Forwarded-Host", "so.localhost")
			req.Header.Set("Authorization", "Bearer "+operatorKey)
			rec := httptest.NewRecorder()
			b.srv.ServeHTTP(rec, req)
			res := response{ResponseRecorder: rec}
			if strings.Contains(rec.Header().Get("Content-Type"), "json") {
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res.body))
			}
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			if tc.want != "" {
				require.Equal(t, tc.want, name(res))
			}
		})
	}
}

func TestSuspendedAndDeletedTenantsAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	res := b.do(t, "POST", "localhost", "/api/platform/v1/tenants/ke/suspend", operatorKey, nil)
	require.Equal(t, 200, res.Code, res.Body.String())
	require.Equal(t, "suspended", res.body["status"])
	res = b.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil)
	requireProblem(t, res, http.StatusForbidden)
	require.Equal(t, "Tenant suspended", res.body["title"])
	require.Contains(t, res.body["detail"], "suspended")

	res = b.do(t, "POST", "localhost", "/api/platform/v1/tenants/ke/resume", operatorKey, nil)
	require.Equal(t, 200, res.Code)
	require.Equal(t, 200, b.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil).Code)

	res = b.do(t, "DELETE", "localhost", "/api/platform/v1/tenants/ke?confirm=ke", operatorKey, nil)
	require.Equal(t, http.StatusAccepted, res.Code, res.Body.String())
	require.Equal(t, "deleting", res.body["status"])
	require.NotEmpty(t, res.body["delete_after"])
	res = b.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil)
	requireProblem(t, res, http.StatusForbidden)
	require.Contains(t, res.body["detail"], "scheduled for deletion")
}

func TestConcurrentRequestsForTwoTenants(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	b.createTenant(t, "so", "Somalia")
	want := map[string]string{"ke": "Kenya", "so": "Somalia"}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		code := []string{"ke", "so"}[i%2]
		wg.Go(func() {
			req := httptest.NewRequest("GET", "/api/v2/system_settings", nil)
			req.Host = code + ".localhost"
			rec := httptest.NewRecorder()
			b.srv.ServeHTTP(rec, req)
			var body struct{ Data struct{ Name string } }
			err := json.Unmarshal(rec.Body.Bytes(), &body)
			if err == nil && body.Data.Name != want[code] {
				err = fmt.Errorf("%s got %q", code, body.Data.Name)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	require.Equal(t, 200, b.do(t, "GET", "anything.example", "/healthz", "", nil).Code)
	res := b.do(t, "GET", "localhost", "/readyz", "", nil)
	require.Equal(t, 200, res.Code, res.Body.String())
	require.NotEmpty(t, res.Header().Get("X-Request-Id"))

	_, err := b.db.Superuser(t).Exec(context.Background(), "update platform.tenants set schema_version = 1 where code = 'ke'")
	require.NoError(t, err)
	res = b.do(t, "GET", "localhost", "/readyz", "", nil)
	requireProblem(t, res, http.StatusServiceUnavailable)
	require.Contains(t, res.body["detail"], "1 tenant schemas behind")

	b.do(t, "GET", "ke.localhost", "/api/v2/system_settings", "", nil)
	// Metrics describe every tenant's traffic: never on the public listener, on any host.
	for _, host := range []string{"ke.localhost", "localhost", "anything.example"} {
		res = b.do(t, "GET", host, "/metrics", "", nil)
		require.Equal(t, http.StatusNotFound, res.Code, host)
		require.NotContains(t, res.Body.String(), "cpims_")
	}
	req := httptest.NewRequest("GET", "/metrics", nil)
	rec := httptest.NewRecorder()
	b.srv.OpsHandler().ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code)
	metrics := rec.Body.String()
	require.Contains(t, metrics, `cpims_http_request_duration_seconds_count{code="200",method="GET",operation="get-system-settings"} 1`)
	require.Contains(t, metrics, `cpims_river_jobs{kind="provision_tenant",queue="platform",state="completed"} 1`)
	for path, status := range map[string]int{"/healthz": 200, "/readyz": 503} { // a tenant is still behind
		rec = httptest.NewRecorder()
		b.srv.OpsHandler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		require.Equal(t, status, rec.Code, path)
	}
}

func TestReadinessChecksIdentityProvider(t *testing.T) {
	t.Parallel()
	b := setup(t)
	down, err := identity.New(identity.Config{PublicURL: "http://127.0.0.1:1", AdminURL: "http://127.0.0.1:1"})
	require.NoError(t, err)
	srv, err := api.New(b.p, b.enf, api.Config{Identity: down, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	b.srv = srv
	res := b.do(t, "GET", "localhost", "/readyz", "", nil)
	requireProblem(t, res, http.StatusServiceUnavailable)
	require.Equal(t, "identity provider (Kratos) not ready", res.body["detail"])
}

// TestReadinessChecksStorage: /readyz includes the file storage's bucket on a
// real S3 server: ready when it answers, not ready when the bucket is gone.
func TestReadinessChecksStorage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := s3test.Bucket(t)
	store, err := storage.New(cfg)
	require.NoError(t, err)
	b.srv, err = api.New(b.p, b.enf, api.Config{Storage: store, Logger: log})
	require.NoError(t, err)
	res := b.do(t, "GET", "localhost", "/readyz", "", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())

	_, err = s3test.Default().Client().DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: &cfg.Bucket})
	require.NoError(t, err)
	res = b.do(t, "GET", "localhost", "/readyz", "", nil)
	requireProblem(t, res, http.StatusServiceUnavailable)
	require.Equal(t, "file storage (S3) not ready", res.body["detail"])
}

func TestRequestIDIsPropagatedOrGenerated(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	rec := httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	require.Equal(t, "abc-123", rec.Header().Get("X-Request-Id"))
	req.Header.Set("X-Request-Id", "bad id\nwith newline")
	rec = httptest.NewRecorder()
	b.srv.ServeHTTP(rec, req)
	require.Regexp(t, `^[0-9a-f]{16}$`, rec.Header().Get("X-Request-Id"))
}

// TestOperationTable compares every operation's permission with the table kept
// in testdata/operations.txt: adding or changing an operation means updating it.
func TestOperationTable(t *testing.T) {
	t.Parallel()
	s, err := api.New(nil, nil, api.Config{})
	require.NoError(t, err)
	var lines []string
	for _, group := range []struct {
		name string
		ops  []api.Operation
	}{{"platform", api.Operations(s.PlatformAPI())}, {"tenant", api.Operations(s.TenantAPI())}} {
		for _, op := range group.ops {
			lines = append(lines, fmt.Sprintf("%s %s %s %s %s", group.name, op.ID, op.Method, op.Path, op.Permission))
		}
	}
	want, err := os.ReadFile(filepath.Join("testdata", "operations.txt"))
	require.NoError(t, err)
	require.Equal(t, strings.TrimSpace(string(want)), strings.Join(lines, "\n"),
		"operations changed: update api/testdata/operations.txt (and the matrix below)")
}

// TestPermissionMatrix calls every platform operation as every kind of caller.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createTenant(t, "ke", "Kenya")
	s, err := api.New(nil, nil, api.Config{})
	require.NoError(t, err)
	for _, op := range api.Operations(s.PlatformAPI()) {
		path := strings.ReplaceAll(op.Path, "{code}", "zz") // a missing tenant: no side effects
		for _, caller := range []struct {
			name string
			key  string
			deny bool
		}{{"anonymous", "", true}, {"bad-key", "nope", true}, {"operator", operatorKey, false}} {
			t.Run(op.ID+"/"+caller.name, func(t *testing.T) {
				var body any
				if op.Method == "POST" && !strings.Contains(path, "zz") {
					body = map[string]any{"code": "zz", "name": "Matrix", "locales": []string{"en"}}
				}
				res := b.do(t, op.Method, "localhost", path, caller.key, body)
				if caller.deny {
					require.Equal(t, http.StatusUnauthorized, res.Code, res.Body.String())
				} else {
					require.NotContains(t, []int{401, 403}, res.Code, res.Body.String())
				}
			})
		}
	}
	for _, op := range api.Operations(s.TenantAPI()) {
		// Public operations answer with a real parameter (a language of the tenant).
		res := b.do(t, op.Method, "ke.localhost", strings.ReplaceAll(op.Path, "{locale}", "en"), "", nil)
		if op.Permission.IsPublic() {
			require.Equal(t, 200, res.Code, op.ID)
		} else {
			require.Equal(t, 401, res.Code, op.ID)
		}
	}
}

func TestCommittedSpecsMatchTheCode(t *testing.T) {
	t.Parallel()
	specs, err := api.Specs()
	require.NoError(t, err)
	require.Len(t, specs, 2)
	for _, s := range specs {
		committed, err := os.ReadFile(filepath.Join("openapi", s.File))
		require.NoError(t, err, "run `go tool task openapi` to write the specs")
		require.Equal(t, string(committed), string(s.YAML), "api/openapi/%s is stale: run `go tool task openapi`", s.File)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(s.JSON, &doc))
		require.Equal(t, "3.1.0", doc["openapi"])
		for path, item := range doc["paths"].(map[string]any) {
			for method, op := range item.(map[string]any) {
				o := op.(map[string]any)
				require.NotEmpty(t, o["operationId"], "%s %s", method, path)
				require.NotEmpty(t, o["tags"], "%s %s", method, path)
				require.Contains(t, o, "security", "%s %s", method, path)
				require.Contains(t, o, "x-permission", "%s %s", method, path)
			}
		}
	}
}
