package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

type systemSettingsOutput struct {
	Body struct {
		Data tenancy.SystemSettings `json:"data"`
	}
}

func registerSystemSettings(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-system-settings", Method: http.MethodGet, Path: "/api/v2/system_settings",
		Tags:        []string{"System settings"},
		Summary:     "The country instance's name, languages and modules",
		Description: "Public: the sign-in page needs it before anyone is signed in.",
	}, policy.Public), func(ctx context.Context, _ *struct{}) (*systemSettingsOutput, error) {
		t, ok := tenantFrom(ctx)
		if !ok {
			return nil, huma.Error404NotFound(notFoundDetail)
		}
		settings, err := s.platform.GetSystemSettings(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = settings
		return out, nil
	})
}

type updateSystemSettingsInput struct {
	Body struct {
		TimeZone      *string  `json:"time_zone,omitempty" maxLength:"64" doc:"The default IANA time zone of the instance's users (those without one of their own)." example:"Africa/Nairobi"`
		CORSOrigins   []string `json:"cors_origins,omitempty" required:"false" maxItems:"50" doc:"Origins of other web applications allowed to call this API from a browser with a token or API key (never with cookies), e.g. https://registration.example.org." example:"[\"https://registration.example.org\"]"`
		OfflineUnlock *string  `json:"offline_unlock,omitempty" enum:"pin,pin_and_server" doc:"What opens an offline copy: pin (the PIN alone; opens offline after a restart) or pin_and_server (the PIN and the device key the server releases to the signed-in browser)."`
	}
}

type corsOutput struct {
	Body struct {
		Data struct {
			CORSOrigins   []string `json:"cors_origins"`
			TimeZone      string   `json:"time_zone"`
			OfflineUnlock string   `json:"offline_unlock"`
		} `json:"data"`
	}
}

func registerSystemSettingsWrite(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-system-settings", Method: http.MethodPatch, Path: "/api/v2/system_settings",
		Tags: []string{"System settings"}, Security: memberSecurity,
		Summary: "Change the country instance's settings: the origins allowed to call the API from other web applications, the default time zone, what opens offline copies",
		Errors:  []int{http.StatusUnprocessableEntity},
	}, policy.Permission{Resource: "system_settings", Action: "write"}), func(ctx context.Context, in *updateSystemSettingsInput) (*corsOutput, error) {
		t, _ := tenantFrom(ctx)
		if in.Body.CORSOrigins == nil && in.Body.TimeZone == nil && in.Body.OfflineUnlock == nil {
			return nil, huma.Error422UnprocessableEntity("Nothing to change.", &huma.ErrorDetail{Location: "body", Message: "give cors_origins, time_zone or offline_unlock"})
		}
		if in.Body.TimeZone != nil { // validated before any change
			if err := tenancy.ValidateTimeZone("time_zone", *in.Body.TimeZone); err != nil {
				return nil, problem(err)
			}
		}
		out := &corsOutput{}
		out.Body.Data.CORSOrigins = append([]string{}, t.CORSOrigins...)
		if in.Body.CORSOrigins != nil {
			updated, err := s.platform.SetCORSOrigins(ctx, t.Code, in.Body.CORSOrigins)
			if err != nil {
				return nil, problem(err)
			}
			out.Body.Data.CORSOrigins = append([]string{}, updated.CORSOrigins...)
		}
		var err error
		var settings tenancy.SystemSettings
		if in.Body.TimeZone != nil {
			settings, err = s.platform.SetDefaultTimeZone(ctx, t.Code, *in.Body.TimeZone)
		} else {
			settings, err = s.platform.GetSystemSettings(ctx, t.Code)
		}
		if err == nil && in.Body.OfflineUnlock != nil {
			settings, err = s.platform.SetOfflineUnlock(ctx, t.Code, *in.Body.OfflineUnlock)
		}
		if err != nil {
			return nil, problem(err)
		}
		out.Body.Data.TimeZone = settings.TimeZone
		out.Body.Data.OfflineUnlock = settings.OfflineUnlock
		return out, nil
	})
}

type addLocaleInput struct {
	Body struct {
		Locale string `json:"locale" minLength:"2" maxLength:"20" doc:"A BCP 47 language tag: a language, an optional script and an optional region (fr, pt-BR, ku-Arab). Its writing direction is derived from the tag." example:"sw"`
	}
}

type removeLocaleInput struct {
	Locale string `path:"locale" maxLength:"20" doc:"One of this instance's languages, not its default." example:"sw"`
}

func registerLocales(api huma.API, s *Server) {
	perm := policy.Permission{Resource: "system_settings", Action: "write"}
	tags := []string{"System settings"}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "add-locale", Method: http.MethodPost, Path: "/api/v2/system_settings/locales",
		Tags: tags, Security: memberSecurity, DefaultStatus: http.StatusCreated,
		Summary: "Add a language to this instance",
		Description: "Adds the language to the instance's languages: members may choose it, translations export and import " +
			"accept it at once. A language the instance has already is a 409.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, perm), func(ctx context.Context, in *addLocaleInput) (*systemSettingsOutput, error) {
		t, _ := tenantFrom(ctx)
		settings, err := s.platform.AddLocale(ctx, t.Code, in.Body.Locale)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = settings
		return out, nil
	})
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "remove-locale", Method: http.MethodDelete, Path: "/api/v2/system_settings/locales/{locale}",
		Tags: tags, Security: memberSecurity,
		Summary: "Remove a language from this instance",
		Description: "Refused (409) for the default language and while members have it as their own language (the problem " +
			"says how many). Texts translated into it are kept: adding it again brings them back.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, perm), func(ctx context.Context, in *removeLocaleInput) (*systemSettingsOutput, error) {
		t, _ := tenantFrom(ctx)
		settings, err := s.platform.RemoveLocale(ctx, t.Code, in.Locale)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = settings
		return out, nil
	})
}
