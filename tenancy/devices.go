package tenancy

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
)

var (
	permDevicesWriteSelf = policy.Permission{Resource: "devices", Action: "write_self"}
	permDevicesRead      = policy.Permission{Resource: "devices", Action: "read"}
	permDevicesWrite     = policy.Permission{Resource: "devices", Action: "write"}
)

// ErrRevoked: the device was revoked; its key is never released again.
var ErrRevoked = errors.New("revoked")

// DeviceKeySize is the length of a device key in bytes (256 bits).
const DeviceKeySize = 32

// MaxActiveDevices bounds the devices a person may have registered and not
// revoked at once (a browser that opts in again registers anew).
const MaxActiveDevices = 20

// Why a device was revoked.
const (
	RevokedByOwner         = "owner"
	RevokedByAdministrator = "administrator"
	RevokedUserDisabled    = "user_disabled"
)

// Device is a browser that keeps an offline copy for its user. Its key is
// returned only by RegisterDevice and ReleaseDeviceKey.
type Device struct {
	ID             string     `json:"id"`
	UserID         string     `json:"user_id"`
	Label          string     `json:"label" doc:"The name the person gave the device, e.g. \"Work phone\"."`
	UserAgent      string     `json:"user_agent" doc:"The browser's User-Agent when it was registered."`
	CreatedAt      time.Time  `json:"created_at"`
	LastReleasedAt *time.Time `json:"last_released_at,omitempty" doc:"When the key was last released to the device."`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
	RevokedBy      string     `json:"revoked_by,omitempty" doc:"Who revoked it, e.g. user:<id>."`
	RevokedReason  string     `json:"revoked_reason,omitempty" enum:"owner,administrator,user_disabled"`
}

const deviceColumns = `id, user_id, label, user_agent, created_at, last_released_at, revoked_at, coalesce(revoked_by, ''),
	coalesce(revoked_reason, '')`

func scanDevice(r pgx.Row) (Device, error) {
	var d Device
	err := r.Scan(&d.ID, &d.UserID, &d.Label, &d.UserAgent, &d.CreatedAt, &d.LastReleasedAt, &d.RevokedAt, &d.RevokedBy, &d.RevokedReason)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, ErrNotFound
	}
	return d, err
}

func collectDevices(rows pgx.Rows, err error) ([]Device, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Device, error) { return scanDevice(r) })
}

// selfUser is the acting user's id; other subjects (service accounts, system
// actors) have no devices: ErrNotFound.
func selfUser(ctx context.Context) (string, error) {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return "", err
	}
	if s.Kind != policy.KindUser || !isUUID(s.ID) {
		return "", ErrNotFound
	}
	return s.ID, nil
}

// RegisterDevice registers a device of the acting user and returns it with
// its new random key (DeviceKeySize bytes). The server keeps the key to
// release it again (ReleaseDeviceKey). At most MaxActiveDevices devices not
// revoked per person (ErrConflict).
func (p *Platform) RegisterDevice(ctx context.Context, code, label, userAgent string) (Device, []byte, error) {
	if err := p.authorize(ctx, code, permDevicesWriteSelf); err != nil {
		return Device{}, nil, err
	}
	label = strings.TrimSpace(label)
	var bad []FieldError
	if n := utf8.RuneCountInString(label); n < 1 || n > 100 {
		bad = append(bad, FieldError{Path: "label", Value: label, Reason: "must be 1 to 100 characters"})
	}
	if len(userAgent) > 500 {
		bad = append(bad, FieldError{Path: "user_agent", Value: userAgent, Reason: "must be at most 500 bytes"})
	}
	if len(bad) > 0 {
		return Device{}, nil, &ValidationError{Title: "The device is not valid.", Errors: bad}
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return Device{}, nil, err
	}
	key := make([]byte, DeviceKeySize)
	if _, err := rand.Read(key); err != nil {
		return Device{}, nil, err
	}
	var d Device
	err = p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		var active int
		// The user's row is locked so that two registrations at once count each other.
		if err := c.QueryRow(ctx, `select (select count(*) from devices where user_id = u.id and revoked_at is null)
			from users u where u.id = $1 for update`, userID).Scan(&active); errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if active >= MaxActiveDevices {
			return fmt.Errorf("%w: you have %d devices keeping offline copies; revoke one in your account settings first", ErrConflict, active)
		}
		var err error
		d, err = scanDevice(c.QueryRow(ctx, `insert into devices (user_id, label, user_agent, key) values ($1, $2, $3, $4)
			returning `+deviceColumns, userID, label, userAgent, key))
		if err != nil {
			return err
		}
		c.AuditRecord(ctx, "device", d.ID)
		return nil
	})
	if err != nil {
		return Device{}, nil, err
	}
	return d, key, nil
}

// ListOwnDevices lists the acting user's devices, newest first, revoked ones
// included.
func (p *Platform) ListOwnDevices(ctx context.Context, code string) ([]Device, error) {
	if err := p.authorize(ctx, code, permDevicesWriteSelf); err != nil {
		return nil, err
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return nil, err
	}
	var out []Device
	err = p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		out, err = collectDevices(c.Query(ctx, "select "+deviceColumns+" from devices where user_id = $1 order by created_at desc, id", userID))
		return err
	})
	return out, err
}

// ReleaseDeviceKey returns the key of one of the acting user's own devices
// (ErrNotFound for anyone else's, ErrRevoked once revoked) and records the
// release. Whether the caller is a signed-in browser is the API's to check.
func (p *Platform) ReleaseDeviceKey(ctx context.Context, code, id string) ([]byte, error) {
	if err := p.authorize(ctx, code, permDevicesWriteSelf); err != nil {
		return nil, err
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return nil, err
	}
	if !isUUID(id) {
		return nil, ErrNotFound
	}
	var key []byte
	err = p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		c.AuditRecord(ctx, "device", id)
		var revoked *time.Time
		err := c.QueryRow(ctx, "select key, revoked_at from devices where id = $1 and user_id = $2 for update", id, userID).
			Scan(&key, &revoked)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case revoked != nil:
			key = nil
			return ErrRevoked
		}
		_, err = c.Exec(ctx, "update devices set last_released_at = now() where id = $1", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// RevokeOwnDevice revokes one of the acting user's devices (already revoked:
// nothing changes). ErrNotFound for anyone else's.
func (p *Platform) RevokeOwnDevice(ctx context.Context, code, id string) error {
	if err := p.authorize(ctx, code, permDevicesWriteSelf); err != nil {
		return err
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return err
	}
	if !isUUID(id) {
		return ErrNotFound
	}
	return p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		c.AuditRecord(ctx, "device", id)
		return revokeDevice(ctx, c, userID, id, RevokedByOwner)
	})
}

func revokeDevice(ctx context.Context, c *Conn, userID, id, reason string) error {
	var found bool
	err := c.QueryRow(ctx, `with d as (select id, revoked_at from devices where id = $1 and user_id = $2 for update),
		u as (update devices set revoked_at = now(), revoked_by = $3, revoked_reason = $4
			where id = (select id from d where revoked_at is null))
		select exists (select from d)`, id, userID, c.Subject().String(), reason).Scan(&found)
	if err != nil {
		return err
	}
	if !found {
		return ErrNotFound
	}
	return nil
}

// revokeUserDevices revokes every device of user that is not revoked yet (the
// user is being disabled), in the caller's transaction.
func revokeUserDevices(ctx context.Context, c *Conn, userID, reason string) error {
	_, err := c.Exec(ctx, `update devices set revoked_at = now(), revoked_by = $2, revoked_reason = $3
		where user_id = $1 and revoked_at is null`, userID, c.Subject().String(), reason)
	return err
}

// visibleUser checks that user userID is within the acting subject's scope
// (ErrNotFound otherwise) and, when change is set, that their role does not
// reach beyond the actor's (DeniedError).
func visibleUser(ctx context.Context, c *Conn, userID string, change bool) error {
	var target policy.Reach
	err := c.QueryRow(ctx, "select r.permissions, r.record_scope from users u join roles r on r.id = u.role_id where u.id = $4 and "+
		userVisible, append(scopeArgs(c.Subject()), userID)...).Scan(&target.Permissions, &target.Scope)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	} else if err != nil || !change {
		return err
	}
	actor, bound, err := actorReach(ctx, c)
	if err != nil {
		return err
	}
	return checkTarget(actor, bound, "this user's devices: their role", target)
}

// ListUserDevices lists the devices of a user within the acting subject's
// scope (ErrNotFound otherwise), newest first.
func (p *Platform) ListUserDevices(ctx context.Context, code, userID string) ([]Device, error) {
	if err := p.authorize(ctx, code, permDevicesRead); err != nil {
		return nil, err
	}
	if !isUUID(userID) {
		return nil, ErrNotFound
	}
	var out []Device
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		c.AuditRecord(ctx, "user", userID)
		if err := visibleUser(ctx, c, userID, false); err != nil {
			return err
		}
		var err error
		out, err = collectDevices(c.Query(ctx, "select "+deviceColumns+" from devices where user_id = $1 order by created_at desc, id", userID))
		return err
	})
	return out, err
}

// RevokeUserDevice revokes a device of a user within the acting subject's
// scope whose role does not reach beyond the actor's (e.g. a phone reported
// lost). Already revoked: nothing changes.
func (p *Platform) RevokeUserDevice(ctx context.Context, code, userID, id string) error {
	if err := p.authorize(ctx, code, permDevicesWrite); err != nil {
		return err
	}
	if !isUUID(userID) || !isUUID(id) {
		return ErrNotFound
	}
	return p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		c.AuditRecord(ctx, "device", id)
		if err := visibleUser(ctx, c, userID, true); err != nil {
			return err
		}
		return revokeDevice(ctx, c, userID, id, RevokedByAdministrator)
	})
}
