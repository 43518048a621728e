// Generates the typed API client's inputs from the committed tenant spec
// (../api/openapi/tenant.yaml): src/api/schema.d.ts (openapi-typescript) and
// src/api/catalog.ts (the permission catalogue, x-permission-catalog).
// With --check, writes nothing and fails when a committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import yaml from "js-yaml";
import openapiTS, { astToString } from "openapi-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const specPath = join(root, "..", "api", "openapi", "tenant.yaml");
const check = process.argv.includes("--check");

const banner = "// Generated from api/openapi/tenant.yaml by frontend/scripts/gen.mjs: do not edit.\n";
const specText = readFileSync(specPath, "utf8");
const spec = yaml.load(specText);

const ast = await openapiTS(spec);
const schema = banner + astToString(ast);

const catalog = spec["x-permission-catalog"] ?? [];
const catalogTS =
  banner +
  "/** One resource of the policy catalogue, with the actions a role may be granted on it. */\n" +
  "export interface CatalogResource {\n  resource: string;\n  description: string;\n  actions: { action: string; description: string }[];\n}\n\n" +
  "/** Every permission a tenant role may hold (policy/catalog.go). */\n" +
  `export const permissionCatalog: CatalogResource[] = ${JSON.stringify(catalog, null, 2)};\n`;

let stale = [];
for (const [file, text] of [["src/api/schema.d.ts", schema], ["src/api/catalog.ts", catalogTS]]) {
  const path = join(root, file);
  if (check) {
    let old = "";
    try { old = readFileSync(path, "utf8"); } catch { /* missing */ }
    if (old !== text) stale.push(file);
  } else {
    writeFileSync(path, text);
    console.log("wrote", file);
  }
}
if (stale.length) {
  console.error(`stale generated client: ${stale.join(", ")} (run \`npm run gen\` in frontend/, or go tool task web:gen)`);
  process.exit(1);
}
if (check) console.log("generated client is current");
