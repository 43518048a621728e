package devices

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// storedKey is a device key as a row keeps it: in clear (before migration
// device_keys_sealed) or sealed with the secret keyID.
type storedKey struct {
	id     string
	clear  []byte
	sealed []byte
	keyID  string
}

// openStored returns the key of a row of tenant.
func (k *Keyring) openStored(tenant string, s storedKey) ([]byte, error) {
	if s.clear != nil {
		return s.clear, nil
	}
	return k.open(tenant, s.id, s.keyID, s.sealed)
}

// ResealReport says what Reseal did in one tenant.
type ResealReport struct {
	// Resealed keys were sealed with an older secret; Sealed were in clear.
	Resealed, Sealed int
	// Current keys were already sealed with the current secret.
	Current int
}

// Reseal seals every device key of tenant code with the keyring's current
// secret: keys in clear and keys sealed with an older secret (revoked
// devices' too), in one tenant transaction, as the named system actor
// device_sealer. A key that does not open (a secret missing from the
// keyring) fails the tenant with a SecretError and changes nothing.
func (s *Service) Reseal(ctx context.Context, code string) (ResealReport, error) {
	var rep ResealReport
	if s.keys == nil {
		return rep, ErrNoSecret
	}
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorDeviceSealer))
	if err := s.p.Authorize(ctx, code, policy.PermDeviceKeysReseal); err != nil {
		return rep, err
	}
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, "select count(*) from devices where key_id = $1", s.keys.ID()).Scan(&rep.Current); err != nil {
			return err
		}
		rows, err := c.Query(ctx, `select id, key, sealed_key, coalesce(key_id, '') from devices
			where key_id is distinct from $1 order by id for update`, s.keys.ID())
		if err != nil {
			return err
		}
		stale, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storedKey, error) {
			var k storedKey
			return k, r.Scan(&k.id, &k.clear, &k.sealed, &k.keyID)
		})
		if err != nil {
			return err
		}
		var b pgx.Batch
		for _, st := range stale {
			key, err := s.keys.openStored(code, st)
			if err != nil {
				return err
			}
			keyID, sealed := s.keys.seal(code, st.id, key)
			b.Queue("update devices set key = null, sealed_key = $2, key_id = $3 where id = $1", st.id, sealed, keyID)
			if st.clear != nil {
				rep.Sealed++
			} else {
				rep.Resealed++
			}
		}
		if b.Len() == 0 {
			return nil
		}
		if err := c.SendBatch(ctx, &b).Close(); err != nil {
			return err
		}
		return c.AuditChange(ctx, policy.PermDeviceKeysReseal.String(), map[string]any{"key_id": s.keys.ID(), "sealed": rep.Sealed, "resealed": rep.Resealed})
	})
	return rep, err
}
