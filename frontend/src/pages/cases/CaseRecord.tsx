// A record (case, tracing request): view and edit (rendered from the configuration), register, and
// change history. Edits are PATCHed with If-Match; when someone else saved
// meanwhile (412) the change is sent again as a merge (X-Base-Version), and
// a merge that finds the same fields changed on both sides (409) opens the
// conflict view. Unsent edits are kept in sessionStorage while the tab lives.
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import { useSession } from "../../app/session";
import { can } from "../../app/queries";
import { Status } from "../../components/Field";
import { Tab, TabList } from "../../components/Tabs";
import { Allowed, LoadError, Loading, PageHeader, localName, useFormatDate } from "../admin/common";
import { useModules, useRecordConfig, writesAny, type RecordConfig } from "../../records/config";
import { ConflictChooser, conflictLabel } from "../../records/ConflictChooser";
import { ErrorSummary, focusError, RecordForm } from "../../records/FormRenderer";
import { diff, resolve, type Choice, type Conflict, type Data } from "../../records/patch";
import { RecordStore } from "../../records/store";
import { missingRequired, problemErrors } from "../../records/validate";
import { formatValue } from "../../records/Widgets";
import { caseKind, incidentKind, recordName, tracingRequestKind, type RecordKind } from "./kinds";
import { CaseActions, TransitionFormPanel, TransitionsPanel, useTransitions, useWorkflowRefresh, viewer } from "./Workflow";
import { useTransitionLabels } from "./TransitionCard";
import { pending, referralOnly, sharedForms, type Transition, type TransitionType } from "./workflow";
import { DuplicateCheck } from "./Duplicates";
import { CaseBadges, CaseworkPanel } from "./Casework";
import { PendingUploadsContext, uploadQueue, UploadSummary, UploadTargetContext, type UploadTarget } from "../../records/Uploads";
import { PendingUploads } from "../../records/pending";
import { deviceKeeper, releaseDrafts, restorePending, sendRegistered } from "../../records/keptFiles";
import { useWarnBeforeLeaving } from "../../records/leaving";
import { EraseRecord } from "../../records/Erase";
import { mayErase } from "../../records/erase";
import { mayChangeState, RecordState } from "../../records/Disable";
import { rebaseOnUploads, uploadFields } from "../../records/uploads";
import { entryFor, queueCreate, queueEdit, settle, type Entry, type LocalRecord } from "../../offline/outbox";
import { changed, db, isOffline, locked, offlineActive, onOfflineChange } from "../../offline/runtime";

// The potential matches tab (pages/matching, its own chunk).
const CaseMatches = lazy(() => import("../matching/Matching").then((m) => ({ default: m.CaseMatches })));
const TracingRequestMatches = lazy(() => import("../matching/Matching").then((m) => ({ default: m.TracingRequestMatches })));

type Rec = Data & { id: string; short_id: string; version: number; module_id: string; status: string };

interface Loaded {
  record: Rec;
  etag: string;
  /** read from this device's copy (no connection) */
  offline?: boolean;
}

/** What is kept of unsent edits: the version they started from and the data typed. */
interface Draft {
  base: Rec;
  values: Data;
}

const draftKey = (id: string) => `cpims.draft.record.${id}`;

function readDraft(id: string): Draft | undefined {
  try {
    const s = sessionStorage.getItem(draftKey(id));
    return s ? (JSON.parse(s) as Draft) : undefined;
  } catch {
    return undefined;
  }
}

function writeDraft(id: string, d: Draft | undefined) {
  try {
    if (d) sessionStorage.setItem(draftKey(id), JSON.stringify(d));
    else sessionStorage.removeItem(draftKey(id));
  } catch {
    /* storage full or unavailable: edits stay in memory */
  }
}

async function getRecord(kind: RecordKind, id: string): Promise<Loaded> {
  const res = await api.GET(`/api/v2/${kind.resource}/{id}` as "/api/v2/cases/{id}", { params: { path: { id } } });
  const body = data(res);
  return { record: body.data as Rec, etag: res.response.headers.get("ETag") ?? `"${(body.data as Rec).version}"`, offline: isOffline(res.response) };
}

function useRequiredMessage() {
  const { t } = useLingui();
  return t`Enter a value: this field is required.`;
}

/** CaseRecord: /cases/$id. */
export function CaseRecord() {
  return <RecordPage kind={caseKind} />;
}

/** TracingRequestRecord: /tracing-requests/$id. */
export function TracingRequestRecord() {
  return <RecordPage kind={tracingRequestKind} />;
}

/** IncidentRecord: /incidents/$id. */
export function IncidentRecord() {
  return <RecordPage kind={incidentKind} />;
}

function RecordPage({ kind }: { kind: RecordKind }) {
  const { id } = useParams({ strict: false }) as { id: string };
  const query = useQuery({ queryKey: ["record", kind.type, id], queryFn: () => getRecord(kind, id), staleTime: 0 });
  const config = useRecordConfig(kind.type, query.data?.record.module_id);
  // A change of this record made offline that waits (or collided): the editor starts from it.
  const deviceCopy = offlineActive() && !locked();
  const offlineEntry = useQuery({
    queryKey: ["outbox-entry", id],
    enabled: deviceCopy,
    staleTime: 0,
    queryFn: async () => (await entryFor(await db(), id)) ?? null,
  });
  const entryReady = !deviceCopy || offlineEntry.isFetched;
  return (
    <Allowed permission={`${kind.resource}:read`}>
      <div className="page">
        {(query.isLoading || config.isLoading) && <Loading />}
        {query.error instanceof ApiError && query.error.status === 404 ? (
          <div role="alert" className="notice notice-info" data-testid="record-gone">
            <p>
              <Trans>This record is not there, or you no longer have access to it (for example, a referral you marked as done).</Trans>
            </p>
            <Link to={kind.path}>
              <Trans>Back to the list</Trans>
            </Link>
          </div>
        ) : (
          <>
            {query.error && <LoadError error={query.error} />}
            {config.error && <LoadError error={config.error} />}
            {query.data && config.data && entryReady && (
              <Editor
                // A new start when the record comes from elsewhere (the device's copy or the server) or its offline change collided.
                key={`${id}:${query.data.offline ? "device" : "server"}:${offlineEntry.data?.state === "conflict" ? "conflict" : ""}`}
                kind={kind}
                loaded={query.data}
                config={config.data}
                entry={offlineEntry.data ?? undefined}
              />
            )}
          </>
        )}
      </div>
    </Allowed>
  );
}

function Editor({ kind, loaded, config, entry }: { kind: RecordKind; loaded: Loaded; config: RecordConfig; entry?: Entry }) {
  const { i18n, t } = useLingui();
  const { me } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  // Edit needs the permission, an enabled record and at least one form the role writes.
  const writable = can(me, `${kind.resource}:write`) && loaded.record.record_state !== false && writesAny(config);
  const id = loaded.record.id;
  const required = useRequiredMessage();
  // The version edits start from, and its ETag.
  const base = useRef<Loaded>(loaded);
  // An offline edit the server refused as colliding: start from it, with the conflict view open.
  const collided = entry?.kind === "edit" && entry.state === "conflict" && !loaded.offline ? entry : undefined;
  const [store] = useState(() => {
    if (collided) {
      base.current = { record: collided.base as Rec, etag: `"${collided.base.version}"` };
      return new RecordStore(collided.values);
    }
    const d = readDraft(id);
    if (d && d.base.version <= loaded.record.version && Object.keys(diff(d.base, d.values, config.shape)).length) {
      base.current = { record: d.base, etag: `"${d.base.version}"` };
      return new RecordStore(d.values);
    }
    return new RecordStore(loaded.record);
  });
  const [restored] = useState(() => !collided && (base.current.record.version !== loaded.record.version || store.values !== loaded.record));
  const [tab, setTab] = useState<"record" | "history" | "transitions" | "matches" | "casework">("record");
  const isCase = kind.type === "case";
  const transitions = useTransitions(id, isCase);
  const refresh = useWorkflowRefresh(id);
  const labels = useTransitionLabels();
  const modules = useModules(kind.type);
  const [acting, setActing] = useState<TransitionType>();
  const trs: Transition[] = transitions.data ?? [];
  const viaReferral = isCase ? referralOnly(viewer(me), store.values, trs) : undefined;
  const shown = useMemo(() => (viaReferral ? sharedForms(config, store.values) : config), [viaReferral, config, store.values]);
  const awaiting = trs.filter((tr) => pending(tr) && tr.transitioned_to === me?.email).length;
  const matchable = kind.type !== "incident" && can(me, "potential_matches:read");
  const [editing, setEditing] = useState((restored || !!collided) && writable);
  const [section, setSection] = useState<string>();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ conflicts: Conflict[]; current: Loaded; patch: Data } | undefined>(() =>
    collided ? { conflicts: collided.conflicts ?? [], current: loaded, patch: collided.patch } : undefined,
  );
  // Cases, tracing requests and incidents are kept on the device alike (once unlocked with the PIN).
  const offlineOn = offlineActive() && !locked();
  const [, setVersion] = useState(0);

  // A transition changed the case (owner, version): show the new version unless the person is typing.
  // While they type, a version that differs only by their own uploads becomes the one the edit starts from.
  useEffect(() => {
    if (loaded.record.version <= base.current.record.version) return;
    if (!editing) {
      base.current = loaded;
      store.replace(loaded.record);
      setVersion((v) => v + 1);
      return;
    }
    const moved = rebaseOnUploads(base.current.record, loaded.record, config.shape, uploadFields(config));
    if (moved) {
      base.current = loaded;
      for (const [field, value] of Object.entries(moved)) store.set({ field }, value);
      setVersion((v) => v + 1);
    }
  }, [loaded, editing, store, config]);

  // Keep unsent edits while the tab lives (a reload, a session that ended).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = store.onChange((values) => {
      clearTimeout(timer);
      timer = setTimeout(() => writeDraft(id, { base: base.current.record, values }), 250);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [store, id]);

  const saved = (rec: Rec, etag: string, message: string, local = false) => {
    // Saved on the server: a change of it waiting offline (e.g. resolved here) is done.
    if (!local && offlineOn) void db().then((d) => settle(d, id, rec as LocalRecord, kind.resource)).then(changed);
    base.current = { record: rec, etag };
    store.replace(rec);
    writeDraft(id, undefined);
    qc.setQueryData(["record", kind.type, id], { record: rec, etag, offline: local || undefined });
    void qc.invalidateQueries({ queryKey: [kind.resource] });
    void qc.invalidateQueries({ queryKey: ["history", id] });
    setConflict(undefined);
    setEditing(false);
    setStatus(message);
    setVersion((v) => v + 1);
  };

  const patch = async (body: Data, headers: Record<string, string>) => {
    const res = await api.PATCH(`/api/v2/${kind.resource}/{id}` as "/api/v2/cases/{id}", { params: { path: { id }, header: headers as never }, body: { data: body } });
    return res;
  };

  const showProblem = (err: ApiError, sent: Data) => {
    const mapped = problemErrors(err.problem, sent, config);
    store.setErrors(mapped.fields);
    setFormErrors(mapped.form);
    focusError(config, Object.keys(mapped.fields)[0], setSection);
  };

  const save = async () => {
    setFormErrors([]);
    setStatus(undefined);
    const missing = missingRequired(config, store.values, required);
    if (Object.keys(missing).length) {
      store.setErrors(missing);
      focusError(config, Object.keys(missing)[0], setSection);
      return;
    }
    const p = diff(base.current.record, store.values, config.shape);
    if (!Object.keys(p).length) {
      setEditing(false);
      setStatus(t`Nothing to save: no field changed.`);
      return;
    }
    // Without a connection (with offline data on): keep it on this device, sent when online.
    const saveOffline = async () => {
      const rec = (await queueEdit(await db(), { resource: kind.resource, base: base.current.record as LocalRecord, values: store.values, shape: config.shape })) as Rec;
      changed();
      void qc.invalidateQueries({ queryKey: ["outbox-entry", id] });
      saved(rec, `"${rec.version}"`, t`Saved on this device. It will be sent when you are online.`, true);
    };
    if (offlineOn && (!navigator.onLine || loaded.offline)) {
      await saveOffline();
      return;
    }
    setBusy(true);
    try {
      let res = await patch(p, { "If-Match": base.current.etag });
      let merged = false;
      if (res.response.status === 412) {
        // Someone saved meanwhile: send the same change as a merge from the version it started from.
        res = await patch(p, { "X-Base-Version": String(base.current.record.version) });
        merged = true;
      }
      if (res.response.status === 409) {
        const problem = (res.error ?? {}) as { conflicts?: Conflict[]; detail?: string; title?: string };
        if (problem.conflicts?.length) {
          const current = await getRecord(kind, id);
          setConflict({ conflicts: problem.conflicts, current, patch: p });
          requestAnimationFrame(() => document.getElementById("conflicts-title")?.focus());
          return;
        }
      }
      const body = data(res);
      saved(body.data as Rec, res.response.headers.get("ETag") ?? `"${(body.data as Rec).version}"`, merged ? t`Saved. Changes someone else made meanwhile were kept too.` : t`Saved.`);
    } catch (err) {
      if (err instanceof ApiError) showProblem(err, p);
      else if (err instanceof TypeError && offlineOn) await saveOffline();
      else setFormErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };

  const resolveConflicts = async (choices: Record<string, Choice>) => {
    if (!conflict) return;
    const values = resolve(conflict.current.record, store.values, conflict.patch, conflict.conflicts, choices, config.shape);
    base.current = conflict.current;
    store.replace(values);
    writeDraft(id, { base: conflict.current.record, values });
    setConflict(undefined);
    await save();
  };

  const rec = store.values as Rec;
  const uploadTarget: UploadTarget = { resource: kind.resource, recordType: kind.type, recordId: id, canChange: writable && !viaReferral && !loaded.offline && rec._local !== true, editing };
  const moduleApprovals = modules.data?.find((m) => m.unique_id === rec.module_id)?.options?.approvals ?? undefined;
  const casework = (message: string) => {
    setStatus(message);
    void qc.invalidateQueries({ queryKey: ["record", kind.type, id] });
    refresh();
  };
  return (
    <>
      <PageHeader
        title={
          <>
            <span dir="auto">{recordName(kind, rec) || t`(no name)`}</span> <code dir="ltr">{rec.short_id}</code>
          </>
        }
        actions={
          <>
            <Link to={kind.path} className="button button-secondary">
              <Trans>Back to the list</Trans>
            </Link>
            {writable && !editing && tab === "record" && !viaReferral && (
              <button type="button" className="button" data-action="edit" onClick={() => setEditing(true)}>
                <Trans>Edit</Trans>
              </button>
            )}
            {kind.type === "case" && !editing && !loaded.offline && rec._local !== true && loaded.record.record_state !== false && can(me, "incidents:write") && (
              <Link to="/incidents/new" search={{ case_id: id } as never} className="button button-secondary" data-testid="incident-from-case">
                <Trans>Create an incident from this case</Trans>
              </Link>
            )}
          </>
        }
      />
      {!editing && (
        <RecordState<Rec>
          resource={kind.resource}
          id={id}
          enabled={loaded.record.record_state !== false}
          etag={loaded.etag}
          mayChange={mayChangeState(me, kind.resource, rec, loaded.offline)}
          onChanged={(r, etag, enabled) => saved(r, etag, enabled ? t`The record is enabled again.` : t`The record is disabled.`)}
        />
      )}
      {!editing && mayErase(me, kind.resource, rec, loaded.offline) && (
        <EraseRecord
          resource={kind.resource}
          id={id}
          onErased={() => {
            writeDraft(id, undefined);
            qc.removeQueries({ queryKey: ["record", kind.type, id] });
            void qc.invalidateQueries({ queryKey: [kind.resource] });
            void navigate({ to: kind.path });
          }}
        />
      )}
      {isCase && !editing && !acting && !loaded.offline && rec._local !== true && loaded.record.record_state !== false && (
        <CaseActions
          me={me}
          record={rec}
          transitions={trs}
          onOpen={(a) => {
            setStatus(undefined);
            setActing(a);
          }}
        />
      )}
      {isCase && acting && (
        <TransitionFormPanel
          type={acting}
          me={me}
          record={rec}
          config={config}
          onClose={() => setActing(undefined)}
          onDone={(tr) => {
            setActing(undefined);
            setStatus(t`${labels.type[tr.type as TransitionType]} sent to ${tr.transitioned_to}.`);
            setTab("transitions");
            refresh();
          }}
        />
      )}
      <p className="muted">
        <Trans>
          Version {base.current.record.version} · {rec.status === "closed" ? t`Closed` : t`Open`} · owner <span dir="ltr">{String(rec.owned_by ?? "")}</span>
        </Trans>
      </p>
      {isCase && <CaseBadges record={rec} />}
      {typeof rec.case_id === "string" && (
        <p>
          <Link to="/cases/$id" params={{ id: rec.case_id }} data-testid="incident-case">
            <Trans>Created from a case: open the case</Trans>
          </Link>
        </p>
      )}
      {loaded.offline && (
        <p className="notice notice-info" data-testid="offline-record">
          <Trans>You are offline: this is the copy kept on this device. Changes you save are kept here and sent when you are online.</Trans>
        </p>
      )}
      {rec._local === true && (
        <p className="notice notice-warning" data-testid="not-sent">
          <Trans>Registered on this device: not sent to the server yet.</Trans>
        </p>
      )}
      {entry && !collided && !rec._local && (
        <p className="notice notice-warning" data-testid="changes-waiting">
          <Trans>Changes to this record made offline wait to be sent.</Trans>
        </p>
      )}
      {collided && conflict && (
        <p className="notice notice-warning" data-testid="offline-conflict">
          <Trans>While you were offline, someone else changed the same fields of this record. Choose what to keep; nothing you typed is lost.</Trans>
        </p>
      )}
      {Array.isArray(rec.incident_ids) && rec.incident_ids.length > 0 && (
        <nav aria-labelledby="case-incidents-title" data-testid="case-incidents">
          <h2 id="case-incidents-title" className="inline-title">
            <Trans>Incidents from this case</Trans>
          </h2>
          <ul className="inline-list">
            {(rec.incident_ids as string[]).map((incident) => (
              <li key={incident}>
                <Link to="/incidents/$id" params={{ id: incident }}>
                  <Trans>
                    Incident <span dir="ltr">{incident.slice(0, 8)}</span>
                  </Trans>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {restored && (
        <p className="notice notice-info" role="status">
          <Trans>Your unsent changes to this record were restored. Save them or cancel.</Trans>
        </p>
      )}
      <Status message={status} />
      <UploadSummary
        recordId={id}
        config={config}
        onField={(field) => {
          setTab("record");
          focusError(config, field, setSection);
        }}
      />
      {viaReferral && (
        <p className="notice notice-info" data-testid="via-referral">
          <Trans>
            You read this case through a referral (access role <span dir="ltr">{viaReferral.authorized_role_unique_id}</span>): only the forms shared with you are shown.
          </Trans>
        </p>
      )}
      {awaiting > 0 && tab !== "transitions" && (
        <p className="notice notice-warning" data-testid="awaiting">
          <Trans>A transition of this case awaits your answer.</Trans>{" "}
          <button type="button" className="link-button" onClick={() => setTab("transitions")}>
            <Trans>See the transitions</Trans>
          </button>
        </p>
      )}
      {(can(me, `${kind.resource}:history`) || isCase || matchable) && (
        <TabList label={i18n._(kind.title)} selected={tab}>
          <Tab id="record" selected={tab === "record"} onSelect={() => setTab("record")}>
            <Trans>Record</Trans>
          </Tab>
          {isCase && (
            <Tab id="transitions" selected={tab === "transitions"} onSelect={() => setTab("transitions")}>
              <Trans>Transitions</Trans>
              {awaiting > 0 && <span className="badge badge-pending">{i18n.number(awaiting)}</span>}
            </Tab>
          )}
          {isCase && (
            <Tab id="casework" selected={tab === "casework"} onSelect={() => setTab("casework")}>
              <Trans>Flags and approvals</Trans>
            </Tab>
          )}
          {can(me, `${kind.resource}:history`) && (
            <Tab id="history" selected={tab === "history"} onSelect={() => setTab("history")}>
              <Trans>Change history</Trans>
            </Tab>
          )}
          {matchable && (
            <Tab id="matches" selected={tab === "matches"} onSelect={() => setTab("matches")}>
              <Trans>Potential matches</Trans>
            </Tab>
          )}
        </TabList>
      )}
      {tab === "transitions" ? (
        transitions.isLoading ? (
          <Loading />
        ) : transitions.error ? (
          <LoadError error={transitions.error} />
        ) : (
          <TransitionsPanel
            caseId={id}
            me={me}
            transitions={trs}
            config={config}
            onAnswered={(tr) => {
              setStatus(labels.answered[tr.status as keyof typeof labels.answered] ?? labels.status[tr.status]);
              refresh();
            }}
          />
        )
      ) : tab === "casework" ? (
        <CaseworkPanel caseId={id} record={rec} moduleApprovals={moduleApprovals} referral={!!viaReferral} onChanged={casework} />
      ) : tab === "matches" ? (
        <Suspense fallback={<Loading />}>{kind.type === "case" ? <CaseMatches caseId={id} /> : <TracingRequestMatches tracingRequestId={id} />}</Suspense>
      ) : tab === "history" ? (
        <History kind={kind} id={id} config={config} />
      ) : (
        <>
          {conflict && <ConflictChooser config={config} conflicts={conflict.conflicts} onResolve={(c) => void resolveConflicts(c)} busy={busy} />}
          <ErrorSummary store={store} config={config} onSection={setSection} form={formErrors} />
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <UploadTargetContext.Provider value={uploadTarget}>
              <RecordForm config={shown} store={store} readOnly={!editing} section={section} onSection={setSection} />
            </UploadTargetContext.Provider>
            {editing && !conflict && (
              <div className="actions form-actions">
                <button type="submit" className="button" disabled={busy}>
                  {busy ? t`Saving…` : t`Save`}
                </button>
                <button
                  type="button"
                  className="button button-secondary"
                  data-action="cancel-edit"
                  onClick={() => {
                    store.replace(loaded.record === base.current.record ? loaded.record : base.current.record);
                    writeDraft(id, undefined);
                    setFormErrors([]);
                    setEditing(false);
                  }}
                >
                  <Trans>Cancel</Trans>
                </button>
              </div>
            )}
          </form>
        </>
      )}
    </>
  );
}

/** History: the case's changes, newest first, with the fields' labels and values. */
function History({ kind, id, config }: { kind: RecordKind; id: string; config: RecordConfig }) {
  const { i18n, t } = useLingui();
  const date = useFormatDate();
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ["history", id, page],
    queryFn: async () => data(await api.GET(`/api/v2/${kind.resource}/{id}/record_history` as "/api/v2/cases/{id}/record_history", { params: { path: { id }, query: { page, per: 50 } } })),
  });
  const actions: Record<string, string> = {
    create: t`Registered`,
    update: t`Changed`,
    disable: t`Disabled`,
    enable: t`Enabled`,
    assign: t`Assigned`,
    referral: t`Referral`,
    transfer: t`Transfer`,
    transfer_request: t`Transfer request`,
  };
  if (query.isLoading) return <Loading />;
  if (query.error) return <LoadError error={query.error} />;
  const entries = query.data?.data ?? [];
  const total = query.data?.metadata.total ?? 0;
  return (
    <section aria-label={t`Change history`} className="history">
      <ol className="history-list">
        {entries.map((e) => (
          <li key={e.version} className="card">
            <p>
              <strong>{actions[e.action] ?? e.action}</strong> · <Trans>version {e.version}</Trans> · {date(e.datetime)} · <span dir="auto">{e.user_name}</span>
            </p>
            <dl className="changes">
              {(e.record_changes ?? []).map((c, i) => {
                const { label, field } = conflictLabel(config, c.path, i18n.locale, (n) => t`entry ${n}`);
                const fmt = (v: unknown) =>
                  v !== null && typeof v === "object" && !Array.isArray(v) && field?.type !== "date_range" && field?.type !== "tally_field"
                    ? t`an entry`
                    : formatValue(field, v, config.lookups, i18n.locale, t`Yes`, t`No`);
                return (
                  <div key={i}>
                    <dt>{label}</dt>
                    <dd dir="auto">
                      {c.op === "add" ? t`added` : c.op === "remove" ? t`removed` : `${fmt(c.from)} → ${fmt(c.to)}`}
                    </dd>
                  </div>
                );
              })}
            </dl>
          </li>
        ))}
      </ol>
      {total > page * 50 && (
        <button type="button" className="button button-secondary" onClick={() => setPage(page + 1)}>
          <Trans>Older changes</Trans>
        </button>
      )}
    </section>
  );
}

const registerKey = (type: string) => `cpims.register.${type}`;

/** RegisterCase: /cases/new. The record's id is made here, once, so a retried submit never registers it twice. */
export function RegisterCase() {
  return <RegisterRecord kind={caseKind} />;
}

/** RegisterTracingRequest: /tracing-requests/new. */
export function RegisterTracingRequest() {
  return <RegisterRecord kind={tracingRequestKind} />;
}

/** RegisterIncident: /incidents/new, or ?case_id=<case> to create it from that case. */
export function RegisterIncident() {
  return <RegisterRecord kind={incidentKind} />;
}

function RegisterRecord({ kind }: { kind: RecordKind }) {
  const { i18n, t } = useLingui();
  const modules = useModules(kind.type);
  const [moduleId, setModuleId] = useState<string>();
  const chosen = moduleId ?? (modules.data?.length === 1 ? modules.data[0].unique_id : undefined);
  const config = useRecordConfig(kind.type, chosen);
  return (
    <Allowed permission={`${kind.resource}:write`}>
      <div className="page">
        <PageHeader title={i18n._(kind.register)} />
        {modules.isLoading && <Loading />}
        {modules.error && <LoadError error={modules.error} />}
        {modules.data && modules.data.length > 1 && (
          <div className="field">
            <label htmlFor="module">
              <Trans>Module</Trans>
            </label>
            <select id="module" value={chosen ?? ""} onChange={(e) => setModuleId(e.target.value || undefined)}>
              <option value="">{t`Choose a module`}</option>
              {modules.data.map((m) => (
                <option key={m.unique_id} value={m.unique_id}>
                  {localName(m.name, i18n.locale)}
                </option>
              ))}
            </select>
          </div>
        )}
        {config.isLoading && chosen && <Loading />}
        {config.error && <LoadError error={config.error} />}
        {config.data && chosen && <RegisterForm key={chosen} kind={kind} moduleId={chosen} config={config.data} />}
      </div>
    </Allowed>
  );
}

function RegisterForm({ kind, moduleId, config }: { kind: RecordKind; moduleId: string; config: RecordConfig }) {
  const { t } = useLingui();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const required = useRequiredMessage();
  // The id and the typing survive a reload of this tab.
  const [saved] = useState<{ id: string; values: Data }>(() => {
    try {
      const s = JSON.parse(sessionStorage.getItem(registerKey(kind.type)) ?? "null");
      if (s?.id && s.module_id === moduleId) return { id: s.id, values: s.values ?? {} };
    } catch {
      /* none kept */
    }
    return { id: crypto.randomUUID(), values: {} };
  });
  const store = useMemo(() => new RecordStore(saved.values), [saved]);
  // Files chosen before the record exists, sent right after the create; with an
  // offline copy kept on the device too (encrypted), so that a reload keeps them.
  // (After a reload the copy is locked until the PIN is entered: the files come back then.)
  const [keepOn, setKeepOn] = useState(() => offlineActive() && !locked());
  useEffect(() => onOfflineChange(() => setKeepOn(offlineActive() && !locked())), []);
  const [files] = useState(() => new PendingUploads());
  useEffect(() => {
    if (!keepOn) return;
    files.setKeeper(deviceKeeper(db, { resource: kind.resource, recordId: saved.id }));
    void db()
      .then((d) => restorePending(d, saved.id))
      .then((kept) => files.restore(kept))
      .catch(() => undefined);
  }, [keepOn, files, saved.id, kind.resource]);
  // Without a copy on the device, files not sent yet are lost if the page is left.
  useWarnBeforeLeaving(() => !keepOn && files.all().length > 0);
  const [section, setSection] = useState<string>();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // An incident may be created from a case (/incidents/new?case_id=...).
  const search = useSearch({ strict: false }) as { case_id?: string };
  const caseId = kind.type === "incident" ? search.case_id : undefined;
  // A case is checked for duplicates first (skipped when typing was restored: the check was passed).
  const [checking, setChecking] = useState(kind.type === "case" && !Object.keys(saved.values).length);
  useEffect(
    () =>
      store.onChange((values) => {
        try {
          sessionStorage.setItem(registerKey(kind.type), JSON.stringify({ id: saved.id, module_id: moduleId, values }));
        } catch {
          /* in memory only */
        }
      }),
    [store, saved.id, moduleId, kind.type],
  );
  const submit = async () => {
    setFormErrors([]);
    const missing = missingRequired(config, store.values, required);
    if (Object.keys(missing).length) {
      store.setErrors(missing);
      focusError(config, Object.keys(missing)[0], setSection);
      return;
    }
    const body = { ...diff({}, store.values, config.shape) };
    for (const [k, v] of Object.entries(body)) if (v === null) delete body[k];
    // Without a connection (with offline data on): registered on this device, sent when online.
    const registerOffline = async () => {
      await queueCreate(await db(), { resource: kind.resource, id: saved.id, module_id: moduleId, values: store.values, shape: config.shape });
      // Its files stay on the device and go when the record is sent (sendKept).
      await files.settled();
      await releaseDrafts(await db(), saved.id);
      changed();
      sessionStorage.removeItem(registerKey(kind.type));
      void qc.invalidateQueries({ queryKey: [kind.resource] });
      await navigate({ to: `${kind.path}/$id`, params: { id: saved.id } });
    };
    // (An incident from a case needs the connection: the server links it to the case.)
    const offlineOn = !caseId && offlineActive() && !locked();
    if (offlineOn && !navigator.onLine) {
      await registerOffline();
      return;
    }
    setBusy(true);
    try {
      const res = data(
        caseId
          ? await api.POST("/api/v2/cases/{id}/incidents", { params: { path: { id: caseId } }, body: { data: { ...body, id: saved.id, module_id: moduleId } } })
          : await api.POST(`/api/v2/${kind.resource}` as "/api/v2/cases", { body: { data: { ...body, id: saved.id, module_id: moduleId } } }),
      );
      sessionStorage.removeItem(registerKey(kind.type));
      void sendRegistered(uploadQueue, { resource: kind.resource, recordId: (res.data as Rec).id }, files, keepOn ? db : undefined);
      void qc.invalidateQueries({ queryKey: [kind.resource] });
      // The case now lists the incident (incident_ids): its page must not open from the cache.
      if (caseId) qc.removeQueries({ queryKey: ["record", "case", caseId] });
      await navigate({ to: `${kind.path}/$id`, params: { id: (res.data as Rec).id } });
    } catch (err) {
      if (err instanceof ApiError) {
        const mapped = problemErrors(err.problem, body, config);
        store.setErrors(mapped.fields);
        setFormErrors(mapped.form);
        focusError(config, Object.keys(mapped.fields)[0], setSection);
      } else if (err instanceof TypeError && offlineOn) await registerOffline();
      else setFormErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };
  if (checking) return <DuplicateCheck config={config} store={store} moduleId={moduleId} onContinue={() => setChecking(false)} />;
  return (
    <>
      <ErrorSummary store={store} config={config} onSection={setSection} form={formErrors} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <PendingUploadsContext.Provider value={files}>
          <RecordForm config={config} store={store} readOnly={false} section={section} onSection={setSection} />
        </PendingUploadsContext.Provider>
        <div className="actions form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t`Saving…` : t`Register`}
          </button>
        </div>
      </form>
    </>
  );
}

