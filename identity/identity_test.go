package identity_test

import (
	"context"
	"testing"
	"time"

	kratos "github.com/ory/kratos-client-go"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/kratostest"
	"github.com/cpims-hosted/cpims/internal/testdb"
)

var kratosServer *kratostest.Server

func TestMain(m *testing.M) { testdb.Main(m, kratostest.Hook(&kratosServer)) }

func newClient(t *testing.T) *identity.Kratos {
	t.Helper()
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	return k
}

// admin is a raw kratos-client-go client on the admin API, to arrange test data.
func admin() *kratos.APIClient {
	c := kratos.NewConfiguration()
	c.Servers = kratos.ServerConfigurations{{URL: kratosServer.AdminURL}}
	return kratos.NewAPIClient(c)
}

func public() *kratos.APIClient {
	c := kratos.NewConfiguration()
	c.Servers = kratos.ServerConfigurations{{URL: kratosServer.PublicURL}}
	return kratos.NewAPIClient(c)
}

// login creates an identity with a password and signs in through the native (API) flow.
func login(t testing.TB, email string) (identityID, token string) {
	t.Helper()
	ctx := context.Background()
	password := "correct horse battery staple 42"
	body := kratos.NewCreateIdentityBody("person", map[string]any{
		"email": email, "name": map[string]any{"first": "Amina", "last": "Yusuf"}, "preferred_locale": "sw"})
	body.Credentials = &kratos.IdentityWithCredentials{Password: &kratos.IdentityWithCredentialsPassword{
		Config: &kratos.IdentityWithCredentialsPasswordConfig{Password: &password}}}
	id, _, err := admin().IdentityAPI.CreateIdentity(ctx).CreateIdentityBody(*body).Execute()
	require.NoError(t, err)
	flow, _, err := public().FrontendAPI.CreateNativeLoginFlow(ctx).Execute()
	require.NoError(t, err)
	res, _, err := public().FrontendAPI.UpdateLoginFlow(ctx).Flow(flow.Id).UpdateLoginFlowBody(
		kratos.UpdateLoginFlowWithPasswordMethodAsUpdateLoginFlowBody(
			kratos.NewUpdateLoginFlowWithPasswordMethod(email, "password", password))).Execute()
	require.NoError(t, err)
	return id.Id, res.GetSessionToken()
}

func TestReady(t *testing.T) {
	t.Parallel()
	require.NoError(t, newClient(t).Ready(context.Background()))

	down, err := identity.New(identity.Config{PublicURL: "http://127.0.0.1:1", AdminURL: "http://127.0.0.1:1"})
	require.NoError(t, err)
	require.ErrorContains(t, down.Ready(context.Background()), "not ready")
}

func TestSessionFromToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := newClient(t)
	id, token := login(t, "amina@example.org")
	s, err := k.SessionFromToken(ctx, token)
	require.NoError(t, err)
	require.Equal(t, id, s.IdentityID)
	require.Equal(t, "amina@example.org", s.Email)
	require.Equal(t, "aal1", s.AAL)
	require.WithinDuration(t, time.Now().Add(12*time.Hour), s.ExpiresAt, 5*time.Minute, "absolute session lifespan is 12 h")

	for _, bad := range []string{"", "ory_st_forged", token + "x"} {
		_, err := k.SessionFromToken(ctx, bad)
		require.ErrorIs(t, err, identity.ErrUnauthenticated, bad)
	}

	// Revoking the identity's sessions ends the token.
	_, err = admin().IdentityAPI.DeleteIdentitySessions(ctx, id).Execute()
	require.NoError(t, err)
	_, err = k.SessionFromToken(ctx, token)
	require.ErrorIs(t, err, identity.ErrUnauthenticated)
}

func TestNewRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, cfg := range []identity.Config{{}, {PublicURL: "ftp://x", AdminURL: "http://x"}, {PublicURL: "http://x", AdminURL: "not a url"}} {
		_, err := identity.New(cfg)
		require.Error(t, err)
	}
}

// BenchmarkSessionValidation: a cache miss asks Kratos (whoami over HTTP, on
// loopback); a hit answers from memory.
func BenchmarkSessionValidation(b *testing.B) {
	ctx := context.Background()
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(b, err)
	_, token := login(b, "bench-"+time.Now().Format("150405.000000")+"@example.org")
	b.Run("Miss", func(b *testing.B) {
		for range b.N {
			if _, err := k.SessionFromToken(ctx, token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Hit", func(b *testing.B) {
		c := identity.NewCachedSessions(k, time.Hour)
		if _, err := c.FromToken(ctx, token); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := c.FromToken(ctx, token); err != nil {
				b.Fatal(err)
			}
		}
	})
}
