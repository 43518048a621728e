package settings

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Time zones (docs/workflows.md, "Time zones"): each user may have an IANA
// time zone of their own (users.time_zone; null: the tenant's), and the
// tenant has a default (system_settings.time_zone, "UTC" unless changed).
// The daily digest goes out on a user's local morning and their tasks are
// overdue from their local day.

// timeZoneRE bounds a zone name as the migration's check does.
var timeZoneRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+/-]{0,63}$`)

// ValidateTimeZone checks that name is an IANA time zone that Go's
// time.LoadLocation knows ("Africa/Nairobi", "UTC"); "Local" and the empty
// name are refused (they are not zones of a place). field names the input
// in the tenancy.InvalidError.
func ValidateTimeZone(field, name string) error {
	bad := &tenancy.InvalidError{Field: field, Value: name, Code: "time_zone", Reason: "must be an IANA time zone such as \"Africa/Nairobi\" or \"UTC\""}
	if name == "Local" || !timeZoneRE.MatchString(name) {
		return bad
	}
	if _, err := time.LoadLocation(name); err != nil {
		return bad
	}
	return nil
}

// SetDefaultTimeZone sets tenant code's default time zone (users without
// one of their own): UpdateSystemSettings of the zone alone. Needs
// system_settings:write.
func (svc *Service) SetDefaultTimeZone(ctx context.Context, code, name string) (SystemSettings, error) {
	s, err := svc.UpdateSystemSettings(ctx, code, SystemSettingsChange{TimeZone: &name}, 0)
	return s.SystemSettings, err
}

// UserLocation returns the time zone of user id in the transaction c: their
// own, else the tenant's default; the default for an id that is not a user
// (service accounts, system actors: pass ""). A name Go no longer knows
// falls back to UTC.
func UserLocation(ctx context.Context, c *tenancy.Conn, id string) (*time.Location, error) {
	var name string
	var uid any
	if tenancy.IsUUID(id) {
		uid = id
	}
	err := c.QueryRow(ctx, `select coalesce((select u.time_zone from users u where u.id = $1::uuid), s.time_zone)
		from system_settings s`, uid).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.UTC, nil
	}
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC, nil
	}
	return loc, nil
}

// LocalDate is the calendar day of t in loc, as a date at midnight UTC (the
// form pgx gives and takes for a SQL date).
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
