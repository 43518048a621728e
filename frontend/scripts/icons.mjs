// Renders the PWA's PNG icons from public/icon.svg with Chromium
// (playwright-core, /usr/bin/chromium). Run after changing the SVG; the PNGs
// are committed.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const pub = join(dirname(fileURLToPath(import.meta.url)), "..", "public");
const svg = readFileSync(join(pub, "icon.svg"), "utf8");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage();
for (const [file, size, pad] of [["icon-192.png", 192, 0], ["icon-512.png", 512, 0], ["icon-maskable-512.png", 512, 0.1]]) {
  await page.setViewportSize({ width: size, height: size });
  // Maskable icons keep their content in the central safe zone, on a full-bleed background.
  const inner = Math.round(size * (1 - 2 * pad));
  await page.setContent(
    `<html><body style="margin:0;background:#0b5394;display:grid;place-items:center;width:${size}px;height:${size}px">` +
      `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}" width="${inner}" height="${inner}"></body></html>`,
  );
  await page.screenshot({ path: join(pub, file), omitBackground: pad === 0 });
  console.log("wrote", file);
}
await browser.close();
