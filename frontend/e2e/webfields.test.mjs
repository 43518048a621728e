// Account and settings fields in a real browser against the real stack
// (frontend/browser_test.go), at desktop size in English and phone size in
// Arabic: the administrator's system settings (the instance's time zone,
// refused then saved; the phone calling code, refused at the field, then
// confirmed and followed to the end of its rewrite), their own time zone in
// account settings (back to the instance's default after), and a user's time
// zone on the user form. Everything is put back as found. axe-core on every
// page; screenshots in .artifacts/screenshots/<size>-<locale>-webfields/.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, admins, api, call, caseworkers, env, expectDir, poll, scenario, signInAdmin, useBrowser, viewports } from "./helpers.mjs";

const browser = useBrowser();

for (const v of [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
]) {
  scenario(`account and settings fields, ${v.size} ${v.locale}`, () => {
    let context;
    let page;
    let rec;
    before(async () => {
      rec = new Recorder(`${v.size}-${v.locale}-webfields`);
      context = await browser.newContext({ viewport: viewports[v.size], locale: v.locale });
      await context.addInitScript((l) => localStorage.setItem("cpims.locale", l), v.locale);
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await signInAdmin(page, admins[v.locale]);
      await expectDir(page, v.locale);
    });
    after(async () => {
      await context?.close();
    });
    const step = (name, fn) =>
      it(name, async () => {
        try {
          await fn();
        } catch (e) {
          await rec.failure(page);
          throw e;
        }
      });
    const arabic = /[\u0600-\u06FF]/;

    step("the instance's time zone: an unknown zone refused at the field, then saved", async () => {
      const was = (await call(page, "GET", "/api/v2/system_settings")).data.time_zone;
      await page.goto(env.origin + "/admin/settings");
      const section = page.locator('section[data-section="time-zone"]');
      const input = section.locator('[data-field="time_zone"] input');
      try {
        await input.fill("Mars/Olympus");
        await section.locator('button[name="save_time_zone"]').click();
        const error = section.locator(".field-error");
        await error.waitFor();
        assert.equal(await input.getAttribute("aria-invalid"), "true");
        await rec.step(page, "instance-zone-refused");
        await input.fill("Africa/Nairobi");
        assert.match(await section.locator('[data-testid="zone-now"]').textContent(), v.locale === "ar" ? arabic : /there now/);
        await section.locator('button[name="save_time_zone"]').click();
        await section.locator('[role="status"].notice-success').waitFor();
        assert.equal((await call(page, "GET", "/api/v2/system_settings")).data.time_zone, "Africa/Nairobi");
        await rec.step(page, "instance-zone-saved");
      } finally {
        await call(page, "PATCH", "/api/v2/system_settings", { time_zone: was });
      }
    });

    step("the phone calling code: refused at the field, then confirmed and its rewrite followed to the end", async () => {
      const was = (await call(page, "GET", "/api/v2/system_settings/phone_calling_code")).data.phone_calling_code;
      await page.goto(env.origin + "/admin/settings");
      const section = page.locator('section[data-section="phone-calling-code"]');
      const input = section.locator('input[name="phone_calling_code"]');
      const code = v.locale === "ar" ? "962" : "254";
      try {
        await input.waitFor();
        // A code starting with 0: the server refuses it (the app asks first).
        await input.fill("0254");
        await section.locator('button[name="save_phone_code"]').click();
        await section.locator('[data-testid="phone-confirm"]').waitFor();
        await rec.step(page, "phone-code-confirm");
        await section.locator('button[name="confirm_phone_code"]').click();
        const error = section.locator(".field-error");
        await error.waitFor();
        assert.equal(await input.getAttribute("aria-invalid"), "true");
        await rec.step(page, "phone-code-refused");

        await input.fill(`+${code}`);
        await section.locator('button[name="save_phone_code"]').click();
        const confirm = section.locator('[data-testid="phone-confirm"]');
        assert.match(await confirm.textContent(), new RegExp(`\\+${code}`));
        await section.locator('button[name="confirm_phone_code"]').click();
        await section.locator('[role="status"].notice-success').waitFor();
        // The page reads the GET again while the job runs, until it says it finished.
        await section.locator('[data-testid="phone-rewrite"][data-finished="true"]').waitFor({ timeout: 60_000 });
        const now = (await call(page, "GET", "/api/v2/system_settings/phone_calling_code")).data;
        assert.equal(now.phone_calling_code, code);
        assert.ok(now.rewrite?.finished_at, "the rewrite finished");
        assert.match(await section.locator('[data-testid="phone-rewrite"]').textContent(), new RegExp(`\\+${code}`));
        await rec.step(page, "phone-code-rewritten");
      } finally {
        if ((await call(page, "GET", "/api/v2/system_settings/phone_calling_code")).data.phone_calling_code !== (was ?? "")) {
          await call(page, "PUT", "/api/v2/system_settings/phone_calling_code", { phone_calling_code: was ?? "" });
        }
        await poll(async () => !!(await call(page, "GET", "/api/v2/system_settings/phone_calling_code")).data.rewrite?.finished_at, "the rewrite back");
      }
    });

    step("their own time zone in account settings, then the instance's default again", async () => {
      await page.goto(env.origin + "/auth/settings");
      const section = page.locator('section[data-section="profile"]');
      const input = section.locator('[data-field="time_zone"] input');
      try {
        await input.waitFor();
        await input.fill("Atlantis/Capital");
        await section.locator('button[name="save_profile"]').click();
        await section.locator(".field-error").waitFor();
        await rec.step(page, "own-zone-refused");
        await input.fill("Asia/Tokyo");
        await section.locator('button[name="save_profile"]').click();
        await section.locator('[role="status"].notice-success').waitFor();
        assert.equal((await call(page, "GET", "/api/v2/users/me")).data.time_zone, "Asia/Tokyo");
        await rec.step(page, "own-zone-saved");
        // Back on the instance's default: the button empties the field.
        await section.locator('[data-field="time_zone"] button').click();
        assert.equal(await input.inputValue(), "");
        await section.locator('button[name="save_profile"]').click();
        await poll(async () => (await call(page, "GET", "/api/v2/users/me")).data.time_zone === "", "the default again");
        await rec.step(page, "own-zone-default");
      } finally {
        await api(page, "PATCH", "/api/v2/users/me", { time_zone: "" });
      }
    });

    step("a user's time zone on the user form", async () => {
      const users = (await call(page, "GET", "/api/v2/users?per=100")).data;
      const user = users.find((u) => u.email === caseworkers[v.locale]);
      assert.ok(user, "the harness' caseworker is listed");
      await page.goto(`${env.origin}/admin/users/${user.id}`);
      const input = page.locator('[data-field="time_zone"] input');
      try {
        await input.waitFor();
        await input.fill("Europe/Paris");
        await page.locator('form button[type="submit"]').first().click();
        await page.locator('[role="status"].notice-success').waitFor();
        assert.equal((await call(page, "GET", `/api/v2/users/${user.id}`)).data.time_zone, "Europe/Paris");
        await rec.step(page, "user-zone-saved");
      } finally {
        await call(page, "PATCH", `/api/v2/users/${user.id}`, { time_zone: user.time_zone ?? "" });
      }
    });
  });
}
