// Disabling and enabling a case in a real browser against the real stack
// (frontend/browser_test.go): a case manager (the role that holds
// cases:disable) opens a case they registered, disables it after the
// confirmation, sees it said disabled with nothing left to change (no Edit, no
// case actions) and gone from the default list, then enables it again (the
// tenant is left as found). Desktop in English, phone in Arabic; axe-core on
// every step. Erasing, the second step, is for a holder of cases:erase and
// cases:read (the API's TestEraseRecord covers it; the default system
// administrator reads no cases).
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, api, env, expectDir, scenario, signIn, today, useBrowser } from "./helpers.mjs";

const browser = useBrowser();

for (const v of [
  { size: "desktop", locale: "en", manager: process.env.CPIMS_TEAM_MANAGER_EMAIL },
  { size: "phone", locale: "ar", manager: process.env.CPIMS_TEAM_MANAGER_AR_EMAIL },
]) {
  scenario(`record state ${v.size} ${v.locale}`, () => {
    it("a case manager disables a case, sees it set aside, and enables it again", async () => {
      assert.ok(v.manager, "CPIMS_TEAM_MANAGER_* are set by the harness");
      const rec = new Recorder(`${v.size}-${v.locale}-record-state`);
      const { context, page } = await browser.open(v.size);
      try {
        await signIn(page, v.manager);
        await expectDir(page, v.locale);
        const id = crypto.randomUUID();
        const first = `Setaside${v.size}${v.locale}`;
        const created = await api(page, "POST", "/api/v2/cases", {
          data: { id, module_id: "primeromodule-cp", registration_date: today, name_first: first, name_last: "Wanjiru", sex: "female" },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const listed = async () => (await api(page, "GET", `/api/v2/cases?query=${first}`)).body.metadata.total;
        assert.equal(await listed(), 1, "listed while enabled");

        await page.goto(`${env.origin}/cases/${id}`);
        await page.locator(".page-header h1", { hasText: first }).waitFor();
        await page.locator("button[data-action=edit]").waitFor();
        await page.locator("button[data-action=disable]").click();
        const dialog = page.locator("[data-testid=disable-dialog]");
        await dialog.waitFor();
        await rec.step(page, "disable-confirm");
        await dialog.locator("button[data-action=confirm-disable]").click();

        await page.locator("[data-testid=record-disabled] [role=status]").waitFor();
        assert.equal(await page.locator("button[data-action=edit]").count(), 0, "a disabled case cannot be edited");
        assert.equal(await page.locator("[data-testid=incident-from-case]").count(), 0, "nor an incident created from it");
        assert.equal(await page.locator("button[data-action=close]").count(), 0, "nor closed");
        const disabled = await api(page, "GET", `/api/v2/cases/${id}`);
        assert.equal(disabled.body.data.record_state, false);
        assert.equal(disabled.body.data.version, created.body.data.version + 1);
        assert.equal(await listed(), 0, "left out of the default list");
        await rec.step(page, "disabled");

        await page.locator("button[data-action=enable]").click();
        await page.locator("button[data-action=edit]").waitFor();
        await page.locator("button[data-action=disable]").waitFor();
        assert.equal((await api(page, "GET", `/api/v2/cases/${id}`)).body.data.record_state, true);
        assert.equal(await listed(), 1, "listed again");
        await rec.step(page, "enabled");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}
