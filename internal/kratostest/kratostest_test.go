package kratostest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// recordingJar keeps every cookie it is given and sends them all back, Secure
// ones too (the test talks plain HTTP to Kratos on loopback, where a real
// browser would use TLS).
type recordingJar struct {
	mu      sync.Mutex
	cookies map[string]*http.Cookie
}

func (j *recordingJar) SetCookies(_ *url.URL, cookies []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cookies {
		j.cookies[c.Name] = c
	}
}

func (j *recordingJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for _, c := range j.cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// TestSessionCookieIsSecureExactlyWhenTheAppURLIsHTTPS starts Kratos through
// run.sh as deployments configure it (an https app URL) and as development
// does (http), signs in with a browser flow and reads the session cookie.
func TestSessionCookieIsSecureExactlyWhenTheAppURLIsHTTPS(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		app    string
		secure bool
	}{
		"HTTPS":           {"https://ke.example.org", true},
		"HTTPDevelopment": {"http://localhost:8080", false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn, err := testdb.CreateDatabase("kratos")
			require.NoError(t, err)
			s, err := StartWith(ctx, Options{DSN: dsn, AppURL: tc.app})
			require.NoError(t, err)
			t.Cleanup(s.Stop)
			b := make([]byte, 5)
			_, _ = rand.Read(b)
			email := "secure-" + hex.EncodeToString(b) + "@example.org"
			const password = "a long test password 4 cpims"
			_, err = s.CreateIdentity(ctx, email, password, "en")
			require.NoError(t, err)

			jar := &recordingJar{cookies: map[string]*http.Cookie{}}
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			var flow Flow
			_, err = browse(ctx, c, "GET", s.PublicURL+"/self-service/login/browser", "", nil, &flow)
			require.NoError(t, err)
			_, err = browse(ctx, c, "POST", flow.UI.Action, "",
				map[string]any{"method": "password", "identifier": email, "password": password, "csrf_token": flow.CSRF()}, nil)
			require.NoError(t, err)
			jar.mu.Lock()
			defer jar.mu.Unlock()
			session := jar.cookies["cpims_session"]
			require.NotNil(t, session, "signed in: Kratos set its session cookie")
			require.Equal(t, tc.secure, session.Secure)
			require.True(t, session.HttpOnly)
			for _, c := range jar.cookies {
				require.Equal(t, tc.secure, c.Secure, "cookie %s", c.Name)
			}
		})
	}
}

func TestRunRefusesDevModeWithAnHTTPSAppURL(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("bash", filepath.Join(repoRoot(), "infra/kratos/run.sh"))
	cmd.Env = append(os.Environ(), "KRATOS_DSN=postgres://unused@127.0.0.1:1/kratos", "KRATOS_APP_URL=https://ke.example.org", "KRATOS_DEV=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, string(out))
	require.Equal(t, 2, ee.ExitCode(), string(out))
	require.Contains(t, string(out), "Secure flag")
	require.NotContains(t, string(out), "migrating", "refused before touching anything")
}
