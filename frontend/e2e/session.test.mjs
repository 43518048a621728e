// The absolute session limit in a real browser against the real stack
// (frontend/browser_test.go): a second server signs people in through a
// Kratos whose sessions last CPIMS_SHORT_SESSION_SECONDS (its configured
// session lifespan; 12 hours in production), so real time passes the end of a
// session without a fake clock in Kratos or the server. A caseworker signs in
// and the page's clock is held (the app's own timer for the session's end
// waits); once the session's end has passed, Kratos and the API refuse it;
// the page's clock then catches up and the app says a session lasts at most
// the configured lifespan (90 seconds here, not a fixed 12 hours), with the
// way back: signed in again, back on the page they were on.
// The four variants (phone and desktop, English and Arabic) run side by side,
// so the suite waits for one lifespan, not four. axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, api, expectDir, poll, scenario, signIn, useBrowser } from "./helpers.mjs";

const browser = useBrowser();

const origin = process.env.CPIMS_SHORT_SESSION_ORIGIN;
const lifespan = Number(process.env.CPIMS_SHORT_SESSION_SECONDS) * 1000;
const users = { en: process.env.CPIMS_SHORT_SESSION_EMAIL, ar: process.env.CPIMS_SHORT_SESSION_AR_EMAIL };

/** whoami asks Kratos (through the app's /.ory/) about the page's session. */
const whoami = (page) =>
  page.evaluate(async () => {
    const res = await fetch("/.ory/sessions/whoami", { headers: { Accept: "application/json" } });
    return { status: res.status, body: res.ok ? await res.json() : null };
  });

/** limitEnds runs one variant: signed in, the session refused after its lifespan, the app's message, signed in again. */
async function limitEnds({ size, locale }) {
  const rec = new Recorder(`${size}-${locale}-session-limit`);
  const { context, page } = await browser.open(size);
  try {
    await context.clock.install(); // the page's clock runs with real time until held
    await signIn(page, users[locale], { from: "/cases", language: locale === "ar" ? "ar" : undefined, origin });
    await page.locator("[data-testid=case-total]").waitFor();
    await expectDir(page, locale);
    const session = await whoami(page);
    assert.equal(session.status, 200);
    const expiresAt = Date.parse(session.body.expires_at);
    assert.ok(Math.abs(expiresAt - Date.parse(session.body.authenticated_at) - lifespan) < 2_000, `the session lasts the configured lifespan: ${JSON.stringify(session.body)}`);
    await rec.step(page, "signed-in");

    // Hold the page's clock before the end, so that the app's own timer waits and the server's refusal comes first.
    // (a moment ahead of the page's time, which runs on while this is asked: again if it ran past it).
    let held;
    for (let tries = 1; ; tries++) {
      held = (await page.evaluate(() => Date.now())) + 2_000;
      try {
        await page.clock.pauseAt(held);
        break;
      } catch (err) {
        if (tries === 5 || !/past/.test(err.message)) throw err;
      }
    }
    assert.ok(held < expiresAt - 1_000, `held ${Math.round((held - expiresAt + lifespan) / 1000)} s after the session began: lifespan too short for this machine`);
    assert.equal(await page.locator("[data-testid=session-ended]").count(), 0, "the app has not ended the session itself");

    // Real time passes the session's end: Kratos refuses it, and so does the API.
    await poll(async () => (await whoami(page)).status === 401, "Kratos to end the session at its lifespan", lifespan + 60_000);
    assert.ok(Date.now() >= expiresAt, "not before its end");
    assert.equal((await api(page, "GET", "/api/v2/users/me")).status, 401, "the API refuses the expired session");

    // The page's clock catches up: the app says the absolute limit ended the session, in the account's language.
    await page.clock.fastForward(Date.now() - held);
    await page.clock.resume();
    const ended = page.locator("[data-testid=session-ended]");
    await ended.waitFor();
    assert.equal(await ended.getAttribute("data-reason"), "expired");
    // The configured lifespan (90 s here, 12 hours in production), not a constant, in the page's digits.
    const seconds = await page.evaluate((n) => new Intl.NumberFormat(document.documentElement.lang).format(n), lifespan / 1000);
    assert.ok((await ended.textContent()).includes(seconds), `says how long this Kratos' sessions last (${seconds} s): ${await ended.textContent()}`);
    await expectDir(page, locale);
    await rec.step(page, "session-expired");

    // The way back: a new session (a password is asked), back on the case list.
    await page.locator('a[href^="/auth/login"]').click();
    await page.locator('input[name="identifier"]').fill(users[locale]);
    await page.locator('input[name="password"]').fill(process.env.CPIMS_CASEWORKER_PASSWORD);
    await page.locator('button[name="method"][value="password"]').click();
    await page.waitForURL((u) => u.pathname === "/cases", { timeout: 60_000 });
    await page.locator("[data-testid=case-total]").waitFor();
    await expectDir(page, locale);
    const again = await whoami(page);
    assert.ok(Date.parse(again.body.expires_at) > expiresAt, "a new session");
    await rec.step(page, "signed-in-again");
  } catch (err) {
    await rec.failure(page);
    throw new Error(`${size} ${locale}: ${err.message}`, { cause: err });
  } finally {
    await context.close();
  }
}

scenario("absolute session limit", () => {
  it("ends the session at its lifespan with the message and the way back, at phone and desktop size in English and Arabic", async () => {
    assert.ok(origin && lifespan > 0 && users.en && users.ar, "CPIMS_SHORT_SESSION_* are set by the harness");
    const variants = ["desktop", "phone"].flatMap((size) => ["en", "ar"].map((locale) => ({ size, locale })));
    const results = await Promise.allSettled(variants.map(limitEnds));
    const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason);
    if (failed.length) throw new AggregateError(failed, failed.map((e) => e.message).join("\n"));
  });
});
