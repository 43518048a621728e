// The caseworker's Home page in a real browser against the real stack
// (frontend/browser_test.go): overdue and upcoming tasks, alerts and the
// dashboard counts, in English on a desktop and in Arabic on a phone;
// screenshots of each, axe-core on each. When the caseworker has open cases
// (registered by cases.test.mjs, without an assessment), each has an
// upcoming assessment task linking to the case.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, caseworkers, expectDir, scenario, signIn, useBrowser } from "./helpers.mjs";

const browser = useBrowser();

for (const v of [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
]) {
  scenario(`home ${v.size} ${v.locale}`, () => {
    it("shows my tasks, alerts and counts, and a task opens its case", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-home`);
      const { context, page } = await browser.open(v.size);
      try {
        await signIn(page, caseworkers[v.locale], { from: "/" });
        await expectDir(page, v.locale);
        for (const id of ["tasks-overdue", "tasks-upcoming", "alerts", "counts"]) {
          await page.locator(`[data-testid=${id}] h2`).waitFor();
        }
        await page.locator("[data-testid=count-open] dd").waitFor();
        await page.waitForFunction(() => !document.querySelector(".home-grid [role=status]"));
        const open = Number(await page.locator("[data-testid=count-open] dd").textContent());
        assert.ok(Number.isInteger(open) && open >= 0, "the open cases count is a number");
        const links = page.locator("[data-testid=tasks-upcoming] a[href^='/cases/']");
        if (open > 0) {
          assert.ok((await links.count()) > 0, "an open case without an assessment has an upcoming assessment task");
        } else {
          assert.equal(await links.count(), 0);
        }
        if (v.size === "phone") {
          const widths = await page.locator(".home-grid > section").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
          assert.ok(widths.every((w) => w > 300), `cards take the phone's width: ${widths}`);
        }
        await rec.step(page, "home");
        if (open > 0) {
          await links.first().click();
          await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
          await page.locator(".page-header h1").waitFor();
          await rec.step(page, "task-case");
        }
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}
