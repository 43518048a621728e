// The signed-in person's own account: name and language, saved through
// PATCH /api/v2/users/me. The account's language is the app's language after
// sign-in on any device; the browser's own choice (localStorage) only decides
// the sign-in pages, and follows the account's language once signed in.
import { useEffect, useRef } from "react";
import { api, data, type CurrentUser, type User } from "../api/client";
import { activate, i18n, isSupported, storeLocale, type Locale } from "../i18n";
import { meQuery, queryClient } from "./queries";

/** saveOwnAccount changes the signed-in person's name, language or time zone and updates the cached account. */
export async function saveOwnAccount(patch: { full_name?: string; locale?: string; time_zone?: string }): Promise<User> {
  const u = data(await api.PATCH("/api/v2/users/me", { body: patch })).data;
  queryClient.setQueryData<CurrentUser>(meQuery.queryKey, (old) => (old ? { ...old, ...u } : old));
  return u;
}

/**
 * chooseLanguage switches the app to locale l in this browser and, when
 * account is set (a signed-in member), saves it to the account. It reports
 * whether the account has it (false: this browser only).
 */
export async function chooseLanguage(l: Locale, account: boolean): Promise<boolean> {
  storeLocale(l);
  await activate(l);
  if (!account) return false;
  try {
    await saveOwnAccount({ locale: l });
    return true;
  } catch {
    return false;
  }
}

/**
 * useAccountLocale applies the account's language when it becomes known or
 * changes (not again on every render: a language chosen here and not yet
 * saved stays), among the instance's languages.
 */
export function useAccountLocale(locale: string | undefined, available: readonly string[] | null | undefined) {
  const applied = useRef<string>(undefined);
  useEffect(() => {
    if (!locale || applied.current === locale) return;
    applied.current = locale;
    if (!isSupported(locale) || (available?.length && !available.includes(locale))) return;
    storeLocale(locale);
    if (locale !== i18n.locale) void activate(locale);
  }, [locale, available]);
}
