import { useId } from "react";
import { useLingui } from "@lingui/react";
import { Trans } from "@lingui/react/macro";
import { activate, isSupported, localeNames, storeLocale, supportedLocales, type Locale } from "../i18n";

/** LanguageSwitcher changes the app's language; the choice is kept in this browser. */
export function LanguageSwitcher({ available, onChange }: { available?: readonly string[] | null; onChange?: (l: Locale) => void }) {
  const { i18n } = useLingui();
  const id = useId();
  const locales = supportedLocales.filter((l) => !available?.length || available.includes(l));
  return (
    <div className="language">
      <label htmlFor={id}>
        <Trans>Language</Trans>
      </label>
      <select
        id={id}
        value={i18n.locale}
        onChange={async (e) => {
          const l = e.target.value;
          if (!isSupported(l)) return;
          storeLocale(l);
          await activate(l);
          onChange?.(l);
        }}
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {localeNames[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
