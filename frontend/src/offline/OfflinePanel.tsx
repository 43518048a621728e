// What the person sees of the offline data: the opt-in (with what it means
// on a shared device), how many cases this device keeps and when they were
// last synced, "Sync now", and the outbox of changes waiting to be sent, each
// with its state (waiting, conflict: open it to choose, refused: the
// server's reason, try again or discard).
import { useCallback, useEffect, useState } from "react";
import { Link } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Plural, Trans, useLingui } from "@lingui/react/macro";
import type { CurrentUser } from "../api/client";
import { useFormatDate } from "../pages/admin/common";
import { discard, retry, type Entry, type Resource } from "./outbox";
import { changed, db, disable, enable, onOfflineChange, offlineState, registerDevice, sync, wasRevoked, WIPE_AFTER_DAYS, type OfflineState } from "./runtime";
import { useSystemSettings } from "../app/queries";
import { PinChoice, UnlockForm } from "./Unlock";

/** useOnline follows the browser's connection state. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === "undefined" ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

/** useOfflineState reads the device's state and follows its changes. */
export function useOfflineState(me: CurrentUser | undefined) {
  const [state, setState] = useState<OfflineState>();
  const load = useCallback(() => void offlineState().then(setState, () => setState({ enabled: false, records: 0, entries: [] })), []);
  useEffect(() => {
    load();
    return onOfflineChange(load);
  }, [load, me?.email]);
  return state;
}

/**
 * useAutoSync syncs when the app opens signed in and whenever the connection
 * comes back, then reloads what the screens show.
 */
export function useAutoSync(me: CurrentUser | undefined) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!me) return;
    const run = () => {
      if (!navigator.onLine) return;
      void sync()
        .then((r) => {
          if (r) void qc.invalidateQueries({ predicate: (q) => ["cases", "record", "outbox-entry"].includes(String(q.queryKey[0])) });
        })
        .catch(() => {});
    };
    run();
    window.addEventListener("online", run);
    return () => window.removeEventListener("online", run);
  }, [me, qc]);
}

/** The app's path of each resource's records, and the fields that name one in the outbox. */
const pathOf: Record<Resource, "/cases/$id" | "/tracing-requests/$id" | "/incidents/$id"> = {
  cases: "/cases/$id",
  tracing_requests: "/tracing-requests/$id",
  incidents: "/incidents/$id",
};
const nameFields: Record<Resource, string[]> = {
  cases: ["name_first", "name_middle", "name_last"],
  tracing_requests: ["relation_name"],
  incidents: ["cp_incident_date"],
};

function entryName(e: Entry): string {
  const d = (e.kind === "create" ? e.body : e.values) as Record<string, unknown>;
  return (nameFields[e.resource] ?? nameFields.cases)
    .map((n) => d[n])
    .filter((x) => typeof x === "string" && x)
    .join(" ");
}

/** OfflinePanel: on the case list. */
export function OfflinePanel({ me }: { me: CurrentUser }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const date = useFormatDate();
  const online = useOnline();
  const state = useOfflineState(me);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const settings = useSystemSettings();
  if (!state) return null;
  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await sync();
      if (r?.offline) setError(t`The server could not be reached. Your changes stay on this device.`);
      await qc.invalidateQueries({ predicate: (q) => ["cases", "record", "outbox-entry"].includes(String(q.queryKey[0])) });
    } catch (err) {
      setError(String((err as Error)?.message ?? err));
    } finally {
      setBusy(false);
    }
  };
  if (!state.enabled) {
    return (
      <section className="card offline-panel" aria-labelledby="offline-title" data-testid="offline-panel">
        <h2 id="offline-title">
          <Trans>Work without a connection</Trans>
        </h2>
        <p>
          <Trans>
            Keep the cases, tracing requests and incidents you may see on this device, to read, register and edit them without a
            connection; changes are sent when the connection is back.
          </Trans>
        </p>
        <p className="notice notice-warning">
          <Trans>
            The cases are encrypted on this device and open only with the offline PIN you choose here. Still, only turn this on on a
            device that you alone use, with a screen lock, and never write the PIN down. The copy is removed after 5 wrong PINs, at sign-out, and
            after {WIPE_AFTER_DAYS} days without a sync.
          </Trans>
        </p>
        {wasRevoked() && (
          <p role="status" className="notice notice-warning" data-testid="device-revoked">
            {t`This device was revoked: the cases kept on it, and changes not sent yet, were removed.`}
          </p>
        )}
        {settings.data?.offline_unlock === "pin_and_server" && (
          <p className="notice">
            <Trans>
              Here the copy also needs this server to open: after the device restarts without a connection, the cases and your changes wait
              until you are online.
            </Trans>
          </p>
        )}
        <PinChoice
          disabled={!online || busy}
          onChoose={(pin) => {
            setBusy(true);
            void (async () => {
              // The copy is bound to this browser's device key, which the server keeps (and may revoke).
              const device = await registerDevice(deviceLabel(navigator.userAgent), settings.data?.offline_unlock ?? "pin");
              await enable(me.email, pin, undefined, undefined, device);
            })().then(run, (err: unknown) => {
              setBusy(false);
              setError(String((err as Error)?.message ?? err));
            });
          }}
        />
        {error && (
          <p role="alert" className="notice notice-error">
            {error}
          </p>
        )}
      </section>
    );
  }
  if (state.locked) {
    return (
      <section className="card offline-panel" aria-labelledby="offline-title" data-testid="offline-panel">
        <h2 id="offline-title">
          <Trans>Cases on this device</Trans>
        </h2>
        <UnlockForm
          onUnlocked={() => {
            if (navigator.onLine) void run();
            else void qc.invalidateQueries();
          }}
        />
        <p>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              if (!window.confirm(t`Remove the cases kept on this device, and changes not sent yet? You can keep them again with a new PIN.`)) return;
              void disable().then(() => qc.invalidateQueries({ queryKey: ["cases"] }));
            }}
          >
            <Trans>Forgot the PIN? Remove the copy on this device</Trans>
          </button>
        </p>
      </section>
    );
  }
  const waiting = state.entries.length;
  return (
    <section className="card offline-panel" aria-labelledby="offline-title" data-testid="offline-panel">
      <h2 id="offline-title">
        <Trans>Cases on this device</Trans>
      </h2>
      {!online && (
        <p className="notice notice-info" data-testid="offline-list-notice">
          <Trans>You are offline: this list shows the cases kept on this device. Filters and search do not apply.</Trans>
        </p>
      )}
      <p data-testid="offline-summary">
        <Plural value={state.kept?.cases ?? state.records} one="# case kept on this device." other="# cases kept on this device." />{" "}
        {!!state.kept?.tracing_requests && (
          <>
            <Plural value={state.kept.tracing_requests} one="# tracing request kept on this device." other="# tracing requests kept on this device." />{" "}
          </>
        )}
        {!!state.kept?.incidents && (
          <>
            <Plural value={state.kept.incidents} one="# incident kept on this device." other="# incidents kept on this device." />{" "}
          </>
        )}
        <span data-testid="last-synced">
          <Trans>Last synced: {state.lastSynced ? date(state.lastSynced) : t`never`}</Trans>
        </span>
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={() => void run()} disabled={!online || busy} data-testid="sync-now">
          {busy ? t`Syncing…` : t`Sync now`}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => {
            if (waiting && !window.confirm(t`Changes not sent yet will be lost. Stop keeping cases on this device?`)) return;
            void disable().then(() => qc.invalidateQueries({ queryKey: ["cases"] }));
          }}
        >
          <Trans>Stop keeping cases on this device</Trans>
        </button>
      </div>
      {error && (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      )}
      <h3>
        <Plural value={waiting} _0="No change waiting to be sent." one="# change waiting to be sent:" other="# changes waiting to be sent:" />
      </h3>
      {waiting > 0 && (
        <ul className="outbox" data-testid="outbox">
          {state.entries.map((e) => (
            <li key={e.seq} className={`outbox-entry outbox-${e.state}`} data-testid="outbox-entry" data-state={e.state}>
              <Link to={pathOf[e.resource] ?? "/cases/$id"} params={{ id: e.id }}>
                {e.kind === "create" ? (
                  <Trans>
                    Registration of <span dir="auto">{entryName(e) || t`(no name)`}</span>
                  </Trans>
                ) : (
                  <Trans>
                    Changes to <span dir="auto">{entryName(e) || t`(no name)`}</span> <code dir="ltr">{String(e.base.short_id ?? "")}</code>
                  </Trans>
                )}
              </Link>{" "}
              <span className="muted">
                {e.state === "pending" ? (
                  <Trans>waiting for the connection</Trans>
                ) : e.state === "conflict" ? (
                  <Trans>someone else changed the same fields: open the record to choose</Trans>
                ) : (
                  <Trans>refused by the server:</Trans>
                )}
              </span>
              {e.state === "failed" && (
                <>
                  {" "}
                  <span dir="auto">{e.problem}</span>{" "}
                  <button type="button" className="link-button" onClick={() => void db().then((d) => retry(d, e.seq!)).then(changed)}>
                    <Trans>Try again</Trans>
                  </button>{" "}
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      if (window.confirm(t`Discard this change? What was typed is lost.`)) void db().then((d) => discard(d, e.seq!)).then(changed);
                    }}
                  >
                    <Trans>Discard</Trans>
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** deviceLabel names this browser for the person's list of devices, e.g. "Chrome on Android". */
export function deviceLabel(ua: string): string {
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X/.test(ua)
          ? "macOS"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : "";
  return os ? `${browser} on ${os}` : browser;
}
