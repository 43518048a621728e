// An incident created from a case in a real browser against the real stack
// (frontend/browser_test.go), at desktop size in English and phone size in
// Arabic: the caseworker opens a case (registered through the API), creates
// an incident from it ("Create an incident from this case", the incident
// form with its required date refused empty, then saved), sees the incident
// link back to its case and the case list the incident. The case and the
// incident stay (named for the variant, owned by the test caseworker, like
// the case scenarios' records): a caseworker may not disable records, and
// closing a CP case needs an approved closure. axe-core on every page.
import { it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Recorder, api, caseworkers, env, expectDir, scenario, signIn, today, useBrowser, fillDate } from "./helpers.mjs";

const browser = useBrowser();

for (const v of [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
]) {
  scenario(`incidents ${v.size} ${v.locale}`, () => {
    it("a caseworker creates an incident from a case and sees them linked both ways", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-incidents`);
      const { context, page } = await browser.open(v.size);
      const caseId = randomUUID();
      try {
        await signIn(page, caseworkers[v.locale]);
        await expectDir(page, v.locale);

        const first = `Incident${v.size}${v.locale}`;
        const created = await api(page, "POST", "/api/v2/cases", {
          data: { id: caseId, module_id: "primeromodule-cp", registration_date: today, name_first: first, name_last: "Achieng", sex: "female" },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));

        await page.goto(`${env.origin}/cases/${caseId}`);
        await page.locator(".page-header h1", { hasText: first }).waitFor();
        assert.equal(await page.locator("[data-testid=case-incidents]").count(), 0, "no incident yet");
        await page.locator("[data-testid=incident-from-case]").click();
        await page.waitForURL((u) => u.pathname === "/incidents/new" && u.searchParams.get("case_id") === caseId);
        const date = page.locator("#f-cp_incident_date");
        await date.waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "incident-form");

        // The incident's date is required: refused before anything is sent, shown at the field.
        await page.locator(".form-actions button[type=submit]").click();
        await page.waitForFunction(() => document.querySelector("#f-cp_incident_date")?.getAttribute("aria-invalid") === "true");
        assert.equal(new URL(page.url()).pathname, "/incidents/new", "nothing registered");
        await rec.step(page, "incident-required");

        await fillDate(date, today);
        await page.locator(".form-actions button[type=submit]").click();
        await page.waitForURL((u) => /^\/incidents\/[0-9a-f-]{36}$/.test(u.pathname));
        const incidentPath = new URL(page.url()).pathname;
        const incidentId = incidentPath.split("/").pop();
        const back = page.locator("[data-testid=incident-case]");
        await back.waitFor();
        await rec.step(page, "incident-view");
        const incident = await api(page, "GET", `/api/v2/incidents/${incidentId}`);
        assert.equal(incident.body.data.case_id, caseId, "the incident is the case's");
        assert.equal(incident.body.data.cp_incident_date, today);

        // Linked both ways: from the incident to its case, and the case lists the incident.
        await back.click();
        await page.waitForURL((u) => u.pathname === `/cases/${caseId}`);
        const listed = page.locator(`[data-testid=case-incidents] a[href="${incidentPath}"]`);
        await listed.waitFor();
        assert.match(await listed.textContent(), new RegExp(incidentId.slice(0, 8)));
        await rec.step(page, "case-with-incident");
        await listed.click();
        await page.waitForURL((u) => u.pathname === incidentPath);
        await page.locator("[data-testid=incident-case]").waitFor();

        // The incidents list shows it.
        await page.goto(env.origin + "/incidents");
        await page.locator(`a[href="${incidentPath}"]:visible`).waitFor();
        await rec.step(page, "incident-list");
      } catch (e) {
        await rec.failure(page);
        throw e;
      } finally {
        await context.close();
      }
    });
  });
}
