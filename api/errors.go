package api

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// notFoundDetail is the one answer for missing and forbidden tenant data alike.
const notFoundDetail = "Resource not found or you do not have access to it."

// problem maps a domain error to an RFC 9457 problem with its machine code
// (docs/errors.md). Unknown errors become a 500 whose detail does not leak
// internals (the error is logged by the caller).
func problem(err error) error {
	p := problemWithoutCode(err)
	var coder tenancy.Coder
	if p != nil && errors.As(err, &coder) {
		code, params := coder.ErrorCode()
		return withCode(p, code, params)
	}
	return p
}

func problemWithoutCode(err error) error {
	var ie *tenancy.InvalidError
	var se *tenancy.StateError
	var ve *tenancy.ValidationError
	var de *tenancy.DeniedError
	var iu *locations.InUseError
	var dr *forms.DeleteRefusedError
	if p, ok := recordProblem(err); ok {
		return p
	}
	if p, ok := attachmentProblem(err); ok {
		return p
	}
	if p, ok := deviceKeyProblem(err); ok {
		return p
	}
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		title := ve.Title
		if title == "" {
			title = "The request is not valid."
		}
		details := make([]error, 0, len(ve.Errors))
		for _, fe := range ve.Errors {
			location := "body"
			if fe.Path != "" {
				location += "." + fe.Path
			}
			details = append(details, newDetail(fe.Code, location, fe.Reason, fe.Value, fe.Params))
		}
		return huma.Error422UnprocessableEntity(title, details...)
	case errors.As(err, &ie):
		location := cmp.Or(ie.In, "body")
		if ie.Field != "" {
			location += "." + ie.Field
		}
		return huma.Error422UnprocessableEntity("The request is not valid.",
			newDetail(ie.Code, location, ie.Reason, ie.Value, ie.Params))
	case errors.As(err, &se):
		// The operation and the status are terms of the catalogue: the
		// sentence is whole in the caller's language.
		action := map[string]string{"suspend": "suspended", "resume": "resumed", "delete": "deleted"}[se.Op]
		if action == "" {
			return withCode(huma.Error409Conflict(se.Error()+"."), "tenant_state", nil)
		}
		return withCode(huma.Error409Conflict(fmt.Sprintf("The country instance %s cannot be %s while it is %s.", se.Code, action, se.Status)),
			"tenant_state", map[string]string{"tenant": se.Code, "action": action, "status": string(se.Status)})
	case errors.As(err, &iu):
		return locationInUseProblem(iu)
	case errors.As(err, &dr):
		return deleteRefusedProblem(dr)
	case errors.Is(err, forms.ErrVersionMismatch):
		return withCode(huma.Error412PreconditionFailed("The configuration changed since that version (If-Match): export it again."),
			"configuration_changed", nil)
	case errors.Is(err, tenancy.ErrConflict):
		// "conflict: the child has not consented..." reads "The child has not consented...".
		if detail, ok := strings.CutPrefix(err.Error(), tenancy.ErrConflict.Error()+": "); ok && detail != "" {
			return huma.Error409Conflict(strings.ToUpper(detail[:1]) + detail[1:] + ".")
		}
		return huma.Error409Conflict(err.Error() + ".")
	case errors.Is(err, tenancy.ErrCredentialInvalid):
		return huma.ErrorWithHeaders(huma.Error401Unauthorized("The API key is not valid: unknown, revoked or expired."),
			http.Header{"WWW-Authenticate": {`Bearer realm="cpims"`}})
	case errors.Is(err, tenancy.ErrCredentialChanged):
		return huma.ErrorWithHeaders(withCode(huma.Error503ServiceUnavailable("The API key's role changed during this request; nothing was done: try again."),
			"credential_changed", nil), http.Header{"Retry-After": {"1"}})
	case errors.Is(err, tenancy.ErrSuspended):
		p := huma.Error403Forbidden("The country instance is suspended or scheduled for deletion by the hosting team; contact them to restore access.")
		if pr, ok := p.(*Problem); ok {
			pr.Title = "Tenant suspended" // as the host routing answers before the cache expires
		}
		return p
	case errors.Is(err, devices.ErrRevoked):
		return withCode(huma.Error410Gone("This device was revoked: its offline copy must be removed."), "device_revoked", nil)
	case errors.Is(err, tenancy.ErrNotFound):
		return huma.Error404NotFound(notFoundDetail)
	case errors.As(err, &de):
		return huma.Error403Forbidden(strings.ToUpper(de.Reason[:1]) + de.Reason[1:] + ".")
	case errors.Is(err, tenancy.ErrForbidden):
		return huma.Error403Forbidden("You do not have the permission this needs.")
	case errors.Is(err, policy.ErrNoActor):
		return huma.Error401Unauthorized("Authentication required.")
	case errors.Is(err, context.Canceled):
		return huma.NewError(499, "The client closed the request.")
	default:
		return huma.Error500InternalServerError("Internal error; the request id identifies it in the server logs.")
	}
}

// writeProblem writes a problem outside Huma (host routing, health checks).
func writeProblem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(&Problem{Type: "about:blank", Title: title, Status: status, Detail: detail, Code: statusCode(status)})
}
