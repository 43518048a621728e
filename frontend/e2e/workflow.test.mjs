// The workflow screens in a real browser against the real stack
// (frontend/browser_test.go): an administrator allows agency-save to refer
// cases to agency-unicef on the sharing protocol screen and makes a narrow
// access role; caseworker A (SAVE) refers a case with consent to caseworker B
// (UNICEF) through that role (a wrong role refused at its field first; a
// transfer refused by the protocol); B signs in, sees the pending referral,
// accepts it, reads only the access role's forms, marks it done and loses
// access. At phone and desktop size, in English and Arabic (the two
// variants of a language share its users); axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, admins, api, env, expectDir, scenario, signIn, signInAdmin, today, useBrowser, reuseSignIns } from "./helpers.mjs";

const receiverEmail = process.env.CPIMS_RECEIVER_EMAIL;
const receiverArEmail = process.env.CPIMS_RECEIVER_AR_EMAIL;

const browser = useBrowser();
reuseSignIns(); // a person signed in by one variant is signed in by the next with the same session (helpers.mjs)

for (const v of [
  { size: "desktop", locale: "en", sender: env.caseworkerEmail, receiver: receiverEmail },
  { size: "phone", locale: "ar", sender: env.caseworkerArEmail, receiver: receiverArEmail },
  { size: "phone", locale: "en", sender: env.caseworkerEmail, receiver: receiverEmail },
  { size: "desktop", locale: "ar", sender: env.caseworkerArEmail, receiver: receiverArEmail },
]) {
  scenario(`workflow ${v.size} ${v.locale}`, () => {
    const name = `${v.size}-${v.locale}`;
    const role = `role-referral-${v.size}-${v.locale}`;
    const first = `Zawadi${v.size}${v.locale}`;

    it("A refers a case to B of another agency; B accepts, reads the access role's forms, marks it done and loses access", async () => {
      assert.ok(v.receiver, "CPIMS_RECEIVER_EMAIL is set by the harness");
      const rec = new Recorder(`${name}-workflow`);
      const contexts = [];
      const open = async () => {
        const { context, page } = await browser.open(v.size);
        contexts.push(context);
        return page;
      };
      let page;
      try {
        // The administrator: the protocol row (through its screen) and a narrow access role.
        page = await open();
        await signInAdmin(page, admins[v.locale]);
        await page.goto(env.origin + "/admin/sharing-protocol");
        const cell = page.locator('fieldset[data-from="agency-save"] fieldset[data-to="agency-unicef"] input[data-kind="referral"]');
        await cell.waitFor();
        await expectDir(page, v.locale);
        if (!(await cell.isChecked())) await cell.check();
        assert.equal(await page.locator('fieldset[data-from="agency-save"] fieldset[data-to="agency-unicef"] input[data-kind="transfer"]').isChecked(), false);
        await page.locator("form button[type=submit]").click();
        await page.locator('[role=status].notice-success').waitFor();
        await rec.step(page, "admin-sharing-protocol");
        const protocol = await api(page, "GET", "/api/v2/sharing_protocol");
        assert.deepEqual(
          protocol.body.data.filter((r) => r.from_agency === "agency-save"),
          [{ from_agency: "agency-save", to_agency: "agency-unicef", referral: true, transfer: false }],
        );
        const made = await api(page, "POST", "/api/v2/roles", {
          unique_id: role, name: { en: "Referral: identity only" }, permissions: ["cases:read"], record_scope: "own", form_access: { basic_identity: "r" },
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));

        // Caseworker A (SAVE) registers a case whose consent form says "share with other organisations".
        page = await open();
        await signIn(page, v.sender);
        await expectDir(page, v.locale);
        const id = crypto.randomUUID();
        const created = await api(page, "POST", "/api/v2/cases", {
          data: { id, module_id: "primeromodule-cp", registration_date: today, name_first: first, name_last: "Mwangi", sex: "female", disclosure_other_orgs: true },
        });
        assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
        await page.goto(`${env.origin}/cases/${id}`);
        await page.locator(".page-header h1", { hasText: first }).waitFor();
        await page.locator('button[data-action="referral"]').waitFor();
        assert.equal(await page.locator('button[data-action="assign"]').count(), 0, "a caseworker may not assign");
        assert.equal(await page.locator('button[data-action="transfer_request"]').count(), 0, "the owner does not request a transfer");
        await rec.step(page, "case-actions");

        // Refer: the consent state is shown; referring to oneself is refused at the receiver's field;
        // the access role is chosen from the roles a referral may grant.
        await page.locator('button[data-action="referral"]').click();
        const form = page.locator(".transition-form");
        await form.locator('[data-consent="given"]').waitFor();
        await form.locator('[name="transitioned_to"]').fill(v.sender);
        await form.locator('select[name="authorized_role_unique_id"]').selectOption(role);
        await form.locator('[name="service"]').selectOption({ index: 1 });
        await form.locator('[name="notes"]').fill("Needs a health check this week");
        await form.locator("button[type=submit]").click();
        await form.locator('[name="transitioned_to"][aria-invalid="true"]').waitFor();
        await rec.step(page, "refer-refused-at-field");
        await form.locator('[name="transitioned_to"]').fill(v.receiver);
        await form.locator("button[type=submit]").click();
        const sent = page.locator('.transition[data-transition="referral"][data-status="in_progress"]');
        await sent.waitFor();
        assert.equal(await sent.locator('button[data-answer="revoked"]').count(), 1, "the sender may revoke");
        assert.equal(await sent.locator('button[data-answer="accepted"]').count(), 0, "the sender does not accept");
        assert.match(await sent.textContent(), /Referral: identity only/, "the access role by its name (English: the only name it has), not its id");
        assert.doesNotMatch(await sent.textContent(), new RegExp(role));
        await rec.step(page, "referral-sent");

        // A transfer to the same agency is not in the protocol: the API's refusal is shown.
        await page.locator('[role=tab]').first().click();
        await page.locator('button[data-action="transfer"]').click();
        await form.locator('[name="transitioned_to"]').fill(v.receiver);
        await form.locator("button[type=submit]").click();
        const refusal = form.locator('[role=alert].notice-error');
        await refusal.waitFor();
        // The server words the refusal in the caseworker's language (docs/errors.md).
        const protocolRefusal = {
          en: /does not allow agency-save to transfer cases to agency-unicef/,
          ar: /لا يسمح بروتوكول تبادل المعلومات لـ agency-save بنقل الحالات إلى agency-unicef/,
        }[v.locale];
        assert.match(await refusal.textContent(), protocolRefusal);
        await rec.step(page, "transfer-refused-by-protocol");

        // Caseworker B (UNICEF) opens the case (the notification's link), sees the referral, accepts.
        page = await open();
        await signIn(page, v.receiver);
        await page.goto(`${env.origin}/cases/${id}`);
        await page.locator(".page-header h1", { hasText: first }).waitFor();
        await expectDir(page, v.locale);
        await page.locator('[data-testid="awaiting"]').waitFor();
        await page.locator('[data-testid="via-referral"]').waitFor();
        await rec.step(page, "receiver-sees-referral");
        await page.locator('[role=tab][data-tab="transitions"]').click();
        const mine = page.locator('.transition[data-transition="referral"]');
        await mine.locator('button[data-answer="accepted"]').click();
        await page.locator('.transition[data-transition="referral"][data-status="accepted"]').waitFor();
        await rec.step(page, "receiver-accepted");

        // Only the access role's forms: identity, not consent; no edit.
        await page.locator('[role=tab]').first().click();
        await page.locator('[data-section="basic_identity"]').waitFor();
        assert.equal(await page.locator('[data-section="consent"]').count(), 0, "the consent form is not the access role's");
        await page.locator(".field-readonly", { hasText: first }).first().waitFor();
        assert.equal(await page.locator(".page-header .actions button.button").count(), 0, "no edit through a referral");
        await rec.step(page, "receiver-reads-shared-forms");

        // Done: access ends.
        await page.locator('[role=tab][data-tab="transitions"]').click();
        await page.locator('.transition[data-transition="referral"] button[data-answer="done"]').click();
        await page.locator('[data-testid="record-gone"]').waitFor();
        assert.equal((await api(page, "GET", `/api/v2/cases/${id}`)).status, 404, "the receiver lost access");
        await rec.step(page, "receiver-lost-access");
      } catch (err) {
        if (page) await rec.failure(page);
        throw err;
      } finally {
        for (const c of contexts) await c.close();
      }
    });
  });
}
