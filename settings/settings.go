package settings

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// SystemSettings are a tenant's country-wide settings.
type SystemSettings struct {
	Name          string   `json:"name"`
	DefaultLocale string   `json:"default_locale"`
	Locales       []string `json:"locales"`
	// Directions gives each locale's writing direction, "rtl" or "ltr" (Direction).
	Directions map[string]string `json:"directions" doc:"Each locale's writing direction: rtl (Arabic, Persian, Urdu, Hebrew, Pashto, Sorani Kurdish...) or ltr." example:"{\"en\":\"ltr\",\"ar\":\"rtl\"}"`
	Modules    []Module          `json:"modules"`
	// TimeZone is the default IANA time zone of users without their own.
	TimeZone string `json:"time_zone" doc:"The default IANA time zone of the instance's users (those without one of their own): their daily digest goes out on their local morning." example:"Africa/Nairobi"`
	// AttachmentLimits are the tenant's limits on attachments.
	AttachmentLimits
	// AttachmentMaxBytesAllowed is the server-wide largest file
	// (storage.Config.MaxSize), the ceiling of the size limits; filled in
	// by the API, 0 from this package.
	AttachmentMaxBytesAllowed int64 `json:"attachment_max_bytes_allowed" doc:"The largest file this server stores, in bytes: the ceiling of the attachment size limits." example:"52428800"`
	// SessionIdleTimeoutSeconds and SessionLifespanSeconds are the server's
	// session limits (api.Config.IdleTimeout and SessionLifespan), so that
	// the app words them as configured; filled in by the API, 0 from this
	// package.
	SessionIdleTimeoutSeconds int64 `json:"session_idle_timeout_seconds" doc:"A signed-in session ends after this many seconds without a request (the server's configured idle limit)." example:"1800"`
	SessionLifespanSeconds    int64 `json:"session_lifespan_seconds" doc:"A signed-in session ends this many seconds after sign-in, whatever the activity (the configured session lifespan)." example:"43200"`
	// OfflineUnlock says what opens a device's offline copy (OfflineUnlockPIN
	// or OfflineUnlockPINAndServer).
	OfflineUnlock string `json:"offline_unlock" enum:"pin,pin_and_server" doc:"What opens an offline copy: pin (the PIN; the device key is kept on the device, wrapped by the PIN, so the copy opens offline after a restart) or pin_and_server (the PIN and the device key, which the server releases to the signed-in browser and the device never stores: a copied browser profile is useless without the server, and after a restart the copy waits for the connection)."`
}

// What opens an offline copy (SystemSettings.OfflineUnlock).
const (
	OfflineUnlockPIN          = "pin"
	OfflineUnlockPINAndServer = "pin_and_server"
)

// Writing directions of locales.
const (
	DirectionLTR = "ltr"
	DirectionRTL = "rtl"
)

// rtlLanguages are the languages written right to left, by ISO 639 code:
// Arabic, Persian (and Dari), Urdu, Hebrew, Pashto, Sorani Kurdish, Sindhi,
// Uyghur, Dhivehi, Yiddish, Syriac, N'Ko, Balochi, Kashmiri, Southern
// Kurdish, South Azerbaijani, Mazanderani, Northern Luri. Others are ltr
// unless their tag names an rtl script (rtlScripts).
var rtlLanguages = map[string]bool{"ar": true, "fa": true, "prs": true, "ur": true, "he": true, "iw": true, "ps": true,
	"ckb": true, "sd": true, "ug": true, "dv": true, "yi": true, "syr": true, "nqo": true, "bal": true, "ks": true,
	"sdh": true, "azb": true, "mzn": true, "lrc": true}

// rtlScripts are scripts written right to left: a tag naming one (ku-Arab,
// pa-Arab) is rtl whatever its language; one naming another (az-Latn) is ltr.
var rtlScripts = map[string]bool{"arab": true, "hebr": true, "thaa": true, "syrc": true, "nkoo": true, "adlm": true, "rohg": true}

// Direction is the writing direction of a locale tag ("ar", "fa-AF",
// "ku-Arab", "pa-Arab" are rtl; "en", "az-Latn" ltr): its script subtag if
// it has one, else its language.
func Direction(locale string) string {
	parts := strings.Split(strings.ToLower(locale), "-")
	for _, p := range parts[1:] {
		if len(p) == 4 {
			if rtlScripts[p] {
				return DirectionRTL
			}
			return DirectionLTR
		}
	}
	if rtlLanguages[parts[0]] {
		return DirectionRTL
	}
	return DirectionLTR
}

// Module is a Primero module (e.g. CP, child protection) enabled for the tenant.
type Module struct {
	UniqueID              string            `json:"unique_id"`
	Name                  map[string]string `json:"name"`
	AssociatedRecordTypes []string          `json:"associated_record_types"`
}

// GetSystemSettings reads the tenant's settings through a tenant transaction.
func (svc *Service) GetSystemSettings(ctx context.Context, code string) (SystemSettings, error) {
	var s SystemSettings
	err := svc.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		s, err = readSystemSettings(ctx, c)
		return err
	})
	return s, err
}

// readSystemSettings reads the tenant's settings in the transaction c.
func readSystemSettings(ctx context.Context, c *tenancy.Conn) (SystemSettings, error) {
	var s SystemSettings
	if err := c.QueryRow(ctx, `select name, default_locale, locales, time_zone, offline_unlock,
		attachment_max_photo_bytes, attachment_max_audio_bytes, attachment_max_document_bytes, attachments_per_record
		from system_settings`).
		Scan(&s.Name, &s.DefaultLocale, &s.Locales, &s.TimeZone, &s.OfflineUnlock,
			&s.MaxPhotoBytes, &s.MaxAudioBytes, &s.MaxDocumentBytes, &s.PerRecord); err != nil {
		return s, err
	}
	s.Directions = make(map[string]string, len(s.Locales))
	for _, l := range s.Locales {
		s.Directions[l] = Direction(l)
	}
	rows, err := c.Query(ctx, `select unique_id, name, associated_record_types from modules
		where enabled order by position, unique_id`)
	if err != nil {
		return s, err
	}
	s.Modules, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Module, error) {
		var m Module
		var name []byte
		if err := r.Scan(&m.UniqueID, &name, &m.AssociatedRecordTypes); err != nil {
			return m, err
		}
		return m, json.Unmarshal(name, &m.Name)
	})
	return s, err
}

// SystemSettingsChange names the settings a PATCH changes; nil fields (and
// an empty Limits) stay as they are.
type SystemSettingsChange struct {
	TimeZone      *string
	OfflineUnlock *string
	Limits        AttachmentLimitsChange
	// CORSOrigins, when not nil, replaces the origins allowed to call the
	// tenant's API from other web applications (the platform's row of the
	// tenant, Tenant.CORSOrigins); an empty, non-nil list allows none.
	CORSOrigins []string
}

// Empty says whether ch changes nothing.
func (ch SystemSettingsChange) Empty() bool {
	return ch.TimeZone == nil && ch.OfflineUnlock == nil && ch.Limits.Empty() && ch.CORSOrigins == nil
}

// Validate checks every value of ch (the attachment sizes against ceiling,
// the server's largest file) and returns them all as one *tenancy.ValidationError.
func (ch SystemSettingsChange) Validate(ceiling int64) error {
	var errs []tenancy.FieldError
	if ch.TimeZone != nil {
		errs = append(errs, validationErrors(ValidateTimeZone("time_zone", *ch.TimeZone))...)
	}
	if ch.OfflineUnlock != nil && *ch.OfflineUnlock != OfflineUnlockPIN && *ch.OfflineUnlock != OfflineUnlockPINAndServer {
		errs = append(errs, tenancy.FieldError{Path: "offline_unlock", Value: *ch.OfflineUnlock, Reason: "must be pin or pin_and_server"})
	}
	errs = append(errs, validationErrors(ch.Limits.Validate(ceiling))...)
	errs = append(errs, validationErrors(validateOrigins(ch.CORSOrigins))...)
	if len(errs) > 0 {
		return &tenancy.ValidationError{Title: "The system settings are not valid.", Errors: errs}
	}
	return nil
}

// SettingsUpdate is the outcome of UpdateSystemSettings: the tenant's
// settings and its CORS origins (the platform's row), as committed.
type SettingsUpdate struct {
	SystemSettings
	CORSOrigins []string
}

// UpdateSystemSettings changes the settings named in ch, every value checked
// first (SystemSettingsChange.Validate), in one transaction with one audit
// row listing what changed: the tenant's system_settings and, when ch has
// CORSOrigins, the platform's row of the tenant (written as the login role
// inside the same transaction by tenancy.Conn.TenantCORSOrigins), so that the call applies
// all of it or nothing. Needs system_settings:write.
func (svc *Service) UpdateSystemSettings(ctx context.Context, code string, ch SystemSettingsChange, ceiling int64) (SettingsUpdate, error) {
	if err := svc.p.Authorize(ctx, code, permSettingsWrite); err != nil {
		return SettingsUpdate{}, err
	}
	if err := ch.Validate(ceiling); err != nil {
		return SettingsUpdate{}, err
	}
	var s SettingsUpdate
	err := svc.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		changed := map[string]any{}
		if ch.CORSOrigins != nil {
			changed["cors_origins"] = ch.CORSOrigins
		}
		var err error
		if s.CORSOrigins, err = c.TenantCORSOrigins(ctx, ch.CORSOrigins); err != nil {
			return err
		}
		l := ch.Limits
		if _, err := c.Exec(ctx, `update system_settings set
			time_zone = coalesce($1, time_zone),
			offline_unlock = coalesce($2, offline_unlock),
			attachment_max_photo_bytes = coalesce($3, attachment_max_photo_bytes),
			attachment_max_audio_bytes = coalesce($4, attachment_max_audio_bytes),
			attachment_max_document_bytes = coalesce($5, attachment_max_document_bytes),
			attachments_per_record = coalesce($6::int, attachments_per_record)`,
			ch.TimeZone, ch.OfflineUnlock, l.MaxPhotoBytes, l.MaxAudioBytes, l.MaxDocumentBytes, l.PerRecord); err != nil {
			return err
		}
		for k, v := range map[string]*string{"time_zone": ch.TimeZone, "offline_unlock": ch.OfflineUnlock} {
			if v != nil {
				changed[k] = *v
			}
		}
		for k, v := range map[string]*int64{"attachment_max_photo_bytes": l.MaxPhotoBytes, "attachment_max_audio_bytes": l.MaxAudioBytes,
			"attachment_max_document_bytes": l.MaxDocumentBytes, "attachments_per_record": l.PerRecord} {
			if v != nil {
				changed[k] = *v
			}
		}
		if err := c.AuditChange(ctx, "system_settings:write", changed); err != nil {
			return err
		}
		s.SystemSettings, err = readSystemSettings(ctx, c)
		return err
	})
	if ch.CORSOrigins != nil {
		svc.p.ForgetTenant(code) // committed or not: the next request reads the row
		if err == nil {
			svc.p.Config().Logger.InfoContext(ctx, "tenant CORS origins changed", "tenant", code, "actor", actorName(ctx), "origins", ch.CORSOrigins)
		}
	}
	return s, err
}

// validateOrigins checks the origins allowed to call a tenant's API from
// another web application (SystemSettingsChange.CORSOrigins): at most 50,
// each scheme://host[:port], https, or http for localhost only.
func validateOrigins(origins []string) error {
	if len(origins) > 50 {
		return &tenancy.InvalidError{Field: "cors_origins", Reason: "at most 50 origins"}
	}
	var errs []tenancy.FieldError
	for _, o := range origins {
		errs = append(errs, validationErrors(validateOrigin(o))...)
	}
	if len(errs) > 0 {
		return &tenancy.ValidationError{Title: "The system settings are not valid.", Errors: errs}
	}
	return nil
}

func validateOrigin(o string) error {
	u, err := url.Parse(o)
	bad := err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil ||
		(u.Scheme != "https" && !(u.Scheme == "http" && (u.Hostname() == "localhost" || strings.HasSuffix(u.Hostname(), ".localhost"))))
	if bad || strings.Contains(o, "*") {
		return &tenancy.InvalidError{Field: "cors_origins", Value: o,
			Reason: "must be an origin such as https://app.example.org (https; http only for localhost; no path, no wildcard)"}
	}
	return nil
}

// actorName names the acting subject in logs.
func actorName(ctx context.Context) string {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return "unknown"
	}
	return s.String()
}
