package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/tenancy"
)

type provisionFlags struct {
	env          string
	country      string
	planOnly     bool
	allowDestroy bool
	terraform    string
	pluginDir    string
	varFiles     []string
	timeout      time.Duration
	admin        adminFlags
}

const provisionSteps = 5

func newProvisionCmd(g *globals) *cobra.Command {
	f := &provisionFlags{}
	cmd := &cobra.Command{
		Use:   "provision --env DIR --country CODE [--plan-only] [--admin-email EMAIL --admin-name NAME]",
		Short: "Bring up a country: Terraform init, plan and apply of an environment, then its tenant and first administrator",
		Long: `Runs, stopping at the first failure:
  [1/5] terraform init in the environment (with -plugin-dir /opt/tf-plugins when it exists)
  [2/5] terraform plan into a saved plan; the country must be declared in the environment's
        "countries" output (e.g. the countries map of envs/aws-example/terraform.tfvars)
  [3/5] terraform apply of exactly that plan (skipped when there is nothing to change)
  [4/5] the tenant: created if Terraform did not create it, with the declared name and locales;
        an active tenant is left as is, a suspended one is reported (not resumed), a failed one
        is created again
  [5/5] the first administrator (--admin-email): the default agency agency-<code> if missing,
        and an invitation (role-system-administrator) through Kratos and email
Every step is idempotent: running the command again does only what is left to do, and says
when there is nothing. --plan-only runs steps 1 and 2 and changes nothing.

Needs terraform on PATH (or --terraform), the database (DATABASE_URL) unless --plan-only,
and Kratos (--kratos-public-url, --kratos-admin-url) with --admin-email.`,
		Example: "  cpims provision --env infra/terraform/envs/aws-example --country ke \\\n" +
			"      --admin-email admin@example.org --admin-name 'Amina Njoroge' --admin-locale sw",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return provision(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.env, "env", "", "Terraform environment directory, e.g. infra/terraform/envs/aws-example")
	fl.StringVar(&f.country, "country", "", "tenant code of the country, declared in the environment (e.g. ke)")
	fl.BoolVar(&f.planOnly, "plan-only", false, "run init and plan and print the summary; apply nothing, create nothing")
	fl.BoolVar(&f.allowDestroy, "allow-destroy", false, "apply even if the plan destroys resources (otherwise provisioning stops before applying)")
	fl.StringVar(&f.terraform, "terraform", "", "path of the terraform binary (default: terraform on PATH)")
	fl.StringVar(&f.pluginDir, "terraform-plugin-dir", PluginDirDefault, "provider mirror for terraform init, used when the directory exists")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "extra Terraform variable file for plan and apply (repeatable; terraform.tfvars and *.auto.tfvars in the environment are read anyway)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Minute, "how long to wait for the tenant's provisioning")
	f.admin.register(cmd, "admin-")
	_ = cmd.MarkFlagRequired("env")
	_ = cmd.MarkFlagRequired("country")
	return cmd
}

// stepper prints numbered step headers and remembers the current step for errors.
type stepper struct {
	w     io.Writer
	n     int
	name  string
	start time.Time
}

func (s *stepper) begin(n int, name string) {
	s.n, s.name, s.start = n, name, time.Now()
	fmt.Fprintf(s.w, "[%d/%d] %s...\n", n, provisionSteps, name)
}

// done prints the step's result line.
func (s *stepper) done(format string, args ...any) {
	fmt.Fprintf(s.w, "[%d/%d] %s [%.1fs]\n", s.n, provisionSteps, fmt.Sprintf(format, args...), time.Since(s.start).Seconds())
}

// detail is a writer for the current step's own messages, indented like Terraform's.
func (s *stepper) detail() io.Writer { return &indentWriter{w: s.w, prefix: "    "} }

func (s *stepper) skip(n int, format string, args ...any) {
	fmt.Fprintf(s.w, "[%d/%d] %s\n", n, provisionSteps, fmt.Sprintf(format, args...))
}

// fail names the failed step and what to do next.
func (s *stepper) fail(err error, next string) error {
	return fmt.Errorf("[%d/%d] %s failed: %w\n%s", s.n, provisionSteps, s.name, err, next)
}

func provision(cmd *cobra.Command, g *globals, f *provisionFlags) error {
	ctx := operatorContext(cmd.Context())
	w := cmd.ErrOrStderr()
	code := f.country
	started := time.Now()

	// Checks that change nothing, so that a mistake stops provisioning before Terraform runs.
	if err := tenancy.ValidateCode(code); err != nil {
		return fmt.Errorf("--country: %w", cliError(err))
	}
	if err := f.admin.check("admin-", !f.planOnly); err != nil {
		return err
	}
	if !f.planOnly && g.databaseURL == "" {
		return errors.New("provisioning needs the database to check and create the tenant: set DATABASE_URL (or --database-url); " +
			"--plan-only works without it")
	}
	env, err := newTFEnv(ctx, f.env, f.terraform, f.pluginDir, cmd.Flags().Changed("terraform-plugin-dir"), f.varFiles, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "provisioning country %s with environment %s (terraform %s, %s)\n", code, env.dir, env.version, env.binary)
	var d *deps
	before, existed := tenancy.Tenant{}, false
	if g.databaseURL != "" {
		g.logFormat, g.logLevel = "text", "warn"
		log, err := g.logger()
		if err != nil {
			return err
		}
		if d, err = g.open(ctx, log, tenancy.Config{}); err != nil {
			return err
		}
		defer d.close()
		upToDate, err := d.platform.PlatformUpToDate(ctx)
		if err != nil {
			return fmt.Errorf("reading the database's schema version: %w (has `cpims migrate` run on this database?)", err)
		}
		if !upToDate {
			return errors.New("the database is not migrated to this cpims version: run `cpims migrate` first")
		}
		before, err = d.platform.Get(ctx, code)
		switch {
		case errors.Is(err, tenancy.ErrNotFound):
			fmt.Fprintf(w, "tenant %s does not exist yet\n", code)
		case err != nil:
			return fmt.Errorf("reading tenant %s: %w (has `cpims migrate` run on this database?)", code, err)
		case before.Status == tenancy.StatusDeleting:
			return fmt.Errorf("tenant %s is scheduled for deletion: provisioning changes nothing; `cpims tenant resume %s` cancels the deletion", code, code)
		case before.Status == tenancy.StatusFailed:
			fmt.Fprintf(w, "tenant %s: its last provisioning failed; it will be created again\n", code)
		default:
			existed = true
			fmt.Fprintf(w, "tenant %s exists and is %s\n", code, before.Status)
		}
	}
	var iv *identity.Invitations
	if f.admin.email != "" && !f.planOnly {
		if iv, err = f.admin.invitations(ctx, d.platform); err != nil {
			return err
		}
	}
	planDir, err := os.MkdirTemp("", "cpims-provision-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(planDir)

	st := &stepper{w: w}
	st.begin(1, "terraform init")
	if pd := env.pluginDir; pd != "" {
		fmt.Fprintf(st.detail(), "(providers from %s)\n", pd)
	}
	if err := env.init(ctx); err != nil {
		return st.fail(err, "Terraform's messages are above; fix the environment ("+f.env+") and run again. Nothing was changed.")
	}
	st.done("terraform init")

	st.begin(2, "terraform plan")
	plan, err := env.plan(ctx, filepath.Join(planDir, "provision.tfplan"))
	if err != nil {
		return st.fail(err, "Terraform's messages are above; fix the configuration or its variables and run again. Nothing was applied.")
	}
	st.done("terraform plan (%s)", plan.summary())
	if plan.Countries == nil {
		return fmt.Errorf("environment %s has no %q output: cpims provision reads the countries an environment declares from it "+
			"(a map of tenant code to {name, locales}; see infra/terraform/README.md). Nothing was applied", f.env, countriesOutput)
	}
	c, declared := plan.Countries[code]
	if !declared {
		return fmt.Errorf("country %s is not declared in environment %s (it declares: %s). Nothing was applied.\n"+
			"Declare it, e.g. in %s/terraform.tfvars add to countries:\n    %s = { name = \"<display name>\", locales = [\"en\"] }\n"+
			"then run this command again", code, f.env, declaredCodes(plan.Countries), f.env, code)
	}
	if plan.Destroy > 0 && !f.planOnly && !f.allowDestroy {
		return fmt.Errorf("the plan destroys %d resources (see above): nothing was applied. Review the plan (`terraform plan` in %s); "+
			"if the destruction is intended, run again with --allow-destroy", plan.Destroy, f.env)
	}

	if f.planOnly {
		st.skip(3, "terraform apply: skipped (--plan-only)")
		switch {
		case d == nil:
			st.skip(4, "tenant %s: not checked (--plan-only without DATABASE_URL)", code)
		case before.Status == tenancy.StatusFailed:
			st.skip(4, "tenant %s: its last provisioning failed; would be created again", code)
		case !existed:
			st.skip(4, "tenant %s: does not exist; would be created (%s, locales %v)", code, c.Name, c.Locales)
		default:
			st.skip(4, "tenant %s: exists and is %s", code, before.Status)
		}
		if f.admin.email != "" {
			st.skip(5, "first administrator: would invite %s (--plan-only)", f.admin.email)
		} else {
			st.skip(5, "first administrator: none requested (--admin-email)")
		}
		fmt.Fprintf(cmd.OutOrStdout(), "plan for %s: %s; nothing was changed (--plan-only)\n", code, plan.summary())
		return nil
	}

	applied := false
	if plan.Changes {
		st.begin(3, "terraform apply")
		if err := env.apply(ctx, plan); err != nil {
			return st.fail(err, "Terraform's messages are above. What was applied before the failure stays applied (Terraform's state "+
				"records it); fix the cause and run this command again to apply the rest.")
		}
		st.done("terraform apply (%s)", plan.summary())
		applied = true
	} else {
		st.skip(3, "terraform apply: nothing to change")
	}

	st.begin(4, "tenant "+code)
	t, outcome, err := ensureTenant(ctx, d, tenancy.CreateParams{Code: code, Name: c.Name, Locales: c.Locales}, true, f.timeout,
		st.detail(), "`cpims provision` again")
	if err != nil {
		return st.fail(err, "The infrastructure is applied; the tenant was not created or was rolled back. Fix the cause and run this command again.")
	}
	switch {
	case outcome == tenantSuspended:
		st.done("tenant %s: suspended, left suspended (`cpims tenant resume %s` resumes it)", code, code)
	case outcome == tenantExisted && !existed:
		st.done("tenant %s: active (created by the environment's tenant step during the apply)", code)
	case outcome == tenantExisted && before.Status == tenancy.StatusActive:
		st.done("tenant %s: already active, nothing to do", code)
	case outcome == tenantExisted:
		st.done("tenant %s: active", code)
	default:
		st.done("tenant %s: active (schema %s, version %d)", code, t.SchemaName, t.SchemaVersion)
	}

	admin := adminOutcome(0)
	switch {
	case f.admin.email == "":
		st.skip(5, "first administrator: none requested; invite one with `cpims tenant invite-admin %s --email ... --name ...`", code)
	case t.Status != tenancy.StatusActive:
		st.skip(5, "first administrator: not invited, tenant %s is %s", code, t.Status)
	default:
		st.begin(5, "first administrator "+f.admin.email)
		admin, err = inviteAdmin(ctx, d, iv, t, &f.admin, st.detail())
		if err != nil {
			return st.fail(err, fmt.Sprintf("Tenant %s is provisioned and active; only the invitation is missing. Fix the cause and run this "+
				"command again (it will only retry the invitation), or use `cpims tenant invite-admin %s`.", code, code))
		}
		if admin == adminExisted {
			st.done("first administrator: %s is already a user, nothing to do", f.admin.email)
		} else {
			st.done("first administrator: %s invited", f.admin.email)
		}
	}

	out := cmd.OutOrStdout()
	nothing := !applied && outcome == tenantExisted && existed && admin != adminInvited
	switch {
	case outcome == tenantSuspended:
		fmt.Fprintf(out, "country %s: infrastructure up to date; tenant suspended (not resumed)\n", code)
	case nothing:
		fmt.Fprintf(out, "country %s is already provisioned: nothing to do\n", code)
	default:
		fmt.Fprintf(out, "country %s provisioned in %.1fs: tenant %s active (schema %s)", code, time.Since(started).Seconds(), code, t.SchemaName)
		if admin == adminInvited {
			fmt.Fprintf(out, ", administrator %s invited", f.admin.email)
		}
		fmt.Fprintln(out)
	}
	return nil
}
