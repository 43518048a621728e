// System settings: the country instance's name, languages and modules (read
// only here), and the origins of other web applications allowed to call the API.
import { useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { useSystemSettings } from "../../app/queries";
import { FormErrors, Status, TextArea } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";
import { localeNames, isSupported } from "../../i18n";
import { Allowed, LoadError, Loading, PageHeader, useLocalName } from "./common";

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
                <dt><Trans>Languages</Trans></dt>
                <dd>{(settings.data.locales ?? []).map((l) => (isSupported(l) ? localeNames[l] : l)).join(", ")}</dd>
              </div>
              <div>
                <dt><Trans>Default language</Trans></dt>
                <dd>{isSupported(settings.data.default_locale) ? localeNames[settings.data.default_locale] : settings.data.default_locale}</dd>
              </div>
              <div>
                <dt><Trans>Modules</Trans></dt>
                <dd>{(settings.data.modules ?? []).map((m) => name(m.name)).join(", ") || "—"}</dd>
              </div>
            </dl>
            <p className="muted">
              <Trans>The hosting team sets the name and languages.</Trans>
            </p>
          </section>
        )}
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
