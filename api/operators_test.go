package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOperatorsSignInThroughKratosWithASecondFactor(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	ctx := context.Background()
	addr := randomEmail("operator")
	id, err := kratosServer.CreateIdentity(ctx, addr, testPassword, "en")
	require.NoError(t, err)
	_, err = mb.p.AddOperator(sys(), id, addr)
	require.NoError(t, err)
	token, err := kratosServer.Login(ctx, addr, testPassword)
	require.NoError(t, err)

	res := mb.do(t, "GET", "localhost", "/api/platform/v1/tenants", token, nil)
	requireProblem(t, res, http.StatusForbidden)
	require.Contains(t, res.body["detail"], "second factor")

	secret, err := kratosServer.EnrolTOTP(ctx, token)
	require.NoError(t, err)
	require.NoError(t, kratosServer.LoginSecondFactor(ctx, token, secret))
	res = mb.do(t, "GET", "localhost", "/api/platform/v1/tenants", token, nil)
	require.Equal(t, 200, res.Code, res.Body.String())
	res = mb.do(t, "POST", "localhost", "/api/platform/v1/tenants/ke/suspend", token, nil)
	require.Equal(t, 200, res.Code, res.Body.String())

	// A tenant member is not an operator; an operator is not a tenant member.
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	requireProblem(t, mb.do(t, "GET", "localhost", "/api/platform/v1/tenants", admin.token, nil), http.StatusForbidden)
	_, err = mb.p.Resume(sys(), "ke")
	require.NoError(t, err)
	requireProblem(t, mb.do(t, "GET", "ke.localhost", "/api/v2/users", token, nil), http.StatusForbidden)

	_, err = mb.p.SetOperatorDisabled(sys(), addr, true)
	require.NoError(t, err)
	requireProblem(t, mb.do(t, "GET", "localhost", "/api/platform/v1/tenants", token, nil), http.StatusForbidden)
	require.Equal(t, 200, mb.do(t, "GET", "localhost", "/api/platform/v1/tenants", operatorKey, nil).Code, "the bootstrap key still works")
}
