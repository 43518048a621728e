// The administrators' matching page in a real browser against the real stack
// (frontend/browser_test.go; River workers run the re-matching run): with a
// child registered with consent for tracing and a tracing request seeking her
// (through the API, as a caseworker), the administrator re-matches every
// trace, watches the run until it has finished, and reads the parameters it
// estimated: the given name's levels with their weights. At desktop size in
// English and phone size in Arabic; axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, admins, call, caseworkers, env, expectDir, poll, scenario, signIn, signInAdmin, useBrowser, reuseSignIns } from "./helpers.mjs";

const browser = useBrowser();
reuseSignIns();

for (const v of [
  { size: "desktop", locale: "en", first: "Abuk", last: "Chol" },
  { size: "phone", locale: "ar", first: "Ayen", last: "Makuei" },
]) {
  scenario(`matching runs ${v.size} ${v.locale}`, () => {
    it("an administrator re-matches every trace, follows the run and reads the parameters' weights", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-matching-runs`);
      // A child with consent for tracing, and her mother's tracing request.
      const cw = await browser.open(v.size);
      try {
        await signIn(cw.page, caseworkers[v.locale], { from: "/" });
        await call(cw.page, "POST", "/api/v2/cases", {
          data: { name_first: v.first, name_last: v.last, sex: "female", date_of_birth: "2016-05-01", consent_for_tracing: true, registration_date: "2026-01-05" },
        });
        await call(cw.page, "POST", "/api/v2/tracing_requests", {
          data: { inquiry_date: "2026-01-10", relation_name: `Achan ${v.last}`, tracing_request_subform_section: [{ relation: "mother", name_first: v.first, name_last: v.last, sex: "female", age: 9 }] },
        });
      } finally {
        await cw.context.close();
      }

      const { context, page } = await browser.open(v.size, { locale: v.locale });
      try {
        await context.addInitScript((l) => localStorage.setItem("cpims.locale", l), v.locale);
        await signInAdmin(page, admins[v.locale]);
        await page.goto(env.origin + "/admin/matching");
        await page.locator("#matching-runs").waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "runs");

        // Re-match: the run is queued, then followed until it has finished.
        const before = (await call(page, "GET", "/api/v2/matching/runs?per=1")).metadata.total;
        await page.locator(".page-header .actions button").click();
        await page.locator('[role="status"].notice-success').waitFor();
        const run = await poll(async () => {
          const r = await call(page, "GET", "/api/v2/matching/runs?per=1");
          return r.metadata.total > before && r.data[0];
        }, "the new run");
        assert.equal(run.reason, "requested");
        const row = v.size === "phone" ? ".data-cards li" : ".data-table tbody tr";
        // The list follows the run by itself (no reload): its first row ends finished.
        await page.locator(row).filter({ visible: true }).first().locator(".badge-run-succeeded").waitFor({ timeout: 90_000 });
        const finished = (await call(page, "GET", `/api/v2/matching/runs/${run.id}`)).data;
        assert.equal(finished.status, "succeeded");
        assert.ok(finished.parameters_version, "the run estimated parameters");
        await rec.step(page, "run-finished");

        // The parameters in use are read again once the run has finished (no reload): the run's (or a
        // later run's), with the given name's levels and weights.
        const newest = (await call(page, "GET", "/api/v2/matching/parameters?per=1")).data[0];
        assert.ok(newest.version >= finished.parameters_version);
        const version = page.locator("[data-testid=parameters-summary] dd").first();
        await poll(async () => (await version.textContent()).trim() === String(newest.version), "the new parameters shown", 20_000);
        const weights = newest.comparisons.find((c) => c.name === "given_name").levels;
        assert.ok(weights.find((l) => l.level === "exact").weight > 0, "agreement on the given name weighs for");
        const given = page.locator('details[data-comparison="given_name"]');
        await given.locator("summary").click();
        assert.notEqual((await given.locator('tr[data-level="exact"] [data-testid=weight]').textContent()).trim(), "—", "its weight shown");
        assert.equal((await given.locator('tr[data-level="missing"] [data-testid=weight]').textContent()).trim(), "—", "missing weighs nothing");
        assert.equal(await given.locator("tbody tr").last().getAttribute("data-level"), "missing", "strongest first, missing last");
        assert.equal(await given.locator("[data-testid=weight-later]").count(), 0, "the child's own name weighs alike for every child sought");
        await given.scrollIntoViewIfNeeded();
        await rec.step(page, "weights");

        // The request's separation weighs apart for the other children it seeks: a column of its own.
        const later = newest.comparisons.find((c) => c.name === "separation_date").later.find((l) => l.level === "different");
        const date = page.locator('details[data-comparison="separation_date"]');
        await date.locator("summary").click();
        assert.ok(typeof later.weight === "number", "the API gives the later children's weight of a different date");
        assert.notEqual((await date.locator('tr[data-level="different"] [data-testid=weight-later]').textContent()).trim(), "—", "and the page shows it");
        assert.equal(await date.locator("thead th").count(), 5, "a column for the other children sought");
        await date.scrollIntoViewIfNeeded();
        await rec.step(page, "weights-later");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}
