// Language choice and right-to-left switching.
import { afterEach, describe, expect, it } from "vitest";
import { msg, plural } from "@lingui/core/macro";
import { generateMessageId } from "@lingui/message-utils/generateMessageId";
import { activate, direction, i18n, pickLocale, tenantWording } from "./i18n";

describe("pickLocale", () => {
  it("prefers this browser's choice, then the account, then the browser's languages, then the instance's default", () => {
    const available = ["en", "fr", "ar"];
    expect(pickLocale({ stored: "ar", account: "fr", browser: ["es"], available })).toBe("ar");
    expect(pickLocale({ stored: null, account: "fr", browser: ["ar"], available })).toBe("fr");
    expect(pickLocale({ browser: ["es-MX", "ar-KE"], available })).toBe("ar");
    expect(pickLocale({ browser: ["sw"], available, fallback: "fr" })).toBe("fr");
  });

  it("only picks languages the instance has and the app speaks", () => {
    expect(pickLocale({ stored: "es", browser: ["es"], available: ["en", "ar"] })).toBe("en");
    expect(pickLocale({ account: "sw", available: ["sw", "fr"] })).toBe("fr");
    expect(pickLocale({})).toBe("en");
  });
});

describe("activate", () => {
  it("switches the catalogue, the document's language and its direction", async () => {
    await activate("ar");
    expect(document.documentElement.lang).toBe("ar");
    expect(document.documentElement.dir).toBe("rtl");
    expect(i18n._(msg`Sign out`)).toBe("تسجيل الخروج");
    await activate("fr");
    expect(document.documentElement.dir).toBe("ltr");
    expect(document.documentElement.lang).toBe("fr");
    expect(i18n._(msg`Sign out`)).toBe("Se déconnecter");
    expect(direction("ar-EG")).toBe("rtl");
    expect(direction("es")).toBe("ltr");
  });
});

describe("plurals", () => {
  it("follow each language's rules (Arabic has six forms)", async () => {
    const entries = (total: number) => plural(total, { one: "# entry, newest first", other: "# entries, newest first" });
    await activate("en");
    expect(entries(1)).toBe("1 entry, newest first");
    expect(entries(5)).toBe("5 entries, newest first");
    await activate("ar");
    expect(entries(2)).toBe("إدخالان");
    expect(entries(3)).toContain("إدخالات");
  });
});

describe("the instance's own wording", () => {
  const noWording = tenantWording.load;
  afterEach(() => {
    tenantWording.load = noWording;
  });
  const entries = "{total, plural, one {# entry, newest first} other {# entries, newest first}}";

  it("overrides the built-in texts of that language: plain, with placeholders, with plurals", async () => {
    const asked: string[] = [];
    tenantWording.load = async (locale) => {
      asked.push(locale);
      return locale !== "fr"
        ? {}
        : {
            [msg`Sign out`.id]: "Quitter la session",
            [generateMessageId("Welcome, {name}")]: "Bonjour {name} !",
            [generateMessageId(entries)]: "{total, plural, one {# ligne} other {# lignes}}",
            [generateMessageId("Home")]: "Accueil {cassé",
          };
    };
    await activate("fr");
    expect(asked).toEqual(["fr"]);
    expect(i18n._(msg`Sign out`)).toBe("Quitter la session");
    expect(i18n._(generateMessageId("Welcome, {name}"), { name: "Amina" })).toBe("Bonjour Amina !");
    expect(i18n._(generateMessageId(entries), { total: 1 })).toBe("1 ligne");
    expect(i18n._(generateMessageId(entries), { total: 3 })).toBe("3 lignes");
    // A text that does not parse keeps the app's own.
    expect(i18n._(msg`Home`)).toBe("Accueil");
    // Another language keeps its catalogue, and coming back without wording restores the built-in text.
    await activate("ar");
    expect(i18n._(msg`Sign out`)).toBe("تسجيل الخروج");
    tenantWording.load = noWording;
    await activate("fr");
    expect(i18n._(msg`Sign out`)).toBe("Se déconnecter");
  });
});
