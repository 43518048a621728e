package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/identity"
	"github.com/cpims-hosted/cpims/internal/smtptest"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// provisionCLI is a CLI whose Terraform runs are offline and whose test
// environment (testdata/tfenv) creates tenants with the binary under test.
// It skips the test when terraform is not installed.
func provisionCLI(t *testing.T) *cli {
	t.Helper()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("terraform is not on PATH: the cpims provision tests need it (CI machines have it)")
	}
	c := newCLI(t)
	env := c.env[:0:0]
	for _, kv := range c.env {
		// A CLI configuration file that does not exist only adds warnings to the output.
		if f, ok := strings.CutPrefix(kv, "TF_CLI_CONFIG_FILE="); ok {
			if _, err := os.Stat(f); err != nil {
				continue
			}
		}
		env = append(env, kv)
	}
	c.env = append(env, "TF_VAR_cpims_command="+binary, "CHECKPOINT_DISABLE=1")
	c.ok("migrate")
	return c
}

// tfEnv copies testdata/tfenv into a temporary directory, next to a link to
// the repository's Terraform modules, and returns the environment directory.
// tfvars, if set, replaces its terraform.tfvars.
func tfEnv(t *testing.T, tfvars string) string {
	t.Helper()
	root := t.TempDir()
	modules, err := filepath.Abs("../infra/terraform/modules")
	require.NoError(t, err)
	require.NoError(t, os.Symlink(modules, filepath.Join(root, "modules")))
	dir := filepath.Join(root, "env")
	require.NoError(t, os.CopyFS(dir, os.DirFS("testdata/tfenv")))
	if tfvars != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "terraform.tfvars"), []byte(tfvars), 0o644))
	}
	return dir
}

func tenants(t *testing.T, c *cli) []map[string]any {
	t.Helper()
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.ok("tenant", "list", "--json").stdout), &list))
	return list
}

func TestProvisionCountryIsIdempotent(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	env := tfEnv(t, "")

	r := c.ok("provision", "--env", env, "--country", "ke")
	require.Contains(t, r.stderr, "tenant ke does not exist yet")
	require.Contains(t, r.stderr, "[1/5] terraform init...")
	require.Contains(t, r.stderr, "[2/5] terraform plan (2 to add, 0 to change, 0 to destroy)")
	require.Contains(t, r.stderr, "[3/5] terraform apply (2 to add, 0 to change, 0 to destroy)")
	// Terraform's own progress, from the tenant module's `cpims tenant create`.
	require.Contains(t, r.stderr, `module.tenant["ke"].terraform_data.tenant (local-exec): tenant ke registered`)
	require.Contains(t, r.stderr, "tenant ke is active")
	require.Contains(t, r.stderr, "[4/5] tenant ke: active (created by the environment's tenant step during the apply)")
	require.Contains(t, r.stderr, "[5/5] first administrator: none requested")
	require.Regexp(t, `^country ke provisioned in [0-9.]+s: tenant ke active \(schema tenant_ke\)\n$`, r.stdout)
	list := tenants(t, c)
	require.Len(t, list, 1)
	require.Equal(t, "ke", list[0]["code"])
	require.Equal(t, "Kenya", list[0]["name"])
	require.Equal(t, []any{"en", "sw"}, list[0]["locales"])
	require.Equal(t, "active", list[0]["status"])

	// Again: nothing to do, and it says so.
	r = c.ok("provision", "--env", env, "--country", "ke")
	require.Contains(t, r.stderr, "[2/5] terraform plan (0 to add, 0 to change, 0 to destroy)")
	require.Contains(t, r.stderr, "[3/5] terraform apply: nothing to change")
	require.Contains(t, r.stderr, "[4/5] tenant ke: already active, nothing to do")
	require.NotContains(t, r.stderr, "registered")
	require.Equal(t, "country ke is already provisioned: nothing to do\n", r.stdout)

	// A suspended tenant is reported, not resumed.
	c.ok("tenant", "suspend", "ke")
	r = c.ok("provision", "--env", env, "--country", "ke")
	require.Contains(t, r.stderr, "[4/5] tenant ke: suspended, left suspended")
	require.Contains(t, r.stderr, "`cpims tenant resume ke` resumes it")
	require.Equal(t, "country ke: infrastructure up to date; tenant suspended (not resumed)\n", r.stdout)
	require.Equal(t, "suspended", tenants(t, c)[0]["status"])
}

func TestProvisionCreatesTheTenantWhenTerraformDoesNot(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	env := tfEnv(t, `countries = { so = { name = "Somalia", locales = ["so", "en", "ar"] } }`)
	// As with create_tenants = false in envs/aws-example; also exercises --var-file.
	vars := filepath.Join(t.TempDir(), "no-tenants.tfvars")
	require.NoError(t, os.WriteFile(vars, []byte("create_tenants = false\n"), 0o644))

	r := c.ok("provision", "--env", env, "--country", "so", "--var-file", vars)
	require.Contains(t, r.stderr, "[3/5] terraform apply (1 to add, 0 to change, 0 to destroy)")
	require.NotContains(t, r.stderr, "(local-exec)")
	require.Contains(t, r.stderr, "tenant so registered; provisioning is queued")
	require.Contains(t, r.stderr, "applying migration 1/")
	require.Regexp(t, `\[4/5\] tenant so: active \(schema tenant_so, version \d+\)`, r.stderr)
	list := tenants(t, c)
	require.Len(t, list, 1)
	require.Equal(t, "Somalia", list[0]["name"])
	require.Equal(t, []any{"so", "en", "ar"}, list[0]["locales"])
	require.Equal(t, "active", list[0]["status"])

	// The environment's tenant step, turned on later, finds the tenant and leaves it alone.
	r = c.ok("provision", "--env", env, "--country", "so")
	require.Contains(t, r.stderr, `module.tenant["so"].terraform_data.tenant (local-exec): tenant so already exists and is active: nothing to do`)
	require.Contains(t, r.stderr, "[4/5] tenant so: already active, nothing to do")
}

func TestProvisionPlanOnlyChangesNothing(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	env := tfEnv(t, "")

	r := c.ok("provision", "--env", env, "--country", "ke", "--plan-only", "--admin-email", "admin@example.org", "--admin-name", "A Admin")
	require.Contains(t, r.stderr, "[2/5] terraform plan (2 to add, 0 to change, 0 to destroy)")
	require.Contains(t, r.stderr, "[3/5] terraform apply: skipped (--plan-only)")
	require.Contains(t, r.stderr, "[4/5] tenant ke: does not exist; would be created (Kenya, locales [en sw])")
	require.Contains(t, r.stderr, "[5/5] first administrator: would invite admin@example.org (--plan-only)")
	require.Equal(t, "plan for ke: 2 to add, 0 to change, 0 to destroy; nothing was changed (--plan-only)\n", r.stdout)
	require.NotContains(t, r.stderr, "local-exec")
	require.Empty(t, tenants(t, c))
	require.NoFileExists(t, filepath.Join(env, "terraform.tfstate"))

	// Without a database, the plan still works.
	var noDB []string
	for _, kv := range c.env {
		if !strings.HasPrefix(kv, "DATABASE_URL=") {
			noDB = append(noDB, kv)
		}
	}
	cmd := exec.Command(binary, "provision", "--env", env, "--country", "ke", "--plan-only")
	cmd.Env = noDB
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Contains(t, string(out), "[4/5] tenant ke: not checked (--plan-only without DATABASE_URL)")
}

func TestProvisionRefusesAnUndeclaredCountry(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	env := tfEnv(t, "")

	r := c.run("provision", "--env", env, "--country", "so")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "error: country so is not declared in environment "+env+" (it declares: ke). Nothing was applied.")
	require.Contains(t, r.stderr, `so = { name = "<display name>", locales = ["en"] }`)
	require.NotContains(t, r.stderr, "[3/5]")
	require.Empty(t, r.stdout)
	require.Empty(t, tenants(t, c))
	require.NoFileExists(t, filepath.Join(env, "terraform.tfstate"))
}

func TestProvisionNeedsTheCountriesOutput(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	env := tfEnv(t, "")
	main := filepath.Join(env, "main.tf")
	b, err := os.ReadFile(main)
	require.NoError(t, err)
	i := strings.Index(string(b), `output "countries"`)
	require.Positive(t, i)
	require.NoError(t, os.WriteFile(main, b[:i], 0o644))

	r := c.run("provision", "--env", env, "--country", "ke")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, `has no "countries" output`)
	require.Empty(t, tenants(t, c))
}

func TestProvisionStopsBeforeDestroying(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	env := tfEnv(t, `countries = {
  ke = { name = "Kenya", locales = ["en"] }
  so = { name = "Somalia", locales = ["so"] }
}`)
	// The whole environment is applied: both countries.
	r := c.ok("provision", "--env", env, "--country", "ke")
	require.Contains(t, r.stderr, "[3/5] terraform apply (4 to add, 0 to change, 0 to destroy)")
	require.Len(t, tenants(t, c), 2)

	require.NoError(t, os.WriteFile(filepath.Join(env, "terraform.tfvars"), []byte(`countries = { ke = { name = "Kenya", locales = ["en"] } }`), 0o644))
	r = c.run("provision", "--env", env, "--country", "ke")
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "[2/5] terraform plan (0 to add, 0 to change, 2 to destroy)")
	require.Contains(t, r.stderr, "error: the plan destroys 2 resources (see above): nothing was applied")
	require.Contains(t, r.stderr, "--allow-destroy")
	require.NotContains(t, r.stderr, "[3/5]")

	r = c.ok("provision", "--env", env, "--country", "ke", "--allow-destroy")
	require.Contains(t, r.stderr, "[3/5] terraform apply (0 to add, 0 to change, 2 to destroy)")
	// Removing a country from Terraform never deletes its tenant.
	list := tenants(t, c)
	require.Len(t, list, 2)
	require.Equal(t, "active", list[1]["status"])
}

func TestProvisionNamesTheFailingTerraformStep(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	for _, tc := range []struct {
		name, file, step, terraform string
	}{
		{"InitOnSyntaxError", `resource "terraform_data" "broken" {`, "[1/5] terraform init failed: exit status 1", "Unclosed configuration block"},
		{"PlanOnUndeclaredVariable", `output "broken" { value = var.nope }`, "[2/5] terraform plan failed: exit status 1",
			"Reference to undeclared input variable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := tfEnv(t, "")
			require.NoError(t, os.WriteFile(filepath.Join(env, "broken.tf"), []byte(tc.file+"\n"), 0o644))
			r := c.run("provision", "--env", env, "--country", "ke")
			require.Equal(t, 1, r.code, r.stderr)
			require.Contains(t, r.stderr, tc.terraform, "Terraform's own message is shown")
			require.Contains(t, r.stderr, "error: "+tc.step)
			require.Contains(t, r.stderr, "fix the")
			require.Empty(t, tenants(t, c))
		})
	}
}

// startWorker runs `cpims worker` with args until the test ends.
func startWorker(t *testing.T, c *cli, args ...string) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"worker"}, args...)...)
	cmd.Env = c.env
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	log := &logBuffer{}
	running := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(io.TeeReader(stderr, log))
		for sc.Scan() {
			if strings.Contains(sc.Text(), "workers running") {
				close(running)
			}
		}
	}()
	select {
	case <-running:
	case <-time.After(60 * time.Second):
		t.Fatalf("cpims worker did not start within 60s:\n%s", log.String())
	}
}

func subject(t *testing.T, m smtptest.Message) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	require.NoError(t, err)
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	return s
}

func TestProvisionInvitesTheFirstAdministrator(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	capture, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = capture.Close() })
	c.env = append(c.env, "CPIMS_KRATOS_PUBLIC_URL="+kratosServer.PublicURL, "CPIMS_KRATOS_ADMIN_URL="+kratosServer.AdminURL)
	startWorker(t, c, "--email-url", "smtp://"+capture.Addr+"?tls=none&from=no-reply@cpims.test")
	// Default language French: the invitation is in French.
	env := tfEnv(t, `countries = { ci = { name = "Côte d'Ivoire", locales = ["fr", "en"] } }`)
	admin := fmt.Sprintf("admin-%d@example.org", time.Now().UnixNano())

	r := c.ok("provision", "--env", env, "--country", "ci", "--admin-email", admin, "--admin-name", "Awa Koné")
	require.Contains(t, r.stderr, "[5/5] first administrator "+admin+"...")
	require.Contains(t, r.stderr, "created the default agency agency-ci (agency code CI")
	require.Contains(t, r.stderr, "invited "+admin+" (Awa Koné, role-system-administrator, agency agency-ci, language fr, time zone the instance's default); invitation email queued")
	require.Contains(t, r.stderr, "invitation email sent to "+admin)
	require.Contains(t, r.stderr, "[5/5] first administrator: "+admin+" invited")
	require.Regexp(t, `^country ci provisioned in [0-9.]+s: tenant ci active \(schema tenant_ci\), administrator `+admin+" invited\n$", r.stdout)

	msgs := capture.Messages() // sent before provision returned
	require.Len(t, msgs, 1)
	require.Equal(t, []string{admin}, msgs[0].To)
	require.Equal(t, "Invitation à CPIMS+ Côte d'Ivoire", subject(t, msgs[0]))

	var role, agency, locale string
	require.NoError(t, c.db.Superuser(t).QueryRow(context.Background(), `select r.unique_id, a.unique_id, u.locale
		from tenant_ci.users u join tenant_ci.roles r on r.id = u.role_id join tenant_ci.agencies a on a.id = u.agency_id
		where u.email = $1`, admin).Scan(&role, &agency, &locale))
	require.Equal(t, "role-system-administrator", role)
	require.Equal(t, "agency-ci", agency)
	require.Equal(t, "fr", locale)
	k, err := identity.New(identity.Config{PublicURL: kratosServer.PublicURL, AdminURL: kratosServer.AdminURL})
	require.NoError(t, err)
	id, err := k.IdentityByEmail(context.Background(), admin)
	require.NoError(t, err)
	require.NotEmpty(t, id, "the administrator has a Kratos identity")

	// Again: the administrator exists; nothing is sent.
	r = c.ok("provision", "--env", env, "--country", "ci", "--admin-email", admin, "--admin-name", "Awa Koné")
	require.Contains(t, r.stderr, admin+" is already a user of tenant ci: not invited again")
	require.Equal(t, "country ci is already provisioned: nothing to do\n", r.stdout)

	// Without Terraform (on-premises): the same invitation, here without waiting for the email.
	second := "second-" + admin
	r = c.ok("tenant", "invite-admin", "ci", "--email", second, "--name", "Second Admin", "--locale", "en", "--email-wait", "0")
	require.NotContains(t, r.stderr, "created the default agency")
	require.Contains(t, r.stderr, "a worker (`cpims worker` with --email-url) sends the email")
	require.Equal(t, "ci: "+second+" invited as role-system-administrator\n", r.stdout)
	msgs, err = capture.Wait(2, 30*time.Second)
	require.NoError(t, err)
	require.Equal(t, []string{second}, msgs[1].To)
	require.Equal(t, "You are invited to CPIMS+ Côte d'Ivoire", subject(t, msgs[1]))
	r = c.ok("tenant", "invite-admin", "ci", "--email", second, "--name", "Second Admin")
	require.Equal(t, "ci: "+second+" is already a user; nothing to do\n", r.stdout)

	r = c.run("tenant", "invite-admin", "zz", "--email", second, "--name", "Second Admin")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "cpims tenant list")
}

func TestProvisionRetriesOnlyTheInvitation(t *testing.T) {
	t.Parallel()
	c := provisionCLI(t)
	c.env = append(c.env, "CPIMS_KRATOS_PUBLIC_URL="+kratosServer.PublicURL, "CPIMS_KRATOS_ADMIN_URL="+kratosServer.AdminURL)
	env := tfEnv(t, "")
	c.ok("provision", "--env", env, "--country", "ke")
	// An agency already uses the code the default agency needs: the invitation fails.
	ctx := policy.WithSubject(context.Background(), policy.System(policy.ActorSeeder))
	require.NoError(t, people.New(c.db.Platform(t, tenancy.Config{})).AddAgency(ctx, "ke", "agency-unicef", "KE", map[string]string{"en": "UNICEF"}))
	admin := fmt.Sprintf("admin-%d@example.org", time.Now().UnixNano())
	args := []string{"provision", "--env", env, "--country", "ke", "--admin-email", admin, "--admin-name", "Amina Njoroge", "--email-wait", "0"}

	r := c.run(args...)
	require.Equal(t, 1, r.code, r.stderr)
	require.Contains(t, r.stderr, "error: [5/5] first administrator "+admin+" failed: creating the default agency: conflict")
	require.Contains(t, r.stderr, "another agency already uses agency code KE")
	require.Contains(t, r.stderr, "Tenant ke is provisioned and active; only the invitation is missing")
	require.Equal(t, "active", tenants(t, c)[0]["status"])

	_, err := c.db.Superuser(t).Exec(context.Background(), "update tenant_ke.agencies set agency_code = 'UNICEF'")
	require.NoError(t, err)
	r = c.ok(args...)
	require.Contains(t, r.stderr, "[3/5] terraform apply: nothing to change")
	require.Contains(t, r.stderr, "[4/5] tenant ke: already active, nothing to do")
	require.Contains(t, r.stderr, "created the default agency agency-ke")
	require.Contains(t, r.stderr, "[5/5] first administrator: "+admin+" invited")
}
