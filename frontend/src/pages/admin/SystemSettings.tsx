// System settings: the country instance's name and modules (read only here),
// its languages (added and removed through the locales API; each one's
// writing direction derived from its tag by the server), and the origins of
// other web applications allowed to call the API.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type SystemSettings as Settings } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import { settingsQuery, useSystemSettings } from "../../app/queries";
import { FormErrors, Status, TextArea, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { InstanceTimeZone, PhoneCallingCode } from "./SettingsFields";
import { AttachmentLimits } from "./AttachmentLimits";
import { Allowed, languageName, LoadError, Loading, PageHeader, useLocalName } from "./common";

export default function SystemSettings() {
  const { t } = useLingui();
  const settings = useSystemSettings();
  const name = useLocalName();
  const [saved, setSaved] = useState<string>();
  const form = useApiForm<{ cors_origins: string }>({ defaultValues: { cors_origins: "" } }, ["cors_origins"]);
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(undefined);
    const origins = v.cors_origins.split(/\s+/).map((s) => s.trim()).filter(Boolean);
    const ok = await form.run(async () => {
      const r = data(await api.PATCH("/api/v2/system_settings", { body: { cors_origins: origins } })).data;
      form.reset({ cors_origins: (r.cors_origins ?? []).join("\n") });
    });
    if (ok) setSaved(origins.length ? t`The allowed origins are saved.` : t`No other web application may call the API now.`);
  });
  return (
    <Allowed permission="system_settings:write">
      <div className="page">
        <PageHeader title={<Trans>System settings</Trans>} />
        {settings.isLoading && <Loading />}
        {settings.error && <LoadError error={settings.error} />}
        {settings.data && (
          <section className="card" aria-labelledby="instance">
            <h2 id="instance">
              <Trans>This country instance</Trans>
            </h2>
            <dl className="facts">
              <div>
                <dt><Trans>Name</Trans></dt>
                <dd dir="auto">{settings.data.name}</dd>
              </div>
              <div>
                <dt><Trans>Modules</Trans></dt>
                <dd>{(settings.data.modules ?? []).map((m) => name(m.name)).join(", ") || "—"}</dd>
              </div>
            </dl>
            <p className="muted">
              <Trans>The hosting team sets the name and the default language.</Trans>
            </p>
          </section>
        )}
        {settings.data && <Languages settings={settings.data} />}
        {settings.data && <InstanceTimeZone settings={settings.data} />}
        <PhoneCallingCode />
        {settings.data && <OfflineUnlock settings={settings.data} />}
        {settings.data && <AttachmentLimits settings={settings.data} />}
        <section className="card" aria-labelledby="cors">
          <h2 id="cors">
            <Trans>Other web applications</Trans>
          </h2>
          <Status message={saved} />
          <form className="stack form" onSubmit={onSubmit} noValidate>
            <FormErrors errors={form.formErrors} />
            <TextArea
              label={<Trans>Origins allowed to call the API from a browser</Trans>}
              hint={<Trans>One per line, e.g. https://registration.example.org. They call with an API key or a token, never with this site's sign-in. Saving replaces the whole list.</Trans>}
              dir="ltr"
              rows={4}
              registration={register("cors_origins")}
              error={formState.errors.cors_origins}
            />
            <div className="actions">
              <button type="submit" className="button" disabled={formState.isSubmitting}>
                <Trans>Save the origins</Trans>
              </button>
            </div>
          </form>
        </section>
      </div>
    </Allowed>
  );
}

/**
 * Languages lists the instance's languages with their direction, adds one by
 * its tag and removes one; the server's refusals (the default language, a
 * language members still use, one the instance has) are shown in the section.
 */
function Languages({ settings }: { settings: Settings }) {
  const { t, i18n } = useLingui();
  const qc = useQueryClient();
  const [saved, setSaved] = useState<string>();
  const [removeErrors, setRemoveErrors] = useState<string[]>([]);
  const [removing, setRemoving] = useState<string>();
  const form = useApiForm<{ locale: string }>({ defaultValues: { locale: "" } }, ["locale"]);
  const { register, formState } = form;
  const locales = settings.locales ?? [];
  const changed = async (s: Settings) => {
    qc.setQueryData(settingsQuery.queryKey, s);
    await qc.invalidateQueries({ queryKey: settingsQuery.queryKey });
  };
  const onAdd = form.handleSubmit(async (v) => {
    setSaved(undefined);
    setRemoveErrors([]);
    const tag = v.locale.trim();
    if (!tag) {
      form.setError("locale", { type: "required", message: t`Enter a language tag, e.g. sw or pt-BR.` });
      return;
    }
    const ok = await form.run(async () => {
      await changed(data(await api.POST("/api/v2/system_settings/locales", { body: { locale: tag } })).data);
    });
    if (ok) {
      form.reset({ locale: "" });
      const language = languageName(tag, i18n.locale);
      setSaved(t`${language} is added. Members may choose it, and its texts can be imported.`);
    }
  });
  const remove = async (tag: string) => {
    setSaved(undefined);
    setRemoveErrors([]);
    form.setFormErrors([]);
    setRemoving(tag);
    const language = languageName(tag, i18n.locale);
    try {
      await changed(data(await api.DELETE("/api/v2/system_settings/locales/{locale}", { params: { path: { locale: tag } } })).data);
      setSaved(t`${language} is removed. Its translated texts are kept: adding it again brings them back.`);
    } catch (err) {
      const reason = errorMessage(err);
      setRemoveErrors([err instanceof ApiError && err.status === 409 ? t`${language} cannot be removed: ${reason}` : reason]);
    } finally {
      setRemoving(undefined);
    }
  };
  return (
    <section className="card stack" aria-labelledby="languages">
      <h2 id="languages">
        <Trans>Languages</Trans>
      </h2>
      <Status message={saved} />
      <FormErrors errors={removeErrors} />
      <ul className="language-list">
        {locales.map((l) => {
          const own = languageName(l, l);
          const language = languageName(l, i18n.locale);
          const rtl = settings.directions?.[l] === "rtl";
          const isDefault = l === settings.default_locale;
          return (
            <li key={l} className="language-row" data-locale={l}>
              <span className="language-name">
                <span lang={l} dir="auto">
                  {own}
                </span>
                {own !== language && <span className="muted"> ({language})</span>}{" "}
                <code dir="ltr">{l}</code>
              </span>
              <span className="language-facts">
                <span className="badge badge-neutral">{rtl ? t`Right to left` : t`Left to right`}</span>
                {isDefault && <span className="badge">{t`Default language`}</span>}
              </span>
              {!isDefault && (
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => void remove(l)}
                  disabled={removing === l}
                  aria-busy={removing === l}
                  aria-label={t`Remove ${language}`}
                >
                  <Trans>Remove</Trans>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form className="stack form" onSubmit={onAdd} noValidate aria-labelledby="add-language">
        <h3 id="add-language">
          <Trans>Add a language</Trans>
        </h3>
        <FormErrors errors={form.formErrors} />
        <TextField
          label={<Trans>Language tag</Trans>}
          hint={<Trans>A BCP 47 tag: sw for Swahili, pt-BR for Brazilian Portuguese, ku-Arab for Kurdish in Arabic script. The writing direction follows from the tag.</Trans>}
          dir="ltr"
          autoComplete="off"
          registration={register("locale")}
          error={formState.errors.locale}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting}>
            <Trans>Add the language</Trans>
          </button>
        </div>
      </form>
      <p className="muted">
        <Trans>Removing a language keeps its texts. Members who chose it must change to another language first. The default language cannot be removed.</Trans>
      </p>
    </section>
  );
}

/**
 * OfflineUnlock chooses what opens the copies kept on devices (offline_unlock,
 * docs/frontend.md "Offline, session 19"): the PIN alone (opens offline after a
 * restart) or the PIN and the server's device key (a copied browser profile is
 * useless without the server). It applies to copies made from now on.
 */
function OfflineUnlock({ settings }: { settings: Settings }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const [saved, setSaved] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const choose = async (mode: "pin" | "pin_and_server") => {
    setSaved(undefined);
    setErrors([]);
    setBusy(true);
    try {
      data(await api.PATCH("/api/v2/system_settings", { body: { offline_unlock: mode } }));
      await qc.invalidateQueries({ queryKey: settingsQuery.queryKey });
      setSaved(t`Saved. It applies to the copies people keep from now on; copies already kept stay as they are until kept again.`);
    } catch (err) {
      setErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };
  const current = settings.offline_unlock ?? "pin";
  return (
    <section className="card stack" aria-labelledby="offline-unlock" data-testid="offline-unlock-setting">
      <h2 id="offline-unlock">
        <Trans>Copies kept on devices</Trans>
      </h2>
      <Status message={saved} />
      <FormErrors errors={errors} />
      <fieldset className="stack plain" disabled={busy}>
        <legend>
          <Trans>What opens the cases kept on a device</Trans>
        </legend>
        <label className="check">
          <input type="radio" name="offline_unlock" value="pin" checked={current === "pin"} onChange={() => void choose("pin")} />{" "}
          <Trans>
            The offline PIN. The copy opens without a connection, even after the phone restarts. Someone who copies the browser's storage
            can try PINs on their own computer.
          </Trans>
        </label>
        <label className="check">
          <input
            type="radio"
            name="offline_unlock"
            value="pin_and_server"
            checked={current === "pin_and_server"}
            onChange={() => void choose("pin_and_server")}
          />{" "}
          <Trans>
            The offline PIN and this server. A copy of the browser's storage is useless without the server. After a restart without a
            connection the cases wait, with the changes not sent, until the device is online again.
          </Trans>
        </label>
      </fieldset>
    </section>
  );
}
