package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/storage"
)

type systemSettingsOutput struct {
	Body struct {
		Data settings.SystemSettings `json:"data"`
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
		st, err := s.settings.GetSystemSettings(ctx, t.Code)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = st
		s.serverLimits(&out.Body.Data)
		return out, nil
	})
}

// serverLimits fills in the settings the server has rather than the
// tenant: the largest file, and the session limits the app words.
func (s *Server) serverLimits(st *settings.SystemSettings) {
	st.AttachmentMaxBytesAllowed = s.attachmentMaxBytes()
	st.SessionIdleTimeoutSeconds = int64(s.cfg.IdleTimeout / time.Second)
	st.SessionLifespanSeconds = int64(s.cfg.SessionLifespan / time.Second)
}

// attachmentMaxBytes is the server-wide largest file: the file storage's
// MaxSize (set where cmd/ opens the storage), storage.MaxSizeDefault on a
// server without storage. A tenant's size limits may not exceed it.
func (s *Server) attachmentMaxBytes() int64 {
	if s.cfg.Storage == nil {
		return storage.MaxSizeDefault
	}
	return s.cfg.Storage.Config().MaxSize
}

type updateSystemSettingsInput struct {
	Body struct {
		TimeZone      *string  `json:"time_zone,omitempty" maxLength:"64" doc:"The default IANA time zone of the instance's users (those without one of their own)." example:"Africa/Nairobi"`
		CORSOrigins   []string `json:"cors_origins,omitempty" required:"false" maxItems:"50" doc:"Origins of other web applications allowed to call this API from a browser with a token or API key (never with cookies), e.g. https://registration.example.org." example:"[\"https://registration.example.org\"]"`
		OfflineUnlock *string  `json:"offline_unlock,omitempty" enum:"pin,pin_and_server" doc:"What opens an offline copy: pin (the PIN alone; opens offline after a restart) or pin_and_server (the PIN and the device key the server releases to the signed-in browser)."`
		// The attachment limits: checked by
		// settings.AttachmentLimitsChange.Validate (the sizes against the
		// server's storage MaxSize), so every bad value is a 422 at its field.
		MaxPhotoBytes    *int64 `json:"attachment_max_photo_bytes,omitempty" doc:"The largest photo file accepted, in bytes: from 1 to attachment_max_bytes_allowed." example:"10485760"`
		MaxAudioBytes    *int64 `json:"attachment_max_audio_bytes,omitempty" doc:"The largest audio file accepted, in bytes: from 1 to attachment_max_bytes_allowed." example:"26214400"`
		MaxDocumentBytes *int64 `json:"attachment_max_document_bytes,omitempty" doc:"The largest document file accepted, in bytes: from 1 to attachment_max_bytes_allowed." example:"20971520"`
		PerRecord        *int64 `json:"attachments_per_record,omitempty" doc:"How many attachments one record may hold: from 1 to 10000." example:"50"`
	}
}

type corsOutput struct {
	Body struct {
		Data struct {
			CORSOrigins   []string `json:"cors_origins"`
			TimeZone      string   `json:"time_zone"`
			OfflineUnlock string   `json:"offline_unlock"`
			settings.AttachmentLimits
		} `json:"data"`
	}
}

func registerSystemSettingsWrite(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "update-system-settings", Method: http.MethodPatch, Path: "/api/v2/system_settings",
		Tags: []string{"System settings"}, Security: memberSecurity,
		Summary: "Change the country instance's settings: the origins allowed to call the API from other web applications, the default time zone, what opens offline copies, the attachment limits",
		Description: "Every value is checked before anything changes. The attachment size limits may not exceed the server's " +
			"largest file (attachment_max_bytes_allowed of get-system-settings); a bad value is a 422 at its field.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, policy.Permission{Resource: "system_settings", Action: "write"}), func(ctx context.Context, in *updateSystemSettingsInput) (*corsOutput, error) {
		t, _ := tenantFrom(ctx)
		ch := settings.SystemSettingsChange{TimeZone: in.Body.TimeZone, OfflineUnlock: in.Body.OfflineUnlock, CORSOrigins: in.Body.CORSOrigins,
			Limits: settings.AttachmentLimitsChange{MaxPhotoBytes: in.Body.MaxPhotoBytes, MaxAudioBytes: in.Body.MaxAudioBytes,
				MaxDocumentBytes: in.Body.MaxDocumentBytes, PerRecord: in.Body.PerRecord}}
		if ch.Empty() {
			return nil, huma.Error422UnprocessableEntity("Nothing to change.", &huma.ErrorDetail{Location: "body",
				Message: "give cors_origins, time_zone, offline_unlock or an attachment limit"})
		}
		// Every value is checked before anything changes, then the origins
		// (the platform's row) and the rest change in one transaction with
		// the call's audit row: all of it or nothing.
		st, err := s.settings.UpdateSystemSettings(ctx, t.Code, ch, s.attachmentMaxBytes())
		if err != nil {
			return nil, problem(err)
		}
		out := &corsOutput{}
		out.Body.Data.CORSOrigins = append([]string{}, st.CORSOrigins...)
		out.Body.Data.TimeZone = st.TimeZone
		out.Body.Data.OfflineUnlock = st.OfflineUnlock
		out.Body.Data.AttachmentLimits = st.AttachmentLimits
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
		st, err := s.settings.AddLocale(ctx, t.Code, in.Body.Locale)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = st
		s.serverLimits(&out.Body.Data)
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
		st, err := s.settings.RemoveLocale(ctx, t.Code, in.Locale)
		if err != nil {
			return nil, problem(err)
		}
		out := &systemSettingsOutput{}
		out.Body.Data = st
		s.serverLimits(&out.Body.Data)
		return out, nil
	})
}
