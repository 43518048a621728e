// Offline data in a real browser against the real stack (frontend/browser_test.go):
// a caseworker keeps their cases on the device (real IndexedDB), goes offline
// (Playwright's context.setOffline), reads a case from the device's copy,
// edits two cases and registers one; back online the outbox is sent in order
// and empties but for the edit that collided with a change made meanwhile on
// another device, which opens the conflict view; the server has everything
// (checked through the API); signing out leaves nothing in IndexedDB. The copy
// is encrypted under the offline PIN chosen at opt-in (IndexedDB holds
// ciphertext), and a start of the app offline asks for that PIN first. The copy is
// bound to the device registered at opt-in (account settings list it); revoked
// from elsewhere, the device wipes its copy at its next contact.
// A second scenario: a photo chosen while registering survives a reload made
// offline (kept on the device, encrypted): after the PIN it is back at its
// field with its description, the case is registered offline, and back online
// the server has the case and the photo.
// A third: in mode pin_and_server, the app started again after the session ended
// (cookies gone, a new tab): the unlock page says a sign-in is needed and offers
// it; signed in, the app comes back to the PIN, which opens the copy.
// Desktop English and phone Arabic; axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, admins, api, call, caseworkers, env, expectDir, openNav, png, poll, scenario, signIn, signInAdmin, today, useBrowser, fillDate } from "./helpers.mjs";

const browser = useBrowser();

const variants = [
  { size: "desktop", locale: "en" },
  { size: "phone", locale: "ar" },
];

/** outboxStates reads the outbox shown on the case list: each entry's state. */
async function outboxStates(page) {
  return page.locator("[data-testid=outbox-entry]").evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
}

/** optIn keeps the signed-in person's cases on this device under an offline PIN, and waits for the first sync. */
async function optIn(page, pin) {
  await page.goto(env.origin + "/cases");
  const choice = page.locator("[data-testid=offline-pin-choice]");
  await choice.locator('input[name="new_offline_pin"]').fill(pin);
  await choice.locator('input[name="new_offline_pin_again"]').fill(pin);
  await page.locator("[data-testid=offline-enable]").click();
  await page.locator("[data-testid=sync-now]:not([disabled])").waitFor();
  await page.waitForFunction(() => !/—|never|أبدًا/.test(document.querySelector("[data-testid=last-synced]")?.textContent ?? "never"));
}

/** serviceWorkerControls waits until the service worker serves the app (so that it starts offline). */
async function serviceWorkerControls(page) {
  await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 20_000 }).catch(() => page.reload());
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
}

/** unlock enters the offline PIN asked when the app starts offline. */
async function unlock(page, pin) {
  const form = page.locator("[data-testid=offline-unlock]");
  await form.locator('input[name="offline_pin"]').fill(pin);
  await form.locator("button[type=submit]").click();
}

for (const v of variants) {
  scenario(`offline ${v.size} ${v.locale}`, () => {
    it("a caseworker syncs, works offline (reads, edits, registers), and the outbox empties online; a collision opens the conflict view", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-offline`);
      const { context, page } = await browser.open(v.size);
      let other;
      try {
        await signIn(page, caseworkers[v.locale], { from: "/cases" });
        await expectDir(page, v.locale);
        const tag = `${v.size}${v.locale}${Date.now() % 100000}`;
        const pin = "314159";
        // Two cases of this caseworker: one to edit offline, one that someone else changes meanwhile.
        const a = (await call(page, "POST", "/api/v2/cases", { data: { name_first: `Zawadi${tag}`, name_last: "Achieng", sex: "female", registration_date: today } })).data;
        const b = (await call(page, "POST", "/api/v2/cases", { data: { name_first: `Baraka${tag}`, name_last: "Otieno", sex: "male", registration_date: today } })).data;
        // The same caseworker on another device (a caseworker's scope is their own cases).
        const second = await browser.open("desktop", { storageState: await context.storageState() });
        other = second.context;
        const page2 = second.page;
        await page2.goto(env.origin + "/auth/login"); // an origin for fetch; the app itself is not used there

        // Opt in on this device with an offline PIN (a different repetition is refused first): the first sync keeps the cases and the configuration.
        await page.goto(env.origin + "/cases");
        const choice = page.locator("[data-testid=offline-pin-choice]");
        await choice.locator('input[name="new_offline_pin"]').fill(pin);
        await choice.locator('input[name="new_offline_pin_again"]').fill("000000");
        await page.locator("[data-testid=offline-enable]").click();
        await choice.locator('input[name="new_offline_pin_again"][aria-invalid="true"]').waitFor();
        await rec.step(page, "offline-pin-differs");
        await choice.locator('input[name="new_offline_pin_again"]').fill(pin);
        await page.locator("[data-testid=offline-enable]").click();
        await page.locator("[data-testid=sync-now]:not([disabled])").waitFor();
        await page.waitForFunction(() => !/—|never|أبدًا/.test(document.querySelector("[data-testid=last-synced]")?.textContent ?? "never"));
        await rec.step(page, "offline-enabled");
        const kept = await page.evaluate(
          (ids) =>
            new Promise((resolve, reject) => {
              const r = indexedDB.open("cpims-offline");
              r.onsuccess = () => {
                const tx = r.result.transaction("records");
                const got = ids.map((id) => tx.objectStore("records").get(id));
                // What the profile holds: the id in clear, the rest as AES-GCM ciphertext.
                tx.oncomplete = () =>
                  resolve(
                    got.map((g) =>
                      g.result
                        ? { fields: Object.keys(g.result).sort().join(","), plain: new TextDecoder().decode(g.result.ct).includes("Achieng") || new TextDecoder().decode(g.result.ct).includes("Otieno") }
                        : null,
                    ),
                  );
              };
              r.onerror = () => reject(r.error);
            }),
          [a.id, b.id],
        );
        assert.deepEqual(kept, [{ fields: "ct,id,iv", plain: false }, { fields: "ct,id,iv", plain: false }], "both cases are in the device's IndexedDB, encrypted");
        // The record page's chunk is loaded once online (the service worker also precaches it).
        await page.locator(`a[href="/cases/${a.id}"]:visible`).click();
        await page.locator(".page-header h1", { hasText: a.name_first }).waitFor();

        // The app shell is served by the service worker from now on.
        await serviceWorkerControls(page);

        // Offline, and the app started again: the PIN first (a wrong one is counted), then the device's copy.
        await context.setOffline(true);
        await page.reload();
        const unlock = page.locator("[data-testid=offline-unlock]");
        await unlock.locator('input[name="offline_pin"]').fill("999999");
        await unlock.locator("button[type=submit]").click();
        await unlock.locator('input[name="offline_pin"][aria-invalid="true"]').waitFor();
        assert.match(await unlock.locator("[role=alert]").textContent(), /4|٤/, "the tries left are told");
        await expectDir(page, v.locale);
        await rec.step(page, "offline-wrong-pin");
        await unlock.locator('input[name="offline_pin"]').fill(pin);
        await unlock.locator("button[type=submit]").click();
        await page.locator("[data-testid=offline-record]").waitFor();
        await page.locator(".offline-banner").waitFor();
        await page.locator('.page-header .actions a[href="/cases"]').click(); // back to the list
        await page.locator("[data-testid=offline-list-notice]").waitFor();
        await page.locator(`a[href="/cases/${a.id}"]:visible`).waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "offline-list");
        await page.locator(`a[href="/cases/${a.id}"]:visible`).click();
        await page.locator("[data-testid=offline-record]").waitFor();
        await page.locator(".page-header h1", { hasText: a.name_first }).waitFor();
        await rec.step(page, "offline-case");

        // Edit it offline (the base version is remembered).
        await page.locator(".page-header .actions button.button").click();
        await page.locator("#f-name_middle").fill("Nafula");
        await page.locator(".form-actions button[type=submit]").click();
        await page.locator('[role=status].notice-success').waitFor();
        await page.locator(".field-readonly", { hasText: "Nafula" }).waitFor();
        await rec.step(page, "offline-edited");

        // Edit the other case offline, while it changes on the other device.
        await page.locator('.page-header .actions a[href="/cases"]').click();
        await page.locator(`a[href="/cases/${b.id}"]:visible`).click();
        await page.locator("[data-testid=offline-record]").waitFor();
        await page.locator(".page-header .actions button.button").click();
        await page.locator("#f-name_nickname").fill("Mine");
        await page.locator(".form-actions button[type=submit]").click();
        await page.locator('[role=status].notice-success').waitFor();
        await call(page2, "PATCH", `/api/v2/cases/${b.id}`, { data: { name_nickname: "Theirs" } }, { "If-Match": `"${b.version}"` });

        // Register a case offline (a client UUID).
        await page.locator('.page-header .actions a[href="/cases"]').click();
        await page.locator('a[href="/cases/new"]').first().click();
        await page.locator("[data-testid=continue-to-form]").click();
        await page.locator("#f-name_first").waitFor();
        await fillDate(page.locator("#f-registration_date"), today);
        await page.locator("#f-name_first").fill(`Neema${tag}`);
        await page.locator("#f-name_last").fill("Wekesa");
        await page.locator("#f-sex").selectOption("female");
        await page.locator(".form-actions button[type=submit]").click();
        await page.waitForURL((u) => /^\/cases\/[0-9a-f-]{36}$/.test(u.pathname));
        const newID = new URL(page.url()).pathname.split("/").pop();
        await page.locator("[data-testid=not-sent]").waitFor();
        await rec.step(page, "offline-registered");

        // A tracing request registered offline too (kept like cases), reached through the navigation.
        await openNav(page, v.size);
        await page.locator('nav a[href="/tracing-requests"]').click();
        await page.locator("[data-testid=offline-list-notice]").waitFor();
        await page.locator('a[href="/tracing-requests/new"]').first().click();
        await fillDate(page.locator("#f-inquiry_date"), today);
        await page.locator("#f-relation_name").fill(`Halima${tag}`);
        await page.locator(".form-actions button[type=submit]").click();
        await page.waitForURL((u) => /^\/tracing-requests\/[0-9a-f-]{36}$/.test(u.pathname));
        const trID = new URL(page.url()).pathname.split("/").pop();
        await page.locator("[data-testid=not-sent]").waitFor();
        await rec.step(page, "offline-tracing-request");

        // The outbox lists the four writes, in order.
        await openNav(page, v.size);
        await page.locator('nav a[href="/cases"]').click();
        await page.locator("[data-testid=outbox]").waitFor();
        assert.deepEqual(await outboxStates(page), ["pending", "pending", "pending", "pending"]);
        await rec.step(page, "outbox");

        // Online again: the outbox is sent; the collision stays, as a conflict.
        await context.setOffline(false);
        await page.waitForFunction(() => {
          const states = [...document.querySelectorAll("[data-testid=outbox-entry]")].map((e) => e.getAttribute("data-state"));
          return states.length === 1 && states[0] === "conflict";
        });
        await rec.step(page, "online-conflict-left");
        const aNow = (await call(page, "GET", `/api/v2/cases/${a.id}`)).data;
        assert.equal(aNow.name_middle, "Nafula", "the offline edit reached the server");
        assert.equal(aNow.version, a.version + 1);
        const created = (await call(page, "GET", `/api/v2/cases/${newID}`)).data;
        assert.equal(created.name_first, `Neema${tag}`, "the case registered offline is on the server, with its client id");
        const found = await call(page, "GET", `/api/v2/cases?query=${encodeURIComponent(`Neema${tag}`)}`);
        assert.equal(found.metadata.total, 1, "registered once");
        assert.equal((await call(page, "GET", `/api/v2/tracing_requests/${trID}`)).data.relation_name, `Halima${tag}`, "the tracing request registered offline is on the server");
        assert.equal((await call(page, "GET", `/api/v2/cases/${b.id}`)).data.name_nickname, "Theirs", "a conflict applies nothing");

        // The conflict view: theirs and mine; keep mine.
        await page.locator(`[data-testid=outbox-entry] a[href="/cases/${b.id}"]`).click();
        await page.locator("[data-testid=offline-conflict]").waitFor();
        const conflicts = page.locator("[data-testid=conflicts]");
        const c = conflicts.locator('fieldset[data-path="name_nickname"]');
        assert.equal((await c.locator("[data-testid=theirs]").textContent()).trim(), "Theirs");
        assert.equal((await c.locator("[data-testid=yours]").textContent()).trim(), "Mine");
        await expectDir(page, v.locale);
        await rec.step(page, "conflict");
        await c.locator('input[id$="-yours"]').check();
        await conflicts.locator("button").click();
        await page.locator('[role=status].notice-success').waitFor();
        await page.locator(".field-readonly", { hasText: "Mine" }).waitFor();
        assert.equal((await call(page, "GET", `/api/v2/cases/${b.id}`)).data.name_nickname, "Mine");
        await page.locator('.page-header .actions a[href="/cases"]').click();
        await page.locator("[data-testid=offline-summary]").waitFor();
        await page.waitForFunction(() => document.querySelectorAll("[data-testid=outbox-entry]").length === 0);
        await rec.step(page, "outbox-empty");

        // The copy is bound to this browser's device, registered at opt-in; account settings list it.
        const deviceID = await page.evaluate(() => JSON.parse(localStorage.getItem("cpims.offline.lock") ?? "{}").device);
        const devices = (await call(page, "GET", "/api/v2/devices")).data;
        assert.ok(devices.some((d) => d.id === deviceID && !d.revoked_at && d.last_released_at), "the device is registered, and its key was released to this browser");
        await page.goto(env.origin + "/auth/settings");
        await page.locator(`[data-testid=device][data-device="${deviceID}"] .badge`).first().waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "devices");
        // Revoked from elsewhere (the same person's other browser, as for a phone reported lost): at its next
        // contact this browser wipes its copy, and the key is never released again.
        await call(page2, "DELETE", `/api/v2/devices/${deviceID}`);
        await page.goto(env.origin + "/cases");
        await page.waitForFunction(() => localStorage.getItem("cpims.offline") === null && localStorage.getItem("cpims.offline.lock") === null);
        await page.locator("[data-testid=offline-pin-choice]").waitFor();
        await page.locator("[data-testid=device-revoked]").waitFor();
        const released = await page.evaluate(async (id) => (await fetch(`/api/v2/devices/${id}/key`)).status, deviceID);
        assert.equal(released, 410, "a revoked device gets no key");
        await rec.step(page, "device-revoked");

        // Signing out removes the device's copy.
        if (v.size === "phone") {
          const button = page.locator("button.menu-button");
          if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
        }
        await page.locator("nav .link-button").click();
        await page.waitForURL(/\/auth\/login/);
        const left = await page.evaluate(
          () =>
            new Promise((resolve, reject) => {
              const r = indexedDB.open("cpims-offline");
              r.onsuccess = () => {
                const db = r.result;
                const names = [...db.objectStoreNames];
                if (!names.length) return resolve(0);
                const tx = db.transaction(names);
                const counts = names.map((n) => tx.objectStore(n).count());
                tx.oncomplete = () => resolve(counts.reduce((s, c) => s + c.result, 0));
              };
              r.onerror = () => reject(r.error);
            }),
        );
        assert.equal(left, 0, "nothing is kept on the device after sign-out");
      } catch (err) {
        await rec.failure(page);
        throw err;
      } finally {
        await other?.close();
        await context.close();
      }
    });
    it("in pin_and_server, a restart after the session ended asks for a sign-in on the unlock page, then comes back to the PIN", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-offline-sign-in-to-unlock`);
      const admin = await browser.open("desktop");
      let { context, page } = await browser.open(v.size);
      const pin = "161803";
      try {
        await signInAdmin(admin.page, admins.en);
        await call(admin.page, "PATCH", "/api/v2/system_settings", { offline_unlock: "pin_and_server" });
        await signIn(page, caseworkers[v.locale], { from: "/cases" });
        await serviceWorkerControls(page);
        await optIn(page, pin);
        const lock = await page.evaluate(() => JSON.parse(localStorage.getItem("cpims.offline.lock") ?? "{}"));
        assert.equal(lock.mode, "pin_and_server");
        assert.equal(lock.device_sealed, undefined, "the device key is not kept on the device");

        // The app started again (a new tab: keys in memory gone) after the session ended (its cookie gone, as after 12 hours).
        await context.clearCookies();
        await page.close();
        page = await context.newPage();
        await page.goto(env.origin + "/cases");
        const needed = page.locator("[data-testid=offline-sign-in-needed]");
        await needed.waitFor();
        assert.equal(new URL(page.url()).pathname, "/cases", "the unlock page, not a silent move to the sign-in page");
        assert.match(await needed.textContent(), v.locale === "ar" ? /12/ : /Your session has ended/);
        await expectDir(page, v.locale);
        await rec.step(page, "sign-in-needed");

        // Sign in from there: the app comes back to the unlock page, which says the server's part, then the PIN opens the copy.
        await needed.locator("[data-testid=offline-sign-in]").click();
        await page.waitForURL(/\/auth\/login\?/);
        await page.locator('input[name="identifier"]').fill(caseworkers[v.locale]);
        await page.locator('input[name="password"]').fill(env.caseworkerPassword);
        await page.locator('button[name="method"][value="password"]').click();
        const form = page.locator("[data-testid=offline-unlock]");
        await form.waitFor({ timeout: 60_000 });
        await form.locator("[data-testid=offline-unlock-needs-server]").waitFor();
        assert.equal(new URL(page.url()).pathname, "/cases", "back where the person was");
        await expectDir(page, v.locale);
        await rec.step(page, "back-to-unlock");
        await unlock(page, pin);
        await page.locator(".shell main#main h1").waitFor();
        await page.locator("[data-testid=sync-now]:not([disabled])").waitFor();
        assert.equal(await page.locator("[data-testid=offline-unlock]").count(), 0, "the copy is open");
        assert.equal(await page.evaluate(() => sessionStorage.getItem("cpims.offline.unlock-next")), null);
        await rec.step(page, "unlocked-after-sign-in");
      } catch (err) {
        await rec.failure(page);
        throw err;
      } finally {
        await call(admin.page, "PATCH", "/api/v2/system_settings", { offline_unlock: "pin" }).catch(() => undefined);
        await admin.context.close();
        await context.close();
      }
    });
    it("a photo chosen while registering comes back after a reload offline, unlocked with the PIN, and reaches the server with its description", async () => {
      const rec = new Recorder(`${v.size}-${v.locale}-offline-kept-files`);
      const { context, page } = await browser.open(v.size);
      try {
        await signIn(page, caseworkers[v.locale], { from: "/cases" });
        const tag = `${v.size}${v.locale}${Date.now() % 100000}`;
        const pin = "271828";
        await serviceWorkerControls(page);
        await optIn(page, pin);

        // Registering, with a photo chosen and described: kept on the device, encrypted. (Reached
        // inside the app: every start of the app, a reload included, locks the copy until the PIN.)
        await page.locator('a[href="/cases/new"]').first().click();
        await page.locator("[data-testid=continue-to-form]").click();
        await fillDate(page.locator("#f-registration_date"), today);
        await page.locator("#f-name_first").fill(`Imani${tag}`);
        await page.locator("#f-name_last").fill("Chebet");
        await page.locator("#f-sex").selectOption("female");
        await page.locator('[data-section="photos_and_documents"]').click();
        let photos = page.locator('[data-upload="photos"]');
        await photos.locator("input[type=file]:not([capture])").setInputFiles({ name: "smile.png", mimeType: "image/png", buffer: png() });
        // The device's sealed list of kept files (its IV changes at every write; nothing readable in it).
        const sealedList = () =>
          page.evaluate(
            () =>
              new Promise((resolve, reject) => {
                const r = indexedDB.open("cpims-offline");
                r.onsuccess = () => {
                  const g = r.result.transaction("meta").objectStore("meta").get("uploads");
                  g.onsuccess = () => {
                    const row = g.result;
                    if (!row) return resolve(null);
                    const clear = new TextDecoder().decode(row.ct);
                    resolve({ iv: Array.from(new Uint8Array(row.iv)).join(","), plain: clear.includes("smile") || clear.includes("reload") });
                  };
                  g.onerror = () => reject(g.error);
                };
                r.onerror = () => reject(r.error);
              }),
          );
        const first = await poll(sealedList, "the chosen photo kept on the device");
        await photos.locator('[data-pending="smile.png"] input[data-note="description"]').fill("Before the reload");
        await photos.locator('[data-kept="device"]').waitFor();
        // The description is kept too: the sealed list is written again.
        const described = await poll(async () => {
          const s = await sealedList();
          return s && s.iv !== first.iv ? s : null;
        }, "the description kept on the device");
        assert.equal(described.plain, false, "the kept list is encrypted");
        await expectDir(page, v.locale);
        await rec.step(page, "photo-chosen-kept-on-device");

        // Offline, the page is reloaded before registering: the PIN first, then the form comes back with the photo.
        await context.setOffline(true);
        await page.reload();
        await page.locator("[data-testid=offline-unlock]").waitFor();
        await expectDir(page, v.locale);
        await rec.step(page, "reloaded-offline-pin-asked");
        await unlock(page, pin);
        await page.locator("#f-name_first").waitFor();
        assert.equal(await page.locator("#f-name_first").inputValue(), `Imani${tag}`, "the typing is back");
        await page.locator('[data-section="photos_and_documents"]').click();
        photos = page.locator('[data-upload="photos"]');
        const back = photos.locator('[data-pending="smile.png"]');
        await back.waitFor();
        assert.equal(await back.locator("input[data-note=description]").inputValue(), "Before the reload", "the photo is back with its description");
        assert.equal(await photos.locator("[data-pending]").count(), 1);
        await rec.step(page, "photo-back-after-reload");

        // Registered offline: the case waits in the outbox, the photo on the device.
        await page.locator(".form-actions button[type=submit]").click();
        await page.waitForURL((u) => /^\/cases\/[0-9a-f-]{36}$/.test(u.pathname));
        const id = new URL(page.url()).pathname.split("/").pop();
        await page.locator("[data-testid=not-sent]").waitFor();
        await rec.step(page, "registered-offline");

        // Online again: the case is created, then the photo sent with its description.
        await context.setOffline(false);
        const listed = await poll(async () => {
          const r = await api(page, "GET", `/api/v2/cases/${id}/attachments`);
          return r.ok && r.body.data.length ? r.body.data : null;
        }, "the kept photo on the server");
        assert.deepEqual(
          listed.map((a) => [a.field_name, a.file_name, a.description]),
          [["photos", "smile.png", "Before the reload"]],
        );
        assert.equal((await call(page, "GET", `/api/v2/cases/${id}`)).data.name_first, `Imani${tag}`);
        await page.reload();
        await page.locator('[data-section="photos_and_documents"]').click();
        await page.locator('[data-upload="photos"] .upload-item[data-attachment="smile.png"]').waitFor();
        await rec.step(page, "photo-on-server");
      } catch (err) {
        await rec.failure(page);
        throw err;
      } finally {
        await context.close();
      }
    });
  });
}
