// Account settings: name and language (saved to the account), password,
// authenticator app (TOTP, with its QR code), recovery codes. After an
// invitation or a password reset, Kratos leads here to choose the password.
import { useEffect, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { Trans, useLingui } from "@lingui/react/macro";
import type { CurrentUser } from "../../api/client";
import { saveOwnAccount } from "../../app/account";
import { AuthLayout } from "../../app/AuthLayout";
import { meQuery, useSystemSettings } from "../../app/queries";
import { FormErrors, SelectField, Status, TextField } from "../../components/Field";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { PersonTimeZone } from "../../components/TimeZoneField";
import { useApiForm } from "../../components/useApiForm";
import { activate, isSupported, localeNames, storeLocale } from "../../i18n";
import { KratosForm, Messages } from "../../kratos/KratosForm";
import { groupsOf } from "../../kratos/nodes";
import { useFlow } from "../../kratos/useFlow";
import { FlowFailure } from "./FlowFailure";
import { NotificationSettings } from "./NotificationSettings";
import { DeviceList } from "../../offline/Devices";

/** Kratos' message "you recovered your account: choose a password now". */
const RECOVERED = 1060001;
const SAVED = 1050001;

export default function Settings() {
  const search = useSearch({ strict: false }) as { flow?: string };
  const navigate = useNavigate();
  const settings = useSystemSettings();
  // A member of this instance can change their name and language here.
  const me = useQuery({ ...meQuery, retry: false });
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
    <AuthLayout title={recovered ? <Trans>Choose your password</Trans> : <Trans>Account settings</Trans>} wide account={!!me.data}>
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
          {!recovered &&
            (me.data ? (
                <Profile me={me.data} locales={settings.data?.locales} instanceZone={settings.data?.time_zone} />
              ) : (
                <section className="settings-section" aria-labelledby="settings-language">
                  <h2 id="settings-language">
                    <Trans>Language</Trans>
                  </h2>
                  <p className="muted">
                    <Trans>The language of the app in this browser.</Trans>
                  </p>
                  <LanguageSwitcher available={settings.data?.locales} />
                </section>
              ))}
          {section(
            "password",
            recovered ? <Trans>Your password</Trans> : <Trans>Change your password</Trans>,
            <Trans>At least 12 characters. A few unrelated words make a strong password that is easy to remember.</Trans>,
          )}
          {!recovered && (
            <>
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
          {!recovered && me.data?.permissions?.includes("users:read_self") && <NotificationSettings />}
          {!recovered && me.data?.permissions?.includes("devices:write_self") && <DeviceList />}
        </>
      )}
    </AuthLayout>
  );
}

/** Profile: the member's name, language and time zone in this instance (PATCH /api/v2/users/me). */
function Profile({ me, locales, instanceZone }: { me: CurrentUser; locales?: readonly string[] | null; instanceZone?: string }) {
  const { t } = useLingui();
  const [saved, setSaved] = useState(false);
  const values = { full_name: me.full_name, locale: me.locale, time_zone: me.time_zone ?? "" };
  const form = useApiForm<{ full_name: string; locale: string; time_zone: string }>({ defaultValues: values }, ["full_name", "locale", "time_zone"]);
  const { register, formState, reset } = form;
  // The language may change from the header's switcher too: show what the account has.
  useEffect(() => reset({ full_name: me.full_name, locale: me.locale, time_zone: me.time_zone ?? "" }), [me.full_name, me.locale, me.time_zone, reset]);
  const options = (locales?.length ? locales : [me.locale]).map((l) => ({ value: l, label: isSupported(l) ? localeNames[l] : l }));
  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(false);
    const ok = await form.run(async () => {
      const u = await saveOwnAccount({ full_name: v.full_name.trim(), locale: v.locale, time_zone: v.time_zone.trim() });
      if (isSupported(u.locale)) {
        storeLocale(u.locale);
        await activate(u.locale);
      }
    });
    setSaved(ok);
  });
  return (
    <section className="settings-section" aria-labelledby="settings-profile" data-section="profile">
      <h2 id="settings-profile">
        <Trans>Your name, language and time zone</Trans>
      </h2>
      <p className="muted">
        <Trans>Colleagues see your name. The app speaks your language on every device you sign in on, and shows times in your time zone; your daily summary arrives on your local morning.</Trans>
      </p>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <Status message={saved ? t`Your name, language and time zone are saved.` : undefined} />
        <FormErrors errors={form.formErrors} />
        <TextField
          label={<Trans>Full name</Trans>}
          dir="auto"
          autoComplete="name"
          registration={register("full_name", { required: t`Enter your name.`, validate: (v) => v.trim() !== "" || t`Enter your name.` })}
          error={formState.errors.full_name}
        />
        <SelectField label={<Trans>Language</Trans>} registration={register("locale")} options={options} error={formState.errors.locale} />
        <PersonTimeZone form={form} instanceZone={instanceZone} />
        <div className="actions">
          <button type="submit" className="button" name="save_profile" disabled={formState.isSubmitting}>
            <Trans>Save</Trans>
          </button>
        </div>
      </form>
    </section>
  );
}
