// Audit log search: who did what to which record, when, with what outcome.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import { useForm } from "react-hook-form";
import { api, data, type AuditLog as Row } from "../../api/client";
import { ApiError, mapProblem } from "../../api/problem";
import { FormErrors, SelectField, TextField } from "../../components/Field";
import { useEraseReasons } from "../../records/Erase";
import type { EraseReason } from "../../records/erase";
import { Allowed, DataList, Loading, PageHeader, Pager, useFormatDate } from "./common";

const PER = 50;

interface Filters {
  actor: string;
  action: string;
  record_type: string;
  record_id: string;
  outcome: "" | "allowed" | "denied" | "failed";
  from: string;
  to: string;
}

const empty: Filters = { actor: "", action: "", record_type: "", record_id: "", outcome: "", from: "", to: "" };

export default function AuditLog() {
  const { t } = useLingui();
  const date = useFormatDate();
  const [filters, setFilters] = useState<Filters>(empty);
  const [page, setPage] = useState(1);
  const form = useForm<Filters>({ defaultValues: empty });
  const query = useQuery({
    queryKey: ["audit_logs", filters, page],
    queryFn: async () => {
      const q: Record<string, string | number> = { page, per: PER };
      for (const [k, v] of Object.entries(filters)) {
        if (!v) continue;
        q[k] = k === "from" || k === "to" ? new Date(v).toISOString() : v;
      }
      return data(await api.GET("/api/v2/audit_logs", { params: { query: q } }));
    },
  });
  const errors = query.error instanceof ApiError ? mapProblem(query.error.problem, []).form : query.error ? [String(query.error)] : [];
  const total = query.data?.metadata.total ?? 0;
  const reasons = useEraseReasons();
  // An erasure's row says why (a code and a reference: never free text), and the lookup that
  // preceded it says so; other rows' metadata stays in the API.
  const details = (r: Row) => {
    const m = (r.metadata ?? {}) as { reason?: string; reference?: string };
    if (r.operation?.endsWith("-erasure")) return t`Looked up to be erased`;
    if (!r.operation?.startsWith("erase-") || !m.reason) return "—";
    const reason = reasons[m.reason as EraseReason] ?? m.reason;
    return (
      <span data-testid="erase-reason">
        {t`Erased. Reason: ${reason}`}
        {m.reference && (
          <>
            {" "}
            <code dir="ltr" className="audit-reference">
              {m.reference}
            </code>
          </>
        )}
      </span>
    );
  };
  const outcome = { allowed: t`Allowed`, denied: t`Denied`, failed: t`Failed` } as Record<string, string>;
  return (
    <Allowed permission="audit_logs:read">
      <div className="page">
        <PageHeader title={<Trans>Audit log</Trans>} />
        <form
          className="filters"
          onSubmit={form.handleSubmit((v) => {
            setPage(1);
            setFilters(v);
          })}
          aria-label={t`Search the audit log`}
        >
          <TextField label={<Trans>Actor</Trans>} dir="ltr" hint={<Trans>e.g. user:ID</Trans>} registration={form.register("actor")} />
          <TextField label={<Trans>Action</Trans>} dir="ltr" hint={<Trans>e.g. users:write</Trans>} registration={form.register("action")} />
          <TextField label={<Trans>Record type</Trans>} dir="ltr" registration={form.register("record_type")} />
          <TextField label={<Trans>Record ID</Trans>} dir="ltr" registration={form.register("record_id")} />
          <SelectField
            label={<Trans>Outcome</Trans>}
            registration={form.register("outcome")}
            options={[{ value: "", label: t`Any` }, { value: "allowed", label: outcome.allowed }, { value: "denied", label: outcome.denied }, { value: "failed", label: outcome.failed }]}
          />
          <TextField label={<Trans>From</Trans>} type="datetime-local" registration={form.register("from")} />
          <TextField label={<Trans>Until</Trans>} type="datetime-local" registration={form.register("to")} />
          <div className="actions">
            <button type="submit" className="button">
              <Trans>Search</Trans>
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                form.reset(empty);
                setFilters(empty);
                setPage(1);
              }}
            >
              <Trans>Clear</Trans>
            </button>
          </div>
        </form>
        <FormErrors errors={errors} />
        {query.isLoading && <Loading />}
        {query.data && (
          <>
            <p role="status" className="muted">
              <Plural value={total} one="# entry, newest first" other="# entries, newest first" />
            </p>
            <DataList<Row>
              caption={t`Audit log`}
              rows={query.data.data ?? []}
              rowKey={(r) => String(r.id)}
              columns={[
                { header: <Trans>When</Trans>, primary: true, cell: (r) => date(r.occurred_at) },
                { header: <Trans>Actor</Trans>, cell: (r) => <code dir="ltr">{r.actor}</code> },
                { header: <Trans>Action</Trans>, cell: (r) => <code dir="ltr">{r.action}</code> },
                { header: <Trans>Record</Trans>, cell: (r) => (r.record_type ? <code dir="ltr">{`${r.record_type} ${r.record_id ?? ""}`}</code> : "—") },
                { header: <Trans>Outcome</Trans>, cell: (r) => <span className={`badge badge-${r.outcome}`}>{outcome[r.outcome] ?? r.outcome}</span> },
                { header: <Trans>Details</Trans>, cell: details },
                { header: <Trans>Address</Trans>, cell: (r) => <span dir="ltr">{r.remote_ip ?? ""}</span> },
              ]}
            />
            <Pager page={page} per={PER} total={query.data.metadata.total} onPage={setPage} />
          </>
        )}
      </div>
    </Allowed>
  );
}
