// Email notifications: one tick box per kind of email, grouped; Save sends
// only the kinds changed (PUT /api/v2/users/me/notification_settings).
import { useEffect, useId, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError } from "../../api/problem";
import { changedSettings, notificationGroups, type NotificationSetting } from "../../app/notifications";
import { FormErrors, Status } from "../../components/Field";

const queryKey = ["notification_settings"];

export function NotificationSettings() {
  const { t, i18n } = useLingui();
  const client = useQueryClient();
  const settings = useQuery({
    queryKey,
    queryFn: async (): Promise<NotificationSetting[]> => data(await api.GET("/api/v2/users/me/notification_settings")).data ?? [],
    retry: false,
  });
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const idBase = useId();
  useEffect(() => {
    if (settings.data) setChosen(Object.fromEntries(settings.data.map((s) => [s.kind, s.email])));
  }, [settings.data]);

  if (settings.isError) {
    // A service account has no settings (404); anything else is said plainly.
    if (settings.error instanceof ApiError && settings.error.status === 404) return null;
    return (
      <section className="settings-section" aria-labelledby="settings-notifications" data-section="notifications">
        <h2 id="settings-notifications">
          <Trans>Email notifications</Trans>
        </h2>
        <p role="alert" className="notice notice-error">
          <Trans>Your notification settings could not be loaded.</Trans>
        </p>
      </section>
    );
  }
  const server = settings.data ?? [];
  const changes = changedSettings(server, chosen);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors([]);
    setSaved(undefined);
    if (!changes.length) {
      setSaved(t`Nothing to save: no setting changed.`);
      return;
    }
    setBusy(true);
    try {
      const next = data(await api.PUT("/api/v2/users/me/notification_settings", { body: { data: changes } })).data ?? [];
      client.setQueryData(queryKey, next);
      setSaved(t`Your email notifications are saved.`);
    } catch (err) {
      setErrors([err instanceof ApiError ? err.message : String(err)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="settings-section" aria-labelledby="settings-notifications" data-section="notifications">
      <h2 id="settings-notifications">
        <Trans>Email notifications</Trans>
      </h2>
      <p className="muted">
        <Trans>Choose which emails you receive. Turning an email off does not change what the app shows you.</Trans>
      </p>
      {settings.isPending ? (
        <p role="status">
          <Trans>Loading…</Trans>
        </p>
      ) : (
        <form className="stack" onSubmit={save} noValidate>
          <Status message={saved} />
          <FormErrors errors={errors} />
          {notificationGroups(server).map((g) => (
            <fieldset key={g.id} data-group={g.id}>
              <legend>{i18n._(g.legend)}</legend>
              {g.kinds.map(({ kind, label }) => {
                const id = `${idBase}-${kind}`;
                return (
                  <div className="field field-check" key={kind}>
                    <input
                      id={id}
                      type="checkbox"
                      name={kind}
                      checked={chosen[kind] ?? false}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setSaved(undefined);
                        setChosen((c) => ({ ...c, [kind]: on }));
                      }}
                    />
                    <label htmlFor={id}>{i18n._(label)}</label>
                  </div>
                );
              })}
            </fieldset>
          ))}
          <div className="actions">
            <button type="submit" className="button" name="save_notifications" disabled={busy}>
              <Trans>Save</Trans>
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
