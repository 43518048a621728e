// The caseworker's case screens in a real browser against the real stack
// (frontend/browser_test.go): register a case with a family member (a
// subform row) and a field revealed by a display condition, see the API's
// 422 at the field, find the case in the list, edit it; two browser contexts
// edit the same case and the second resolves the conflict. At phone and
// desktop size, in English and Arabic; axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, caseworkers, env, expectDir, openNav, scenario, signIn, today, useBrowser, fillDate, reuseSignIns } from "./helpers.mjs";

const browser = useBrowser();
reuseSignIns(); // a person signed in by one variant is signed in by the next with the same session (helpers.mjs)

const variants = [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
  { size: "phone", locale: "en" },
  { size: "desktop", locale: "ar" },
];

/** signIn starts on the case list; in Arabic from an Arabic sign-in page (the app speaks the account's language after sign-in). */
const signInAs = (page, locale) => signIn(page, caseworkers[locale], { from: "/cases", language: locale === "ar" ? "ar" : undefined });

for (const v of variants) {
  scenario(`cases ${v.size} ${v.locale}`, () => {
    const name = `${v.size}-${v.locale}`;
    const first = `Amani${v.size}${v.locale}`;

    it("a caseworker registers a case with a family member and a revealed field, sees it in the list, edits it; a concurrent edit shows the conflict", async () => {
      const rec = new Recorder(`${name}-cases`);
      const { context, page } = await browser.open(v.size);
      let other;
      try {
        await signInAs(page, v.locale);
        await expectDir(page, v.locale);
        await openNav(page, v.size);
        assert.equal(await page.locator('nav a[href="/cases"]').count(), 1, "a caseworker sees Cases");
        await page.locator('nav a[href="/cases"]').click();
        await page.waitForURL((u) => u.pathname === "/cases");
        await page.locator("[data-testid=case-total]").waitFor();
        await rec.step(page, "case-list");

        // Register: the form from the tenant's configuration.
        await page.locator('a[href="/cases/new"]').first().click();
        // The duplicate check comes first (e2e/matching.test.mjs tests it): straight on to the form.
        await page.locator("[data-testid=continue-to-form]").click();
        await page.locator("#f-registration_date").waitFor();
        await expectDir(page, v.locale);
        await fillDate(page.locator("#f-registration_date"), today);
        await page.locator("#f-name_first").fill(first);
        await page.locator("#f-name_last").fill("Odera");
        await page.locator("#f-sex").selectOption("female");
        // other_id_no shows only once other_id_type has a value.
        assert.equal(await page.locator("#f-other_id_no").count(), 0, "other_id_no is hidden until an ID type is chosen");
        await page.locator("#f-other_id_type").selectOption("birth_certificate");
        await page.locator("#f-other_id_no").fill("BC-778899");
        // The API refuses a date of birth in the future (not_future_date): shown at the field.
        await fillDate(page.locator("#f-date_of_birth"), "2999-01-01");
        await rec.step(page, "register-identity");

        await page.locator('[data-section="family_details"]').click();
        await page.locator('[data-add-row="family_details_section"]').click();
        const row = page.locator("#f-family_details_section .subform-row").first();
        await row.locator("select").first().selectOption("mother");
        await row.locator('input[type="text"]').first().fill("Grace Odera");
        await rec.step(page, "register-family");

        await page.locator(".form-actions button[type=submit]").click();
        const dob = page.locator("#f-date_of_birth");
        await dob.waitFor();
        await page.waitForFunction(() => document.querySelector("#f-date_of_birth")?.getAttribute("aria-invalid") === "true");
        const described = await dob.getAttribute("aria-describedby");
        assert.ok(described, "the error is tied to the input");
        assert.match(await page.locator(`#${described.split(" ").pop()}`).textContent(), /\S/);
        assert.equal(new URL(page.url()).pathname, "/cases/new", "nothing registered");
        await rec.step(page, "register-422");

        await dob.fill("");
        await page.locator(".form-actions button[type=submit]").click();
        await page.waitForURL((u) => /^\/cases\/[0-9a-f-]{36}$/.test(u.pathname));
        const caseURL = page.url();
        await page.locator(".page-header h1", { hasText: first }).waitFor();
        await rec.step(page, "case-view");
        // The revealed field and the family member were saved.
        await page.locator('[data-section="family_details"]').click();
        await page.locator(".subform-row", { hasText: "Grace Odera" }).waitFor();

        // The list shows it.
        await page.goto(env.origin + "/cases");
        const link = page.locator(`a[href="${new URL(caseURL).pathname}"]:visible`);
        await link.waitFor();
        await rec.step(page, "case-list-with-case");
        await link.click();
        await page.waitForURL(caseURL);

        // Edit it.
        await page.locator(".page-header .actions button.button").click();
        await page.locator("#f-name_middle").fill("Wanjiru");
        await page.locator(".form-actions button[type=submit]").click();
        await page.locator('[role=status].notice-success').waitFor();
        await page.locator(".field-readonly", { hasText: "Wanjiru" }).waitFor();
        await rec.step(page, "edited");

        // Two contexts edit the same case: the second sees the conflict and resolves it.
        const second = await browser.open(v.size, { storageState: await context.storageState() });
        other = second.context;
        const page2 = second.page;
        await page2.goto(caseURL);
        await page.locator(".page-header .actions button.button").click();
        await page2.locator(".page-header .actions button.button").click();
        await page.locator("#f-name_nickname").fill("Ama");
        await page2.locator("#f-name_nickname").fill("Nini");
        await page.locator(".form-actions button[type=submit]").click();
        await page.locator('[role=status].notice-success').waitFor();
        await page2.locator(".form-actions button[type=submit]").click();
        const conflicts = page2.locator("[data-testid=conflicts]");
        await conflicts.waitFor();
        const c = conflicts.locator('fieldset[data-path="name_nickname"]');
        assert.equal((await c.locator("[data-testid=theirs]").textContent()).trim(), "Ama");
        assert.equal((await c.locator("[data-testid=yours]").textContent()).trim(), "Nini");
        await expectDir(page2, v.locale);
        await rec.step(page2, "conflict");
        await c.locator('input[id$="-yours"]').check();
        await conflicts.locator("button").click();
        await page2.locator('[role=status].notice-success').waitFor();
        await page2.locator(".field-readonly", { hasText: "Nini" }).waitFor();
        await rec.step(page2, "conflict-resolved");

        // The change history lists the edits.
        await page2.locator('[role=tab][data-tab="history"]').click();
        await page2.locator(".history-list li").nth(2).waitFor();
        await rec.step(page2, "history");
      } catch (err) {
        await rec.failure(page);
        throw err;
      } finally {
        await other?.close();
        await context.close();
      }
    });
    if (v.size === "desktop") {
      it("a caseworker registers a tracing request with a child sought and finds it in the list", async () => {
        const rec = new Recorder(`${name}-tracing`);
        const { context, page } = await browser.open(v.size);
        try {
          await signInAs(page, v.locale);
          await page.goto(env.origin + "/tracing-requests");
          await page.locator('a[href="/tracing-requests/new"]').first().click();
          // Required fields are checked before sending, and shown at the field.
          await page.locator("#f-inquiry_date").waitFor();
          await page.locator(".form-actions button[type=submit]").click();
          await page.waitForFunction(() => document.querySelector("#f-relation_name")?.getAttribute("aria-invalid") === "true");
          await rec.step(page, "tracing-required");
          await fillDate(page.locator("#f-inquiry_date"), today);
          await page.locator("#f-relation_name").fill(`Halima ${name}`);
          await page.locator('[data-section="children_sought"]').click();
          await page.locator('[data-add-row="tracing_request_subform_section"]').click();
          await page.locator("#f-tracing_request_subform_section .subform-row input[type=text]").first().fill("Yusuf");
          await rec.step(page, "tracing-child-sought");
          await page.locator(".form-actions button[type=submit]").click();
          await page.waitForURL((u) => /^\/tracing-requests\/[0-9a-f-]{36}$/.test(u.pathname));
          const path = new URL(page.url()).pathname;
          await page.locator(".page-header h1", { hasText: `Halima ${name}` }).waitFor();
          await page.goto(env.origin + "/tracing-requests");
          await page.locator(`a[href="${path}"]:visible`).waitFor();
          await expectDir(page, v.locale);
          await rec.step(page, "tracing-list");
        } catch (err) {
          await rec.failure(page);
          throw err;
        } finally {
          await context.close();
        }
      });
    }
  });
}
