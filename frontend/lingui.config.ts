import type { LinguiConfig } from "@lingui/conf";
import { formatter } from "@lingui/format-po";

// UI strings: gettext PO catalogues, one per locale (src/locales/<locale>/messages.po),
// the format translators' tools (Weblate, Transifex, Crowdin) and the server's
// translations import read. English is the source; `npm run i18n:extract` updates them.
const config: LinguiConfig = {
  sourceLocale: "en",
  locales: ["en", "fr", "es", "ar"],
  fallbackLocales: { default: "en" },
  catalogs: [{ path: "<rootDir>/src/locales/{locale}/messages", include: ["<rootDir>/src"], exclude: ["**/*.test.*"] }],
  // Origins without line numbers: catalogues change only when messages do.
  format: formatter({ origins: true, lineNumbers: false }),
  orderBy: "message",
};
export default config;
