// The casework screens in a real browser against the real stack
// (frontend/browser_test.go, with a real S3 server for attachments): a
// caseworker uploads a photo to a case (a file that is not a photo is refused
// at the field first), flags the case, requests the case plan's and the
// closure's approval, adds a note (seen with the caseworker as author); their manager (same user group) opens the queue from
// Home's count and approves both; the caseworker sees "approved", closes the
// case with a reason, reopens it and resolves the flag (the tenant is left as
// found: the case open, no active flag). Desktop in English, phone in Arabic;
// axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, api, env, expectDir, png, scenario, signIn, today, useBrowser, fillDate } from "./helpers.mjs";

const browser = useBrowser();

/** checks is a two-colour pattern of 16-pixel squares for png(). */
const checks = (x, y) => ((Math.floor(x / 16) + Math.floor(y / 16)) % 2 === 0 ? [31, 111, 178] : [250, 200, 60]);

for (const v of [
  { size: "desktop", locale: "en", caseworker: process.env.CPIMS_TEAM_CASEWORKER_EMAIL, manager: process.env.CPIMS_TEAM_MANAGER_EMAIL },
  { size: "phone", locale: "ar", caseworker: process.env.CPIMS_TEAM_CASEWORKER_AR_EMAIL, manager: process.env.CPIMS_TEAM_MANAGER_AR_EMAIL },
]) {
  scenario(`casework ${v.size} ${v.locale}`, () => {
    const name = `${v.size}-${v.locale}`;
    const first = `Baraka${v.size}${v.locale}`;

    it("a caseworker uploads a photo, flags the case and requests approvals; the manager approves from the queue; the case is closed and reopened", async () => {
      assert.ok(v.caseworker && v.manager, "CPIMS_TEAM_* are set by the harness");
      const rec = new Recorder(`${name}-casework`);
      const contexts = [];
      const open = async () => {
        const { context, page } = await browser.open(v.size);
        contexts.push(context);
        return page;
      };
      let page;
      try {
        // The caseworker registers a case (through the API) and opens it.
        const cw = await open();
        page = cw;
        await signIn(cw, v.caseworker);
        await expectDir(cw, v.locale);
        const id = crypto.randomUUID();
        const created = await api(cw, "POST", "/api/v2/cases", {
          data: { id, module_id: "primeromodule-cp", registration_date: today, name_first: first, name_last: "Ochieng", sex: "male" },
        });
        assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
        const shortId = created.body.data.short_id;
        await cw.goto(`${env.origin}/cases/${id}`);
        await cw.locator(".page-header h1", { hasText: first }).waitFor();

        // Photos: a PDF that claims to be a JPEG is refused by the API, shown at the field.
        await cw.locator('[data-section="photos_and_documents"]').click();
        const photos = cw.locator('[data-upload="photos"]');
        await photos.waitFor();
        const chooser = photos.locator('input[type=file]:not([capture])');
        assert.equal(await photos.locator("input[type=file][capture=environment]").count(), 1, "a photo field offers the camera");
        await chooser.setInputFiles({ name: "scan.jpg", mimeType: "image/jpeg", buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n") });
        const refused = photos.locator('[role=alert].field-error');
        await refused.locator("p", { hasText: "scan.jpg" }).waitFor();
        assert.match(await refused.textContent(), /application\/pdf/);
        await rec.step(cw, "photo-refused-at-field");

        // A real photo: uploaded with progress, then listed with its thumbnail (from the storage, under the CSP).
        await refused.locator("button").click();
        await chooser.setInputFiles({ name: "child.png", mimeType: "image/png", buffer: png(96, checks) });
        const item = photos.locator('.upload-item[data-attachment="child.png"]');
        await item.waitFor();
        const thumb = item.locator("img.upload-thumb");
        await thumb.waitFor();
        await cw.waitForFunction((el) => el.complete && el.naturalWidth === 96, await thumb.elementHandle());
        const listed = await api(cw, "GET", `/api/v2/cases/${id}/attachments`);
        assert.deepEqual(listed.body.data.map((a) => [a.field_name, a.file_name, a.content_type]), [["photos", "child.png", "image/png"]]);
        await rec.step(cw, "photo-uploaded");

        // Flags and approvals: flag with a reason and a date; request the case plan's and the closure's approval.
        await cw.locator('[role=tab][data-tab="casework"]').click();
        await cw.locator('button[data-action="flag"]').click();
        const flags = cw.locator('[data-testid="flags"]');
        await flags.locator("button[type=submit]").click();
        await flags.locator('textarea[aria-invalid="true"]').waitFor(); // a reason is required
        await flags.locator("textarea").fill("Missed two school days; check on Friday");
        await fillDate(flags.locator("[data-date-field]"), today);
        await flags.locator("button[type=submit]").click();
        await flags.locator('[data-flag="active"]').waitFor();
        await cw.locator('[data-testid="case-badges"] .badge-flag').waitFor();
        const approvals = cw.locator('[data-testid="approvals"]');
        for (const type of ["case_plan", "closure"]) {
          await approvals.locator("select").selectOption(type);
          await approvals.locator('button[data-action="request-approval"]').click();
          await cw.locator(`[data-testid="case-badges"] [data-approval="${type}"][data-status="requested"]`).waitFor();
        }
        assert.equal(await approvals.locator('button[data-answer="approved"]').count(), 0, "a caseworker does not approve");
        await rec.step(cw, "flagged-and-approvals-requested");

        // A note: the text is required; added through the notes API, listed with the caseworker as author.
        const notes = cw.locator('[data-testid="notes"]');
        await notes.locator('[data-testid="add-note"] button[type=submit]').click();
        await notes.locator('textarea[aria-invalid="true"]').waitFor();
        await notes.locator('input[name="note_subject"]').fill("Home visit");
        await notes.locator('textarea[name="field_notes_subform_fields"]').fill("Met the aunt; the child sleeps at home again");
        await notes.locator('[data-testid="add-note"] button[type=submit]').click();
        const note = notes.locator("li[data-note]", { hasText: "Met the aunt" });
        await note.waitFor();
        assert.match(await note.textContent(), new RegExp(v.caseworker.replace(/[.+]/g, "\\$&")));
        const stored = (await api(cw, "GET", `/api/v2/cases/${id}`)).body.data.notes_section;
        assert.equal(stored.length, 1);
        assert.equal(stored[0].note_created_by, v.caseworker);
        await rec.step(cw, "note-added");

        // The form's notes section shows it read-only, also while editing (a record write may not change notes).
        await cw.locator('[role=tab][data-tab="record"]').click();
        await cw.locator('button[data-action="edit"]').click();
        await cw.locator('[data-section="notes"]').click();
        const notesForm = cw.locator("section.section");
        await notesForm.locator('[data-row]', { hasText: "Met the aunt" }).waitFor();
        assert.equal(await notesForm.locator('[data-add-row="notes_section"]').count(), 0, "notes are not added in the form");
        assert.equal(await notesForm.locator("input, textarea, select").count(), 0, "notes are not edited in the form");
        await rec.step(cw, "notes-read-only-while-editing");
        await cw.locator('button[data-action="cancel-edit"]').click();
        await cw.locator('[role=tab][data-tab="casework"]').click();

        // The manager: Home's count of pending approvals opens the queue; both are approved with a comment.
        const mg = await open();
        page = mg;
        await signIn(mg, v.manager);
        await expectDir(mg, v.locale);
        const count = mg.locator('[data-testid="count-approvals"]');
        await count.waitFor();
        assert.ok(Number((await count.locator("dd").textContent()).replace(/[^\d٠-٩]/g, "").replace(/[٠-٩]/g, (d) => "٠١٢٣٤٥٦٧٨٩".indexOf(d))) >= 2);
        await rec.step(mg, "manager-home");
        await count.locator("a").click();
        await mg.waitForURL(/\/approvals$/);
        for (const type of ["case_plan", "closure"]) {
          const row = mg.locator(`li[data-case="${shortId}"][data-approval="${type}"]`);
          await row.locator('button[data-action="answer"]').click();
          if (type === "case_plan") await rec.step(mg, "manager-queue");
          await row.locator("textarea").fill("Plan agreed with the family");
          await row.locator('button[data-answer="approved"]').click();
          await row.waitFor({ state: "detached" });
        }
        await mg.locator('[role=status].notice-success').waitFor();
        await rec.step(mg, "manager-approved");

        // The caseworker sees both approved, closes the case with a reason, then reopens it.
        page = cw;
        await cw.reload();
        await cw.locator('[data-testid="case-badges"] [data-approval="case_plan"][data-status="approved"]').waitFor();
        await cw.locator('[data-testid="case-badges"] [data-approval="closure"][data-status="approved"]').waitFor();
        await cw.locator('[role=tab][data-tab="casework"]').click();
        const hist = cw.locator('.approval-list li[data-approval="case_plan"][data-status="approved"]');
        assert.match(await hist.textContent(), /Plan agreed with the family/);
        await rec.step(cw, "caseworker-sees-approved");
        await cw.locator('button[data-action="close"]').click();
        const closing = cw.locator('[data-testid="close-reopen"]');
        await closing.locator("textarea").fill("Child reunified with the family");
        await closing.locator("button[type=submit]").click();
        await cw.locator('button[data-action="reopen"]').waitFor();
        assert.equal((await api(cw, "GET", `/api/v2/cases/${id}`)).body.data.status, "closed");
        await rec.step(cw, "case-closed");
        await cw.locator('button[data-action="reopen"]').click();
        await closing.locator("textarea").fill("The family moved again");
        await closing.locator("button[type=submit]").click();
        await cw.locator('button[data-action="close"]').waitFor();
        assert.equal((await api(cw, "GET", `/api/v2/cases/${id}`)).body.data.status, "open");

        // Leave the tenant as found: the flag resolved.
        await flags.locator('[data-flag="active"] button').click();
        await flags.locator("textarea").fill("Back at school");
        await flags.locator("button[type=submit]").click();
        await flags.locator('[data-flag="resolved"]').waitFor();
        await cw.locator('[data-testid="case-badges"] .badge-flag').waitFor({ state: "detached" }); // once the case is read again
        await rec.step(cw, "reopened-flag-resolved");
      } catch (err) {
        if (page) await rec.failure(page);
        throw err;
      } finally {
        for (const c of contexts) await c.close();
      }
    });
  });
}
