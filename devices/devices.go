package devices

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

var (
	permWriteSelf = policy.Permission{Resource: "devices", Action: "write_self"}
	permRead      = policy.Permission{Resource: "devices", Action: "read"}
	permWrite     = policy.Permission{Resource: "devices", Action: "write"}
)

// ErrRevoked: the device was revoked; its key is never released again.
var ErrRevoked = errors.New("revoked")

// KeySize is the length of a device key in bytes (256 bits).
const KeySize = 32

// MaxActive bounds the devices a person may have registered and not revoked
// at once (a browser that opts in again registers anew).
const MaxActive = 20

// Why a device was revoked.
const (
	RevokedByOwner         = "owner"
	RevokedByAdministrator = "administrator"
	RevokedUserDisabled    = "user_disabled"
)

// Config configures a Service.
type Config struct {
	// Keys seals the device keys at rest. Nil: registering a device and
	// releasing a key fail with ErrNoSecret; listing and revoking work.
	Keys *Keyring
}

// Service is the device registry's use cases.
type Service struct {
	p    *tenancy.Platform
	keys *Keyring
}

// New returns the device registry on platform p.
func New(p *tenancy.Platform, cfg Config) *Service { return &Service{p: p, keys: cfg.Keys} }

// Device is a browser that keeps an offline copy for its user. Its key is
// returned only by Register and ReleaseKey.
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

const columns = `id, user_id, label, user_agent, created_at, last_released_at, revoked_at, coalesce(revoked_by, ''),
	coalesce(revoked_reason, '')`

func scan(r pgx.Row) (Device, error) {
	var d Device
	err := r.Scan(&d.ID, &d.UserID, &d.Label, &d.UserAgent, &d.CreatedAt, &d.LastReleasedAt, &d.RevokedAt, &d.RevokedBy, &d.RevokedReason)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, tenancy.ErrNotFound
	}
	return d, err
}

func collect(rows pgx.Rows, err error) ([]Device, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Device, error) { return scan(r) })
}

// selfUser is the acting user's id; other subjects (service accounts, system
// actors) have no devices: ErrNotFound.
func selfUser(ctx context.Context) (string, error) {
	s, err := policy.SubjectFrom(ctx)
	if err != nil {
		return "", err
	}
	if s.Kind != policy.KindUser || !tenancy.IsUUID(s.ID) {
		return "", tenancy.ErrNotFound
	}
	return s.ID, nil
}

// Register registers a device of the acting user and returns it with its new
// random key (KeySize bytes). The server keeps the key, sealed, to release it
// again (ReleaseKey). At most MaxActive devices not revoked per person
// (tenancy.ErrConflict).
func (s *Service) Register(ctx context.Context, code, label, userAgent string) (Device, []byte, error) {
	if err := s.p.Authorize(ctx, code, permWriteSelf); err != nil {
		return Device{}, nil, err
	}
	label = strings.TrimSpace(label)
	var bad []tenancy.FieldError
	if n := utf8.RuneCountInString(label); n < 1 || n > 100 {
		bad = append(bad, tenancy.FieldError{Path: "label", Value: label, Reason: "must be 1 to 100 characters"})
	}
	if len(userAgent) > 500 {
		bad = append(bad, tenancy.FieldError{Path: "user_agent", Value: userAgent, Reason: "must be at most 500 bytes"})
	}
	if len(bad) > 0 {
		return Device{}, nil, &tenancy.ValidationError{Title: "The device is not valid.", Errors: bad}
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return Device{}, nil, err
	}
	if s.keys == nil {
		return Device{}, nil, ErrNoSecret
	}
	key := make([]byte, KeySize)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	id := uuid.NewString()
	keyID, sealed := s.keys.seal(code, id, key)
	var d Device
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var active int
		// The user's row is locked so that two registrations at once count each other.
		if err := c.QueryRow(ctx, `select (select count(*) from devices where user_id = u.id and revoked_at is null)
			from users u where u.id = $1 for update`, userID).Scan(&active); errors.Is(err, pgx.ErrNoRows) {
			return tenancy.ErrNotFound
		} else if err != nil {
			return err
		}
		if active >= MaxActive {
			return fmt.Errorf("%w: you have %d devices keeping offline copies; revoke one in your account settings first", tenancy.ErrConflict, active)
		}
		var err error
		d, err = scan(c.QueryRow(ctx, `insert into devices (id, user_id, label, user_agent, sealed_key, key_id) values ($1, $2, $3, $4, $5, $6)
			returning `+columns, id, userID, label, userAgent, sealed, keyID))
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

// ListOwn lists the acting user's devices, newest first, revoked ones
// included.
func (s *Service) ListOwn(ctx context.Context, code string) ([]Device, error) {
	if err := s.p.Authorize(ctx, code, permWriteSelf); err != nil {
		return nil, err
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return nil, err
	}
	var out []Device
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		out, err = collect(c.Query(ctx, "select "+columns+" from devices where user_id = $1 order by created_at desc, id", userID))
		return err
	})
	return out, err
}

// ReleaseKey returns the key of one of the acting user's own devices
// (ErrNotFound for anyone else's, ErrRevoked once revoked) and records the
// release. A key still stored in clear (registered before keys were sealed)
// is sealed now. Whether the caller is a signed-in browser is the API's to
// check.
func (s *Service) ReleaseKey(ctx context.Context, code, id string) ([]byte, error) {
	if err := s.p.Authorize(ctx, code, permWriteSelf); err != nil {
		return nil, err
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return nil, err
	}
	if !tenancy.IsUUID(id) {
		return nil, tenancy.ErrNotFound
	}
	if s.keys == nil {
		return nil, ErrNoSecret
	}
	var key []byte
	err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "device", id)
		var revoked *time.Time
		var stored storedKey
		err := c.QueryRow(ctx, "select id, key, sealed_key, coalesce(key_id, ''), revoked_at from devices where id = $1 and user_id = $2 for update",
			id, userID).Scan(&stored.id, &stored.clear, &stored.sealed, &stored.keyID, &revoked)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return tenancy.ErrNotFound
		case err != nil:
			return err
		case revoked != nil:
			return ErrRevoked
		}
		if key, err = s.keys.openStored(code, stored); err != nil {
			return err
		}
		if stored.clear != nil {
			// Registered before keys were sealed: sealed at this first use.
			keyID, sealed := s.keys.seal(code, stored.id, key)
			_, err = c.Exec(ctx, "update devices set key = null, sealed_key = $2, key_id = $3, last_released_at = now() where id = $1",
				id, sealed, keyID)
			return err
		}
		_, err = c.Exec(ctx, "update devices set last_released_at = now() where id = $1", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// RevokeOwn revokes one of the acting user's devices (already revoked:
// nothing changes). ErrNotFound for anyone else's.
func (s *Service) RevokeOwn(ctx context.Context, code, id string) error {
	if err := s.p.Authorize(ctx, code, permWriteSelf); err != nil {
		return err
	}
	userID, err := selfUser(ctx)
	if err != nil {
		return err
	}
	if !tenancy.IsUUID(id) {
		return tenancy.ErrNotFound
	}
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "device", id)
		return revoke(ctx, c, userID, id, RevokedByOwner)
	})
}

func revoke(ctx context.Context, c *tenancy.Conn, userID, id, reason string) error {
	var found bool
	err := c.QueryRow(ctx, `with d as (select id, revoked_at from devices where id = $1 and user_id = $2 for update),
		u as (update devices set revoked_at = now(), revoked_by = $3, revoked_reason = $4
			where id = (select id from d where revoked_at is null))
		select exists (select from d)`, id, userID, c.Subject().String(), reason).Scan(&found)
	if err != nil {
		return err
	}
	if !found {
		return tenancy.ErrNotFound
	}
	return nil
}

// ListUser lists the devices of a user within the acting subject's scope
// (ErrNotFound otherwise), newest first.
func (s *Service) ListUser(ctx context.Context, code, userID string) ([]Device, error) {
	if err := s.p.Authorize(ctx, code, permRead); err != nil {
		return nil, err
	}
	if !tenancy.IsUUID(userID) {
		return nil, tenancy.ErrNotFound
	}
	var out []Device
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "user", userID)
		if err := people.VisibleUser(ctx, c, userID, false, "this user's devices"); err != nil {
			return err
		}
		var err error
		out, err = collect(c.Query(ctx, "select "+columns+" from devices where user_id = $1 order by created_at desc, id", userID))
		return err
	})
	return out, err
}

// RevokeUser revokes a device of a user within the acting subject's scope
// whose role does not reach beyond the actor's (e.g. a phone reported lost).
// Already revoked: nothing changes.
func (s *Service) RevokeUser(ctx context.Context, code, userID, id string) error {
	if err := s.p.Authorize(ctx, code, permWrite); err != nil {
		return err
	}
	if !tenancy.IsUUID(userID) || !tenancy.IsUUID(id) {
		return tenancy.ErrNotFound
	}
	return s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		c.AuditRecord(ctx, "device", id)
		if err := people.VisibleUser(ctx, c, userID, true, "this user's devices"); err != nil {
			return err
		}
		return revoke(ctx, c, userID, id, RevokedByAdministrator)
	})
}
