// System settings' time zone (the default of members without their own) and
// phone calling code (with the rewrite of the stored numbers it starts, whose
// progress is read again while it runs).
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type SystemSettings as Settings } from "../../api/client";
import type { components } from "../../api/schema";
import { settingsQuery } from "../../app/queries";
import { FormErrors, Status, TextField } from "../../components/Field";
import { TimeZoneField } from "../../components/TimeZoneField";
import { useApiForm } from "../../components/useApiForm";
import { LoadError, Loading, useFormatDate } from "./common";

type PhoneCode = components["schemas"]["PhoneCallingCode"];
type Rewrite = components["schemas"]["PhoneRewrite"];

/** InstanceTimeZone sets the instance's default time zone (PATCH /api/v2/system_settings). */
export function InstanceTimeZone({ settings }: { settings: Settings }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const [saved, setSaved] = useState<string>();
  const form = useApiForm<{ time_zone: string }>({ defaultValues: { time_zone: settings.time_zone } }, ["time_zone"]);
  const { register, formState } = form;
  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(undefined);
    const zone = v.time_zone.trim();
    const ok = await form.run(async () => {
      const r = data(await api.PATCH("/api/v2/system_settings", { body: { time_zone: zone } })).data;
      form.reset({ time_zone: r.time_zone });
      qc.setQueryData<Settings>(settingsQuery.queryKey, (old) => (old ? { ...old, time_zone: r.time_zone } : old));
    });
    if (ok) setSaved(t`The default time zone is saved: ${zone}.`);
  });
  return (
    <section className="card" aria-labelledby="time-zone" data-section="time-zone">
      <h2 id="time-zone">
        <Trans>Time zone</Trans>
      </h2>
      <Status message={saved} />
      <form className="stack form" onSubmit={onSubmit} noValidate>
        <FormErrors errors={form.formErrors} />
        <TimeZoneField
          label={<Trans>Default time zone of the members</Trans>}
          registration={register("time_zone", { validate: (v) => v.trim() !== "" || t`Choose a time zone.` })}
          value={form.watch("time_zone") ?? ""}
          error={formState.errors.time_zone}
        />
        <p className="muted">
          <Trans>Members who have not chosen their own time zone see times in this one; their daily summary arrives on its morning and their tasks are overdue from its day.</Trans>
        </p>
        <div className="actions">
          <button type="submit" className="button" name="save_time_zone" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting}>
            <Trans>Save the time zone</Trans>
          </button>
        </div>
      </form>
    </section>
  );
}

export const phoneCodeKey = ["system_settings", "phone_calling_code"];

/** rewriteRunning reports whether the stored numbers are still being rewritten. */
export function rewriteRunning(r: Rewrite | undefined): boolean {
  return !!r && !r.finished_at;
}

/** normalCode reads a code as typed: spaces and a leading + are left out ("+254" is "254"). */
export function normalCode(typed: string): string {
  return typed.replace(/\s+/g, "").replace(/^\+/, "");
}

/**
 * PhoneCallingCode sets the country calling code (PUT
 * /api/v2/system_settings/phone_calling_code) after the person confirms that
 * the stored numbers will be rewritten, then follows the rewrite: the GET is
 * read again every 2 seconds while it runs (and only then: every call counts
 * as activity for the idle limit).
 */
export function PhoneCallingCode() {
  const { t } = useLingui();
  const qc = useQueryClient();
  const formatDate = useFormatDate();
  const [saved, setSaved] = useState<string>();
  const [confirming, setConfirming] = useState<string>();
  const current = useQuery({
    queryKey: phoneCodeKey,
    queryFn: async (): Promise<PhoneCode> => data(await api.GET("/api/v2/system_settings/phone_calling_code")).data,
    refetchInterval: (q) => (rewriteRunning(q.state.data?.rewrite) ? 2000 : false),
  });
  const form = useApiForm<{ phone_calling_code: string }>({ values: { phone_calling_code: current.data?.phone_calling_code ?? "" } }, ["phone_calling_code"]);
  const { register, formState } = form;
  const onSubmit = form.handleSubmit((v) => {
    setSaved(undefined);
    const code = normalCode(v.phone_calling_code);
    if (code === (current.data?.phone_calling_code ?? "")) {
      setSaved(t`The calling code is unchanged.`);
      return;
    }
    if (code !== "" && !/^\d{1,4}$/.test(code)) {
      form.setError("phone_calling_code", { type: "pattern", message: t`Enter the country calling code: 1 to 4 digits, e.g. 254.` });
      return;
    }
    setConfirming(code);
  });
  const confirm = async () => {
    const code = confirming ?? "";
    setConfirming(undefined);
    const ok = await form.run(async () => {
      const r = data(await api.PUT("/api/v2/system_settings/phone_calling_code", { body: { phone_calling_code: code } })).data;
      qc.setQueryData(phoneCodeKey, r);
    });
    if (ok) setSaved(code ? t`The calling code +${code} is saved. The stored numbers are being rewritten.` : t`The calling code is removed. The stored numbers are being rewritten.`);
  };
  const rewrite = current.data?.rewrite;
  return (
    <section className="card" aria-labelledby="phone-code" data-section="phone-calling-code">
      <h2 id="phone-code">
        <Trans>Phone numbers</Trans>
      </h2>
      {current.isLoading && <Loading />}
      {current.error && <LoadError error={current.error} />}
      <Status message={saved} />
      {current.data && (
        <form className="stack form" onSubmit={onSubmit} noValidate>
          <FormErrors errors={form.formErrors} />
          <TextField
            label={<Trans>Country calling code</Trans>}
            hint={
              <Trans>
                Digits without +, e.g. 254 for Kenya. Numbers written with a leading 0 are stored and found in their international form. Empty:
                numbers are matched on their digits as written.
              </Trans>
            }
            dir="ltr"
            inputMode="numeric"
            autoComplete="off"
            registration={register("phone_calling_code")}
            error={formState.errors.phone_calling_code}
            disabled={!!confirming}
          />
          {confirming === undefined ? (
            <div className="actions">
              <button type="submit" className="button" name="save_phone_code" disabled={formState.isSubmitting || rewriteRunning(rewrite)} aria-busy={formState.isSubmitting}>
                <Trans>Save the calling code</Trans>
              </button>
            </div>
          ) : (
            <div role="alertdialog" aria-labelledby="phone-confirm" className="notice notice-warning stack" data-testid="phone-confirm">
              <p id="phone-confirm">
                {confirming ? (
                  <Trans>
                    Every stored phone number will be rewritten for the calling code <bdi dir="ltr">+{confirming}</bdi>: a number written with a leading 0
                    is stored in its international form. Records stay as they are otherwise. This runs in the background and can take a while.
                  </Trans>
                ) : (
                  <Trans>Every stored phone number will be rewritten without a calling code: numbers are matched on their digits as written.</Trans>
                )}
              </p>
              <div className="actions">
                <button type="button" className="button" name="confirm_phone_code" onClick={() => void confirm()}>
                  <Trans>Rewrite the stored numbers</Trans>
                </button>
                <button type="button" className="button button-secondary" onClick={() => setConfirming(undefined)}>
                  <Trans>Cancel</Trans>
                </button>
              </div>
            </div>
          )}
        </form>
      )}
      {rewrite && <RewriteProgress rewrite={rewrite} formatDate={formatDate} />}
    </section>
  );
}

function RewriteProgress({ rewrite: r, formatDate }: { rewrite: Rewrite; formatDate: (iso?: string | null) => string }) {
  const { t } = useLingui();
  const code = r.phone_calling_code ? `+${r.phone_calling_code}` : "—";
  const done = r.records_done;
  const total = r.records_total;
  const changed = r.records_changed;
  const when = formatDate(r.finished_at ?? r.requested_at);
  return (
    <div className="stack" data-testid="phone-rewrite" data-finished={r.finished_at ? "true" : "false"} aria-live="polite">
      {r.finished_at ? (
        <p>
          <Trans>
            The stored numbers were rewritten for <bdi dir="ltr">{code}</bdi> on {when}: {changed} of {total} records changed.
          </Trans>
        </p>
      ) : (
        <>
          <p>
            {total > 0 ? (
              <Trans>
                Rewriting the stored numbers for <bdi dir="ltr">{code}</bdi>: {done} of {total} records looked at, {changed} changed.
              </Trans>
            ) : (
              <Trans>
                The rewrite of the stored numbers for <bdi dir="ltr">{code}</bdi> is waiting to start.
              </Trans>
            )}
          </p>
          <progress max={total || 1} value={total ? done : undefined} aria-label={t`Records looked at`} />
          <p className="muted">
            <Trans>Until it ends, some numbers stored before the change are found by their local writing only.</Trans>
          </p>
        </>
      )}
    </div>
  );
}
