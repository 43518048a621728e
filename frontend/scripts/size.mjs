// After `vite build`: precompress the app's text files (name.gz, served by
// the Go handler to browsers that accept gzip), report every chunk's gzip
// size, and fail when the initial JavaScript (the entry module and what it
// imports statically, i.e. what index.html loads) is over the budget.
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const BUDGET_KB = 250;
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "app");
const kb = (n) => (n / 1024).toFixed(1);

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const gzSize = {};
for (const file of walk(root)) {
  if (!/\.(js|css|html|svg|webmanifest|json|txt)$/.test(file)) continue;
  const gz = gzipSync(readFileSync(file), { level: 9 });
  gzSize[relative(root, file)] = gz.length;
  writeFileSync(file + ".gz", gz);
}

// The initial load: scripts and modulepreloads named in index.html.
const html = readFileSync(join(root, "index.html"), "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
const initialCss = [...html.matchAll(/href="\/([^"]+\.css)"/g)].map((m) => m[1]);
const initialJs = initial.reduce((s, f) => s + (gzSize[f] ?? 0), 0);

const rows = Object.entries(gzSize)
  .filter(([f]) => f.endsWith(".js") || f.endsWith(".css"))
  .sort((a, b) => b[1] - a[1]);
console.log("chunk sizes (gzip):");
for (const [f, n] of rows) console.log(`  ${kb(n).padStart(7)} KB  ${f}${initial.includes(f) || initialCss.includes(f) ? "  (initial)" : ""}`);
const total = rows.filter(([f]) => f.endsWith(".js")).reduce((s, [, n]) => s + n, 0);
console.log(`initial JavaScript: ${kb(initialJs)} KB gzip of ${BUDGET_KB} KB budget (${initial.length} files); all JavaScript: ${kb(total)} KB gzip`);
writeFileSync(join(root, "..", "sizes.json"), JSON.stringify({ initialJsGzip: initialJs, budgetKB: BUDGET_KB, files: gzSize }, null, 2));
if (initialJs > BUDGET_KB * 1024) {
  console.error(`over budget: initial JavaScript ${kb(initialJs)} KB > ${BUDGET_KB} KB gzip`);
  process.exit(1);
}
