// Account settings: password, authenticator app (TOTP, with its QR code),
// recovery codes, language. After an invitation or a password reset, Kratos
// leads here to choose the password.
import type { ReactNode } from "react";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Trans } from "@lingui/react/macro";
import { AuthLayout } from "../../app/AuthLayout";
import { useSystemSettings } from "../../app/queries";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { KratosForm, Messages } from "../../kratos/KratosForm";
import { groupsOf } from "../../kratos/nodes";
import { useFlow } from "../../kratos/useFlow";
import { FlowFailure } from "./FlowFailure";

/** Kratos' message "you recovered your account: choose a password now". */
const RECOVERED = 1060001;
const SAVED = 1050001;

export default function Settings() {
  const search = useSearch({ strict: false }) as { flow?: string };
  const navigate = useNavigate();
  const settings = useSystemSettings();
  const { flow, failure, submit } = useFlow({
    kind: "settings",
    flowId: search.flow,
    search,
    onError: (e, status) => {
      if (status === 401 || e.error?.id === "session_inactive") {
        void navigate({ to: "/auth/login", search: { return_to: "/auth/settings" }, replace: true });
        return true;
      }
      if (e.error?.id === "session_aal2_required") {
        void navigate({ to: "/auth/login", search: { aal: "aal2", return_to: "/auth/settings" }, replace: true });
        return true;
      }
    },
  });
  const messages = flow?.ui.messages ?? [];
  const recovered = messages.some((m) => m.id === RECOVERED);
  const saved = messages.some((m) => m.id === SAVED);
  const groups = flow ? groupsOf(flow.ui.nodes) : [];
  const section = (group: string, title: ReactNode, intro?: ReactNode) =>
    groups.includes(group) && flow ? (
      <section className="settings-section" aria-labelledby={`settings-${group}`} data-section={group}>
        <h2 id={`settings-${group}`}>{title}</h2>
        {intro && <p className="muted">{intro}</p>}
        <KratosForm flow={flow} group={group} onSubmit={submit} />
      </section>
    ) : null;

  return (
    <AuthLayout title={recovered ? <Trans>Choose your password</Trans> : <Trans>Account settings</Trans>} wide>
      <p>
        <Link to="/">
          <Trans>Back to the app</Trans>
        </Link>
      </p>
      {failure && <FlowFailure failure={failure} />}
      {flow && (
        <>
          <Messages messages={messages} />
          {saved && (
            <p>
              <Link to="/" className="button" data-testid="continue">
                <Trans>Continue to the app</Trans>
              </Link>
            </p>
          )}
          {section(
            "password",
            recovered ? <Trans>Your password</Trans> : <Trans>Change your password</Trans>,
            <Trans>At least 12 characters. A few unrelated words make a strong password that is easy to remember.</Trans>,
          )}
          {!recovered && (
            <>
              <section className="settings-section" aria-labelledby="settings-language">
                <h2 id="settings-language">
                  <Trans>Language</Trans>
                </h2>
                <p className="muted">
                  <Trans>The language of the app in this browser.</Trans>
                </p>
                <LanguageSwitcher available={settings.data?.locales} />
              </section>
              {section(
                "totp",
                <Trans>Authenticator app</Trans>,
                <Trans>
                  A second factor protects your account if your password is stolen. Scan the QR code with an authenticator app on your
                  phone, then enter the code it shows.
                </Trans>,
              )}
              {section(
                "lookup_secret",
                <Trans>Recovery codes</Trans>,
                <Trans>Codes to sign in once each if you lose your phone. Print them or keep them somewhere safe.</Trans>,
              )}
            </>
          )}
        </>
      )}
    </AuthLayout>
  );
}
