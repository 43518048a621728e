// Family tracing matching for administrators (docs/matching.md, "Running it"):
// every re-matching run, newest first, with what it is doing and how far it is
// (followed while one is queued or running), a button that re-matches every
// trace, and the parameters in use: what they were estimated from and what
// each comparison level weighs. Whose records match is not shown here: the
// review queue (/matching) is the caseworkers'.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data, type Schemas } from "../../api/client";
import { errorMessage } from "../../api/problem";
import { useSession } from "../../app/session";
import { can } from "../../app/queries";
import { comparisonNames, levelNames } from "../../matching/labels";
import { levelsByWeight, percent, signedWeight } from "../../matching/compare";
import { Allowed, DataList, LoadError, Loading, PageHeader, Pager, useFormatDate } from "./common";
import "../../styles/matching.css";

type Run = Schemas["Run"];
type Version = Schemas["ParametersVersion"];

const PER = 10;
/** How often the runs are asked for while one is queued or running. */
const POLL_MS = 3000;

const reasonNames: Record<string, MessageDescriptor> = {
  requested: msg`Started by an administrator`,
  periodic: msg`Periodic`,
  configuration: msg`Matching configuration changed`,
};

const statusNames: Record<string, MessageDescriptor> = {
  queued: msg`Queued`,
  running: msg`Running`,
  succeeded: msg`Finished`,
  failed: msg`Failed`,
};

const stageNames: Record<string, MessageDescriptor> = {
  queued: msg`Waiting for a worker`,
  storing_cases: msg`Reading the cases`,
  comparing_candidates: msg`Comparing sample traces with their candidates`,
  estimating: msg`Estimating the parameters`,
  matching: msg`Matching the traces`,
  done: msg`Done`,
};

export default function MatchingRuns() {
  return (
    <Allowed permission="matching:read">
      <div className="page">
        <Runs />
        <Parameters />
      </div>
    </Allowed>
  );
}

function active(r: Run): boolean {
  return r.status === "queued" || r.status === "running";
}

function Runs() {
  const { t, i18n } = useLingui();
  const { me } = useSession();
  const date = useFormatDate();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const runs = useQuery({
    queryKey: ["matching_runs", page],
    queryFn: async () => data(await api.GET("/api/v2/matching/runs", { params: { query: { page, per: PER } } })),
    refetchInterval: (q) => (q.state.data?.data?.some(active) ? POLL_MS : false),
  });
  const start = useMutation({
    mutationFn: async () => data(await api.POST("/api/v2/matching/runs")),
    onSuccess: () => {
      setPage(1);
      return client.invalidateQueries({ queryKey: ["matching_runs"] });
    },
  });
  const rows = runs.data?.data ?? [];
  const busy = rows.some(active);
  // A run that has just finished estimated new parameters: read them again.
  const wasBusy = useRef(false);
  useEffect(() => {
    if (wasBusy.current && !busy) void client.invalidateQueries({ queryKey: ["matching_parameters"] });
    wasBusy.current = busy;
  }, [busy, client]);
  const named = (names: Record<string, MessageDescriptor>, key: string) => (names[key] ? i18n._(names[key]) : key);
  // progress is a run's stage in words, with a bar while it runs.
  function progress(r: Run) {
    const stage = named(stageNames, r.stage);
    if (r.status === "failed") {
      return (
        <span>
          {t`Failed while: ${stage}`}
          {r.failure && (
            <>
              {" "}
              <span lang="en" dir="ltr" className="muted">
                {r.failure}
              </span>
            </>
          )}
        </span>
      );
    }
    if (!active(r)) return <span>{stage}</span>;
    // The estimating stage's total is the most iterations it may take: it
    // usually stops far sooner, so no bar there.
    const bar = r.stage_total > 0 && r.stage !== "estimating" && r.stage !== "queued";
    return (
      <span className="run-progress" data-testid="run-progress">
        <span>{stage}</span>{" "}
        {bar ? (
          <>
            <progress max={r.stage_total} value={r.stage_done} aria-label={stage} />{" "}
            <span dir="ltr">{t`${i18n.number(r.stage_done)} of ${i18n.number(r.stage_total)}`}</span>
          </>
        ) : (
          r.stage === "estimating" && <span className="muted">{t`iteration ${i18n.number(r.stage_done + 1)}`}</span>
        )}
      </span>
    );
  }
  return (
    <section aria-labelledby="matching-runs">
      <PageHeader
        title={
          <span id="matching-runs">
            <Trans>Matching runs</Trans>
          </span>
        }
        actions={
          can(me, "matching:write") && (
            <button type="button" className="button" disabled={start.isPending} onClick={() => start.mutate()}>
              <Trans>Re-match every trace</Trans>
            </button>
          )
        }
      />
      <p className="muted">
        <Trans>
          A run estimates the parameters again from the cases and tracing requests as they are now, then matches every trace. One also
          runs periodically (daily by default) when records have changed, and after each change of the matching configuration.
        </Trans>
      </p>
      {start.isError && (
        <p role="alert" className="notice notice-error">
          {errorMessage(start.error)}
        </p>
      )}
      {start.isSuccess && (
        <p role="status" className="notice notice-success">
          <Trans>The run is queued. Its progress shows below.</Trans>
        </p>
      )}
      {runs.isLoading && <Loading />}
      {runs.error && <LoadError error={runs.error} />}
      {runs.data && (
        <>
          {busy && (
            <p role="status" className="muted">
              <Trans>A run is in progress; this list follows it.</Trans>
            </p>
          )}
          <DataList<Run>
            caption={t`Matching runs`}
            rows={rows}
            rowKey={(r) => r.id}
            empty={<Trans>No run yet.</Trans>}
            columns={[
              { header: <Trans>Started</Trans>, primary: true, cell: (r) => date(r.created_at) },
              { header: <Trans>Why</Trans>, cell: (r) => named(reasonNames, r.reason) },
              {
                header: <Trans>Status</Trans>,
                cell: (r) => (
                  <span className={`badge badge-run-${r.status}`} data-testid="run-status">
                    {named(statusNames, r.status)}
                  </span>
                ),
              },
              { header: <Trans>Progress</Trans>, cell: progress },
              { header: <Trans>Parameters</Trans>, cell: (r) => (r.parameters_version ? <Trans>Version {r.parameters_version}</Trans> : "—") },
              { header: <Trans>Finished</Trans>, cell: (r) => date(r.finished_at) },
            ]}
          />
          <Pager page={page} per={PER} total={runs.data.metadata.total} onPage={setPage} />
        </>
      )}
    </section>
  );

}

function Parameters() {
  const { i18n } = useLingui();
  const date = useFormatDate();
  const q = useQuery({
    queryKey: ["matching_parameters"],
    queryFn: async () => data(await api.GET("/api/v2/matching/parameters", { params: { query: { per: 1 } } })),
  });
  const v: Version | undefined = q.data?.data?.[0];
  return (
    <section aria-labelledby="matching-parameters" className="matching-parameters">
      <h2 id="matching-parameters">
        <Trans>Parameters in use</Trans>
      </h2>
      {q.isLoading && <Loading />}
      {q.error && <LoadError error={q.error} />}
      {q.data && !v && (
        <p className="muted">
          <Trans>None yet: they are estimated once the tenant has a tracing request and a case with consent for tracing.</Trans>
        </p>
      )}
      {v && (
        <>
          <dl className="facts" data-testid="parameters-summary">
            {(
              [
                [<Trans>Version</Trans>, v.version],
                [<Trans>Estimated</Trans>, date(v.estimated_at)],
                [<Trans>Cases with consent for tracing</Trans>, i18n.number(v.estimation.cases)],
                [<Trans>Traces it was estimated from</Trans>, i18n.number(v.estimation.traces)],
                [<Trans>Share of traces whose child is registered</Trans>, percent(v.prior, i18n.locale)],
              ] as [ReactNode, ReactNode][]
            ).map(([term, value], i) => (
              <div key={i}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">
            <Trans>
              A weight is what a pair at that level adds to its match weight, in bits: each bit doubles the odds that the case is the
              child. Agreement on a name counts for more when the name is rare.
            </Trans>
          </p>
          {(v.comparisons ?? []).map((c) => (
            <details key={c.name} data-comparison={c.name}>
              <summary>{comparisonNames[c.name] ? i18n._(comparisonNames[c.name]) : c.name}</summary>
              <table className="data-table weights-table">
                <thead>
                  <tr>
                    <th scope="col">
                      <Trans>Level</Trans>
                    </th>
                    <th scope="col" className="share">
                      <Trans>Same child</Trans>
                    </th>
                    <th scope="col" className="share">
                      <Trans>Unrelated child</Trans>
                    </th>
                    <th scope="col">
                      <Trans>Weight</Trans>
                    </th>
                    {c.later && (
                      <th scope="col">
                        <Trans>Other children sought</Trans>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {levelsByWeight(c.levels ?? []).map((l) => {
                    const later = c.later?.find((x) => x.level === l.level);
                    return (
                      <tr key={l.level} data-level={l.level}>
                        <th scope="row">{levelNames[l.level] ? i18n._(levelNames[l.level]) : l.level}</th>
                        <td className="share">{share(l.m, i18n.locale)}</td>
                        <td className="share">{share(l.u, i18n.locale)}</td>
                        <td dir="ltr" data-testid="weight">{weightText(l.weight, i18n.locale)}</td>
                        {c.later && (
                          <td dir="ltr" data-testid="weight-later">
                            {weightText(later?.weight, i18n.locale)}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {c.later && (
                <p className="muted">
                  <Trans>
                    A tracing request gives one separation, that of the first child it seeks: for the other children it seeks, these levels
                    weigh as the last column shows.
                  </Trans>
                </p>
              )}
              {c.variants && c.variants.length > 0 && (
                <p className="muted">
                  <Trans>Spellings learned from past matches:</Trans>{" "}
                  <span dir="auto">{c.variants.map((p) => (p ?? []).join(" ~ ")).join(", ")}</span>
                </p>
              )}
            </details>
          ))}
        </>
      )}
    </section>
  );
}

/** weightText: a level's weight in bits, or a dash where it has none (missing, a level never reached). */
function weightText(w: number | null | undefined, locale: string): string {
  return w === undefined || w === null ? "—" : signedWeight(w, locale);
}

/** share: a probability as a percentage with up to two decimals (small shares matter here). */
function share(p: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(p);
}
