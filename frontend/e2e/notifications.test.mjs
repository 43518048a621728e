// Email notification settings in the account, in a real browser against the
// real stack (frontend/browser_test.go), at desktop size in English and phone
// size in Arabic: the caseworker opens account settings, turns the daily
// summary off and a referral's answer off, saves (only those two are sent),
// sees them off after a reload, then turns them on again (as found).
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, caseworkers, env, expectDir, scenario, signIn, useBrowser } from "./helpers.mjs";

const browser = useBrowser();

const settings = (page) =>
  page.evaluate(async () => (await (await fetch("/api/v2/users/me/notification_settings", { headers: { Accept: "application/json" } })).json()).data);

for (const v of [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
]) {
  scenario(`notifications ${v.size} ${v.locale}`, () => {
    it("a caseworker turns emails off and on in account settings", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-notifications`);
      const { context, page } = await browser.open(v.size);
      const section = page.locator('[data-section="notifications"]');
      const box = (kind) => section.locator(`input[type=checkbox][name="${kind}"]`);
      const save = async () => {
        await section.locator('button[name="save_notifications"]').click();
        await section.locator('[role=status].notice-success').waitFor();
      };
      try {
        await signIn(page, caseworkers[v.locale]);

        const before = await settings(page);
        assert.ok(before.find((s) => s.kind === "digest")?.email, "the daily summary is on by default");
        await page.goto(env.origin + "/auth/settings");
        await box("digest").waitFor();
        await expectDir(page, v.locale);
        assert.equal(await section.locator("fieldset").count(), 3, "three groups");
        assert.equal(await section.locator("input[type=checkbox]").count(), before.length, "a tick box per kind");
        await rec.step(page, "notifications");

        await box("digest").uncheck();
        await box("referral_accepted").uncheck();
        await save();
        await rec.step(page, "notifications-saved");
        const off = await settings(page);
        const changed = off.filter((s) => before.find((b) => b.kind === s.kind).email !== s.email).map((s) => s.kind);
        assert.deepEqual(changed.sort(), ["digest", "referral_accepted"]);

        await page.reload();
        await box("digest").waitFor();
        assert.equal(await box("digest").isChecked(), false, "off after a reload");
        assert.equal(await box("assign").isChecked(), true);

        // As found.
        await box("digest").check();
        await box("referral_accepted").check();
        await save();
        assert.deepEqual(await settings(page), before);
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}
