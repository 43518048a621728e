package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/api"
	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

// AdminRole is the role of a tenant's first administrator.
const AdminRole = "role-system-administrator"

// EmailWaitDefault is how long the admin invitation waits for its email to be sent.
const EmailWaitDefault = 2 * time.Minute

// adminFlags are the flags of the first administrator's invitation, shared by
// `cpims provision` (--admin-*) and `cpims tenant invite-admin`.
type adminFlags struct {
	email, name, locale string
	// timeZone is the account's IANA time zone; "" for the instance's default.
	timeZone    string
	kratosPub   string
	kratosAdmin string
	appURL      string
	emailWait   time.Duration
}

func (f *adminFlags) register(cmd *cobra.Command, prefix string) {
	fl := cmd.Flags()
	fl.StringVar(&f.email, prefix+"email", "", "email address of the tenant's first administrator (role "+AdminRole+")")
	fl.StringVar(&f.name, prefix+"name", "", "full name of the first administrator")
	fl.StringVar(&f.locale, prefix+"locale", "", "language of the invitation and the account (default: the tenant's default language)")
	fl.StringVar(&f.timeZone, prefix+"time-zone", "",
		"IANA time zone of the account, e.g. Africa/Nairobi (default: the instance's default time zone, system settings)")
	fl.StringVar(&f.kratosPub, "kratos-public-url", "", "Ory Kratos public API URL")
	fl.StringVar(&f.kratosAdmin, "kratos-admin-url", "", "Ory Kratos admin API URL (identities and invitation codes)")
	fl.StringVar(&f.appURL, "app-url", api.AppURLDefault,
		"the platform's web origin (as in Kratos' UI URLs); the emailed link leads to <tenant>.<its host>")
	fl.DurationVar(&f.emailWait, "email-wait", EmailWaitDefault,
		"wait this long for a worker (cpims worker) to send the invitation email; 0 only queues it")
}

// check validates the flags that need nothing else, before anything changes;
// kratos says whether Kratos' URLs are needed too.
func (f *adminFlags) check(prefix string, kratos bool) error {
	if f.email == "" {
		return nil
	}
	if strings.TrimSpace(f.name) == "" {
		return fmt.Errorf("--%sname is required with --%semail", prefix, prefix)
	}
	locale := f.locale
	if locale == "" {
		locale = "en" // the tenant's default, valid by construction
	}
	if f.timeZone != "" {
		if err := settings.ValidateTimeZone("--"+prefix+"time-zone", f.timeZone); err != nil {
			return cliError(err)
		}
	}
	if err := (people.NewUser{Email: f.email, FullName: f.name, Locale: locale, TimeZone: f.timeZone}).Validate(); err != nil {
		return cliError(err)
	}
	if kratos && (f.kratosPub == "" || f.kratosAdmin == "") {
		return errors.New("inviting the administrator needs Ory Kratos: set --kratos-public-url and --kratos-admin-url " +
			"(or CPIMS_KRATOS_PUBLIC_URL and CPIMS_KRATOS_ADMIN_URL)")
	}
	return nil
}

// invitations connects to Kratos and checks that it is ready.
func (f *adminFlags) invitations(ctx context.Context, p *tenancy.Platform) (*identity.Invitations, error) {
	k, err := identity.New(identity.Config{PublicURL: f.kratosPub, AdminURL: f.kratosAdmin})
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := k.Ready(rctx); err != nil {
		return nil, fmt.Errorf("%w (is Kratos running at %s?)", err, f.kratosAdmin)
	}
	links := identity.Links{KratosPublic: f.kratosPub, App: f.appURL}
	return &identity.Invitations{Kratos: k, Platform: p, Links: links}, nil
}

// DefaultAgency is the unique_id of the agency that provisioning creates in
// every tenant for its first administrator.
func DefaultAgency(code string) string { return "agency-" + code }

// adminOutcome is what inviteAdmin did.
type adminOutcome int

const (
	adminInvited adminOutcome = iota + 1 // invited now; the email is queued or sent
	adminExisted                         // already a user of the tenant: nothing done
)

// inviteAdmin makes sure the tenant has its default agency and invites its first
// administrator into it with role AdminRole, then waits up to f.emailWait for
// a worker to send the invitation email. An administrator who is already a
// user of the tenant is reported, not invited again. Used by `cpims provision`
// and `cpims tenant invite-admin`.
func inviteAdmin(ctx context.Context, d *deps, iv *identity.Invitations, t tenancy.Tenant, f *adminFlags, w io.Writer) (adminOutcome, error) {
	locale := f.locale
	if locale == "" {
		locale = t.Locales[0]
	}
	agency, err := ensureDefaultAgency(ctx, d.platform, t, w)
	if err != nil {
		return 0, fmt.Errorf("creating the default agency: %w", err)
	}
	u, err := iv.Invite(ctx, t, people.NewUser{Email: f.email, FullName: f.name, Locale: locale, TimeZone: f.timeZone,
		Role: AdminRole, Agency: agency})
	var unproven *identity.UnprovenAddressError
	if errors.As(err, &unproven) {
		return 0, err // not "already a user": nothing was done
	}
	if errors.Is(err, tenancy.ErrConflict) {
		fmt.Fprintf(w, "%s is already a user of tenant %s: not invited again\n", f.email, t.Code)
		return adminExisted, nil
	}
	if err != nil {
		return 0, cliError(err)
	}
	zone := cmp.Or(u.TimeZone, "the instance's default")
	fmt.Fprintf(w, "invited %s (%s, %s, agency %s, language %s, time zone %s); invitation email queued\n",
		u.Email, u.FullName, AdminRole, agency, locale, zone)
	if f.emailWait <= 0 {
		fmt.Fprintln(w, "a worker (`cpims worker` with --email-url) sends the email")
		return adminInvited, nil
	}
	return adminInvited, waitInvitationEmail(ctx, d.pool, t.Code, f.email, f.emailWait, w)
}

// ensureDefaultAgency creates the tenant's default agency, DefaultAgency(code),
// if it does not exist, and returns its unique_id. Its name is a placeholder
// the tenant's administrators rename.
func ensureDefaultAgency(ctx context.Context, p *tenancy.Platform, t tenancy.Tenant, w io.Writer) (string, error) {
	id := DefaultAgency(t.Code)
	agencies, err := people.New(p).ListAgencies(ctx, t.Code)
	if err != nil {
		return "", err
	}
	for _, a := range agencies {
		if a.UniqueID == id {
			if a.Disabled {
				return "", fmt.Errorf("the default agency %s is disabled: enable it (PATCH /api/v2/agencies/%s) and run again", id, a.ID)
			}
			return id, nil
		}
	}
	_, err = people.New(p).CreateAgency(ctx, t.Code, people.Agency{UniqueID: id, AgencyCode: strings.ToUpper(t.Code), Name: map[string]string{
		"en": "Default agency", "fr": "Agence par défaut", "es": "Agencia predeterminada", "ar": "الوكالة الافتراضية",
	}})
	if errors.Is(err, tenancy.ErrConflict) {
		return "", fmt.Errorf("%w (another agency already uses agency code %s)", err, strings.ToUpper(t.Code))
	}
	if err != nil {
		return "", err
	}
	fmt.Fprintf(w, "created the default agency %s (agency code %s; rename it in the application)\n", id, strings.ToUpper(t.Code))
	return id, nil
}

// waitInvitationEmail follows the newest send_email job of tenant to recipient
// until a worker has sent it, reporting failed attempts, for at most timeout.
// Not sent in time is not an error: the job stays queued and is retried.
func waitInvitationEmail(ctx context.Context, pool *pgxpool.Pool, tenant, to string, timeout time.Duration, w io.Writer) error {
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Schema: tenancy.RiverSchema,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	res, err := rc.JobList(ctx, river.NewJobListParams().Kinds(jobs.SendEmailArgs{}.Kind()).
		Where("args->>'tenant' = @tenant and args->'message'->'to' @> jsonb_build_array(@to::text)",
			river.NamedArgs{"tenant": tenant, "to": to}).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(1))
	if err != nil {
		return fmt.Errorf("finding the invitation email job: %w", err)
	}
	if len(res.Jobs) == 0 {
		return errors.New("the invitation email job was not found in the queue")
	}
	id := res.Jobs[0].ID
	fmt.Fprintf(w, "waiting up to %s for a worker to send it (job %d)...\n", timeout, id)
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	reported := 0
	for {
		job, err := rc.JobGet(ctx, id)
		if err != nil {
			return fmt.Errorf("reading the invitation email job: %w", err)
		}
		for ; reported < len(job.Errors); reported++ {
			e := job.Errors[reported]
			fmt.Fprintf(w, "  attempt %d to send it failed: %s\n", e.Attempt, e.Error)
		}
		switch job.State {
		case rivertype.JobStateCompleted:
			fmt.Fprintf(w, "invitation email sent to %s\n", to)
			return nil
		case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
			return fmt.Errorf("the invitation email to %s was given up (%s): fix the email settings of the workers, "+
				"then have the person use \"Forgot password\" on the sign-in page, or invite someone else", to, job.State)
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(w, "the invitation email is still queued (%s, attempt %d) after %s: is a worker running "+
				"(`cpims worker` with --email-url)? It is sent, and retried for about a day, as soon as one is\n",
				job.State, job.Attempt, timeout)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// tenant invite-admin: the same invitation without Terraform (e.g. on-premises).
func newInviteAdminCmd(g *globals) *cobra.Command {
	f := &adminFlags{}
	cmd := &cobra.Command{
		Use:   "invite-admin CODE --email EMAIL --name NAME [--locale LANG] [--time-zone ZONE]",
		Short: "Invite a tenant's first administrator (" + AdminRole + "), creating its default agency if needed",
		Long: "Creates the tenant's default agency (agency-<code>) if it does not exist, adds the person to the tenant with role " +
			AdminRole + " (a Kratos identity without password), and queues an invitation email in their language with a " +
			"one-time code to choose a password (the account's time zone is --time-zone, else the instance's default); then waits for a worker to send it (--email-wait). A person who is already " +
			"a user of the tenant is reported and not invited again. `cpims provision --admin-email` does the same.\n\n" +
			"It needs Ory Kratos and reads its URLs from the same settings as `cpims serve`: --kratos-public-url and " +
			"--kratos-admin-url, or CPIMS_KRATOS_PUBLIC_URL and CPIMS_KRATOS_ADMIN_URL (and --app-url / CPIMS_APP_URL " +
			"for the emailed link): on a server, run it with the service's environment.",
		Example: "  cpims tenant invite-admin ke --email admin@example.org --name 'Amina Njoroge' --locale sw --time-zone Africa/Nairobi",
		Args:    cobra.ExactArgs(1),
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		code := args[0]
		w := cmd.ErrOrStderr()
		if f.email == "" {
			return errors.New("--email is required")
		}
		if err := f.check("", true); err != nil {
			return err
		}
		ctx, d, err := g.openCLI(cmd.Context(), tenancy.Config{})
		if err != nil {
			return err
		}
		defer d.close()
		t, err := d.platform.Get(ctx, code)
		if err != nil {
			return cliError(err)
		}
		if t.Status != tenancy.StatusActive {
			return fmt.Errorf("tenant %s is %s: administrators can be invited only into an active tenant", code, t.Status)
		}
		iv, err := f.invitations(ctx, d.platform)
		if err != nil {
			return err
		}
		outcome, err := inviteAdmin(ctx, d, iv, t, f, w)
		if err != nil {
			return fmt.Errorf("inviting the administrator of %s: %w\nthe tenant itself is fine; fix the cause and run this command again", code, err)
		}
		if outcome == adminExisted {
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s is already a user; nothing to do\n", code, f.email)
		} else {
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s invited as %s\n", code, f.email, AdminRole)
		}
		return nil
	}
	f.register(cmd, "")
	return cmd
}
