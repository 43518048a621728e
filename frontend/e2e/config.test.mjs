// The configuration screens in a real browser against the real stack (see
// frontend/browser_test.go), at phone and desktop size in English and Arabic:
// a location added, then a CSV import followed to its per-row report;
// the administrators' role given write access to a form through the form
// access checklist; a field added to a form with a display condition (first
// refused at the field, then saved) and seen through POST /api/v2/forms/validate;
// a lookup value added, then disabled; the configuration exported and a
// changed copy imported through its dry-run diff.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Recorder, admins, env, expectDir, scenario, signInAdmin, useBrowser, viewports, reuseSignIns } from "./helpers.mjs";

const browser = useBrowser();
reuseSignIns(); // a person signed in by one variant is signed in by the next with the same session (helpers.mjs)

/** api calls the tenant API from the page, with its session cookie. */
function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, { method, headers: { "Content-Type": "application/json", Accept: "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    { method, path, body },
  );
}

for (const v of [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
  { size: "phone", locale: "en" },
  { size: "desktop", locale: "ar" },
]) {
  scenario(`configuration screens, ${v.size} ${v.locale}`, () => {
    const suffix = `${v.size}${v.locale}${Date.now() % 100000}`;
    const rows = v.size === "phone" ? ".data-cards li" : ".data-table tbody tr";
    let context;
    let page;
    let rec;
    before(async () => {
      rec = new Recorder(`${v.size}-${v.locale}-configuration`);
      context = await browser.newContext({ viewport: viewports[v.size], locale: v.locale, acceptDownloads: true });
      await context.addInitScript((l) => localStorage.setItem("cpims.locale", l), v.locale);
      page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await signInAdmin(page, admins[v.locale]);
      await expectDir(page, v.locale);
    });
    after(async () => {
      await context?.close();
    });
    /** step fails with a screenshot of the page as it was. */
    const step = (name, fn) =>
      it(name, async () => {
        try {
          await fn();
        } catch (e) {
          await rec.failure(page);
          throw e;
        }
      });
    const done = () => page.locator('[role="status"].notice-success');

    step("a location is added, then a CSV import runs to its per-row report", async () => {
      const country = `T${suffix}`.toUpperCase();
      await page.goto(env.origin + "/admin/locations");
      await page.locator(".page-header button.button").click();
      await page.locator('section.card input[name="code"]').fill(country);
      await page.locator('section.card input[name="name.en"]').fill(`Testland ${suffix}`);
      await page.locator('section.card input[name="name.ar"]').fill("أرض الاختبار");
      await page.locator('section.card input[name="type"]').fill("country");
      await rec.step(page, "location-new");
      await page.locator('section.card button[type="submit"]').click();
      await done().waitFor();
      await page.locator(`a[href="/admin/locations?at=${country}"]`).filter({ visible: true }).first().click();
      await page.locator("[data-testid=location-facts]").waitFor();
      assert.equal(await page.locator("[data-testid=location-facts] code").textContent(), country);
      await rec.step(page, "location-open");

      await page.goto(env.origin + "/admin/locations/import");
      const csv = [
        "code,parent_code,admin_level,type,name,name_ar",
        `${country}01,${country},1,region,Region One,المنطقة الأولى`,
        `${country}0101,${country}01,2,district,District A,المقاطعة أ`,
        `${country}02,NOWHERE${suffix},1,region,Lost region,`,
        `bad-code,${country},1,region,Bad code,`,
        `${country}0201,${country}02,2,district,Lost district,`,
      ].join("\n");
      await page.locator('input[type="file"]').setInputFiles({ name: `regions-${suffix}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
      await rec.step(page, "import-chosen");
      await page.locator('form button[type="submit"]').click();
      await page.waitForURL(/\/admin\/locations\/imports\/[0-9a-f-]{36}/);
      await page.locator('section[data-status="succeeded"]').waitFor({ timeout: 60_000 });
      await page.locator("[data-testid=import-summary]").waitFor();
      await expectDir(page, v.locale);
      await rec.step(page, "import-report");
      await page.locator('button[data-outcome="invalid"]').click();
      await page.waitForURL(/outcome=invalid/);
      await page.locator('button[data-outcome="invalid"][aria-pressed="true"]').waitFor();
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 3, rows);
      const reasons = await page.locator(rows).allTextContents();
      assert.ok(reasons.some((r) => r.includes(`NOWHERE${suffix}`)), `the unknown parent is the reason: ${reasons}`);
      assert.ok(reasons.some((r) => r.includes("bad-code")), `the bad code is listed: ${reasons}`);
      // The district refused for its parent says the parent's own problem too, whole in the page's language.
      const lost = reasons.find((r) => r.includes(`${country}0201`)) ?? "";
      const cause =
        v.locale === "ar"
          ? `الموقع الأصل \u2068${country}02\u2069 غير صالح (الصف \u20684\u2069): لا يوجد موقع برمز الأصل \u2068NOWHERE${suffix}\u2069.`
          : `The parent \u2068${country}02\u2069 is not valid (row \u20684\u2069): No location has the parent code \u2068NOWHERE${suffix}\u2069.`;
      assert.ok(lost.includes(cause), `the parent's problem is said: ${lost}`);
      await rec.step(page, "import-invalid-rows");
      const child = await api(page, "GET", `/api/v2/locations/${country}0101`);
      assert.equal(child.status, 200);
      assert.deepEqual(child.body.data.hierarchy, [country, `${country}01`, `${country}0101`]);
    });

    step("the form access checklist gives the administrators' role write access to basic identity", async () => {
      const roles = await api(page, "GET", "/api/v2/roles");
      const admin = roles.body.data.find((r) => r.unique_id === "role-system-administrator");
      await page.goto(env.origin + `/admin/roles/${admin.id}`);
      const rw = page.locator('[data-form="basic_identity"] input[type="radio"][value="rw"]');
      await rw.waitFor();
      assert.equal(await page.locator('[data-form="basic_identity"] input[value=""]').isChecked(), !admin.form_access?.basic_identity);
      await rw.check();
      await rec.step(page, "role-form-access");
      await page.locator('form button[type="submit"]').last().click();
      await done().waitFor();
      const after = await api(page, "GET", "/api/v2/roles");
      assert.equal(after.body.data.find((r) => r.unique_id === "role-system-administrator").form_access.basic_identity, "rw");
    });

    step("a field with a display condition is refused at the field, then saved and seen by validation", async () => {
      const field = `pregnancy_${suffix}`;
      await page.goto(env.origin + "/admin/forms");
      await page.locator('a[href="/admin/forms/basic_identity"]').waitFor();
      await expectDir(page, v.locale);
      await rec.step(page, "forms");
      await page.locator('a[href="/admin/forms/basic_identity"]').click();
      await page.locator('[data-field="sex"]').waitFor();
      await page.locator("[data-testid=add-field]").click();
      const editor = page.locator("[data-testid=field-editor]");
      await editor.locator('input[name="name"]').fill(field);
      await editor.locator('input[name="display_name.en"]').fill("Pregnancy details");
      await editor.locator('input[name="display_name.ar"]').fill("تفاصيل الحمل");
      await editor.locator('input[name="required"]').check();
      await editor.locator("[data-testid=add-condition]").click();
      await editor.locator('select[name="display_conditions.0.field"]').selectOption("sex");
      await editor.locator('input[name="display_conditions.0.value"]').fill("femal"); // not an option of lookup-sex
      await page.locator('form.form-editor button[type="submit"]').click();
      const problem = editor.locator("[data-testid=condition-builder] .field-error");
      await problem.waitFor();
      assert.equal(await page.locator(`[data-field="${field}"].has-problem`).count(), 1);
      await rec.step(page, "field-refused-at-its-condition");

      await editor.locator('input[name="display_conditions.0.value"]').fill("female");
      await page.locator('form.form-editor button[type="submit"]').click();
      await done().waitFor();
      assert.equal(await page.locator(".has-problem").count(), 0);
      await rec.step(page, "field-saved");

      const form = await api(page, "GET", "/api/v2/forms/basic_identity");
      const saved = form.body.data.fields.find((f) => f.name === field);
      assert.deepEqual(saved, { name: field, type: "text_field", display_name: { en: "Pregnancy details", ar: "تفاصيل الحمل" }, required: true, display_conditions: { eq: { sex: "female" } } });
      const validate = (data) => api(page, "POST", "/api/v2/forms/validate", { record_type: "case", module_id: "primeromodule-cp", data });
      const female = await validate({ sex: "female" });
      assert.equal(female.status, 200);
      assert.ok(female.body.data.errors.some((e) => e.location === `body.data.${field}`), `required when the condition holds: ${JSON.stringify(female.body.data.errors)}`);
      const male = await validate({ sex: "male" });
      assert.ok(!male.body.data.errors?.some((e) => e.location === `body.data.${field}`), "not required when it does not");
      const hidden = await validate({ sex: "male", [field]: "x" });
      assert.ok(hidden.body.data.errors.some((e) => e.location === `body.data.${field}`), "not writable when hidden");

      // Leave the tenant as found: no record holds the field, so it may be removed again, and the
      // scenarios after this one register cases without it.
      const removed = await api(page, "PATCH", "/api/v2/forms/basic_identity", { fields: form.body.data.fields.filter((f) => f.name !== field) });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.ok(!removed.body.data.fields.some((f) => f.name === field));
    });

    step("a lookup value is added, then disabled", async () => {
      const id = `other_${suffix}`;
      await page.goto(env.origin + "/admin/lookups");
      await page.locator('a[href="/admin/lookups/lookup-sex"]').filter({ visible: true }).click();
      await page.locator('[data-option="female"]').waitFor();
      await page.locator("[data-testid=values-add]").click();
      const row = page.locator(".option-row").last();
      await row.locator('input[name$=".id"]').fill(id);
      await row.locator('input[name$=".display_text.en"]').fill("Prefers not to say");
      await row.locator('input[name$=".display_text.ar"]').fill("يفضّل عدم القول");
      await page.locator('form button[type="submit"]').click();
      await done().waitFor();
      await rec.step(page, "lookup-value-added");
      await page.locator(`[data-option="${id}"] input[name$=".disabled"]`).check();
      await page.locator('form button[type="submit"]').click();
      await done().waitFor();
      await page.reload();
      await page.locator(`[data-option="${id}"] input[name$=".disabled"]:checked`).waitFor();
      await expectDir(page, v.locale);
      await rec.step(page, "lookup-value-disabled");
      const lookup = await api(page, "GET", "/api/v2/lookups/lookup-sex");
      assert.deepEqual(lookup.body.data.values.find((o) => o.id === id), { id, display_text: { en: "Prefers not to say", ar: "يفضّل عدم القول" }, disabled: true });
    });

    step("the configuration is exported, and a changed copy imported through its dry run", async () => {
      await page.goto(env.origin + "/admin/configuration");
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator("section[aria-labelledby=export-heading] button").click()]);
      assert.match(download.suggestedFilename(), /^configuration-v\d+\.json$/);
      const file = join(tmpdir(), `bundle-${suffix}.json`);
      await download.saveAs(file);
      const bundle = JSON.parse(readFileSync(file, "utf8"));
      assert.equal(bundle.data.format, "cpims.configuration.v1");
      const risk = bundle.data.lookups.find((l) => l.unique_id === "lookup-risk-level");
      risk.name.en = `Risk level ${suffix}`;
      writeFileSync(file, JSON.stringify(bundle));
      await rec.step(page, "configuration");

      await page.locator('input[type="file"][name="bundle"]').setInputFiles(file);
      const plan = page.locator("[data-testid=dry-run]");
      await plan.waitFor();
      const changes = await plan.locator(rows).allTextContents();
      assert.equal(changes.length, 1, `one change: ${changes}`);
      assert.match(changes[0], /lookup-risk-level/);
      await expectDir(page, v.locale);
      await rec.step(page, "import-dry-run");
      assert.equal((await api(page, "GET", "/api/v2/lookups/lookup-risk-level")).body.data.name.en !== `Risk level ${suffix}`, true, "a dry run changes nothing");
      await page.locator("[data-testid=apply-import]").click();
      await done().waitFor();
      await rec.step(page, "import-applied");
      assert.equal((await api(page, "GET", "/api/v2/lookups/lookup-risk-level")).body.data.name.en, `Risk level ${suffix}`);
    });
  });
}
