import { useId, useState } from "react";
import { useLingui } from "@lingui/react";
import { Trans } from "@lingui/react/macro";
import { chooseLanguage } from "../app/account";
import { isSupported, localeNames, supportedLocales } from "../i18n";

/**
 * LanguageSwitcher changes the app's language. The choice is kept in this
 * browser (the sign-in pages use it) and, for a signed-in member (account),
 * saved to their account, so that every device they sign in on uses it.
 */
export function LanguageSwitcher({ available, account }: { available?: readonly string[] | null; account?: boolean }) {
  const { i18n } = useLingui();
  const id = useId();
  const [localOnly, setLocalOnly] = useState(false);
  const locales = supportedLocales.filter((l) => !available?.length || available.includes(l));
  return (
    <div className="language">
      <label htmlFor={id}>
        <Trans>Language</Trans>
      </label>
      <select
        id={id}
        value={i18n.locale}
        aria-describedby={localOnly ? `${id}-local` : undefined}
        onChange={async (e) => {
          const l = e.target.value;
          if (!isSupported(l)) return;
          setLocalOnly(false);
          const saved = await chooseLanguage(l, !!account);
          setLocalOnly(!!account && !saved);
        }}
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {localeNames[l]}
          </option>
        ))}
      </select>
      <span id={`${id}-local`} role="status" className={localOnly ? "language-note" : "visually-hidden"}>
        {localOnly && <Trans>In this browser only: your account could not be updated.</Trans>}
      </span>
    </div>
  );
}
