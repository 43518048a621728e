// The signed-in layout: header with the country instance's name, navigation
// adapted to the role, language switcher, account menu; a skip link; the
// offline banner.
import { useState, type ReactNode } from "react";
import { Link, useNavigate, useRouterState } from "@tanstack/react-router";
import { Trans, useLingui } from "@lingui/react/macro";
import { plural } from "@lingui/core/macro";
import { useQueryClient } from "@tanstack/react-query";
import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { OfflineBanner } from "../components/OfflineBanner";
import { logout } from "../kratos/client";
import { adminNav, mainNav, visible } from "./nav";
import { useSystemSettings } from "./queries";
import { markSignedIn, useSession } from "./session";
import { forgetActivity } from "./sessionEnd";
import { clearOffline, optedIn, waiting as waitingChanges } from "../offline/runtime";
import { useAutoSync } from "../offline/OfflinePanel";

export function useSignOut() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  return async () => {
    // Nothing personal stays readable after sign-out: the device's copy goes (after a warning when changes wait).
    const kept = !!optedIn();
    const waiting = kept ? await waitingChanges().catch(() => 0) : 0;
    if (
      waiting &&
      !window.confirm(
        plural(waiting, {
          one: "# change made offline has not been sent yet and will be lost. Sign out anyway?",
          other: "# changes made offline have not been sent yet and will be lost. Sign out anyway?",
        }),
      )
    )
      return;
    if (kept) await clearOffline();
    markSignedIn(false);
    forgetActivity();
    await logout();
    qc.clear();
    await navigate({ to: "/auth/login", search: { signed_out: "1" } });
  };
}

export function Shell({ children }: { children: ReactNode }) {
  const { i18n, t } = useLingui();
  const { me } = useSession();
  const settings = useSystemSettings();
  const [menuOpen, setMenuOpen] = useState(false);
  const signOut = useSignOut();
  useAutoSync(me);
  const path = useRouterState({ select: (s) => s.location.pathname });
  const admin = visible(adminNav, me?.permissions);
  const close = () => setMenuOpen(false);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        <Trans>Skip to content</Trans>
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="app-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true" className="menu-icon" />
          <span className="visually-hidden">
            <Trans>Menu</Trans>
          </span>
        </button>
        <Link to="/" className="brand" onClick={close}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name" data-testid="tenant-name">{settings.data?.name ?? "CPIMS+"}</span>
        </Link>
        <div className="topbar-end">
          <LanguageSwitcher available={settings.data?.locales} account />
        </div>
      </header>
      <OfflineBanner />
      <div className="body">
        <nav id="app-nav" className={menuOpen ? "nav nav-open" : "nav"} aria-label={t`Main`}>
          <ul>
            {visible(mainNav, me?.permissions).map((item) => (
              <li key={item.to}>
                <Link to={item.to} onClick={close} aria-current={path === item.to || (item.to !== "/" && path.startsWith(item.to + "/")) ? "page" : undefined}>
                  {i18n._(item.label)}
                </Link>
              </li>
            ))}
          </ul>
          {admin.length > 0 && (
            <>
              <h2 className="nav-heading" id="nav-admin">
                <Trans>Administration</Trans>
              </h2>
              <ul aria-labelledby="nav-admin">
                {admin.map((item) => (
                  <li key={item.to}>
                    <Link to={item.to} onClick={close} aria-current={path.startsWith(item.to) ? "page" : undefined}>
                      {i18n._(item.label)}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="nav-heading" id="nav-account">
            <Trans>My account</Trans>
          </h2>
          <p className="nav-user" dir="auto">
            {me?.full_name}
            <br />
            <span className="muted" dir="ltr">
              {me?.email}
            </span>
          </p>
          <ul aria-labelledby="nav-account">
            <li>
              <Link to="/auth/settings" onClick={close}>
                <Trans>Account settings</Trans>
              </Link>
            </li>
            <li>
              <button type="button" className="link-button" onClick={() => void signOut()}>
                <Trans>Sign out</Trans>
              </button>
            </li>
          </ul>
        </nav>
        <main id="main" tabIndex={-1} className="main">
          {children}
        </main>
      </div>
    </div>
  );
}
