// A country's own wording of the app, in a real browser against the real
// stack (frontend/browser_test.go), at desktop size in Arabic: the Arabic
// administrator imports a PO file that rewords two of the app's texts (the
// navigation's "Home", plain, and the home page's "Welcome, {name}", with a
// placeholder), and after a reload the app shows the new wording (the app
// loads GET /api/v2/translations/ui/ar?changed=true at start and compiles it
// over its own catalogue); then a file with the app's own texts puts them
// back, so the tenant is as found. axe-core on every page.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateMessageId } from "@lingui/message-utils/generateMessageId";
import { Recorder, admins, env, expectDir, launch, signInAdmin, viewports } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

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

describe("translations desktop ar", () => {
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
