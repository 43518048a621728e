package identity

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	kratos "github.com/ory/kratos-client-go"

	"github.com/cpims-hosted/cpims/tenancy"
)

// An invitation or an operator grant binds to the identity that signs in
// with its address. Nobody can make an address theirs without proving they
// receive its mail: people cannot change their own email (Kratos' profile
// settings method is off everywhere), so an address is proven when Kratos
// marks it verified (a verification or self-service recovery code sent
// there was used) or when the identity has no credentials at all (only a
// code mailed to the address can give it some). Anything else, such as a
// password identity whose address was set by self-registration or by a
// self-service change made before it was disabled, is refused.
//
// Invitation codes are issued through Kratos' admin API, and using one does
// not mark the address verified (Kratos does so only for self-service
// codes). So an identity bound without credentials is marked with the
// invited address (metadata_admin), and the first time it signs in the
// address is marked verified: nobody but the mailbox's owner could have.

// invitedAddressKey is the metadata_admin member recording the address an
// identity without credentials was invited at.
const invitedAddressKey = "cpims_invited_address"

// Account is what binding needs to know of an identity found by its address.
type Account struct {
	ID    string
	Email string
	// Verified: Kratos marks the address verified.
	Verified bool
	// Credentials: the identity can sign in (a password, TOTP, backup codes,
	// a passkey, a social sign-in).
	Credentials bool
	// InvitedAddress is the address it was invited at without credentials, if any.
	InvitedAddress string
}

// UnprovenAddressError refuses to bind an invitation or grant to an identity
// that can sign in but never proved it receives mail at its address. It is a
// tenancy.ErrConflict (409).
type UnprovenAddressError struct{ Email string }

func (e *UnprovenAddressError) Error() string {
	return fmt.Sprintf("%s belongs to an existing account that has not proved it receives mail at this address: "+
		"ask the person to choose a new password with \"Forgot password\" on the sign-in page (the code mailed to the address proves it), "+
		"or to verify the address, then try again", e.Email)
}

// Is makes the error a tenancy.ErrConflict.
func (e *UnprovenAddressError) Is(target error) bool { return target == tenancy.ErrConflict }

// AccountByEmail finds the identity signed in with email (ok false if none).
func (k *Kratos) AccountByEmail(ctx context.Context, email string) (Account, bool, error) {
	// The password credential is declassified only to tell whether it holds a
	// password; its hash is not kept.
	ids, res, err := k.admin.IdentityAPI.ListIdentities(ctx).CredentialsIdentifier(email).IncludeCredential([]string{"password"}).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return Account{}, false, fmt.Errorf("looking up %s in Kratos: %w", email, err)
	}
	if len(ids) == 0 {
		return Account{}, false, nil
	}
	return account(ids[0]), true, nil
}

func account(id kratos.Identity) Account {
	a := Account{ID: id.Id}
	if traits, ok := id.Traits.(map[string]any); ok {
		a.Email, _ = traits["email"].(string)
	}
	for _, va := range id.VerifiableAddresses {
		if va.Via == "email" && strings.EqualFold(va.Value, a.Email) && va.Verified {
			a.Verified = true
		}
	}
	for kind, c := range id.GetCredentials() {
		switch kind {
		case "password":
			if hash, _ := c.Config["hashed_password"].(string); hash != "" {
				a.Credentials = true
			}
		case "code": // email codes as an identifier only: passwordless sign-in is off
		default: // totp, lookup_secret, webauthn, passkey, oidc
			a.Credentials = true
		}
	}
	if meta, ok := id.MetadataAdmin.(map[string]any); ok {
		a.InvitedAddress, _ = meta[invitedAddressKey].(string)
	}
	return a
}

// InvitationIdentity returns the identity an invitation or operator grant to
// email binds to: a new one without credentials if none signs in with email;
// an existing one whose address is verified; an existing one without
// credentials (only the mailbox's owner can activate it, with the code the
// invitation mails). An identity with credentials and an unverified address
// gives *UnprovenAddressError. created reports a new identity.
func (k *Kratos) InvitationIdentity(ctx context.Context, email, fullName, locale string) (a Account, created bool, err error) {
	a, found, err := k.AccountByEmail(ctx, email)
	switch {
	case err != nil:
		return a, false, err
	case !found:
		id, err := k.createIdentity(ctx, email, fullName, locale, true)
		return Account{ID: id, Email: strings.ToLower(email), InvitedAddress: strings.ToLower(email)}, err == nil, err
	case a.Verified:
		return a, false, nil
	case !a.Credentials:
		if !strings.EqualFold(a.InvitedAddress, a.Email) {
			if err := k.markInvited(ctx, a.ID, a.Email); err != nil {
				return a, false, err
			}
			a.InvitedAddress = a.Email
		}
		return a, false, nil
	default:
		return a, false, &UnprovenAddressError{Email: email}
	}
}

func (k *Kratos) markInvited(ctx context.Context, identityID, email string) error {
	_, res, err := k.admin.IdentityAPI.PatchIdentity(ctx, identityID).JsonPatch([]kratos.JsonPatch{
		{Op: "add", Path: "/metadata_admin", Value: map[string]any{invitedAddressKey: strings.ToLower(email)}},
	}).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return fmt.Errorf("recording the invitation of %s in Kratos: %w", email, err)
	}
	return nil
}

// ConfirmInvitedAddress marks the address of an identity verified if it was
// invited there without credentials and has since signed in (the caller has
// a session of it): only the owner of the mailbox could have. It reports
// whether it marked it.
func (k *Kratos) ConfirmInvitedAddress(ctx context.Context, identityID string) (bool, error) {
	id, res, err := k.admin.IdentityAPI.GetIdentity(ctx, identityID).Execute()
	if res != nil {
		_ = res.Body.Close()
		if res.StatusCode == http.StatusNotFound {
			return false, nil
		}
	}
	if err != nil {
		return false, fmt.Errorf("reading an identity in Kratos: %w", err)
	}
	a := account(*id)
	if a.Verified || a.InvitedAddress == "" || !strings.EqualFold(a.InvitedAddress, a.Email) {
		return false, nil
	}
	var ops []kratos.JsonPatch
	for i, va := range id.VerifiableAddresses {
		if va.Via == "email" && strings.EqualFold(va.Value, a.Email) {
			p := fmt.Sprintf("/verifiable_addresses/%d/", i)
			ops = append(ops, kratos.JsonPatch{Op: "replace", Path: p + "verified", Value: true},
				kratos.JsonPatch{Op: "replace", Path: p + "status", Value: "completed"},
				kratos.JsonPatch{Op: "add", Path: p + "verified_at", Value: time.Now().UTC().Format(time.RFC3339Nano)})
		}
	}
	if len(ops) == 0 {
		return false, errors.New("the invited identity has no verifiable address for its email")
	}
	ops = append(ops, kratos.JsonPatch{Op: "remove", Path: "/metadata_admin/" + invitedAddressKey})
	_, res, err = k.admin.IdentityAPI.PatchIdentity(ctx, identityID).JsonPatch(ops).Execute()
	if res != nil {
		_ = res.Body.Close()
	}
	if err != nil {
		return false, fmt.Errorf("marking an invited address verified in Kratos: %w", err)
	}
	return true, nil
}
