package api

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/policy"
)

var (
	permDevicesWriteSelf = policy.Permission{Resource: "devices", Action: "write_self"}
	permDevicesRead      = policy.Permission{Resource: "devices", Action: "read"}
	permDevicesWrite     = policy.Permission{Resource: "devices", Action: "write"}
)

// browserSecurity is the security of operations only a signed-in browser may
// call (the device key release).
var browserSecurity = []map[string][]string{{schemeSessionCookie: {}}}

type registerDeviceInput struct {
	Body struct {
		Label     string `json:"label" minLength:"1" maxLength:"100" example:"Work phone" doc:"A name the person recognises the device by."`
		UserAgent string `json:"user_agent,omitempty" maxLength:"500" doc:"The browser's User-Agent, to recognise the device in the list."`
	}
}

type deviceKeyOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Data devices.Device `json:"data"`
		Key  string         `json:"key" doc:"The device key: 32 random bytes, base64url without padding. Kept by the server and released again only to this person's signed-in browser (GET /api/v2/devices/{id}/key) until the device is revoked."`
	}
}

type deviceListOutput struct {
	Body struct {
		Data     []devices.Device `json:"data"`
		Metadata ListMetadata     `json:"metadata"`
	}
}

type devicePath struct {
	ID string `path:"id" format:"uuid" doc:"The device's id."`
}

type userDevicePath struct {
	UserID string `path:"id" format:"uuid" doc:"The user's id."`
	ID     string `path:"device_id" format:"uuid" doc:"The device's id."`
}

type releasedKeyOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Key string `json:"key" doc:"The device key, base64url without padding."`
	}
}

// deviceKeyProblem maps a device key the server cannot seal or open (no
// secret configured, or not the secret it was sealed with) to a 503: the
// hosting team's to fix (the log says how), nothing the caller did.
func deviceKeyProblem(err error) (error, bool) {
	var se *devices.SecretError
	if errors.Is(err, devices.ErrNoSecret) || errors.As(err, &se) {
		return withCode(huma.Error503ServiceUnavailable("Device keys are unavailable on this server: the hosting team must check its device key secret."),
			"device_keys_unavailable", nil), true
	}
	return nil, false
}

// deviceProblem is problem, logging what the hosting team must do when the
// device key secret is missing or wrong.
func (s *Server) deviceProblem(ctx context.Context, err error) error {
	if _, ok := deviceKeyProblem(err); ok {
		s.cfg.Logger.ErrorContext(ctx, "device keys unavailable", "error", err)
	}
	return problem(err)
}

func devicesOut(list []devices.Device) *deviceListOutput {
	out := &deviceListOutput{}
	out.Body.Data = append([]devices.Device{}, list...)
	out.Body.Metadata = ListMetadata{Total: len(list), Per: max(len(list), 1), Page: 1}
	return out
}

func registerDevices(api huma.API, s *Server) {
	tags := []string{"Devices"}
	base := "/api/v2/devices"
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "register-device", Method: http.MethodPost, Path: base, Tags: tags, Security: memberSecurity,
		Summary:       "Register this browser as one of my devices keeping an offline copy; returns its key",
		Description:   "Done when a person opts in to keep records on the device. The key is 256 random bits the server keeps: with the instance's offline_unlock set to pin_and_server a copy of the browser's storage opens only once the server released the key, and in every mode a revoked device's copy is wiped at its next contact (docs/identity.md, device keys).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, permDevicesWriteSelf), func(ctx context.Context, in *registerDeviceInput) (*deviceKeyOutput, error) {
		t, _ := tenantFrom(ctx)
		d, key, err := s.devices.Register(ctx, t.Code, in.Body.Label, in.Body.UserAgent)
		if err != nil {
			return nil, s.deviceProblem(ctx, err)
		}
		out := &deviceKeyOutput{CacheControl: "no-store"}
		out.Body.Data, out.Body.Key = d, base64.RawURLEncoding.EncodeToString(key)
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-devices", Method: http.MethodGet, Path: base, Tags: tags, Security: memberSecurity,
		Summary: "List my devices (revoked ones included; never their keys)",
	}, permDevicesWriteSelf), func(ctx context.Context, _ *struct{}) (*deviceListOutput, error) {
		t, _ := tenantFrom(ctx)
		list, err := s.devices.ListOwn(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		return devicesOut(list), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-device-key", Method: http.MethodGet, Path: base + "/{id}/key", Tags: tags, Security: browserSecurity,
		Summary:     "Release my device's key to my signed-in browser",
		Description: "Only to a browser session (the session cookie) of the device's own user: never to a session token or an API key (403). 404 for another person's device; 410 once the device is revoked, when the app removes its offline copy. Every release is in the audit log.",
		Errors:      []int{http.StatusForbidden, http.StatusNotFound, http.StatusGone, http.StatusServiceUnavailable},
	}, permDevicesWriteSelf), func(ctx context.Context, in *devicePath) (*releasedKeyOutput, error) {
		if info := infoFrom(ctx); info == nil || !info.browser {
			return nil, withCode(huma.Error403Forbidden("A device key is released only to a signed-in browser, never to a token or an API key."),
				"device_key_browser_only", nil)
		}
		t, _ := tenantFrom(ctx)
		key, err := s.devices.ReleaseKey(ctx, t.Code, in.ID)
		if err != nil {
			return nil, s.deviceProblem(ctx, err)
		}
		out := &releasedKeyOutput{CacheControl: "no-store"}
		out.Body.Key = base64.RawURLEncoding.EncodeToString(key)
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "revoke-device", Method: http.MethodDelete, Path: base + "/{id}", Tags: tags, Security: memberSecurity,
		Summary:       "Revoke one of my devices: its key is never released again and it removes its offline copy at its next contact",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}, permDevicesWriteSelf), func(ctx context.Context, in *devicePath) (*struct{}, error) {
		t, _ := tenantFrom(ctx)
		return nil, problem(s.devices.RevokeOwn(ctx, t.Code, in.ID))
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-user-devices", Method: http.MethodGet, Path: "/api/v2/users/{id}/devices", Tags: tags, Security: memberSecurity,
		Summary: "List a user's devices (a user within the caller's scope)", Errors: []int{http.StatusNotFound},
	}, permDevicesRead), func(ctx context.Context, in *struct {
		UserID string `path:"id" format:"uuid" doc:"The user's id."`
	}) (*deviceListOutput, error) {
		t, _ := tenantFrom(ctx)
		list, err := s.devices.ListUser(ctx, t.Code, in.UserID)
		if err != nil {
			return nil, problem(err)
		}
		return devicesOut(list), nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "revoke-user-device", Method: http.MethodDelete, Path: "/api/v2/users/{id}/devices/{device_id}", Tags: tags,
		Security: memberSecurity, Summary: "Revoke a user's device (e.g. a phone reported lost)", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, permDevicesWrite), func(ctx context.Context, in *userDevicePath) (*struct{}, error) {
		t, _ := tenantFrom(ctx)
		return nil, problem(s.devices.RevokeUser(ctx, t.Code, in.UserID, in.ID))
	})
}
