// Languages of the app: Lingui with one PO catalogue per locale, loaded on
// demand (each is its own chunk). Arabic is right to left: the whole layout
// mirrors through dir="rtl" and CSS logical properties.
import { i18n } from "@lingui/core";

export const supportedLocales = ["en", "fr", "es", "ar"] as const;
export type Locale = (typeof supportedLocales)[number];

/** Each language's name in that language, for the switcher. */
export const localeNames: Record<Locale, string> = { en: "English", fr: "Français", es: "Español", ar: "العربية" };

const rtlLocales = new Set<string>(["ar"]);

export function direction(locale: string): "rtl" | "ltr" {
  return rtlLocales.has(locale.split("-")[0]) ? "rtl" : "ltr";
}

const loaders: Record<Locale, () => Promise<{ messages: Record<string, unknown> }>> = {
  en: () => import("./locales/en/messages.po"),
  fr: () => import("./locales/fr/messages.po"),
  es: () => import("./locales/es/messages.po"),
  ar: () => import("./locales/ar/messages.po"),
};

const storageKey = "cpims.locale";

export function isSupported(l: string | undefined | null): l is Locale {
  return !!l && (supportedLocales as readonly string[]).includes(l);
}

/**
 * pickLocale chooses the language: the person's own choice in this browser,
 * then their account's language, then the browser's languages, then the
 * country instance's default; only among the instance's languages we have.
 */
export function pickLocale(opts: {
  stored?: string | null;
  account?: string | null;
  browser?: readonly string[];
  available?: readonly string[] | null;
  fallback?: string | null;
}): Locale {
  const available = (opts.available?.length ? opts.available : supportedLocales).filter(isSupported);
  const ok = (l: string | null | undefined) => {
    const base = l?.split("-")[0]?.toLowerCase();
    return isSupported(base) && available.includes(base) ? base : undefined;
  };
  return (
    ok(opts.stored) ??
    ok(opts.account) ??
    (opts.browser ?? []).map(ok).find(Boolean) ??
    ok(opts.fallback) ??
    (available[0] as Locale | undefined) ??
    "en"
  );
}

export function storedLocale(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function storeLocale(l: Locale) {
  try {
    localStorage.setItem(storageKey, l);
  } catch {
    /* private mode: the choice lasts this page */
  }
}

/**
 * tenantWording fetches the instance's own wording of the app's texts in a
 * language (only the messages that differ from the app's catalogue); none
 * when it cannot be had (offline, an older server): the app's own texts stand.
 * Replaceable for tests.
 */
export const tenantWording = {
  load: async (locale: Locale): Promise<Record<string, string>> => {
    try {
      const res = await fetch(`/api/v2/translations/ui/${encodeURIComponent(locale)}?changed=true`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!res.ok) return {};
      const body = (await res.json()) as { data?: { messages?: Record<string, string> } };
      return body.data?.messages ?? {};
    } catch {
      return {};
    }
  },
};

/**
 * activate loads the locale's catalogue with the instance's own wording over
 * it (so a country's translators fix a text without a new build), and sets
 * the document's lang and dir.
 */
export async function activate(locale: Locale): Promise<void> {
  const [{ messages }, own] = await Promise.all([loaders[locale](), tenantWording.load(locale)]);
  const overrides = Object.keys(own).length ? (await import("./i18n-overrides")).compileOverrides(own) : {};
  i18n.loadAndActivate({ locale, messages: { ...(messages as Record<string, unknown>), ...overrides } as never });
  if (typeof document !== "undefined") {
    document.documentElement.lang = locale;
    document.documentElement.dir = direction(locale);
  }
}

export { i18n };
