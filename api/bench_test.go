package api_test

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkRequest measures whole requests through the server: a public
// operation, and an authenticated one (session from the cache, membership
// and policy from the database, idle-time update).
func BenchmarkRequest(b *testing.B) {
	mb := setupMembers(b)
	cw := mb.member(b, "ke", "role-caseworker", "agency-unicef")
	run := func(b *testing.B, path, token string) {
		for range b.N {
			req := httptest.NewRequest("GET", path, nil)
			req.Host = "ke.localhost"
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			mb.srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
			}
		}
	}
	b.Run("Public", func(b *testing.B) { run(b, "/api/v2/system_settings", "") })
	b.Run("SignedIn", func(b *testing.B) { run(b, "/api/v2/users/me", cw.token) })
}
