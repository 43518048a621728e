package policy

import (
	"context"
	"errors"
)

// Kind says what sort of actor a Subject is.
type Kind string

// Subject kinds.
const (
	KindAnonymous Kind = "anonymous" // an unauthenticated request to a public operation
	KindOperator  Kind = "operator"  // a hosting-team operator on the platform API
	KindSystem    Kind = "system"    // a named background actor (jobs, migrations)
	KindUser      Kind = "user"      // a tenant user (caseworker, manager, admin)
	KindService   Kind = "service"   // a tenant's service account (API key)
)

// Subject is the actor on whose behalf code runs.
type Subject struct {
	Kind Kind
	// ID identifies the actor within its kind: a user id, an operator key name,
	// or the system actor's name.
	ID string
	// Roles held in the current domain (a tenant code or DomainPlatform).
	Roles []string
	// Scope is a tenant user's record scope (ScopeOwn, ScopeGroup, ScopeAgency, ScopeAll).
	Scope string
	// Agency is a tenant user's agency id.
	Agency string
	// Groups are a tenant user's user group ids.
	Groups []string
}

// String renders the subject for logs and the audit trail, e.g. "system:provisioner".
func (s Subject) String() string { return string(s.Kind) + ":" + s.ID }

// ErrNoActor is returned by anything that needs an actor and finds none in the context.
var ErrNoActor = errors.New("no actor in context: refusing to touch tenant data")

type subjectKey struct{}

// WithSubject returns a context carrying s.
func WithSubject(ctx context.Context, s Subject) context.Context {
	return context.WithValue(ctx, subjectKey{}, s)
}

// SubjectFrom returns the context's subject or ErrNoActor.
func SubjectFrom(ctx context.Context) (Subject, error) {
	s, ok := ctx.Value(subjectKey{}).(Subject)
	if !ok || s.Kind == "" {
		return Subject{}, ErrNoActor
	}
	return s, nil
}

// System returns a named system actor. Each name states why the code acts
// without a user: keep the set small and greppable.
func System(name string) Subject {
	return Subject{Kind: KindSystem, ID: name, Roles: []string{RoleSystem}, Scope: ScopeAll}
}

// Anonymous is the subject of requests to public operations.
func Anonymous() Subject { return Subject{Kind: KindAnonymous, ID: "anonymous"} }

// Named system actors.
const (
	ActorProvisioner = "provisioner" // creates tenant schemas and seeds them
	ActorMigrator    = "migrator"    // applies tenant migrations
	ActorPurger      = "purger"      // removes tenants whose deletion grace period is over
	ActorMailer      = "mailer"      // delivers queued emails
	ActorNotifier    = "notifier"    // renders and delivers workflow notifications
	ActorAuditor     = "auditor"     // verifies the tenants' audit hash chains
	// ActorAuthenticator looks up the signed-in identity's membership before
	// the request's own subject exists.
	ActorAuthenticator = "authenticator"
	// ActorSeeder writes a tenant's first people, agencies and places (demo
	// data, a country's default agency and first administrator).
	ActorSeeder = "seeder"
	// ActorLocationImporter applies an uploaded locations file (a River job
	// started by an administrator's import).
	ActorLocationImporter = "location_importer"
	// ActorTranslator applies an uploaded translations (PO) file (a River
	// job): translated texts of forms, lookups and locations, and the UI
	// catalogue's overrides; nothing else.
	ActorTranslator = "translator"
	// ActorDemoSeeder fills a demo or benchmark tenant with generated
	// records (cpims demo seed).
	ActorDemoSeeder = "demo_seeder"
	// ActorMatcher runs FTR matching (River jobs after record changes,
	// full re-matching runs, parameter estimation).
	ActorMatcher = "matcher"
	// ActorFileCleaner deletes stored attachment files that no attachment
	// names (a periodic River job: uploads interrupted, deletions whose file
	// removal failed).
	ActorFileCleaner = "file_cleaner"
	// ActorPhoneRewriter rewrites the stored form of phone numbers after the
	// country's calling code changed (a River job): records' search
	// columns only.
	ActorPhoneRewriter = "phone_rewriter"
	// ActorNameRekeyer recomputes the stored phonetic keys of names after a
	// release changed them (names.KeysVersion; a River job): records' and
	// traces' name search columns only.
	ActorNameRekeyer = "name_rekeyer"
	// ActorDeviceSealer seals the stored device keys with the instance's
	// current device key secret (`cpims devices reseal`): the devices
	// table's key columns only.
	ActorDeviceSealer = "device_sealer"
)
