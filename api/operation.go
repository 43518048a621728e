package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
)

const permissionKey = "permission"

// Security requirement names used in the specs.
const (
	schemeOperatorKey   = "operatorKey"
	schemeSessionToken  = "sessionToken"
	schemeSessionCookie = "sessionCookie"
	schemeAPIKey        = "apiKey"
)

// memberSecurity is the security of tenant operations for signed-in members
// and service accounts.
var memberSecurity = []map[string][]string{{schemeSessionToken: {}}, {schemeSessionCookie: {}}, {schemeAPIKey: {}}}

// withPermission records the operation's permission in its metadata (for the
// enforcing middleware) and in the spec as x-permission.
func withPermission(op huma.Operation, p policy.Permission) huma.Operation {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[permissionKey] = p
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	if p.IsPublic() {
		op.Extensions["x-permission"] = "public"
		op.Security = []map[string][]string{{}}
	} else {
		op.Extensions["x-permission"] = map[string]string{"resource": p.Resource, "action": p.Action}
	}
	return op
}

func permissionOf(op *huma.Operation) (policy.Permission, bool) {
	p, ok := op.Metadata[permissionKey].(policy.Permission)
	return p, ok
}

// eachOperation calls fn for every operation of api.
func eachOperation(api huma.API, fn func(method, path string, op *huma.Operation) error) error {
	for path, item := range api.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post,
			http.MethodPut: item.Put, http.MethodPatch: item.Patch, http.MethodDelete: item.Delete} {
			if op == nil {
				continue
			}
			if err := fn(method, path, op); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkOperations refuses an API in which an operation lacks an id, tags,
// security or a permission.
func checkOperations(api huma.API) error {
	return eachOperation(api, func(method, path string, op *huma.Operation) error {
		_, hasPerm := permissionOf(op)
		switch {
		case op.OperationID == "":
			return fmt.Errorf("%s %s has no operation id", method, path)
		case len(op.Tags) == 0:
			return fmt.Errorf("%s %s (%s) has no tags", method, path, op.OperationID)
		case op.Security == nil:
			return fmt.Errorf("%s %s (%s) declares no security", method, path, op.OperationID)
		case !hasPerm:
			return fmt.Errorf("%s %s (%s) declares no permission: use withPermission", method, path, op.OperationID)
		}
		return nil
	})
}

// Operation lists one operation of a spec, for tests and documentation.
type Operation struct {
	ID         string
	Method     string
	Path       string
	Permission policy.Permission
}

// Operations lists every operation of api, sorted by id.
func Operations(api huma.API) []Operation {
	var out []Operation
	_ = eachOperation(api, func(method, path string, op *huma.Operation) error {
		p, _ := permissionOf(op)
		out = append(out, Operation{ID: op.OperationID, Method: method, Path: path, Permission: p})
		return nil
	})
	slices.SortFunc(out, func(a, b Operation) int { return strings.Compare(a.ID, b.ID) })
	return out
}
