import type { LinguiConfig } from "@lingui/conf";

// UI strings: gettext PO catalogues, one per locale (src/locales/<locale>/messages.po),
// the format translators' tools (Weblate, Transifex, Crowdin) and the server's
// translations import read. English is the source; `npm run i18n:extract` updates them.
const config: LinguiConfig = {
  sourceLocale: "en",
  locales: ["en", "fr", "es", "ar"],
  fallbackLocales: { default: "en" },
  catalogs: [{ path: "<rootDir>/src/locales/{locale}/messages", include: ["<rootDir>/src"], exclude: ["**/*.test.*"] }],
  format: "po",
  orderBy: "message",
};
export default config;
