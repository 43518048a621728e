// Erasing a case for good in a real browser against the real stack
// (frontend/browser_test.go), the two steps by two people: a case manager
// disables a case from its page; the system administrator, who reads no
// cases, opens "Erase a record", finds it by the short id the manager reads
// out (typed as people type it: upper case, a hyphen; an enabled case's id
// is refused first), sees only which case
// and who disabled it, and erases it with a reason and a reference. The case
// is then gone for its owner (its page says so, the API answers 404, no list
// has it) and the audit log shows the erasure with its reason, and the
// lookup before it. Desktop in
// English, phone in Arabic; axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, admins, api, env, expectDir, openNav, scenario, signIn, signInAdmin, today, useBrowser } from "./helpers.mjs";

const browser = useBrowser();

for (const v of [
  { size: "desktop", locale: "en", manager: process.env.CPIMS_TEAM_MANAGER_EMAIL, admin: admins.en, reason: "Erased. Reason: A request to erase the person's data", lookedUp: "Looked up to be erased" },
  { size: "phone", locale: "ar", manager: process.env.CPIMS_TEAM_MANAGER_AR_EMAIL, admin: admins.ar, reason: "تم المحو. السبب: طلب محو بيانات الشخص", lookedUp: "تم البحث عنه لمحوه" },
]) {
  scenario(`erase record ${v.size} ${v.locale}`, () => {
    it("a case manager disables a case; the administrator erases it by its short id, with a reason the audit log shows", async () => {
      assert.ok(v.manager, "CPIMS_TEAM_MANAGER_* are set by the harness");
      const rec = new Recorder(`${v.size}-${v.locale}-erase-record`);
      const managerSide = await browser.open(v.size);
      const adminSide = await browser.open(v.size);
      let page = managerSide.page;
      try {
        // The case manager registers a case, then disables it from its page.
        await signIn(page, v.manager);
        await expectDir(page, v.locale);
        const id = crypto.randomUUID();
        const first = `Erasable${v.size}${v.locale}`;
        const created = await api(page, "POST", "/api/v2/cases", {
          data: { id, module_id: "primeromodule-cp", registration_date: today, name_first: first, name_last: "Wanjiru", sex: "female" },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const short = created.body.data.short_id;
        // A second case, left enabled: the administrator cannot erase it.
        const kept = await api(page, "POST", "/api/v2/cases", {
          data: { module_id: "primeromodule-cp", registration_date: today, name_first: `Kept${v.size}${v.locale}`, name_last: "Wanjiru", sex: "female" },
        });
        assert.equal(kept.status, 201, JSON.stringify(kept.body));
        await page.goto(`${env.origin}/cases/${id}`);
        await page.locator(".page-header h1", { hasText: first }).waitFor();
        await page.locator("button[data-action=disable]").click();
        await page.locator("[data-testid=disable-dialog] button[data-action=confirm-disable]").click();
        await page.locator("[data-testid=record-disabled] [role=status]").waitFor();
        assert.equal(await page.locator(".page-header code", { hasText: short }).count(), 1, "the short id the manager reads out");
        await rec.step(page, "manager-disabled");

        // The administrator opens "Erase a record" from the menu.
        page = adminSide.page;
        await signInAdmin(page, v.admin);
        await expectDir(page, v.locale);
        await openNav(page, v.size);
        await page.locator('a[href="/admin/erase"]').filter({ visible: true }).first().click();
        await page.locator("[data-testid=erase-ref]").waitFor();
        // An enabled case is refused, said plainly, with nothing of it shown.
        await page.locator("[data-testid=erase-ref]").fill(kept.body.data.short_id);
        await page.locator("button[data-action=find-erasable]").click();
        await page.locator("[data-testid=erase-refused]").waitFor();
        assert.equal(await page.locator("[data-testid=erasable]").count(), 0);
        assert.ok(!(await page.locator("main").textContent()).includes(`Kept${v.size}`), "nothing of the enabled case");
        await rec.step(page, "admin-not-disabled");
        // Typed as read out over the phone: upper case, a hyphen after three characters.
        const typed = `${short.slice(0, 3)}-${short.slice(3)}`.toUpperCase();
        await page.locator("[data-testid=erase-ref]").fill(typed);
        await page.locator("button[data-action=find-erasable]").click();
        const found = page.locator("[data-testid=erasable]");
        await found.waitFor();
        assert.equal(await found.locator("code").textContent(), short);
        assert.match(await found.textContent(), new RegExp(v.manager.replace(/[.@]/g, "\\$&")), "who disabled it");
        const shown = await page.locator("main").textContent();
        assert.ok(!shown.includes(first) && !shown.includes("Wanjiru"), "none of the child's data is shown");
        await rec.step(page, "admin-found");

        await found.locator("button[data-action=erase]").click();
        const dialog = page.locator("[data-testid=erase-dialog]");
        await dialog.waitFor();
        await dialog.locator("[data-testid=erase-reason]").selectOption("erasure_request");
        await dialog.locator("[data-testid=erase-reference]").fill("DPO-2026-E2E");
        await rec.step(page, "admin-confirm");
        await dialog.locator("button[data-action=confirm-erase]").click();
        await page.locator("[data-testid=erased]", { hasText: short }).waitFor();
        assert.equal(await found.count(), 0);
        await rec.step(page, "admin-erased");

        // Gone for its owner: the page says so, the API answers 404, no list has it.
        page = managerSide.page;
        assert.equal((await api(page, "GET", `/api/v2/cases/${id}`)).status, 404);
        for (const state of ["true", "false"]) {
          const list = await api(page, "GET", `/api/v2/cases?query=${first}&record_state=${state}`);
          assert.equal(list.status, 200);
          assert.equal(list.body.metadata.total, 0, `not listed (record_state=${state})`);
        }
        await page.goto(`${env.origin}/cases/${id}`);
        await page.locator("[data-testid=record-gone]").waitFor();
        await rec.step(page, "manager-gone");

        // The audit log shows the erasure and its reason.
        page = adminSide.page;
        await openNav(page, v.size);
        await page.locator('a[href="/admin/audit"]').filter({ visible: true }).first().click();
        const filters = page.locator("form.filters");
        await filters.waitFor();
        await filters.locator("input").nth(1).fill("cases:erase");
        await filters.locator("input").nth(3).fill(id);
        await filters.locator("button[type=submit]").click();
        const reason = page.locator("[data-testid=erase-reason]", { hasText: v.reason }).filter({ visible: true });
        await reason.first().waitFor();
        assert.match(await reason.first().textContent(), /DPO-2026-E2E/);
        await page.locator("td, dd", { hasText: v.lookedUp }).filter({ visible: true }).first().waitFor();
        await rec.step(page, "audit-log");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await managerSide.context.close();
        await adminSide.context.close();
      }
    });
  });
}
