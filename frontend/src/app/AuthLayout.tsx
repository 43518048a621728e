// The layout of the sign-in, recovery and account pages: the country
// instance's name, the language switcher, one centred card.
import type { ReactNode } from "react";
import { Trans } from "@lingui/react/macro";
import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { OfflineBanner } from "../components/OfflineBanner";
import { useSystemSettings } from "./queries";

/** account: a signed-in member is on the page, so the language switcher saves to their account. */
export function AuthLayout({ title, children, wide, account }: { title: ReactNode; children: ReactNode; wide?: boolean; account?: boolean }) {
  const settings = useSystemSettings();
  return (
    <div className="auth">
      <header className="auth-header">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name" data-testid="tenant-name">{settings.data?.name ?? "CPIMS+"}</span>
        </p>
        <LanguageSwitcher available={settings.data?.locales} account={account} />
      </header>
      <OfflineBanner />
      <main id="main" className={wide ? "auth-card auth-card-wide" : "auth-card"}>
        <h1>{title}</h1>
        {children}
      </main>
      <footer className="auth-footer">
        <p className="muted">
          <Trans>CPIMS+ child protection information management</Trans>
        </p>
      </footer>
    </div>
  );
}
