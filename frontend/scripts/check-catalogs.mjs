// Checks the UI string catalogues (src/locales/<locale>/messages.po): every
// message of the source (English) is translated in every other locale, and
// the catalogues are current with the code (lingui extract changes nothing).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const locales = ["en", "fr", "es", "ar"];
const file = (l) => join(root, "src", "locales", l, "messages.po");

/** entries parses msgid/msgstr pairs (single-line and multi-line strings). */
export function entries(po) {
  const out = [];
  let cur = null;
  let field = null;
  const unq = (s) => JSON.parse(s);
  for (const line of po.split("\n")) {
    let m;
    if ((m = line.match(/^msgid (".*")$/))) {
      cur = { id: unq(m[1]), str: "" };
      field = "id";
    } else if ((m = line.match(/^msgstr (".*")$/)) && cur) {
      cur.str = unq(m[1]);
      field = "str";
      out.push(cur);
    } else if ((m = line.match(/^(".*")$/)) && cur) {
      if (field === "id") cur.id += unq(m[1]);
      else cur.str += unq(m[1]);
    }
  }
  return out.filter((e) => e.id !== "");
}

const before = Object.fromEntries(locales.map((l) => [l, readFileSync(file(l), "utf8")]));
let failed = false;
try {
  execFileSync(join(root, "node_modules", ".bin", "lingui"), ["extract", "--clean"], { cwd: root, stdio: "pipe" });
  for (const l of locales) {
    if (readFileSync(file(l), "utf8") !== before[l]) {
      console.error(`src/locales/${l}/messages.po is not current with the code: run \`npm run i18n:extract\` and translate the new messages`);
      failed = true;
    }
  }
} finally {
  for (const l of locales) writeFileSync(file(l), before[l]);
}
for (const l of locales.filter((l) => l !== "en")) {
  const missing = entries(before[l]).filter((e) => !e.str);
  if (missing.length) {
    console.error(`${l}: ${missing.length} messages not translated, e.g. ${JSON.stringify(missing.slice(0, 3).map((e) => e.id))}`);
    failed = true;
  }
}
if (failed) process.exit(1);
console.log(`catalogues current and complete: ${entries(before.en).length} messages in ${locales.join(", ")}`);
