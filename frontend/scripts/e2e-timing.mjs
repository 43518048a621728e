// Where the browser tests' time went: sums what e2e/helpers.mjs wrote to
// .artifacts/timing/ (per scenario: steps, settle, screenshot, axe, elapsed
// from the Recorder's start to its last step; sign-ins). Run after
// TestWebAppInARealBrowser: node scripts/e2e-timing.mjs [dir]
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? join(import.meta.dirname, "..", "..", ".artifacts", "timing");
const s = (ms) => (ms / 1000).toFixed(1);
const rows = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({ name: f.slice(0, -5), ...JSON.parse(readFileSync(join(dir, f), "utf8")) }))
  .sort((a, b) => b.elapsed - a.elapsed);
const total = { steps: 0, elapsed: 0, settle: 0, screenshot: 0, axe: 0 };
console.log("| scenario | steps | elapsed s | settle s | screenshot s | axe s |\n|---|---|---|---|---|---|");
for (const r of rows) {
  for (const k of Object.keys(total)) total[k] += r[k];
  console.log(`| ${r.name} | ${r.steps} | ${s(r.elapsed)} | ${s(r.settle)} | ${s(r.screenshot)} | ${s(r.axe)} |`);
}
console.log(`| all (${rows.length}) | ${total.steps} | ${s(total.elapsed)} | ${s(total.settle)} | ${s(total.screenshot)} | ${s(total.axe)} |`);
const signins = join(dir, "signins.jsonl");
if (existsSync(signins)) {
  const list = readFileSync(signins, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const ms = list.reduce((a, x) => a + x.ms, 0);
  console.log(`sign-ins: ${list.length}, ${s(ms)} s in all (mean ${s(ms / Math.max(1, list.length))} s)`);
}
