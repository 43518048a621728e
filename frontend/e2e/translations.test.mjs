// A country's own wording of the app, in a real browser against the real
// stack (frontend/browser_test.go), at desktop size in Arabic: the Arabic
// administrator imports a PO file that rewords two of the app's texts (the
// navigation's "Home", plain, and the home page's "Welcome, {name}", with a
// placeholder), and after a reload the app shows the new wording (the app
// loads GET /api/v2/translations/ui/ar?changed=true at start and compiles it
// over its own catalogue); then a file with the app's own texts puts them
// back, so the tenant is as found. axe-core on every page.
//
// The translations screen and the instance's languages (desktop English and
// phone Arabic): the administrator reaches Translations from the admin
// navigation, downloads a language's PO file, uploads a file that is not PO
// (refused at the file), then a PO file with one entry of each kind (applied,
// skipped, unknown, invalid), follows the job to its counts and filters the
// report; in system settings adds Pashto (right to left, derived), is refused
// adding a language the instance has and removing one members use, and
// removes Pashto again.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generateMessageId } from "@lingui/message-utils/generateMessageId";
import { Recorder, admins, api, env, expectDir, openNav, scenario, signInAdmin, useBrowser, viewports } from "./helpers.mjs";

const browser = useBrowser();

/** po writes a PO file of the app's texts (source -> text) in a language. */
function po(locale, texts) {
  const q = (s) => JSON.stringify(s);
  let out = `msgid ""\nmsgstr ""\n"Language: ${locale}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n`;
  for (const [source, text] of Object.entries(texts)) {
    out += `\nmsgctxt ${q("ui:" + generateMessageId(source))}\nmsgid ${q(source)}\nmsgstr ${q(text)}\n`;
  }
  return out;
}

/** importPO uploads a PO file as the signed-in page and waits for its job's report. */
async function importPO(page, locale, body) {
  return page.evaluate(
    async ({ locale, body }) => {
      const res = await fetch(`/api/v2/translations/imports?locale=${locale}`, {
        method: "POST",
        headers: { "Content-Type": "text/x-gettext-translation", Accept: "application/json" },
        body,
      });
      if (res.status !== 202) throw new Error(`import: ${res.status} ${await res.text()}`);
      const where = res.headers.get("Location");
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const r = await (await fetch(where, { headers: { Accept: "application/json" } })).json();
        if (r.data.status === "succeeded" || r.data.status === "failed") return r.data;
        await new Promise((ok) => setTimeout(ok, 200));
      }
      throw new Error("the import did not finish in 30 s");
    },
    { locale, body },
  );
}

scenario("translations desktop ar", () => {
  it("an administrator imports a PO file that rewords two of the app's texts, and the app shows them", async () => {
    const rec = new Recorder("desktop-ar-translations");
    const context = await browser.newContext({ viewport: viewports.desktop, locale: "ar" });
    await context.addInitScript(() => localStorage.setItem("cpims.locale", "ar"));
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const own = { Home: "الصفحة الأولى", "Welcome, {name}": "أهلاً بك يا {name}" };
    const shipped = { Home: "الرئيسية", "Welcome, {name}": "مرحبًا، {name}" };
    const home = page.locator('#app-nav a[href="/"]');
    let imported = false;
    try {
      await signInAdmin(page, admins.ar);
      await expectDir(page, "ar");
      assert.equal((await home.textContent()).trim(), shipped.Home);

      const report = await importPO(page, "ar", po("ar", own));
      imported = true;
      assert.equal(report.status, "succeeded");
      assert.equal(report.applied, 2, JSON.stringify(report));
      const changed = await page.evaluate(async () => (await (await fetch("/api/v2/translations/ui/ar?changed=true")).json()).data.messages);
      assert.deepEqual(Object.values(changed).sort(), Object.values(own).sort(), "only the reworded texts are served as changes");

      await page.reload();
      await page.locator(".shell main#main h1").waitFor();
      await expectDir(page, "ar");
      assert.equal((await home.textContent()).trim(), own.Home);
      assert.match((await page.locator(".shell main#main h1").textContent()).trim(), /^أهلاً بك يا \S/);
      await rec.step(page, "own-wording");
    } catch (e) {
      await rec.failure(page);
      throw e;
    } finally {
      if (imported) {
        // As found: the app's own texts again (an override equal to them is no change).
        const back = await importPO(page, "ar", po("ar", shipped));
        assert.equal(back.status, "succeeded");
        await page.reload();
        await page.locator(".shell main#main h1").waitFor();
        assert.equal((await home.textContent()).trim(), shipped.Home);
        await rec.step(page, "app-wording-again");
      }
      await context.close();
    }
  });
});

/** shippedText is the app's own translation of a source text in a language (its PO catalogue). */
function shippedText(locale, source) {
  const lines = readFileSync(new URL(`../src/locales/${locale}/messages.po`, import.meta.url), "utf8").split("\n");
  const i = lines.indexOf(`msgid ${JSON.stringify(source)}`);
  assert.ok(i >= 0 && lines[i + 1].startsWith("msgstr "), `${source} is in the ${locale} catalogue`);
  return JSON.parse(lines[i + 1].slice("msgstr ".length));
}

for (const v of [
  { size: "desktop", locale: "en", target: "fr" },
  { size: "phone", locale: "ar", target: "es" },
]) {
  scenario(`translations screen and languages, ${v.size} ${v.locale}`, () => {
    let context;
    let page;
    let rec;
    before(async () => {
      rec = new Recorder(`${v.size}-${v.locale}-translations-screen`);
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
    const step = (name, fn) =>
      it(name, async () => {
        try {
          await fn();
        } catch (e) {
          await rec.failure(page);
          throw e;
        }
      });
    const rows = v.size === "phone" ? ".data-cards li" : ".data-table tbody tr";
    const arabic = /[\u0600-\u06FF]/;

    step("a language's PO file is exported from the translations screen", async () => {
      await openNav(page, v.size);
      await page.locator('#app-nav a[href="/admin/translations"]').click();
      await page.waitForURL(/\/admin\/translations$/);
      await expectDir(page, v.locale);
      const exportCard = page.locator('section[aria-labelledby="export-translations"]');
      await exportCard.locator("select").selectOption(v.target);
      await rec.step(page, "translations");
      const [download] = await Promise.all([page.waitForEvent("download"), exportCard.locator("button").click()]);
      assert.match(download.suggestedFilename(), new RegExp(`-${v.target}\\.po$`));
      const body = readFileSync(await download.path(), "utf8");
      assert.match(body, new RegExp(`"Language: ${v.target}\\\\n"`));
      assert.match(body, /\nmsgctxt "form:basic_identity:/, "configuration labels are in it");
      assert.match(body, /\nmsgctxt "ui:/, "the web app's texts are in it");
    });

    step("a file that is not PO is refused at the file", async () => {
      const form = page.locator('section[aria-labelledby="import-translations"] form');
      await form.locator('input[type="file"]').setInputFiles({ name: "labels.json", mimeType: "application/octet-stream", buffer: Buffer.from('{"not": "po"}') });
      await form.locator('button[type="submit"]').click();
      const error = form.locator(".field-error").first();
      await error.waitFor();
      assert.notEqual((await error.textContent()).trim(), "");
      if (v.locale === "ar") assert.match(await error.textContent(), arabic, "said in the member's language (the server's reason is English)");
      await rec.step(page, "not-po-refused");
    });

    step("a PO file is imported: the job's progress, its counts and the report by outcome", async () => {
      const q = JSON.stringify;
      const entry = (ctx, id, str) => `\nmsgctxt ${q(ctx)}\nmsgid ${q(id)}\nmsgstr ${q(str)}\n`;
      const ui = (source) => "ui:" + generateMessageId(source);
      const file =
        `msgid ""\nmsgstr ""\n"Language: ${v.target}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n` +
        entry(ui("Audit log"), "Audit log", `Audit log (${v.target} test)`) + // applied
        entry(ui("Cases"), "Cases", "") + // skipped: not translated
        entry("form:no_such_form:name", "Nothing", "Rien") + // unknown
        entry(ui("Welcome, {name}"), "Welcome, {name}", "Hello"); // invalid: {name} is missing
      const form = page.locator('section[aria-labelledby="import-translations"] form');
      await form.locator('input[type="file"]').setInputFiles({ name: `test-${v.target}.po`, mimeType: "text/x-gettext-translation", buffer: Buffer.from(file) });
      await form.locator("select").selectOption(v.target);
      await form.locator('button[type="submit"]').click();
      await page.waitForURL(/\/admin\/translations\/imports\/[0-9a-f-]{36}$/);
      try {
        const counts = page.locator("[data-testid=import-counts]");
        await counts.waitFor();
        for (const [o, n] of Object.entries({ applied: 1, unchanged: 0, skipped: 1, unknown: 1, stale: 0, invalid: 1 })) {
          const shown = (await counts.locator(`[data-outcome="${o}"] dd`).textContent()).trim();
          assert.equal(shown.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)), String(n), o);
        }
        await expectDir(page, v.locale);
        await rec.step(page, "import-report");
        await page.locator('.segmented button[data-outcome="invalid"]').click();
        await page.waitForURL(/outcome=invalid/);
        await page.locator(rows).first().waitFor();
        assert.equal(await page.locator(rows).count(), 1);
        assert.match(await page.locator(rows).first().textContent(), /ui:/);
        await rec.step(page, "import-report-invalid");
      } finally {
        // As found: the app's own text again.
        await importPO(page, v.target, po(v.target, { "Audit log": shippedText(v.target, "Audit log") }));
      }
    });

    step("languages: Pashto added (right to left), refusals shown, then removed", async () => {
      await page.goto(env.origin + "/admin/settings");
      const section = page.locator('section[aria-labelledby="languages"]');
      const add = section.locator("form");
      const status = section.locator('[role="status"].notice-success');
      try {
        await add.locator('input[name="locale"]').fill("ps");
        await add.locator('button[type="submit"]').click();
        await section.locator('[data-locale="ps"]').waitFor();
        await status.waitFor();
        const settings = await api(page, "GET", "/api/v2/system_settings");
        assert.equal(settings.body.data.directions.ps, "rtl");
        assert.match(await section.locator('[data-locale="ps"] .language-facts').textContent(), v.locale === "ar" ? /من اليمين إلى اليسار/ : /Right to left/);
        await rec.step(page, "language-added");

        // A language the instance has: 409, said in the form.
        await add.locator('input[name="locale"]').fill(v.target);
        await add.locator('button[type="submit"]').click();
        const refused = add.locator('[role="alert"].notice-error');
        await refused.waitFor();
        if (v.locale === "ar") assert.match(await refused.textContent(), arabic);
        await rec.step(page, "language-present-refused");

        // A language members use (the Arabic administrator's own): 409 with the server's reason.
        await section.locator('[data-locale="ar"] button').click();
        const inUse = section.locator(':scope > [role="alert"].notice-error');
        await inUse.waitFor();
        assert.match(await inUse.textContent(), v.locale === "ar" ? arabic : /cannot be removed/);
        assert.equal(await section.locator(`[data-locale="en"] button`).count(), 0, "the default language has no remove button");
        await rec.step(page, "language-in-use-refused");

        await section.locator('[data-locale="ps"] button').click();
        await section.locator('[data-locale="ps"]').waitFor({ state: "detached" });
        await rec.step(page, "language-removed");
      } finally {
        const s = await api(page, "GET", "/api/v2/system_settings");
        if (s.body.data.locales.includes("ps")) await api(page, "DELETE", "/api/v2/system_settings/locales/ps");
      }
    });
  });
}
