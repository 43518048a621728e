// The web app in a real browser against the real stack (see
// frontend/browser_test.go): an administrator signs in with a password and an
// authenticator code, invites a user and changes their role; the invited
// person signs in for the first time from the emailed link and code, sets up
// an authenticator app and recovery codes, changes their name and language,
// signs in on another device with a recovery code (in their account's
// language), and is signed out after the idle limit. Each scenario runs at
// phone and desktop size, in English and Arabic.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, admins, env, expectDir, mail, mailCount, openNav, scenario, serverClockAhead, signInAdmin, totp, useBrowser, viewports } from "./helpers.mjs";

const browser = useBrowser();

const variants = [
  { size: "phone", locale: "en" },
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
  { size: "desktop", locale: "ar" },
];

const newPassword = "a fresh password 4 the invitee";

for (const v of variants) {
  scenario(`sign-in and invitation, ${v.size} ${v.locale}`, () => {
    const name = `${v.size}-${v.locale}`;
    const invitee = `invitee-${name}-${Date.now()}@example.org`;
    // What the invited person changes in their account: another language and name.
    const account = v.locale === "ar" ? { locale: "fr", name: "Salma Hassan Omar" } : { locale: "ar", name: "غريس وانجيرو" };
    let codes = [];
    let totpSecret = "";

    it("an administrator signs in with TOTP, invites a user and changes their role", async () => {
      const rec = new Recorder(`${name}-admin`);
      const admin = admins[v.locale]; // their account speaks the variant's language
      const context = await browser.newContext({ viewport: viewports[v.size], locale: "en-US" });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await page.goto(env.origin + "/");
        await page.waitForURL(/\/auth\/login\?/);
        await page.locator('input[name="identifier"]').waitFor();
        await expectDir(page, "en");
        await rec.step(page, "sign-in");

        if (v.locale === "ar") {
          await page.locator(".language select").selectOption("ar");
          await page.waitForFunction(() => document.documentElement.dir === "rtl");
          await expectDir(page, "ar");
          await rec.step(page, "sign-in-arabic");
        }

        await page.locator('input[name="identifier"]').fill(admin.email);
        await page.locator('input[name="password"]').fill(admin.password);
        await page.locator('button[name="method"][value="password"]').click();

        const code = page.locator('input[name="totp_code"]');
        await code.waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "second-factor");
        await code.fill(totp(admin.totpSecret));
        await page.locator('button[name="method"][value="totp"]').click();

        await page.locator(".shell main#main h1").waitFor();
        await page.waitForURL((u) => u.pathname === "/");
        assert.equal(await page.locator("[data-testid=tenant-name]").first().textContent(), "Kenya");
        await expectDir(page, v.locale);
        await rec.step(page, "home");

        await openNav(page, v.size);
        await rec.step(page, "navigation");
        for (const path of ["/admin/users", "/admin/roles", "/admin/agencies", "/admin/audit"]) {
          assert.equal(await page.locator(`nav a[href="${path}"]`).count(), 1, `a system administrator sees ${path}`);
        }
        await page.locator('nav a[href="/admin/users"]').click();
        await page.waitForURL(/\/admin\/users$/);
        await page.locator(v.size === "phone" ? ".data-cards" : ".data-table").waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "users");

        await page.locator('a[href="/admin/users/new"]').click();
        await page.locator('input[name="full_name"]').waitFor();
        await page.locator('input[name="full_name"]').fill(v.locale === "ar" ? "سلمى حسن" : "Grace Wanjiru");
        await page.locator('input[name="email"]').fill(invitee);
        await page.locator('select[name="locale"]').selectOption(v.locale);
        await page.locator('select[name="role_unique_id"]').selectOption("role-caseworker");
        await page.locator('select[name="agency_unique_id"]').selectOption("agency-unicef");
        await page.locator('input[name="user_group_unique_ids"][value="usergroup-nairobi"]').check();
        await rec.step(page, "invite-form");

        // A problem from the API lands at its field: a second invitation to the same address.
        await page.locator('button[type="submit"]').click();
        await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}/);
        const userId = page.url().match(/users\/([0-9a-f-]{36})/)[1];
        await page.locator('[role="status"].notice-success').first().waitFor();
        await rec.step(page, "invited");

        await page.locator('select[name="role_unique_id"]').selectOption("role-case-manager");
        await page.locator('button[type="submit"]').click();
        await page.locator('[role="status"].notice-success').filter({ hasNotText: invitee }).waitFor();
        const saved = await page.evaluate(async (id) => (await (await fetch(`/api/v2/users/${id}`)).json()).data, userId);
        assert.equal(saved.role_unique_id, "role-case-manager");
        assert.deepEqual(saved.user_group_unique_ids.length, 1);
        await rec.step(page, "role-changed");

        // Inviting the same address again: the API's problem is shown, announced.
        await page.goto(env.origin + "/admin/users/new");
        await page.locator('input[name="full_name"]').fill("Someone Else");
        await page.locator('input[name="email"]').fill(invitee);
        await page.locator('select[name="role_unique_id"]').selectOption("role-caseworker");
        await page.locator('select[name="agency_unique_id"]').selectOption("agency-unicef");
        await page.locator('button[type="submit"]').click();
        await page.locator('[role="alert"].notice-error').waitFor();
        await rec.step(page, "invite-refused");

        if (name === "desktop-en") {
          // The session ends (here: its cookie is gone): the app says so and offers a way back.
          await context.clearCookies();
          await page.locator('nav a[href="/admin/audit"]').click();
          await page.locator("[data-testid=session-ended]").waitFor();
          await rec.step(page, "session-ended");
          await page.locator('a[href^="/auth/login"]').click();
          await page.locator('input[name="identifier"]').waitFor();
        } else {
          await openNav(page, v.size);
          await page.locator("nav .link-button").click();
          await page.waitForURL(/\/auth\/login/);
          await page.locator('input[name="identifier"]').waitFor();
          await expectDir(page, v.locale);
          await rec.step(page, "signed-out");
          const me = await page.evaluate(async () => (await fetch("/api/v2/users/me")).status);
          assert.equal(me, 401, "signing out ends the session");
        }
      } finally {
        await context.close();
      }
    });

    it("the invited person signs in for the first time from the email", async () => {
      const rec = new Recorder(`${name}-invitee`);
      const { text } = await mail(invitee);
      const link = text.match(/https?:\/\/\S+\/auth\/recovery\?flow=[\w-]+/)?.[0];
      const code = text.match(/\b\d{6}\b/)?.[0];
      assert.ok(link, `a link in the email:\n${text}`);
      assert.ok(code, "a code in the email");
      assert.equal(new URL(link).origin, env.origin, "the link leads to the country's own host");

      const context = await browser.newContext({ viewport: viewports[v.size], locale: v.locale });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await page.goto(link);
        await page.locator('input[name="code"]').waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "enter-code");
        await page.locator('input[name="code"]').fill(code);
        await page.locator('button[name="method"][value="code"]').click();

        await page.waitForURL(/\/auth\/settings\?flow=/);
        const password = page.locator('input[name="password"]');
        await password.waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "choose-password");
        await password.fill(newPassword);
        await page.locator('button[name="method"][value="password"]').click();
        await page.locator("[data-testid=continue]").waitFor();
        await rec.step(page, "password-saved");
        await page.locator("[data-testid=continue]").click();

        await page.waitForURL((u) => u.pathname === "/");
        await page.locator(".shell main#main h1").waitFor();
        await expectDir(page, v.locale);
        await openNav(page, v.size);
        assert.equal(await page.locator('nav a[href="/admin/users"]').count(), 1, "a case manager may read users");
        assert.equal(await page.locator('nav a[href="/admin/roles"]').count(), 0, "a case manager may not manage roles");
        await rec.step(page, "home");

        // Account settings: an authenticator app (QR code, or its key typed in), then recovery codes.
        await page.locator('nav a[href="/auth/settings"]').click();
        await page.locator("img.kratos-qr").waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "settings");
        const secret = (await page.locator("#totp_secret_key").textContent()).trim();
        await page.locator('input[name="totp_code"]').fill(totp(secret));
        await page.locator('button[name="method"][value="totp"]').click();
        await page.locator('button[name="totp_unlink"]').waitFor();
        await rec.step(page, "authenticator-added");
        await page.locator('button[name="lookup_secret_regenerate"]').click();
        await page.locator(".codes li").first().waitFor();
        assert.ok((await page.locator(".codes li").count()) >= 8, "recovery codes are shown");
        codes = (await page.locator(".codes li code").allTextContents()).map((c) => c.trim());
        await rec.step(page, "recovery-codes");
        await page.locator('button[name="lookup_secret_confirm"]').click();
        await page.locator('button[name="lookup_secret_reveal"]').waitFor();
        await rec.step(page, "recovery-codes-saved");
        totpSecret = secret;

        // Their name and language, saved to the account: the page speaks the new language at once.
        const profile = page.locator('section[data-section="profile"]');
        await profile.locator('input[name="full_name"]').fill(account.name);
        await profile.locator('select[name="locale"]').selectOption(account.locale);
        await profile.locator('button[type="submit"]').click();
        await page.waitForFunction((l) => document.documentElement.lang === l, account.locale);
        await profile.locator('[role="status"].notice-success').waitFor();
        await expectDir(page, account.locale);
        await rec.step(page, "name-and-language-saved");
        const me = await page.evaluate(async () => (await (await fetch("/api/v2/users/me")).json()).data);
        assert.equal(me.locale, account.locale);
        assert.equal(me.full_name, account.name);
      } finally {
        await context.close();
      }
    });

    it("on another device: the sign-in page in the browser's language, a recovery code, then the account's language; the idle limit", async () => {
      assert.ok(codes.length && totpSecret, "the previous scenario set up a second factor and recovery codes");
      const rec = new Recorder(`${name}-other-device`);
      // A fresh browser whose language is English, with a clock the test moves on.
      const context = await browser.newContext({ viewport: viewports[v.size], locale: "en-US" });
      await context.clock.install();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await page.goto(env.origin + "/admin/users");
        await page.waitForURL(/\/auth\/login\?/);
        await page.locator('input[name="identifier"]').fill(invitee);
        await expectDir(page, "en");
        await page.locator('input[name="password"]').fill(newPassword);
        await page.locator('button[name="method"][value="password"]').click();

        // The authenticator app is lost: a recovery code instead.
        await page.locator("details.alt-method summary").click();
        await page.locator('input[name="lookup_secret"]').fill(codes[0]);
        await rec.step(page, "recovery-code");
        await page.locator('button[name="method"][value="lookup_secret"]').click();
        await page.waitForURL((u) => u.pathname === "/admin/users");
        await page.locator(".shell main#main h1").waitFor();
        await page.waitForFunction((l) => document.documentElement.lang === l, account.locale);
        await expectDir(page, account.locale);
        await openNav(page, v.size);
        assert.equal((await page.locator(".nav-user").textContent()).includes(account.name), true, "the new name is shown");
        await rec.step(page, "signed-in-in-account-language");

        // Half an hour without activity: the server's and this browser's clocks move on. The app
        // asks the server once, which ends the idle session, and says so with a way back.
        const probe = page.waitForResponse((r) => r.url().endsWith("/api/v2/users/me") && r.status() === 401);
        await serverClockAhead("31m");
        await page.clock.fastForward("31:00");
        const problem = await (await probe).json();
        // In the account's language (the server's catalogue), with the server's idle limit in it.
        assert.equal(problem.code, "unauthenticated");
        assert.match(problem.detail, /\b30\b/, `the server ended the session as idle: ${problem.detail}`);
        const ended = page.locator("[data-testid=session-ended]");
        await ended.waitFor();
        assert.equal(await ended.getAttribute("data-reason"), "idle");
        await expectDir(page, account.locale);
        await rec.step(page, "idle-session-ended");

        // The way back: sign in again (the old session is gone: a password is asked), back where they were.
        await page.locator('a[href^="/auth/login"]').click();
        await page.locator('input[name="identifier"]').fill(invitee);
        await page.locator('input[name="password"]').fill(newPassword);
        await page.locator('button[name="method"][value="password"]').click();
        await page.locator('input[name="totp_code"]').fill(totp(totpSecret));
        await page.locator('button[name="method"][value="totp"]').click();
        await page.waitForURL((u) => u.pathname === "/admin/users");
        await page.locator(".shell main#main h1").waitFor();
        await expectDir(page, account.locale);
        await rec.step(page, "signed-in-again");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await serverClockAhead("0s");
        await context.close();
      }
    });
  });
}

for (const v of [{ size: "desktop", locale: "en" }, { size: "phone", locale: "ar" }]) {
  scenario(`administration screens, ${v.size} ${v.locale}`, () => {
    it("roles, agencies, user groups, service accounts and keys, settings, audit log", async () => {
      const name = `${v.size}-${v.locale}-admin-screens`;
      const rec = new Recorder(name);
      const suffix = `${v.size}${v.locale}${Date.now() % 100000}`;
      const context = await browser.newContext({ viewport: viewports[v.size], locale: v.locale });
      await context.addInitScript((l) => localStorage.setItem("cpims.locale", l), v.locale);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const done = page.locator('[role="status"].notice-success');
      try {
        await signInAdmin(page, admins[v.locale]);
        await expectDir(page, v.locale);

        // Roles: the list, then a new role with permissions from the catalogue.
        await page.goto(env.origin + "/admin/roles");
        await page.locator('a[href^="/admin/roles/"]').first().waitFor();
        await rec.step(page, "roles");
        await page.locator('a[href="/admin/roles/new"]').click();
        await page.locator('input[name="permissions"][value="cases:read"]').waitFor();
        await page.locator('input[name="unique_id"]').fill(`role-field-officer-${suffix}`);
        await page.locator('input[name="name.en"]').fill("Field officer");
        await page.locator('input[name="permissions"][value="cases:read"]').check();
        await page.locator('input[name="permissions"][value="cases:write"]').check();
        await page.locator('input[name="record_scope"][value="group"]').check();
        await rec.step(page, "role-new");
        await page.locator('form button[type="submit"]').click();
        await page.waitForURL(/\/admin\/roles\/[0-9a-f-]{36}$/);
        await page.locator('input[name="permissions"][value="cases:write"]:checked').waitFor();
        assert.equal(await page.locator('input[name="record_scope"][value="group"]').isChecked(), true);
        await rec.step(page, "role-created");

        // Agencies and user groups.
        await page.goto(env.origin + "/admin/agencies");
        await page.locator(".page-header .button").click();
        await page.locator('input[name="agency_code"]').fill(`A${suffix}`.slice(0, 20));
        await page.locator('input[name="unique_id"]').fill(`agency-${suffix}`);
        await page.locator('input[name="name.en"]').fill(`Agency ${suffix}`);
        await page.locator('section.card button[type="submit"]').click();
        await done.waitFor();
        await rec.step(page, "agency-created");

        await page.goto(env.origin + "/admin/user-groups");
        await page.locator(".page-header .button").click();
        await page.locator('input[name="unique_id"]').fill(`usergroup-${suffix}`);
        await page.locator('input[name="name"]').fill(`Group ${suffix}`);
        await page.locator('section.card button[type="submit"]').click();
        await done.waitFor();
        await rec.step(page, "group-created");

        // A service account and its API key, shown once.
        await page.goto(env.origin + "/admin/service-accounts");
        await page.locator(".page-header .button").click();
        await page.locator('section.card input[name="name"]').fill(`Sync ${suffix}`);
        await page.locator('section.card select[name="role_unique_id"]').selectOption("role-caseworker");
        await page.locator('section.card select[name="agency_unique_id"]').selectOption("agency-unicef");
        await page.locator('section.card button[type="submit"]').click();
        await done.waitFor();
        await rec.step(page, "service-account-created");
        await page.locator('a[href^="/admin/service-accounts/"]', { hasText: `Sync ${suffix}` }).filter({ visible: true }).click();
        await page.locator('input[name="name"]').fill("production");
        await page.locator('form button[type="submit"]').click();
        const key = await page.locator("[data-testid=new-key] code").textContent();
        assert.match(key, /^cpk_/);
        await rec.step(page, "api-key-shown-once");
        const keyWorks = await page.evaluate(async (k) => (await fetch("/api/v2/users/me", { credentials: "omit", headers: { Authorization: `Bearer ${k}` } })).status, key);
        assert.notEqual(keyWorks, 401, "the new key authenticates");
        await page.locator("[data-testid=new-key] .actions .button:not(.button-secondary)").click();
        await page.locator("[data-testid=new-key]").waitFor({ state: "detached" });
        assert.equal(await page.getByText(key).count(), 0, "the key is gone from the page");

        // System settings and the audit log.
        await page.goto(env.origin + "/admin/settings");
        await page.locator('textarea[name="cors_origins"]').fill("https://registration.example.org");
        await page.locator('section[aria-labelledby="cors"] form button[type="submit"]').click();
        await done.waitFor();
        await rec.step(page, "settings-saved");

        await page.goto(env.origin + "/admin/audit");
        await page.locator('input[name="action"]').fill("sessions:create");
        await page.locator('form.filters button[type="submit"]').click();
        await page.locator(v.size === "phone" ? ".data-cards li" : ".data-table tbody tr").first().waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "audit-log");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}

scenario("installable and offline", () => {
  it("has a manifest and a service worker; offline, the app shell opens and says it is offline", async () => {
    const rec = new Recorder("phone-en-offline");
    const context = await browser.newContext({ viewport: viewports.phone, locale: "en-US" });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await page.goto(env.origin + "/auth/login");
      await page.locator('input[name="identifier"]').waitFor();
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector('link[rel="manifest"]')?.getAttribute("href");
        return href ? (await fetch(href)).json() : null;
      });
      assert.ok(manifest, "index.html links a manifest");
      assert.equal(manifest.display, "standalone");
      assert.deepEqual(manifest.icons.map((i) => i.sizes).slice(0, 2), ["192x192", "512x512"]);
      // The service worker installs and precaches the shell.
      assert.equal(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active), true);
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 20_000 }).catch(() => page.reload());
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);

      await context.setOffline(true);
      await page.reload();
      await page.locator(".offline-banner").waitFor();
      await rec.step(page, "offline");
      await context.setOffline(false);
      await page.locator(".offline-banner").waitFor({ state: "detached" });
    } finally {
      await context.close();
    }
  });
});

for (const v of [{ size: "desktop", locale: "en" }, { size: "phone", locale: "ar" }]) {
  scenario(`sign-in service pages, ${v.size} ${v.locale}`, () => {
    it("Kratos' error page explains a refused link; an address verified by emailed code", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-kratos-pages`);
      const context = await browser.newContext({ viewport: viewports[v.size], locale: v.locale });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        // A sign-in link that would lead elsewhere afterwards: Kratos refuses it and sends the browser to our error page.
        await page.goto(env.origin + "/.ory/self-service/login/browser?return_to=https://phishing.example.org/");
        await page.waitForURL(/\/auth\/error\?id=/);
        const notice = page.locator("[data-error-id]");
        await notice.waitFor();
        await page.waitForFunction(() => document.querySelector("[data-error-id]")?.getAttribute("data-error-id"));
        assert.equal(await notice.getAttribute("data-error-id"), "self_service_flow_return_to_forbidden");
        await expectDir(page, v.locale);
        await rec.step(page, "error-page");
        await page.locator('main a[href="/auth/login"]').click();
        await page.locator('input[name="identifier"]').waitFor();

        // Verification: the address, then the code from the email Kratos sends.
        const address = admins[v.locale].email;
        await page.goto(env.origin + "/auth/verification");
        await page.locator('input[name="email"]').fill(address);
        await expectDir(page, v.locale);
        await rec.step(page, "verification-address");
        const before = await mailCount(address);
        await page.locator('button[name="method"][value="code"]').click();
        const code = page.locator('input[name="code"]');
        await code.waitFor();
        await rec.step(page, "verification-code");
        const { text } = await mail(address, { after: before });
        const sent = text.match(/\b\d{6}\b/)?.[0];
        assert.ok(sent, `a code in Kratos' email:\n${text}`);
        await code.fill(sent);
        await page.locator('button[name="method"][value="code"]').click();
        await page.locator('[data-message-id="1080002"]').waitFor();
        await page.locator("a.button[data-testid=continue]").waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "verified");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}
