// Helpers of the browser tests: Chromium through playwright-core (Debian's
// /usr/bin/chromium, nothing downloaded), screenshots, axe-core, TOTP codes.
import { createHmac } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import assert from "node:assert/strict";
import { after, describe } from "node:test";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const env = {
  origin: must("CPIMS_APP_ORIGIN"),
  adminEmail: must("CPIMS_ADMIN_EMAIL"),
  adminPassword: must("CPIMS_ADMIN_PASSWORD"),
  totpSecret: must("CPIMS_ADMIN_TOTP_SECRET"),
  // A second administrator, whose account speaks Arabic.
  adminArEmail: must("CPIMS_ADMIN_AR_EMAIL"),
  adminArTotpSecret: must("CPIMS_ADMIN_AR_TOTP_SECRET"),
  controlURL: must("CPIMS_CONTROL_URL"),
  caseworkerEmail: must("CPIMS_CASEWORKER_EMAIL"),
  // A second caseworker, whose account speaks Arabic.
  caseworkerArEmail: must("CPIMS_CASEWORKER_AR_EMAIL"),
  caseworkerPassword: must("CPIMS_CASEWORKER_PASSWORD"),
  screenshots: process.env.CPIMS_SCREENSHOTS ?? ".artifacts/screenshots",
  chromium: process.env.CHROMIUM || "/usr/bin/chromium",
};

function must(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests through the Go harness (go test ./frontend/ -run TestWebAppInARealBrowser)`);
  return v;
}

export const viewports = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
};

export async function launch() {
  return chromium.launch({
    executablePath: env.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * useBrowser gives the calling file's tests one Chromium, launched when a
 * selected scenario first asks for a page (a file whose scenarios the
 * pattern leaves out launches nothing) and closed after the file's tests
 * (call it at the top level of a test file). open(size, options) makes a
 * browser context at a viewport size ("phone", "desktop"; an "en-US"
 * browser unless options say otherwise) and its page, whose actions wait up
 * to 20 s; newContext(options) is the browser's own, for a context set up
 * by hand.
 */
export function useBrowser() {
  let launched;
  const browser = () => (launched ??= launch());
  after(async () => {
    if (launched) await (await launched).close();
  });
  return {
    async newContext(options) {
      return track(await (await browser()).newContext(options));
    },
    async open(size, options = {}) {
      const context = track(await (await browser()).newContext({ viewport: viewports[size], locale: "en-US", ...options }));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return { context, page };
    },
  };
}

/**
 * pattern selects scenarios by name (CPIMS_E2E_PATTERN, a regular
 * expression, set through the Go harness), or all of them.
 */
const pattern = process.env.CPIMS_E2E_PATTERN ? new RegExp(process.env.CPIMS_E2E_PATTERN) : null;

/**
 * scenario is describe() for one scenario: when CPIMS_E2E_PATTERN does not
 * match its name, it is not registered at all, so its before/after hooks
 * (sign-ins) do not run either.
 */
export function scenario(name, fn) {
  if (pattern && !pattern.test(name)) return;
  describe(name, fn);
}

/** today is the date of the run, as the API's date fields take it. */
export const today = new Date().toISOString().slice(0, 10);

/**
 * fillDate types an ISO date (YYYY-MM-DD) into a date field of the app
 * (components/DateField.tsx: day, month and year boxes in the page's
 * language's order): field is the field's first box (its id) or any element
 * inside the field's group.
 */
export async function fillDate(field, iso) {
  const group = field.locator("xpath=ancestor-or-self::*[@data-date-field][1]");
  const [year, month, day] = iso.split("-");
  await group.locator('[data-part="day"]').fill(day);
  await group.locator('[data-part="month"]').fill(month);
  await group.locator('[data-part="year"]').fill(year);
}

/** totp computes the RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret. */
export function totp(secret, now = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const h = createHmac("sha1", key).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/**
 * Requests in flight per browser context (contexts made through
 * useBrowser), for settle: the page is settled when none is in flight.
 */
const inFlight = new WeakMap();

function track(context) {
  const state = { n: 0 };
  const done = () => (state.n = Math.max(0, state.n - 1));
  context.on("request", () => state.n++);
  context.on("requestfinished", done);
  context.on("requestfailed", done);
  inFlight.set(context, state);
  return context;
}

/**
 * settle waits until the page has no request in flight across two
 * animation frames, twice in a row (an answer rendered may start the next
 * request), and its fonts are loaded: what a screenshot and axe need.
 * Playwright's "networkidle" waited for 500 ms without a request at every
 * step instead; contexts not made through useBrowser still use it. At most
 * 5 s, as a page that polls (an import's progress) never idles.
 */
export async function settle(page) {
  const state = inFlight.get(page.context());
  if (!state || baseline) return page.waitForLoadState("networkidle").catch(() => {});
  const end = Date.now() + 5_000;
  let quiet = 0;
  while (Date.now() < end && quiet < 2) {
    if (state.n > 0) {
      quiet = 0;
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    try {
      await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
    } catch {
      quiet = 0; // navigating: the new document's requests come next
      continue;
    }
    quiet = state.n === 0 ? quiet + 1 : 0;
  }
}

/**
 * Where a scenario's time goes: each Recorder writes its steps' time
 * (settle, screenshot, axe, and the rest of the scenario between steps) to
 * .artifacts/timing/<scenario>.json, and sign-ins append to signins.jsonl;
 * scripts/e2e-timing.mjs sums them.
 */
const timingDir = join(env.screenshots, "..", "timing");
mkdirSync(timingDir, { recursive: true });

function timed(what, email, ms) {
  appendFileSync(join(timingDir, "signins.jsonl"), JSON.stringify({ what, email, ms: Math.round(ms) }) + "\n");
}

/** Steps numbers and names each screenshot of one scenario, and checks each page with axe. */
export class Recorder {
  constructor(name) {
    this.name = name;
    this.started = performance.now();
    this.time = { steps: 0, settle: 0, screenshot: 0, axe: 0 };
    this.dir = join(env.screenshots, name);
    rmSync(this.dir, { recursive: true, force: true }); // no screenshot of an earlier run left behind
    mkdirSync(this.dir, { recursive: true });
    this.n = 0;
    this.pages = [];
  }

  /** failure keeps a screenshot of the page as a failed step left it. */
  async failure(page) {
    await page.screenshot({ path: join(this.dir, "failure.png"), fullPage: true }).catch(() => {});
  }

  async step(page, name, { axe = true } = {}) {
    this.n++;
    const t0 = performance.now();
    await settle(page);
    const t1 = performance.now();
    // From the top: a full-page shot of a scrolled page draws the sticky header and navigation mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(this.dir, `${String(this.n).padStart(2, "0")}-${name}.png`), fullPage: true });
    const t2 = performance.now();
    if (axe) await checkAxe(page, name);
    const t3 = performance.now();
    this.pages.push(name);
    const t = this.time;
    t.steps++;
    t.settle += t1 - t0;
    t.screenshot += t2 - t1;
    t.axe += t3 - t2;
    const rounded = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)]));
    writeFileSync(join(timingDir, `${this.name}.json`), JSON.stringify({ ...rounded, elapsed: Math.round(performance.now() - this.started) }));
  }
}

/** checkAxe runs axe-core (WCAG 2.1 A and AA rules) in the page and fails on serious or critical violations. */
export async function checkAxe(page, name) {
  // Runtime evaluation, not a <script> tag: works under a Content-Security-Policy too. Once per document
  // (the app navigates without reloading): evaluating axe's 0.5 MB at every step cost seconds on a loaded machine.
  if (baseline || !(await page.evaluate(() => typeof globalThis.axe?.run === "function"))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary ?? "")).join("\n    ")}`);
  });
  assert.deepEqual(violations, [], `axe-core on "${name}" (${page.url()}):\n${violations.join("\n")}`);
}

/** expectDir checks the document's language and direction. */
export async function expectDir(page, locale) {
  // The account's language applies once users/me answered: give it a moment before reading.
  await page.waitForFunction((l) => document.documentElement.lang === l, locale, { timeout: 5_000 }).catch(() => {});
  const { lang, dir } = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
  assert.equal(lang, locale);
  assert.equal(dir, locale === "ar" ? "rtl" : "ltr", `page ${page.url()} should be ${locale === "ar" ? "right to left" : "left to right"}`);
}

/**
 * mail waits for the newest email to an address (from the Go harness' SMTP
 * capture); with after, for one beyond the first after messages (mailCount).
 */
export async function mail(to, { after = 0 } = {}) {
  const res = await fetch(`${env.controlURL}/mail?to=${encodeURIComponent(to)}&after=${after}`);
  assert.equal(res.status, 200, `no email to ${to}`);
  return res.json();
}

/** mailCount is how many emails an address received so far. */
export async function mailCount(to) {
  const res = await fetch(`${env.controlURL}/mail/count?to=${encodeURIComponent(to)}`);
  return (await res.json()).count;
}

/** serverClockAhead makes the cpims server's clock run ahead of real time ("31m"; "0s" puts it back). */
export async function serverClockAhead(duration) {
  const res = await fetch(`${env.controlURL}/clock?ahead=${encodeURIComponent(duration)}`, { method: "POST" });
  assert.equal(res.status, 204, `setting the server's clock ${duration} ahead`);
}

/** admins: the English- and the Arabic-speaking system administrators (both with an authenticator app). */
export const admins = {
  en: { email: env.adminEmail, password: env.adminPassword, totpSecret: env.totpSecret },
  ar: { email: env.adminArEmail, password: env.adminPassword, totpSecret: env.adminArTotpSecret },
};

/** caseworkers: the harness' English- and Arabic-speaking caseworkers (password env.caseworkerPassword). */
export const caseworkers = { en: env.caseworkerEmail, ar: env.caseworkerArEmail };

/**
 * signIn signs a person in with their password and waits for the app's shell.
 * from: an app page opened first (the app sends the visitor to sign-in, and
 * back there after); language: chosen on the sign-in page before signing in
 * (the app then speaks the account's language); origin: another server's
 * (e2e/session.test.mjs), env.origin by default.
 */
export async function signIn(page, email, { from, language, password = env.caseworkerPassword, origin = env.origin } = {}) {
  const t0 = performance.now();
  if (reuse && !language && origin === env.origin && (await reuseSession(page, email, from))) return timed("signIn (session reused)", email, performance.now() - t0);
  await passwordStep(page, email, password, { from, language, origin });
  // Password hashing (bcrypt cost 12) on a loaded shared machine can take longer than a click's 20 s.
  await page.locator(".shell main#main h1").waitFor({ timeout: 60_000 });
  if (origin === env.origin) sessions.set(email, await page.context().cookies());
  timed("signIn", email, performance.now() - t0);
}

/**
 * The sessions of this test file's sign-ins (one node process per file), by
 * email: a person signed in by one variant of a scenario (desktop English)
 * is signed in by the next (phone English) with the same session's cookies
 * in the new browser context, rather than with the password again (bcrypt
 * cost 12, and a TOTP code for administrators: seconds each on a loaded
 * machine). The sign-in pages themselves are still exercised by every
 * person's first sign-in in each file, and by the sign-in scenarios, which
 * choose a language (never reused). A session that ended meanwhile (signed
 * out, idle limit) falls back to the password. A file asks for it with
 * reuseSignIns() (the four-variant scenarios whose subject is not the
 * sign-in: cases, workflow, matching, configuration screens); the sign-in,
 * session and offline scenarios sign in with the password every time.
 */
const sessions = new Map();
let reuse = false;

/**
 * CPIMS_E2E_BASELINE=1 runs the suite as before session 22 (networkidle at
 * every step, a password sign-in every time), to measure what settle and
 * reuseSignIns save on the same scenarios and the same build.
 */
const baseline = process.env.CPIMS_E2E_BASELINE === "1";

/** reuseSignIns makes this test file's later sign-ins of a person reuse their first session (see sessions). */
export function reuseSignIns() {
  reuse = !baseline;
}

async function reuseSession(page, email, from = "/") {
  const cookies = sessions.get(email);
  if (!cookies) return false;
  await page.context().addCookies(cookies);
  await page.goto(env.origin + from);
  const shell = page.locator(".shell main#main h1").waitFor({ timeout: 60_000 }).then(
    () => true,
    () => false,
  );
  const login = page.waitForURL(/\/auth\/login/, { timeout: 60_000 }).then(
    () => false,
    () => false,
  );
  if (await Promise.race([shell, login])) return true;
  sessions.delete(email);
  await page.context().clearCookies();
  return false;
}

async function passwordStep(page, email, password, { from, language, origin = env.origin } = {}) {
  if (from) {
    await page.goto(origin + from);
    await page.waitForURL(/\/auth\/login\?/);
  } else {
    await page.goto(origin + "/auth/login");
  }
  await page.locator('input[name="identifier"]').waitFor();
  if (language) {
    await page.locator(".language select").selectOption(language);
    await page.waitForFunction((l) => document.documentElement.lang === l, language);
  }
  await page.locator('input[name="identifier"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[name="method"][value="password"]').click();
}

/** signInAdmin signs an administrator in with password and TOTP. */
export async function signInAdmin(page, admin = admins.en) {
  const t0 = performance.now();
  if (reuse && (await reuseSession(page, admin.email))) return timed("signInAdmin (session reused)", admin.email, performance.now() - t0);
  await passwordStep(page, admin.email, admin.password);
  await page.locator('input[name="totp_code"]').fill(totp(admin.totpSecret));
  await page.locator('button[name="method"][value="totp"]').click();
  await page.locator(".shell main#main h1").waitFor();
  sessions.set(admin.email, await page.context().cookies());
  timed("signInAdmin", admin.email, performance.now() - t0);
}

/**
 * api sends a tenant API request from the page (its session cookie and Origin;
 * node cannot resolve *.localhost): { status, ok, body (parsed JSON, or null), text }.
 */
export function api(page, method, path, body, headers = {}) {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const res = await fetch(path, {
        method,
        headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: text has it
      }
      return { status: res.status, ok: res.ok, body: parsed, text };
    },
    { method, path, body, headers },
  );
}

/** call is api for a request that must succeed: it fails the test otherwise and gives the answer's body. */
export async function call(page, method, path, body, headers = {}) {
  const r = await api(page, method, path, body, headers);
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

/** poll calls check until it returns something, or fails after the deadline (no fixed sleep). */
export async function poll(check, what, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** openNav makes the navigation visible (a menu on phones). */
export async function openNav(page, size) {
  if (size === "phone") {
    const button = page.locator("button.menu-button");
    if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  }
}

/** png makes a real PNG image (size × size; colour(x, y) gives each pixel's RGB, one colour by default), so the server's sniffing sees a photo. */
export function png(size = 64, colour = () => [200, 90, 40]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(
    Array.from({ length: size }, (_, y) => {
      const row = Buffer.alloc(1 + size * 3);
      for (let x = 0; x < size; x++) row.set(colour(x, y), 1 + x * 3);
      return row;
    }),
  );
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}
