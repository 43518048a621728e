// The tenant's attachment limits (PATCH /api/v2/system_settings): the largest
// photo, audio and document file, shown and typed in MB (the API speaks
// bytes), and how many attachments one record may hold.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type SystemSettings as Settings } from "../../api/client";
import { settingsQuery } from "../../app/queries";
import { FormErrors, Status, TextField } from "../../components/Field";
import { useApiForm } from "../../components/useApiForm";

const MB = 1024 * 1024;

/** toMB shows a size in bytes as MB, at most two decimals ("10", "0.5"). */
export function toMB(bytes: number): string {
  return String(Math.round((bytes / MB) * 100) / 100);
}

/** fromMB reads a size typed in MB ("2.5" or "2,5") as bytes; NaN when it is not a number. */
export function fromMB(typed: string): number {
  const s = typed.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(s)) return NaN;
  return Math.round(Number(s) * MB);
}

type Values = {
  attachment_max_photo_bytes: string;
  attachment_max_audio_bytes: string;
  attachment_max_document_bytes: string;
  attachments_per_record: string;
};

const sizeFields = ["attachment_max_photo_bytes", "attachment_max_audio_bytes", "attachment_max_document_bytes"] as const;

function valuesOf(s: Settings): Values {
  return {
    attachment_max_photo_bytes: toMB(s.attachment_max_photo_bytes),
    attachment_max_audio_bytes: toMB(s.attachment_max_audio_bytes),
    attachment_max_document_bytes: toMB(s.attachment_max_document_bytes),
    attachments_per_record: String(s.attachments_per_record),
  };
}

/** AttachmentLimits sets the instance's attachment limits; sizes may not exceed the server's largest file. */
export function AttachmentLimits({ settings }: { settings: Settings }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const [saved, setSaved] = useState<string>();
  const form = useApiForm<Values>({ defaultValues: valuesOf(settings) }, [...sizeFields, "attachments_per_record"]);
  const { register, formState } = form;
  const ceiling = settings.attachment_max_bytes_allowed;
  const max = toMB(ceiling);
  const size = {
    validate: (v: string) => {
      const b = fromMB(v);
      if (!(b >= 1)) return t`Enter a size in MB greater than 0.`;
      if (b > ceiling) return t`At most ${max} MB: the largest file this server stores.`;
      return true;
    },
  };
  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(undefined);
    const ok = await form.run(async () => {
      const r = data(
        await api.PATCH("/api/v2/system_settings", {
          body: {
            attachment_max_photo_bytes: fromMB(v.attachment_max_photo_bytes),
            attachment_max_audio_bytes: fromMB(v.attachment_max_audio_bytes),
            attachment_max_document_bytes: fromMB(v.attachment_max_document_bytes),
            attachments_per_record: Number(v.attachments_per_record),
          },
        }),
      ).data;
      const limits = {
        attachment_max_photo_bytes: r.attachment_max_photo_bytes,
        attachment_max_audio_bytes: r.attachment_max_audio_bytes,
        attachment_max_document_bytes: r.attachment_max_document_bytes,
        attachments_per_record: r.attachments_per_record,
      };
      form.reset(valuesOf({ ...settings, ...limits }));
      qc.setQueryData<Settings>(settingsQuery.queryKey, (old) => (old ? { ...old, ...limits } : old));
    });
    if (ok) setSaved(t`The attachment limits are saved. They apply to the next uploads.`);
  });
  return (
    <section className="card" aria-labelledby="attachment-limits" data-section="attachment-limits">
      <h2 id="attachment-limits">
        <Trans>Attachments</Trans>
      </h2>
      <Status message={saved} />
      <form className="stack form" onSubmit={onSubmit} noValidate>
        <FormErrors errors={form.formErrors} />
        <TextField
          label={<Trans>Largest photo (MB)</Trans>}
          inputMode="decimal"
          dir="ltr"
          registration={register("attachment_max_photo_bytes", size)}
          error={formState.errors.attachment_max_photo_bytes}
        />
        <TextField
          label={<Trans>Largest audio file (MB)</Trans>}
          inputMode="decimal"
          dir="ltr"
          registration={register("attachment_max_audio_bytes", size)}
          error={formState.errors.attachment_max_audio_bytes}
        />
        <TextField
          label={<Trans>Largest document (MB)</Trans>}
          inputMode="decimal"
          dir="ltr"
          registration={register("attachment_max_document_bytes", size)}
          error={formState.errors.attachment_max_document_bytes}
        />
        <TextField
          label={<Trans>Attachments per record</Trans>}
          inputMode="numeric"
          dir="ltr"
          registration={register("attachments_per_record", {
            validate: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 10000) || t`Enter a whole number from 1 to 10000.`,
          })}
          error={formState.errors.attachments_per_record}
        />
        <p className="muted">
          <Trans>This server stores files of at most {max} MB. Files already attached stay when a limit is lowered.</Trans>
        </p>
        <div className="actions">
          <button type="submit" className="button" name="save_attachment_limits" disabled={formState.isSubmitting} aria-busy={formState.isSubmitting}>
            <Trans>Save the attachment limits</Trans>
          </button>
        </div>
      </form>
    </section>
  );
}
