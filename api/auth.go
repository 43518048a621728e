package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// authError is an authentication or membership failure with its HTTP status.
type authError struct {
	status int
	detail string
}

func (e *authError) Error() string { return e.detail }

func unauthenticated(detail string) error { return &authError{http.StatusUnauthorized, detail} }
func forbidden(detail string) error       { return &authError{http.StatusForbidden, detail} }

// credential extracts a Kratos session credential: a session token
// (Authorization: Bearer, or X-Session-Token) or the browser's cookies.
func credential(ctx huma.Context) (token, cookie string) {
	if t, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(t), ""
	}
	if t := ctx.Header("X-Session-Token"); t != "" {
		return t, ""
	}
	return "", ctx.Header("Cookie")
}

// authenticateTenant signs in a tenant member: a valid Kratos session, not
// idle for longer than the idle timeout, of an identity that is an enabled
// member of the Host's tenant, with a second factor if the member's role
// requires one. It also keeps the tenant's Casbin policy current.
func (s *Server) authenticateTenant(ctx huma.Context) (policy.Subject, string, error) {
	t, ok := tenantFrom(ctx.Context())
	if !ok {
		return policy.Subject{}, "", unauthenticated("Authentication required.")
	}
	token, cookie := credential(ctx)
	if s.sessions == nil && !strings.HasPrefix(token, tenancy.APIKeyPrefix) {
		return policy.Subject{}, "", unauthenticated("Authentication required: sign-in is not configured on this server.")
	}
	if token == "" && cookie == "" {
		return policy.Subject{}, "", unauthenticated("Authentication required: send a session token (Authorization: Bearer) or sign in.")
	}
	if cookie != "" && !safeMethod(ctx.Method()) && !sameOrigin(ctx) {
		return policy.Subject{}, "", forbidden("Cross-site request refused: the Origin of a cookie-authenticated change must be this site.")
	}
	rctx := ctx.Context()
	// Membership is looked up before the member's own subject exists.
	actx := policy.WithSubject(rctx, policy.System(policy.ActorAuthenticator))
	if strings.HasPrefix(token, tenancy.APIKeyPrefix) {
		pr, err := s.platform.PrincipalByAPIKey(actx, t.Code, token, s.now())
		if err == nil && s.enforcer.TenantPolicyVersion(t.Code) != pr.PolicyVersion {
			// The roles changed since the key was cached (or this server
			// has not seen them yet): read the key afresh.
			s.platform.ForgetAPIKey(t.Code, token)
			pr, err = s.platform.PrincipalByAPIKey(actx, t.Code, token, s.now())
		}
		if errors.Is(err, tenancy.ErrNotFound) {
			return policy.Subject{}, "", unauthenticated("The API key is not valid: unknown, revoked or expired.")
		} else if err != nil {
			return policy.Subject{}, "", fmt.Errorf("checking an API key: %w", err)
		}
		// The principal may come from a cache: the call's own transactions
		// check the key again (tenancy.CallGuard).
		info := infoFrom(rctx)
		if info == nil || info.guard == nil {
			return policy.Subject{}, "", errors.New("an API key outside a guarded tenant call")
		}
		info.guard.APIKey, info.guard.PolicyVersion = token, pr.PolicyVersion
		return s.subjectWithPolicy(actx, t.Code, pr)
	}
	sess, err := s.session(rctx, token, cookie)
	if err != nil {
		return policy.Subject{}, "", err
	}
	pr, err := s.platform.PrincipalByIdentity(actx, t.Code, sess.IdentityID)
	switch {
	case errors.Is(err, tenancy.ErrNotFound):
		return policy.Subject{}, "", forbidden("You are not a member of this country instance.")
	case err != nil:
		return policy.Subject{}, "", err
	case pr.Disabled:
		return policy.Subject{}, "", unauthenticated("Your account is disabled: contact your administrator.")
	case pr.MFARequired && sess.AAL != "aal2":
		// The cached session may predate the second factor: ask Kratos once more.
		if sess, err = s.sessions.Refresh(rctx, token, cookie); err != nil || sess.AAL != "aal2" {
			return policy.Subject{}, "", forbidden("Your role requires a second factor: sign in again with your authenticator app code.")
		}
	}
	if info := infoFrom(rctx); info != nil {
		info.locale = pr.Locale
		info.browser = token == "" && cookie != ""
	}
	return s.subjectWithPolicy(actx, t.Code, pr)
}

// subjectWithPolicy makes sure the tenant's Casbin policy is the one pr saw,
// and returns pr's subject in the tenant's domain.
func (s *Server) subjectWithPolicy(ctx context.Context, code string, pr tenancy.Principal) (policy.Subject, string, error) {
	if s.enforcer.TenantPolicyVersion(code) != pr.PolicyVersion {
		version, roles, err := s.platform.TenantPolicy(ctx, code)
		if err != nil {
			return policy.Subject{}, "", err
		}
		if err := s.enforcer.SetTenantPolicy(code, version, roles); err != nil {
			return policy.Subject{}, "", err
		}
	}
	return pr.Subject(), code, nil
}

// session validates a Kratos session credential and applies the idle limit.
func (s *Server) session(ctx context.Context, token, cookie string) (identity.Session, error) {
	var sess identity.Session
	var err error
	if token != "" {
		sess, err = s.sessions.FromToken(ctx, token)
	} else {
		sess, err = s.sessions.FromCookie(ctx, cookie)
	}
	switch {
	case errors.Is(err, identity.ErrUnauthenticated):
		return sess, unauthenticated("Your session is not valid or has ended: sign in again.")
	case err != nil:
		s.logFailure(ctx, "checking session", "error", err)
		return sess, &authError{http.StatusServiceUnavailable, "The identity service is unavailable; try again shortly."}
	}
	s.confirmInvitedAddress(ctx, sess)
	now := s.now()
	if s.touched.recent(sess.ID, now) {
		return sess, nil
	}
	if err := s.platform.TouchSession(ctx, sess.ID, now, s.cfg.IdleTimeout); errors.Is(err, tenancy.ErrSessionIdle) {
		s.sessions.Forget(sess.ID)
		s.touched.forget(sess.ID)
		if rerr := s.sessions.Kratos().RevokeSession(ctx, sess.ID); rerr != nil {
			s.cfg.Logger.WarnContext(ctx, "revoking idle session", "error", rerr)
		}
		return sess, unauthenticated(fmt.Sprintf("Your session ended after %d min without activity: sign in again.",
			int(s.cfg.IdleTimeout.Round(time.Minute)/time.Minute)))
	} else if err != nil {
		return sess, err
	}
	s.touched.record(sess.ID, now)
	return sess, nil
}

// confirmInvitedAddress marks a signed-in identity's address verified when
// it was invited there without credentials (identity.ConfirmInvitedAddress):
// accepting the invitation proved the mailbox. Asked at most every few
// minutes per identity, only while Kratos still calls the address unverified.
func (s *Server) confirmInvitedAddress(ctx context.Context, sess identity.Session) {
	if sess.EmailVerified || sess.IdentityID == "" {
		return
	}
	if _, asked := s.confirmed.get(sess.IdentityID); asked {
		return
	}
	marked, err := s.sessions.Kratos().ConfirmInvitedAddress(ctx, sess.IdentityID)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "confirming an invited address", "identity_id", sess.IdentityID, "error", err)
		return
	}
	s.confirmed.put(sess.IdentityID, "1", confirmRecheck)
	if marked {
		s.cfg.Logger.InfoContext(ctx, "invited address verified by its first sign-in", "identity_id", sess.IdentityID)
	}
}

// confirmRecheck is how long an identity with an unverified address is not
// asked about again.
const confirmRecheck = 10 * time.Minute

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameOrigin reports whether the request's Origin (or, failing that, Referer) is its own Host.
func sameOrigin(ctx huma.Context) bool {
	origin := ctx.Header("Origin")
	if origin == "" {
		origin = ctx.Header("Referer")
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, ctx.Host())
}

// now is the server's clock (tests replace it).
func (s *Server) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}
