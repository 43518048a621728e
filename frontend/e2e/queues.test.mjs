// The transfers and referrals queue in a real browser against the real stack
// (frontend/browser_test.go): a caseworker refers a case to their manager
// (through the API) and finds it under "Sent by me" with Revoke; the manager
// opens the queue from Home's "Referrals to me" count (the type filter in the
// URL), accepts it, finds it under the accepted status and marks it done (the
// tenant is left as found: nothing pending). Desktop in English, phone in
// Arabic; axe-core on every step.
import { it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, api, env, expectDir, scenario, signIn, today, useBrowser } from "./helpers.mjs";

const browser = useBrowser();
// digits reads a count shown in Western or Arabic-Indic digits.
const digits = (text) => Number(text.replace(/[٠-٩]/g, (d) => "٠١٢٣٤٥٦٧٨٩".indexOf(d)).replace(/[^\d]/g, ""));

for (const v of [
  { size: "desktop", locale: "en", caseworker: process.env.CPIMS_TEAM_CASEWORKER_EMAIL, manager: process.env.CPIMS_TEAM_MANAGER_EMAIL },
  { size: "phone", locale: "ar", caseworker: process.env.CPIMS_TEAM_CASEWORKER_AR_EMAIL, manager: process.env.CPIMS_TEAM_MANAGER_AR_EMAIL },
]) {
  scenario(`queues ${v.size} ${v.locale}`, () => {
    const name = `${v.size}-${v.locale}`;
    it("a referral is found in the sender's and the receiver's queues, accepted and marked done there", async () => {
      assert.ok(v.caseworker && v.manager, "CPIMS_TEAM_* are set by the harness");
      const rec = new Recorder(`${name}-queues`);
      const contexts = [];
      const open = async () => {
        const { context, page } = await browser.open(v.size);
        contexts.push(context);
        return page;
      };
      let page;
      try {
        const cw = await open();
        page = cw;
        await signIn(cw, v.caseworker);
        await expectDir(cw, v.locale);
        const id = crypto.randomUUID();
        const created = await api(cw, "POST", "/api/v2/cases", {
          data: { id, module_id: "primeromodule-cp", registration_date: today, name_first: `Zawadi${v.size}${v.locale}`, name_last: "Mwangi", sex: "female" },
        });
        assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
        const shortId = created.body.data.short_id;
        const referred = await api(cw, "POST", `/api/v2/cases/${id}/referrals`, { data: { transitioned_to: v.manager, notes: "Needs a visit this week" } });
        assert.equal(referred.status, 200, JSON.stringify(referred.body));

        // The sender: "Sent by me", the referral with the child's name and Revoke.
        await cw.goto(`${env.origin}/transitions?direction=out`);
        const sent = cw.locator(`li[data-case="${shortId}"][data-transition="referral"]`);
        await sent.waitFor();
        assert.match(await sent.textContent(), new RegExp(`Zawadi${v.size}${v.locale} Mwangi`));
        assert.equal(await sent.locator('button[data-answer="revoked"]').count(), 1);
        assert.equal(await sent.locator('button[data-answer="accepted"]').count(), 0, "the sender does not accept");
        assert.equal(await cw.locator('button[data-direction="out"][aria-pressed="true"]').count(), 1);
        await rec.step(cw, "sender-out");

        // The manager: Home's count opens the queue filtered on referrals.
        const mg = await open();
        page = mg;
        await signIn(mg, v.manager);
        await expectDir(mg, v.locale);
        const count = mg.locator('[data-testid="count-referrals-in"]');
        await count.waitFor();
        // Home's counts are the queues' totals: each count linked to the queue
        // equals the total the queue's API gives on the same filters; the
        // manager's "Referrals I sent" counts the caseworker they manage.
        const linked = await mg.locator('.counts a[href^="/transitions"]').evaluateAll((as) =>
          as.map((a) => ({ href: a.getAttribute("href"), n: Number(a.closest(".count").querySelector("dd").textContent) })),
        );
        assert.equal(linked.length, 6, "six pending counts open the queue");
        for (const { href, n } of linked) {
          const q = new URLSearchParams(href.split("?")[1] ?? "");
          const res = await api(mg, "GET", `/api/v2/transitions?status=pending&direction=${q.get("direction") ?? "in"}&type=${q.get("type")}&per=1`);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.equal(n, res.body.metadata.total, `Home's count of ${href} is its queue's total`);
        }
        const out = linked.find((c) => c.href === "/transitions?direction=out&type=referral");
        assert.ok(out && out.n >= 1, "the referral the caseworker (whom the manager manages) sent");
        const toAnswer = await api(mg, "GET", "/api/v2/approvals?status=pending&to_answer=true&per=1");
        assert.equal(Number(await mg.locator('[data-testid="count-approvals"] dd').textContent()), toAnswer.body.metadata.total);
        const referralsIn = Number(await count.locator("dd").textContent());
        await rec.step(mg, "manager-home");
        await count.locator("a").click();
        await mg.waitForURL(/\/transitions\?type=referral$/);
        assert.equal(await mg.locator("#queue-type").inputValue(), "referral");
        const item = mg.locator(`li[data-case="${shortId}"][data-transition="referral"]`);
        await item.waitFor();
        assert.equal(await item.locator("a").getAttribute("href"), `/cases/${id}`);
        // The access role (the receiver's own, role-case-manager) by its name in the
        // page's language: the manager holds no roles:read, the server names it.
        assert.equal(await item.locator('[data-detail="role"]').textContent(), v.locale === "ar" ? "مدير حالات" : "Case manager");
        // The queue lists as many as Home counted (one page: the count is small; Arabic's
        // plural for one has no digit, so the items are counted, not the total's text).
        assert.ok(referralsIn >= 1 && referralsIn <= 20);
        assert.equal(await mg.locator("ol.transition-list > li").count(), referralsIn, "the queue lists Home's count");
        await rec.step(mg, "manager-queue");
        await item.locator('button[data-answer="accepted"]').click();
        await item.waitFor({ state: "detached" });
        await mg.locator('[role=status].notice-success').waitFor();
        await rec.step(mg, "manager-accepted");

        // Accepted: still there under its status, to be marked done.
        await mg.locator("#queue-status").selectOption("accepted");
        await mg.waitForURL(/status=accepted/);
        const accepted = mg.locator(`li[data-case="${shortId}"][data-status="accepted"]`);
        await accepted.locator('button[data-answer="done"]').click();
        await accepted.waitFor({ state: "detached" });
        // Done ends the manager's access: only the sender lists it now.
        const after = await api(cw, "GET", `/api/v2/transitions?status=done&type=referral&direction=out`);
        assert.ok(after.body.data.some((t) => t.record_id === id), "the referral is done");
        await rec.step(mg, "manager-done");

        // "Pending approvals" on Home opens the list of exactly those (every pending
        // request on the cases the manager sees), where the manager approves one.
        const asked = await api(cw, "PATCH", `/api/v2/cases/${id}/approvals/case_plan`, { data: { approval_status: "requested", notes: "Plan ready" } });
        assert.equal(asked.status, 200, JSON.stringify(asked.body));
        await mg.goto(`${env.origin}/`);
        const pendingCount = mg.locator('[data-testid="count-pending-approvals"]');
        await pendingCount.waitFor();
        const figure = digits(await pendingCount.locator("dd").textContent());
        const all = await api(mg, "GET", "/api/v2/approvals?status=pending&per=1");
        assert.equal(figure, all.body.metadata.total, "Home's figure is the list's total");
        assert.ok(figure >= 1 && figure <= 20, `one page holds them all (${figure})`);
        await pendingCount.locator("a").click();
        await mg.waitForURL(/\/approvals\?show=all$/);
        await mg.locator('button[data-show="all"][aria-pressed="true"]').waitFor(); // the page follows the URL once rendered
        const request = mg.locator(`li[data-case="${shortId}"][data-approval="case_plan"]`);
        await request.waitFor();
        assert.equal(await mg.locator("ol.approval-queue > li").count(), figure, "the page lists Home's figure");
        await rec.step(mg, "manager-pending-approvals");
        await request.locator('button[data-action="answer"]').click();
        await request.locator("textarea").fill("Agreed");
        await request.locator('button[data-answer="approved"]').click();
        await request.waitFor({ state: "detached" });
        await mg.locator('[role=status].notice-success').waitFor();
        assert.equal(await mg.locator("ol.approval-queue > li").count(), figure - 1);
        await rec.step(mg, "manager-approved-from-pending");
      } catch (err) {
        if (page) await rec.failure(page);
        throw err;
      } finally {
        for (const c of contexts) await c.close();
      }
    });
  });
}
