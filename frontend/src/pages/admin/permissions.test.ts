// Every permission of the catalogue is described in all four languages.
import { describe, expect, it } from "vitest";
import { permissionCatalog } from "../../api/catalog";
import { activate, i18n, supportedLocales } from "../../i18n";
import { permissionText, permissionTexts } from "./permissions";

const entries = permissionCatalog.flatMap((r) => [
  { key: r.resource, english: r.description },
  ...r.actions.map((a) => ({ key: `${r.resource}:${a.action}`, english: a.description })),
]);

describe("permission descriptions", () => {
  it("has a text for every resource and permission of the catalogue, in the catalogue's English", () => {
    for (const e of entries) {
      expect(permissionTexts[e.key], `${e.key} has no text in src/pages/admin/permissions.ts`).toBeDefined();
      expect(permissionTexts[e.key].message, `${e.key}'s English changed in policy/catalog.go`).toBe(e.english);
    }
    expect(Object.keys(permissionTexts).sort()).toEqual(entries.map((e) => e.key).sort());
  });

  it("translates each one in French, Spanish and Arabic", async () => {
    for (const l of supportedLocales.filter((l) => l !== "en")) {
      await activate(l);
      for (const e of entries) {
        const text = permissionText(i18n, e.key, e.english);
        expect(text, `${e.key} in ${l}`).not.toBe(e.english);
        expect(text.trim(), `${e.key} in ${l}`).not.toBe("");
      }
    }
    await activate("ar");
    expect(permissionText(i18n, "users:write_self", "")).toBe("تغيير الاسم واللغة الخاصين");
    expect(permissionText(i18n, "reports:export", "Export reports")).toBe("Export reports");
    await activate("en");
  });
});
