package api

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cpims-hosted/cpims/attachments"
	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/devices"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/frontend"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/review"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/storage"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/translations"
	"github.com/cpims-hosted/cpims/workflow"
)

// Defaults for Config.
const (
	BaseDomainDefault            = "localhost"
	AuthFailuresPerMinuteDefault = 30
	// AccountAuthFailuresPerHourDefault: see Config.AccountAuthFailuresPerHour.
	AccountAuthFailuresPerHourDefault = 20
	// Version is the API version shown in the specs.
	Version = "2.0.0-alpha"
)

// Config configures a Server.
type Config struct {
	// BaseDomain: tenants are served on <code>.<BaseDomain>, the platform API on
	// BaseDomain itself. Defaults to BaseDomainDefault.
	BaseDomain string
	// OperatorAPIKey authenticates hosting operators on the platform API
	// (Authorization: Bearer <key>) until operators sign in through Kratos.
	// Empty disables the platform API's protected operations.
	OperatorAPIKey string
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Identity, if set, is checked by /readyz (Kratos).
	Identity interface{ Ready(context.Context) error }
	// Storage keeps the tenants' files (attachments, exports); if set, /readyz
	// checks that its bucket answers. Nil: the attachment operations answer
	// 503 (file storage not configured).
	Storage *storage.Store
	// Sessions, if set, signs tenant users in with their Kratos sessions.
	// Without it only public tenant operations can be called.
	Sessions *identity.CachedSessions
	// AppURL is the app origin Kratos is configured with (its ui_url and
	// return URLs; run.sh KRATOS_APP_URL). Kratos' public API is served under
	// /.ory/ on every host, with that origin rewritten to the host's own.
	// Defaults to AppURLDefault.
	AppURL string
	// IdleTimeout ends sessions unused for this long. Defaults to tenancy.IdleTimeoutDefault.
	IdleTimeout time.Duration
	// SessionLifespan is how long a session lasts after sign-in: Kratos'
	// session.lifespan (infra/kratos/config/kratos.yml), which Kratos
	// enforces; the server only tells it to the app (get-system-settings), so
	// that the app words the limit as configured. Defaults to
	// tenancy.SessionLifespanDefault.
	SessionLifespan time.Duration
	// TrustProxy takes the client address from X-Forwarded-For (behind a load
	// balancer that sets it). Rate limits are per client address.
	TrustProxy bool
	// AuthFailuresPerMinute is how many failed authentications (bad tokens,
	// keys, operator keys; wrong passwords and codes through /.ory/) one
	// client address (IPv6: one /64) may make per minute before it is refused
	// with 429, except with a credential already seen valid. Defaults to
	// AuthFailuresPerMinuteDefault.
	AuthFailuresPerMinute int
	// AccountAuthFailuresPerHour is how many wrong passwords, second factors
	// or codes one account may take per hour, from any address, at most 10 at
	// once; then its submissions are refused with 429 until the budget
	// refills. Defaults to AccountAuthFailuresPerHourDefault.
	AccountAuthFailuresPerHour int
	// RecordSchemas validates records written and filters records read by
	// the caller's form access. Defaults to the tenants' configuration
	// (records.FormsSchemas of Forms): the validator of the caller's role.
	RecordSchemas records.Schemas
	// Registry receives the server's metrics and is served on /metrics of
	// OpsHandler. Defaults to a new registry.
	Registry *prometheus.Registry
	// Forms is the tenants' configuration (forms, lookups, validators),
	// shared with the records in the same process. Defaults to a new
	// forms.Service on the platform.
	Forms *forms.Service
	// DeviceKeys seals the device keys at rest (package devices). Nil:
	// registering a device and releasing its key answer 503.
	DeviceKeys *devices.Keyring
	// Notifier enqueues the email notifications of workflow events in their
	// transactions (package notify). Defaults to none: no emails.
	Notifier workflow.Notifier
}

// WithDefaults returns a copy of c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.BaseDomain = strings.ToLower(cmp.Or(c.BaseDomain, BaseDomainDefault))
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Registry == nil {
		c.Registry = prometheus.NewRegistry()
	}
	c.IdleTimeout = cmp.Or(c.IdleTimeout, tenancy.IdleTimeoutDefault)
	c.SessionLifespan = cmp.Or(c.SessionLifespan, tenancy.SessionLifespanDefault)
	c.AppURL = cmp.Or(c.AppURL, AppURLDefault)
	c.AuthFailuresPerMinute = cmp.Or(c.AuthFailuresPerMinute, AuthFailuresPerMinuteDefault)
	c.AccountAuthFailuresPerHour = cmp.Or(c.AccountAuthFailuresPerHour, AccountAuthFailuresPerHourDefault)
	return c
}

// Server serves both APIs, routed by Host.
type Server struct {
	cfg       Config
	platform  *tenancy.Platform
	locations *locations.Service
	enforcer  *policy.Enforcer
	forms     *forms.Service
	// translations exports and imports the tenants' texts as PO files.
	translations  *translations.Service
	operatorKey   [32]byte
	tenantAPI     huma.API
	platformAPI   huma.API
	tenantMux     *http.ServeMux
	platformMux   *http.ServeMux
	opsMux        *http.ServeMux
	latency       *prometheus.HistogramVec
	handler       http.Handler
	sessions      *identity.CachedSessions
	invitations   *identity.Invitations
	records       *records.Service
	attachments   *attachments.Service
	links         identity.Links // Kratos' addresses as each host serves them
	clock         func() time.Time
	touched       touches  // sessions whose activity this server recorded lately
	authFails     *limiter // failed authentications per client address
	guard         *signInGuard
	known         *memo    // credentials seen valid: not refused from a busy address
	confirmed     *memo    // identities whose invited address was checked lately
	invites       *limiter // invitations per inviting subject
	workflow      *workflow.Service
	notifications *notify.Service
	casework      *casework.Service
	devices       *devices.Service
	people        *people.Service
	settings      *settings.Service
	matching      *matching.Service
	review        *review.Service
}

// New builds the server. platform may be nil only to render the specs.
func New(platform *tenancy.Platform, enforcer *policy.Enforcer, cfg Config) (*Server, error) {
	cfg = cfg.WithDefaults()
	s := &Server{cfg: cfg, platform: platform, locations: locations.New(platform), enforcer: enforcer, sessions: cfg.Sessions, forms: cfg.Forms,
		tenantMux: http.NewServeMux(), platformMux: http.NewServeMux(), opsMux: http.NewServeMux()}
	if s.forms == nil {
		// Location fields are checked against the tenant's locations.
		s.forms = forms.New(platform, forms.Config{Locations: s.locations})
	}
	schemas := cfg.RecordSchemas
	if schemas == nil {
		// Writes validated and reads filtered by the caller's role's form access.
		schemas = records.FormsSchemas(s.forms)
	}
	s.matching = matching.NewService(platform, matching.ServiceConfig{})
	// A confirmed match notifies the owners of the case and the tracing request.
	s.review = review.New(platform, review.Config{Schemas: schemas, OnConfirmed: review.NotifyConfirmed(cfg.Notifier)})
	// Record writes keep upload fields as the attachment operations leave them.
	s.records = records.New(platform, records.Config{Schemas: records.UploadFieldsKept(schemas, s.forms), OnWrite: s.matching.RecordWritten,
		OnWriteRead: matching.ConfigurationRead(),
		// An erased record's files go after the commit.
		OnErased: func(ctx context.Context, code, recordType, id string) {
			s.attachments.DeleteRecordFiles(ctx, code, recordType, id)
		}})
	s.translations = translations.New(platform, s.forms, translations.Config{})
	s.attachments = attachments.New(platform, attachments.Config{Store: cfg.Storage, Forms: s.forms, Logger: cfg.Logger})
	s.workflow = workflow.New(platform, workflow.Config{Notifier: cfg.Notifier, Names: s.records})
	s.notifications = notify.New(platform)
	s.casework = casework.New(platform)
	s.devices = devices.New(platform, devices.Config{Keys: cfg.DeviceKeys})
	s.people = people.New(platform)
	s.settings = settings.New(platform)
	if cfg.Sessions != nil {
		s.links = identity.Links{KratosPublic: cfg.Sessions.Kratos().PublicURL().String(), App: cfg.AppURL}
		s.invitations = &identity.Invitations{Kratos: cfg.Sessions.Kratos(), Platform: platform, Links: s.links}
	}
	s.authFails = newLimiter(cfg.AuthFailuresPerMinute, cfg.AuthFailuresPerMinute, s.now)
	s.guard = newSignInGuard(cfg.AccountAuthFailuresPerHour, s.now)
	s.known = newMemo(s.now)
	s.confirmed = newMemo(s.now)
	s.invites = newLimiter(invitesPerHour/60, invitesPerHour/6, s.now)
	if cfg.OperatorAPIKey != "" {
		s.operatorKey = sha256.Sum256([]byte(cfg.OperatorAPIKey))
	}

	tc := huma.DefaultConfig("CPIMS+ tenant API", Version)
	tc.Info.Description = "The API of one country instance (tenant) of CPIMS+, the child protection information management system. " +
		"Address it on the tenant's own host, e.g. https://ke.example.org/api/v2."
	tc.Servers = []*huma.Server{{URL: "https://{tenant}.{domain}", Description: "A country instance",
		Variables: map[string]*huma.ServerVariable{
			"tenant": {Default: "demo", Description: "The country instance's code"},
			"domain": {Default: "localhost:8080", Description: "The platform's base domain"},
		}}}
	// Docs pages: registerDocs (Huma's load their renderer from a CDN).
	tc.OpenAPIPath, tc.DocsPath, tc.SchemasPath = "/api/v2/openapi", "", "/api/v2/schemas"
	tc.CreateHooks = nil // no $schema links in response bodies
	tc.Transformers = append(tc.Transformers, localiseProblem, shortenProblem)
	s.tenantAPI = humago.New(s.tenantMux, tc)
	s.tenantAPI.UseMiddleware(s.operationMiddleware(s.tenantAPI, s.authenticateTenant), s.inputMiddleware(s.tenantAPI))
	tc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		schemeSessionToken: {Type: "http", Scheme: "bearer", Description: "A Kratos session token (native and integration clients); X-Session-Token works too."},
		schemeAPIKey:       {Type: "http", Scheme: "bearer", Description: "A service account's API key (cpk_...), for integrating systems."},
		schemeSessionCookie: {Type: "apiKey", In: "cookie", Name: sessionCookie,
			Description: "The browser's Kratos session cookie. Changes need an Origin header of the tenant's own host."},
	}
	registerSystemSettings(s.tenantAPI, s)
	registerUsers(s.tenantAPI, s)
	registerRoles(s.tenantAPI, s)
	registerServiceAccounts(s.tenantAPI, s)
	registerDevices(s.tenantAPI, s)
	registerAdmin(s.tenantAPI, s)
	registerSystemSettingsWrite(s.tenantAPI, s)
	registerLocales(s.tenantAPI, s)
	registerPhoneCallingCode(s.tenantAPI, s)
	registerAuditLogs(s.tenantAPI, s)
	registerLocations(s.tenantAPI, s)
	registerForms(s.tenantAPI, s)
	registerLookups(s.tenantAPI, s)
	registerConfiguration(s.tenantAPI, s)
	registerCases(s.tenantAPI, s)
	registerDuplicates(s.tenantAPI, s)
	registerTracingRequests(s.tenantAPI, s)
	registerIncidents(s.tenantAPI, s)
	registerTranslations(s.tenantAPI, s)
	for _, t := range []recordTypeAPI{casesAPI, tracingRequestsAPI, incidentsAPI} {
		registerAttachmentOperations(s.tenantAPI, s, t)
	}
	registerTransitions(s.tenantAPI, s)
	registerNotifications(s.tenantAPI, s)
	registerCasework(s.tenantAPI, s)
	registerNotes(s.tenantAPI, s)
	registerTasks(s.tenantAPI, s)
	registerQueues(s.tenantAPI, s)
	registerMatching(s.tenantAPI, s)
	s.tenantAPI.OpenAPI().Extensions = map[string]any{"x-permission-catalog": tenantCatalog()}

	pc := huma.DefaultConfig("CPIMS+ platform API", Version)
	pc.Info.Description = "The hosting team's API: provision, suspend, resume and delete country instances (tenants). " +
		"Served on the platform's bare base domain."
	pc.Servers = []*huma.Server{{URL: "https://{domain}", Variables: map[string]*huma.ServerVariable{
		"domain": {Default: "localhost:8080", Description: "The platform's base domain"}}}}
	pc.OpenAPIPath, pc.DocsPath, pc.SchemasPath = "/api/platform/v1/openapi", "", "/api/platform/v1/schemas"
	pc.CreateHooks = nil
	pc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		schemeOperatorKey:  {Type: "http", Scheme: "bearer", Description: "The bootstrap operator API key (CPIMS_OPERATOR_API_KEY), for automation and first set-up."},
		schemeSessionToken: {Type: "http", Scheme: "bearer", Description: "An operator's Kratos session token, signed in with a second factor."},
		schemeSessionCookie: {Type: "apiKey", In: "cookie", Name: sessionCookie,
			Description: "An operator's browser session cookie (second factor required). Changes need an Origin header of this host."},
	}
	pc.Transformers = append(pc.Transformers, localiseProblem, shortenProblem)
	s.platformAPI = humago.New(s.platformMux, pc)
	s.platformAPI.UseMiddleware(s.operationMiddleware(s.platformAPI, s.authenticateOperator), s.inputMiddleware(s.platformAPI))
	registerTenants(s.platformAPI, s)

	for _, a := range []huma.API{s.tenantAPI, s.platformAPI} {
		if err := checkOperations(a); err != nil {
			return nil, fmt.Errorf("refusing to start: %w", err)
		}
	}

	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cpims_http_request_duration_seconds", Help: "HTTP request latency by API operation.",
		Buckets: prometheus.DefBuckets,
	}, []string{"operation", "method", "code"})
	if err := cfg.Registry.Register(s.latency); err != nil {
		return nil, err
	}
	s.opsMux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.opsMux.HandleFunc("GET /readyz", s.readyz)
	s.opsMux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{}))
	registerDocs(s.tenantMux, tc.Info.Title+" reference", "/api/v2/docs", tc.OpenAPIPath)
	registerDocs(s.platformMux, pc.Info.Title+" reference", "/api/platform/v1/docs", pc.OpenAPIPath)
	s.tenantMux.Handle("GET /", frontend.HandlerWith(storageOrigins(cfg.Storage)...))
	if cfg.Sessions != nil {
		proxy := newKratosProxy(s, cfg.Sessions.Kratos().PublicURL(), cfg.Sessions.Kratos().AdminURL(), s.links)
		for _, method := range []string{"GET", "POST", "DELETE"} {
			s.tenantMux.Handle(method+" "+kratosPrefix+"/", proxy)
			s.platformMux.Handle(method+" "+kratosPrefix+"/", proxy)
		}
	}
	s.handler = s.observe(http.HandlerFunc(s.route))
	return s, nil
}

// catalogResource is one resource of the policy catalogue as the tenant spec
// lists it (x-permission-catalog): what roles may be granted, for clients
// such as the web app's role editor.
type catalogResource struct {
	Resource    string          `json:"resource"`
	Description string          `json:"description"`
	Actions     []catalogAction `json:"actions"`
}

type catalogAction struct {
	Action      string `json:"action"`
	Description string `json:"description"`
}

// tenantCatalog is the policy catalogue's tenant resources.
func tenantCatalog() []catalogResource {
	var out []catalogResource
	for _, r := range policy.Catalog {
		if r.Domain != "" {
			continue
		}
		cr := catalogResource{Resource: r.Name, Description: r.Description}
		for _, a := range r.Actions {
			cr.Actions = append(cr.Actions, catalogAction{Action: a.Name, Description: a.Description})
		}
		out = append(out, cr)
	}
	return out
}

// SetClock replaces the server's clock (tests of time limits).
func (s *Server) SetClock(now func() time.Time) { s.clock = now }

// TenantAPI is the tenant API (for specs and tests).
func (s *Server) TenantAPI() huma.API { return s.tenantAPI }

// PlatformAPI is the platform API (for specs and tests).
func (s *Server) PlatformAPI() huma.API { return s.platformAPI }

// ServeHTTP implements http.Handler: the APIs, the web app and the sign-in
// proxy by Host, and /healthz and /readyz on any host (load balancers).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpsHandler serves the operations endpoints: /metrics (never on the public
// listener: it describes every tenant's traffic), /healthz and /readyz.
// cpims serve runs it on its own listener (--ops-addr, loopback by default).
func (s *Server) OpsHandler() http.Handler { return s.opsMux }

// route dispatches by path (health checks) and Host (platform or tenant).
// A Host header that is not a host name or IP literal with an optional
// numeric port is refused (400): nothing built from it could be trusted.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	rh, ok := parseHost(r.Host)
	if !ok && !(r.Host == "" && (r.URL.Path == "/healthz" || r.URL.Path == "/readyz")) { // HTTP/1.0 probes send no Host
		writeProblem(w, http.StatusBadRequest, "Bad Request",
			"The Host header must be a host name, optionally followed by a numeric port.")
		return
	}
	r = r.WithContext(withHost(r.Context(), rh))
	switch r.URL.Path {
	case "/healthz", "/readyz":
		s.opsMux.ServeHTTP(w, r)
		return
	}
	host := rh.Name
	if host == s.cfg.BaseDomain {
		s.platformMux.ServeHTTP(w, r)
		return
	}
	code, ok := strings.CutSuffix(host, "."+s.cfg.BaseDomain)
	if !ok || tenancy.ValidateCode(code) != nil {
		writeProblem(w, http.StatusNotFound, "Not Found", fmt.Sprintf("No country instance is served at %q.", host))
		return
	}
	t, err := s.platform.Lookup(r.Context(), code)
	switch {
	case errors.Is(err, tenancy.ErrNotFound):
		writeProblem(w, http.StatusNotFound, "Not Found", fmt.Sprintf("No country instance is served at %q.", host))
		return
	case errors.Is(err, tenancy.ErrSuspended):
		writeProblem(w, http.StatusForbidden, "Tenant suspended",
			fmt.Sprintf("The country instance %q is %s by the hosting team; contact them to restore access.", code,
				map[tenancy.Status]string{tenancy.StatusSuspended: "suspended", tenancy.StatusDeleting: "scheduled for deletion"}[t.Status]))
		return
	case err != nil:
		s.logFailure(r.Context(), "resolving tenant", "tenant", code, "error", err)
		writeProblem(w, http.StatusServiceUnavailable, "Service Unavailable", "The platform database is not reachable; try again shortly.")
		return
	}
	if info := infoFrom(r.Context()); info != nil {
		info.tenant = code
	}
	if origin := r.Header.Get("Origin"); origin != "" && corsAllowed(t, origin) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", "ETag, Location, X-Request-Id, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, X-Session-Token, X-Request-Id")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	s.tenantMux.ServeHTTP(w, r.WithContext(withTenant(r.Context(), t)))
}

// corsAllowed reports whether a browser application at origin may call
// tenant t's API (with a token or API key: credentials are never allowed
// cross-origin, so cookies stay same-site).
func corsAllowed(t tenancy.Tenant, origin string) bool {
	for _, o := range t.CORSOrigins {
		if o == origin {
			return true
		}
	}
	return false
}

type tenantKey struct{}

func withTenant(ctx context.Context, t tenancy.Tenant) context.Context {
	return context.WithValue(ctx, tenantKey{}, t)
}

// tenantFrom returns the tenant resolved from the Host for this request.
func tenantFrom(ctx context.Context) (tenancy.Tenant, bool) {
	t, ok := ctx.Value(tenantKey{}).(tenancy.Tenant)
	return t, ok
}

// authenticateFunc turns request credentials into a subject, or an error problem.
type authenticateFunc func(ctx huma.Context) (policy.Subject, string, error)

// operationMiddleware authenticates the caller, enforces the operation's
// permission before the handler runs, and records the operation for logs and metrics.
func (s *Server) operationMiddleware(api huma.API, authenticate authenticateFunc) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		if info := infoFrom(ctx.Context()); info != nil {
			info.operation = op.OperationID
		}
		perm, ok := permissionOf(op)
		if !ok { // unreachable: New refuses such operations
			_ = huma.WriteErr(api, ctx, http.StatusInternalServerError, "operation without permission")
			return
		}
		// Every tenant transaction of a tenant call checks, in itself, that
		// the tenant is still active (the tenant row may come from a cache)
		// and, for an API key, that the key is still valid.
		t, inTenant := tenantFrom(ctx.Context())
		var guard *tenancy.CallGuard
		if inTenant {
			guard = &tenancy.CallGuard{Now: s.now()}
			if info := infoFrom(ctx.Context()); info != nil {
				info.guard = guard
			}
		}
		guarded := func(c context.Context) context.Context {
			if guard == nil {
				return c
			}
			return tenancy.WithCallGuard(c, guard)
		}
		if perm.IsPublic() {
			next(huma.WithContext(ctx, guarded(policy.WithSubject(ctx.Context(), policy.Anonymous()))))
			return
		}
		req, _ := humago.Unwrap(ctx)
		ip := clientIP(req, s.cfg.TrustProxy)
		addr, cred := addressKey(ip), apiCredential(req.Header)
		// An address that spent its failures (bad tokens, keys) is refused
		// before Kratos or the database is asked, except for a credential
		// already seen valid: the colleagues behind the same office NAT
		// keep working.
		if blocked, wait := s.authFails.blocked(addr); blocked {
			if _, known := s.known.get(cred); !known {
				ctx.SetHeader("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
				_ = huma.WriteErr(api, ctx, http.StatusTooManyRequests, "Too many failed sign-in attempts from your address: wait and try again.")
				return
			}
		}
		audit := tenancy.AuditRequest{Operation: op.OperationID, Action: perm.String(), RemoteIP: ip,
			UserAgent: ctx.Header("User-Agent")}
		if info := infoFrom(ctx.Context()); info != nil {
			audit.RequestID = info.id
		}
		// record writes a refused or failed call to the tenant's audit log;
		// actx carries the subject and the call's audit request.
		record := func(actx context.Context, outcome tenancy.Outcome, reason string) {
			if !inTenant {
				return
			}
			var meta map[string]any
			if reason != "" {
				meta = map[string]any{"reason": reason}
			}
			if err := s.platform.AuditOutcome(actx, t.Code, outcome, meta); err != nil {
				s.logFailure(actx, "writing audit log", "outcome", outcome, "error", err)
			}
		}
		subject, domain, err := authenticate(ctx)
		if err != nil {
			var ae *authError
			if !errors.As(err, &ae) {
				s.logFailure(ctx.Context(), "authenticating", "error", err)
				_ = huma.WriteErr(api, ctx, http.StatusInternalServerError, "Internal error while signing in.")
				return
			}
			if ae.status == http.StatusUnauthorized {
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="cpims"`)
				s.authFails.allow(addr) // spend one of the address's failures
			}
			record(tenancy.WithAuditRequest(policy.WithSubject(ctx.Context(), policy.Anonymous()), audit), tenancy.OutcomeDenied, ae.detail)
			_ = huma.WriteErr(api, ctx, ae.status, ae.detail)
			return
		}
		if _, known := s.known.get(cred); !known {
			s.known.put(cred, "1", sessionTTL)
		}
		sctx := policy.WithSubject(ctx.Context(), subject)
		allowed, err := s.enforcer.Allowed(subject, domain, perm)
		if err != nil {
			_ = huma.WriteErr(api, ctx, http.StatusInternalServerError, "policy evaluation failed")
			return
		}
		if !allowed {
			record(tenancy.WithAuditRequest(sctx, audit), tenancy.OutcomeDenied, "permission "+perm.String())
			_ = huma.WriteErr(api, ctx, http.StatusForbidden, fmt.Sprintf("You do not have the %s permission.", perm))
			return
		}
		if !inTenant {
			next(huma.WithContext(ctx, sctx))
			return
		}
		actx := tenancy.WithAuditRequest(sctx, audit)
		next(huma.WithContext(ctx, guarded(actx)))
		if guard.Failed() { // the key was refused in the call's transaction: no longer a known credential
			s.known.forget(cred)
			s.authFails.allow(addr)
		}
		// Calls whose work wrote no audit row in its transaction (failures,
		// 404s, changes outside the tenant schema) are recorded now.
		if !tenancy.AuditWritten(actx) {
			outcome := tenancy.OutcomeAllowed
			if ctx.Status() >= 400 {
				outcome = tenancy.OutcomeFailed
			}
			record(actx, outcome, "")
		}
	}
}

// authenticateOperator authenticates hosting operators: the bootstrap
// operator key, or the Kratos session (token or cookie) of an enabled
// operator who signed in with a second factor.
func (s *Server) authenticateOperator(ctx huma.Context) (policy.Subject, string, error) {
	token, cookie := credential(ctx)
	if token != "" && s.cfg.OperatorAPIKey != "" {
		sum := sha256.Sum256([]byte(token))
		if subtle.ConstantTimeCompare(sum[:], s.operatorKey[:]) == 1 {
			return policy.Subject{Kind: policy.KindOperator, ID: "bootstrap-key", Roles: []string{policy.RoleOperator}}, policy.DomainPlatform, nil
		}
	}
	if token == "" && cookie == "" {
		return policy.Subject{}, "", unauthenticated("Operator authentication required: sign in, or send Authorization: Bearer <operator key>.")
	}
	if s.sessions == nil {
		return policy.Subject{}, "", unauthenticated("The operator key is not valid (operator sign-in is not configured on this server).")
	}
	if cookie != "" && !safeMethod(ctx.Method()) && !sameOrigin(ctx) {
		return policy.Subject{}, "", forbidden("Cross-site request refused: the Origin of a cookie-authenticated change must be this site.")
	}
	rctx := ctx.Context()
	sess, err := s.session(rctx, token, cookie)
	if err != nil {
		return policy.Subject{}, "", err
	}
	op, err := s.platform.OperatorByIdentity(rctx, sess.IdentityID)
	switch {
	case errors.Is(err, tenancy.ErrNotFound):
		return policy.Subject{}, "", forbidden("You are not a hosting operator.")
	case err != nil:
		return policy.Subject{}, "", err
	}
	if sess.AAL != "aal2" {
		if sess, err = s.sessions.Refresh(rctx, token, cookie); err != nil || sess.AAL != "aal2" {
			return policy.Subject{}, "", forbidden("Operators must sign in with a second factor: sign in again with your authenticator app code.")
		}
	}
	return policy.Subject{Kind: policy.KindOperator, ID: op.IdentityID, Roles: []string{policy.RoleOperator}}, policy.DomainPlatform, nil
}

// readyz answers 200 when the database answers, every schema is at this
// binary's version, and Kratos and the file storage (when configured) answer.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var problems []string
	if err := s.platform.Ping(ctx); err != nil {
		problems = append(problems, "database unreachable")
	} else {
		if ok, err := s.platform.PlatformUpToDate(ctx); err != nil || !ok {
			problems = append(problems, "platform schema not migrated (run cpims migrate)")
		}
		if n, err := s.platform.TenantsBehind(ctx); err != nil || n > 0 {
			problems = append(problems, fmt.Sprintf("%d tenant schemas behind (run cpims migrate)", n))
		}
	}
	if s.cfg.Identity != nil {
		if err := s.cfg.Identity.Ready(ctx); err != nil {
			problems = append(problems, "identity provider (Kratos) not ready")
		}
	}
	if s.cfg.Storage != nil {
		if err := s.cfg.Storage.Ready(ctx); err != nil {
			s.cfg.Logger.WarnContext(ctx, "readyz: file storage not ready", "error", err)
			problems = append(problems, "file storage (S3) not ready")
		}
	}
	if len(problems) > 0 {
		writeProblem(w, http.StatusServiceUnavailable, "Not Ready", strings.Join(problems, "; "))
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ready\n"))
}

// storageOrigins is the origin of the file storage's presigned links (none
// without storage), which the web app's pages may show images from (a
// record's photos). Presigning is local: no request is made.
func storageOrigins(st *storage.Store) []string {
	if st == nil {
		return nil
	}
	link, err := st.PresignGet(context.Background(), "origin", "probe", "probe")
	if err != nil {
		return nil
	}
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return nil
	}
	return []string{u.Scheme + "://" + u.Host}
}
