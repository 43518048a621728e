// Session 18's case screens in a real browser against the real stack
// (frontend/browser_test.go, with a real S3 server): a caseworker registers a
// case with two photos chosen on the form before the case exists (a PDF
// named .jpg and a real PNG with a description and a date): after the
// create the PNG is uploaded and listed with its description, the PDF is
// refused at the field by the API with "Try again" kept; while editing, a
// document is uploaded and the save goes through without a conflict (the
// edit moved onto the upload's version); a flag added through the API is
// found from Home's "Flagged" count on the flags screen, filtered by type,
// resolved there and seen under "Resolved"; the matching queue's agency and
// location filters reach the URL and the API (a location the harness
// seeds). Desktop in English, phone in Arabic; axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, api, env, expectDir, openNav, png, scenario, signIn, today, useBrowser, fillDate } from "./helpers.mjs";

const browser = useBrowser();

const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

for (const v of [
  { size: "desktop", locale: "en", caseworker: process.env.CPIMS_TEAM_CASEWORKER_EMAIL },
  { size: "phone", locale: "ar", caseworker: process.env.CPIMS_TEAM_CASEWORKER_AR_EMAIL },
]) {
  scenario(`casefiles ${v.size} ${v.locale}`, () => {
    const name = `${v.size}-${v.locale}`;
    const first = `Zawadi${v.size}${v.locale}`;

    it("files chosen while registering are uploaded after the create, one refused is kept at its field; an upload while editing; flags across records; matching filters", async () => {
      assert.ok(v.caseworker, "CPIMS_TEAM_* are set by the harness");
      const rec = new Recorder(`${name}-casefiles`);
      const { context, page } = await browser.open(v.size);
      try {
        await signIn(page, v.caseworker);
        await expectDir(page, v.locale);

        // Register with two photos chosen before the case exists.
        await page.goto(env.origin + "/cases/new");
        await page.locator("[data-testid=continue-to-form]").click();
        await fillDate(page.locator("#f-registration_date"), today);
        await page.locator("#f-name_first").fill(first);
        await page.locator("#f-name_last").fill("Mwangi");
        await page.locator("#f-sex").selectOption("female");
        await page.locator('[data-section="photos_and_documents"]').click();
        const photos = page.locator('[data-upload="photos"]');
        const chooser = photos.locator("input[type=file]:not([capture])");
        // A type the field does not take is refused at once, before anything is sent.
        await chooser.setInputFiles({ name: "letter.pdf", mimeType: "application/pdf", buffer: pdf });
        await photos.locator('[role=alert].field-error p', { hasText: "letter.pdf" }).waitFor();
        await chooser.setInputFiles([
          { name: "scan.jpg", mimeType: "image/jpeg", buffer: pdf },
          { name: "face.png", mimeType: "image/png", buffer: png() },
        ]);
        const face = photos.locator('[data-pending="face.png"]');
        await face.waitFor();
        await face.locator("input[data-note=description]").fill("Taken at registration");
        await fillDate(face.locator("[data-date-field]"), today);
        assert.equal(await photos.locator("[data-pending]").count(), 2);
        await rec.step(page, "files-chosen-while-registering");
        await page.locator(".form-actions button[type=submit]").click();

        // The case page: the PNG is uploaded and listed with its description; the PDF named .jpg is refused by the API at the field.
        await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
        const id = new URL(page.url()).pathname.split("/").pop();
        const summary = page.locator('[data-testid="upload-summary"]');
        await summary.locator("[role=alert] button").waitFor();
        await summary.locator("[role=alert] button").click();
        const saved = page.locator('[data-upload="photos"]');
        const item = saved.locator('.upload-item[data-attachment="face.png"]');
        await item.waitFor();
        assert.match(await item.textContent(), /Taken at registration/);
        const failed = saved.locator('[data-failed="scan.jpg"]');
        await failed.waitFor();
        assert.match(await failed.textContent(), /application\/pdf/);
        assert.equal(await failed.locator("button").count(), 1, "Dismiss only: the same file would be refused again");
        const listed = (await api(page, "GET", `/api/v2/cases/${id}/attachments`)).body.data;
        assert.deepEqual(
          listed.map((a) => [a.field_name, a.file_name, a.description, a.date]),
          [["photos", "face.png", "Taken at registration", today]],
        );
        await rec.step(page, "uploaded-after-register-one-refused");
        await failed.locator("button").last().click();

        // While editing: a document uploaded, a name changed, saved without a conflict or a merge
        // (no PATCH answered 412: the edit moved onto the upload's version).
        const patches = [];
        page.on("response", (r) => {
          if (r.request().method() === "PATCH" && r.url().endsWith(`/api/v2/cases/${id}`)) patches.push(r.status());
        });
        await page.locator('button[data-action="edit"]').click();
        await page.locator('[data-section="photos_and_documents"]').click();
        const docs = page.locator('[data-upload="other_documents"]');
        await docs.locator("input[type=file]").setInputFiles({ name: "birth.pdf", mimeType: "application/pdf", buffer: pdf });
        await docs.locator('.upload-item[data-attachment="birth.pdf"]').waitFor();
        await rec.step(page, "uploaded-while-editing");
        await page.locator('[data-section="basic_identity"]').click();
        await page.locator("#f-name_middle").fill("Njeri");
        await page.locator(".form-actions button[type=submit]").click();
        await page.locator('button[data-action="edit"]').waitFor();
        const after = (await api(page, "GET", `/api/v2/cases/${id}`)).body.data;
        assert.equal(after.name_middle, "Njeri");
        assert.equal(after.photos.length, 1);
        assert.equal(after.other_documents.length, 1);
        assert.deepEqual(patches, [200]);

        // Flags across records: Home's count leads to the flags screen.
        const shortId = after.short_id;
        const flagged = await api(page, "POST", `/api/v2/cases/${id}/flags`, { data: { message: "Not seen at the distribution", date: today } });
        assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
        await page.goto(env.origin + "/");
        await page.locator('[data-testid="count-flagged"] a').click();
        await page.waitForURL((u) => u.pathname === "/flags");
        await expectDir(page, v.locale);
        const row = page.locator(`li[data-record="${shortId}"][data-flag="active"]`);
        await row.waitFor();
        await page.locator("#flag-type").selectOption("case");
        await page.waitForURL((u) => u.searchParams.get("type") === "case");
        await row.waitFor();
        await rec.step(page, "flags-across-records");
        assert.equal(await row.locator(`a[href="/cases/${id}"]`).count(), 1, "links to the case");
        await row.locator('button[data-action="resolve"]').click();
        await row.locator("button[type=submit]").click();
        await row.locator('textarea[aria-invalid="true"]').waitFor(); // a reason is required
        await row.locator("textarea").fill("Seen on Monday");
        await row.locator("button[type=submit]").click();
        await row.waitFor({ state: "detached" });
        await page.locator("#flag-state").selectOption("resolved");
        const resolved = page.locator(`li[data-record="${shortId}"][data-flag="resolved"]`);
        await resolved.waitFor();
        assert.match(await resolved.textContent(), /Seen on Monday/);
        await rec.step(page, "flag-resolved");
        await openNav(page, v.size);
        assert.equal(await page.locator('nav a[href="/flags"]').count(), 1, "the nav links to the flags");

        // The matching queue's filters: agency (typed, without agencies:read) and location, in the URL.
        await page.goto(env.origin + "/matching");
        await page.locator('[data-testid="match-total"]').waitFor();
        await page.locator("#match-agency").fill("agency-none");
        await page.locator("#match-agency").press("Enter");
        await page.waitForURL((u) => u.searchParams.get("agency") === "agency-none");
        await page.locator('[data-testid="match-total"]').waitFor();
        assert.equal(await page.locator('[data-testid="potential-match"]').count(), 0, "no case of that agency");
        // The location (KE047, seeded by the harness: the queue refuses a code the tenant lacks), through the URL to the API.
        const asked = page.waitForResponse((r) => r.url().includes("/api/v2/potential_matches?") && new URL(r.url()).searchParams.get("location") === "KE047");
        await page.goto(env.origin + "/matching?location=KE047&agency=agency-none");
        assert.equal((await asked).status(), 200);
        await page.locator("#match-location-0").waitFor();
        await page.locator('[data-testid="match-total"]').waitFor();
        await rec.step(page, "matching-filters");
      } catch (err) {
        await rec.failure(page);
        throw err;
      } finally {
        await context.close();
      }
    });
  });
}
