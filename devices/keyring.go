package devices

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MinSecretLength is the shortest device key secret accepted, in bytes (a
// generated secret is 43 characters: 32 random bytes, base64url).
const MinSecretLength = 32

// ErrNoSecret: the server has no device key secret, so it neither seals new
// device keys nor opens stored ones.
var ErrNoSecret = errors.New("no device key secret is configured: set --device-key-secret (CPIMS_DEVICE_KEY_SECRET) " +
	"or --device-key-secret-file; `cpims devices new-secret` prints a new one")

// Keyring seals and opens device keys with the instance's device key
// secrets: the first seals, every one opens (rotation: the new secret first,
// the old after it, until Reseal has run on every tenant).
type Keyring struct {
	keys []ringKey
}

type ringKey struct {
	id   string
	aead cipher.AEAD
}

// NewKeyring derives the sealing keys from secrets (at least one, each at
// least MinSecretLength bytes, no two alike).
func NewKeyring(secrets ...string) (*Keyring, error) {
	if len(secrets) == 0 {
		return nil, ErrNoSecret
	}
	k := &Keyring{}
	for i, s := range secrets {
		if len(s) < MinSecretLength {
			return nil, fmt.Errorf("device key secret %d of %d is %d bytes long, fewer than %d: `cpims devices new-secret` prints a new one",
				i+1, len(secrets), len(s), MinSecretLength)
		}
		key, err := hkdf.Key(sha256.New, []byte(s), nil, "cpims device keys: AES-256-GCM sealing key", 32)
		if err != nil {
			return nil, err
		}
		idBytes, err := hkdf.Key(sha256.New, []byte(s), nil, "cpims device keys: secret id", 8)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := hex.EncodeToString(idBytes)
		if slices.ContainsFunc(k.keys, func(r ringKey) bool { return r.id == id }) {
			return nil, fmt.Errorf("device key secret %d of %d is given twice", i+1, len(secrets))
		}
		k.keys = append(k.keys, ringKey{id: id, aead: aead})
	}
	return k, nil
}

// ParseSecrets splits a configured value "new,old,..." into its secrets
// (spaces and newlines around each are ignored, empty ones dropped).
func ParseSecrets(value string) []string {
	var out []string
	for s := range strings.SplitSeq(value, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// NewSecret returns a new random device key secret (32 bytes, base64url).
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ID is the id of the secret that seals (stored beside each sealed key; not
// secret: derived from the secret one way).
func (k *Keyring) ID() string { return k.keys[0].id }

// IDs are the ids of every secret, the sealing one first.
func (k *Keyring) IDs() []string {
	ids := make([]string, len(k.keys))
	for i, r := range k.keys {
		ids[i] = r.id
	}
	return ids
}

// associated binds a sealed key to its tenant, device and secret: copied to
// another row it does not open.
func associated(tenant, device, keyID string) []byte {
	return []byte("cpims device key\x00" + tenant + "\x00" + strings.ToLower(device) + "\x00" + keyID)
}

// seal seals key for device of tenant with the current secret: its id and
// nonce || ciphertext.
func (k *Keyring) seal(tenant, device string, key []byte) (string, []byte) {
	r := k.keys[0]
	nonce := make([]byte, r.aead.NonceSize(), r.aead.NonceSize()+len(key)+r.aead.Overhead())
	_, _ = rand.Read(nonce) // never fails (crypto/rand)
	return r.id, r.aead.Seal(nonce, nonce, key, associated(tenant, device, r.id))
}

// open opens a key sealed by seal (SecretError when it cannot).
func (k *Keyring) open(tenant, device, keyID string, sealed []byte) ([]byte, error) {
	i := slices.IndexFunc(k.keys, func(r ringKey) bool { return r.id == keyID })
	if i < 0 {
		return nil, &SecretError{Tenant: tenant, Device: device, KeyID: keyID, Have: k.IDs()}
	}
	r := k.keys[i]
	if len(sealed) < r.aead.NonceSize() {
		return nil, &SecretError{Tenant: tenant, Device: device, KeyID: keyID, Have: k.IDs(), Altered: true}
	}
	key, err := r.aead.Open(nil, sealed[:r.aead.NonceSize()], sealed[r.aead.NonceSize():], associated(tenant, device, keyID))
	if err != nil {
		return nil, &SecretError{Tenant: tenant, Device: device, KeyID: keyID, Have: k.IDs(), Altered: true}
	}
	return key, nil
}

// SecretError: a stored device key does not open. Either it was sealed with
// a secret this server does not have (a wrong or missing secret after a
// rotation), or the row was altered or copied from another device or tenant
// (Altered). The message says what to do.
type SecretError struct {
	Tenant, Device string
	// KeyID is the id of the secret the key was sealed with.
	KeyID string
	// Have are the ids of the secrets this server has.
	Have    []string
	Altered bool
}

func (e *SecretError) Error() string {
	if e.Altered {
		return fmt.Sprintf("the key of device %s (tenant %s) does not open with device key secret %s although that secret is configured: "+
			"the row was altered or copied from another device or tenant; revoke the device (its owner opts in again)", e.Device, e.Tenant, e.KeyID)
	}
	return fmt.Sprintf("the key of device %s (tenant %s) is sealed with device key secret %s, which this server does not have (it has %s): "+
		"configure that secret too, after the current one (--device-key-secret \"NEW,OLD\" or CPIMS_DEVICE_KEY_SECRET), "+
		"then run `cpims devices reseal --all` to seal every key with the current secret (docs/runbook.md, device key secret)",
		e.Device, e.Tenant, e.KeyID, strings.Join(e.Have, ", "))
}
