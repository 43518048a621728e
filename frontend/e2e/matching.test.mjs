// Matching review and the duplicate check in a real browser against the real
// stack (frontend/browser_test.go, River workers run the matching jobs): a
// case with consent for tracing and a tracing request seeking that child are
// registered through the API; the caseworker finds the potential match in the
// queue, compares it side by side and confirms it with a note, then sees it
// confirmed on the case; registering another case, the duplicate check lists
// the first one with its reasons. At phone and desktop size, in English and
// Arabic (a child of their own in each variant); axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, call, caseworkers, env, expectDir, poll, scenario, signIn, useBrowser, reuseSignIns } from "./helpers.mjs";

const browser = useBrowser();
reuseSignIns(); // a person signed in by one variant is signed in by the next with the same session (helpers.mjs)

const variants = [
  { size: "desktop", locale: "en", first: "Nyaboth", middle: "Gatluak", last: "Deng" },
  { size: "phone", locale: "ar", first: "Achol", middle: "Majok", last: "Garang" },
  { size: "phone", locale: "en", first: "Adut", middle: "Nyibol", last: "Malual" },
  { size: "desktop", locale: "ar", first: "Akuol", middle: "Ajak", last: "Bol" },
];

for (const v of variants) {
  scenario(`matching ${v.size} ${v.locale}`, () => {
    it("a caseworker confirms a potential match after comparing it, and sees a likely duplicate before registering", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-matching`);
      const { context, page } = await browser.open(v.size);
      try {
        await signIn(page, caseworkers[v.locale], { from: "/matching" });
        await expectDir(page, v.locale);

        // A registered child with consent for tracing, and a mother's tracing request seeking her.
        const kase = (
          await call(page, "POST", "/api/v2/cases", {
            data: { name_first: v.first, name_middle: v.middle, name_last: v.last, sex: "female", date_of_birth: "2017-03-02", consent_for_tracing: true, registration_date: "2026-01-05" },
          })
        ).data;
        await call(page, "POST", "/api/v2/tracing_requests", {
          data: {
            inquiry_date: "2026-01-10",
            relation_name: `Nyandeng ${v.last}`,
            tracing_request_subform_section: [{ relation: "mother", name_first: v.first, name_middle: v.middle, name_last: v.last, sex: "female", age: 8 }],
          },
        });
        // The matching job (River) finds the pair.
        await poll(async () => (await call(page, "GET", `/api/v2/cases/${kase.id}/potential_matches`)).data?.length, "the potential match");

        // The queue: pending matches, most probable first.
        await page.goto(env.origin + "/matching");
        const card = page.locator("[data-testid=potential-match]", { hasText: kase.short_id });
        await card.waitFor();
        await expectDir(page, v.locale);
        assert.match(await card.locator(".match-percent").textContent(), /%/, "the probability reads as a percentage");
        await rec.step(page, "queue");

        // Side by side: the given name compared, the name on both sides, the level in words.
        await card.getByRole("button", { expanded: false }).click();
        const table = card.locator(".comparison-table");
        await table.waitFor();
        const given = table.locator('tbody tr[data-comparison="given_name"]');
        assert.equal(await given.locator("td").nth(0).locator("[dir=auto]").first().textContent(), v.first, "the case's given name");
        assert.equal(await given.locator("td").nth(1).locator("[dir=auto]").first().textContent(), v.first, "the trace's given name");
        assert.ok((await given.locator(".level").textContent()).trim().length > 0);
        await rec.step(page, "compare");

        // Confirm with a note.
        const note = `${v.size} ${v.locale}: same mother, same camp`;
        await card.locator("textarea").fill(note);
        const reviewed = page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().includes("/api/v2/potential_matches/"));
        await card.locator(".match-decision .actions .button").first().click();
        assert.equal((await reviewed).status(), 200);

        // The case shows the match confirmed, with the note.
        await page.goto(env.origin + `/cases/${kase.id}`);
        await page.locator('[role=tab][data-tab="matches"]').click();
        const confirmed = page.locator("[data-testid=potential-match]").first();
        await confirmed.locator(".badge-status-confirmed").waitFor();
        await confirmed.getByRole("button", { expanded: false }).click();
        await confirmed.locator(".notice", { hasText: note }).waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "case-match-confirmed");

        // Register: the duplicate check lists the case, with why, before the form.
        await page.goto(env.origin + "/cases/new");
        await page.locator("#dup-title").waitFor();
        await page.locator("#f-name_first").fill(v.first);
        await page.locator("#f-name_last").fill(v.last);
        await page.locator("#f-sex").selectOption("female");
        await page.locator("[data-testid=check-duplicates]").click();
        const dup = page.locator("[data-testid=duplicate]", { hasText: kase.short_id });
        await dup.waitFor();
        assert.ok((await dup.locator(".reasons li").count()) >= 2, "the reasons are listed");
        assert.equal(await dup.locator(`a[href="/cases/${kase.id}"]`).count(), 1, "a link to the case");
        await expectDir(page, v.locale);
        await rec.step(page, "duplicates");
        // Continue: the form opens with what was typed.
        await page.locator("[data-testid=continue-to-form]").click();
        await page.locator("#f-registration_date").waitFor();
        assert.equal(await page.locator("#f-name_first").inputValue(), v.first);
        await rec.step(page, "form-after-check");
      } catch (err) {
        await rec.failure(page);
        throw err;
      } finally {
        await context.close();
      }
    });
  });
}
