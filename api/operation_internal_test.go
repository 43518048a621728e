package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/humatest"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/policy"
)

func TestCheckOperationsRefusesUndeclaredPermission(t *testing.T) {
	t.Parallel()
	handler := func(context.Context, *struct{}) (*struct{}, error) { return nil, nil }
	security := []map[string][]string{{}}
	for _, tc := range []struct {
		name string
		op   huma.Operation
		want string
	}{
		{"NoPermission", huma.Operation{OperationID: "x", Method: http.MethodGet, Path: "/x", Tags: []string{"T"}, Security: security}, "declares no permission"},
		{"NoTags", withPermission(huma.Operation{OperationID: "x", Method: http.MethodGet, Path: "/x"}, policy.Public), "no tags"},
		{"NoSecurity", withPermission(huma.Operation{OperationID: "x", Method: http.MethodGet, Path: "/x", Tags: []string{"T"}},
			policy.Permission{Resource: "cases", Action: "read"}), "declares no security"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, a := humatest.New(t)
			huma.Register(a, tc.op, handler)
			require.ErrorContains(t, checkOperations(a), tc.want)
		})
	}
	_, a := humatest.New(t)
	huma.Register(a, withPermission(huma.Operation{OperationID: "x", Method: http.MethodGet, Path: "/x", Tags: []string{"T"}}, policy.Public), handler)
	require.NoError(t, checkOperations(a))
}
