// The devices keeping an offline copy (session 19): a person's own in their
// account settings (GET/DELETE /api/v2/devices), a user's on the
// administrator's user page (GET/DELETE /api/v2/users/{id}/devices). A revoked
// device never gets its key again and wipes its copy at its next contact.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../api/client";
import type { components } from "../api/schema";
import { ApiError } from "../api/problem";
import { useFormatDate } from "../pages/admin/common";
import { thisDevice } from "./runtime";

type Device = components["schemas"]["Device"];

/** DeviceList lists the devices of the signed-in person, or of user userId (an administrator's view); canRevoke offers revoking them. */
export function DeviceList({ userId, canRevoke = true }: { userId?: string; canRevoke?: boolean }) {
  const { t } = useLingui();
  const qc = useQueryClient();
  const date = useFormatDate();
  const [error, setError] = useState<string>();
  const queryKey = ["devices", userId ?? "me"];
  const devices = useQuery({
    queryKey,
    queryFn: async (): Promise<Device[]> =>
      (userId
        ? data(await api.GET("/api/v2/users/{id}/devices", { params: { path: { id: userId } } })).data
        : data(await api.GET("/api/v2/devices")).data) ?? [],
    retry: false,
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const r = userId
        ? await api.DELETE("/api/v2/users/{id}/devices/{device_id}", { params: { path: { id: userId, device_id: id } } })
        : await api.DELETE("/api/v2/devices/{id}", { params: { path: { id } } });
      if (r.error) data(r);
    },
    onMutate: () => setError(undefined),
    onError: (err) => setError(err instanceof ApiError ? err.message : String(err)),
    onSettled: () => qc.invalidateQueries({ queryKey }),
  });
  if (devices.isError && devices.error instanceof ApiError && devices.error.status === 404) return null; // e.g. a service account
  const mine = thisDevice();
  const list = devices.data ?? [];
  return (
    <section className="settings-section" aria-labelledby="devices-title" data-section="devices" data-testid="devices">
      <h2 id="devices-title">
        <Trans>Devices with an offline copy</Trans>
      </h2>
      <p className="muted">
        <Trans>
          Each browser where the cases are kept for work without a connection. Revoke one that is lost or no longer used: its copy is
          removed the next time it connects, and it can no longer be opened.
        </Trans>
      </p>
      {devices.isError && (
        <p role="alert" className="notice notice-error">
          <Trans>The devices could not be loaded.</Trans>
        </p>
      )}
      {error && (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      )}
      {devices.isSuccess && !list.length && (
        <p>
          <Trans>No device keeps an offline copy.</Trans>
        </p>
      )}
      {list.length > 0 && (
        <ul className="stack device-list">
          {list.map((d) => (
            <li key={d.id} className="card" data-testid="device" data-device={d.id}>
              <strong dir="auto">{d.label}</strong>
              {!userId && d.id === mine && (
                <>
                  {" "}
                  <span className="badge">{t`This device`}</span>
                </>
              )}{" "}
              {d.revoked_at ? <span className="badge badge-off">{t`Revoked`}</span> : <span className="badge">{t`Active`}</span>}
              <p className="muted">
                <Trans>Registered {date(d.created_at)}; last opened with the server {date(d.last_released_at)}</Trans>
                {d.revoked_at && (
                  <>
                    {" "}
                    <Trans>Revoked {date(d.revoked_at)}</Trans>
                  </>
                )}
              </p>
              {canRevoke && !d.revoked_at && (
                <button
                  type="button"
                  className="button button-danger"
                  disabled={revoke.isPending}
                  onClick={() => {
                    if (!window.confirm(t`Revoke ${d.label}? Its offline copy is removed at its next connection, with changes not sent yet.`)) return;
                    revoke.mutate(d.id);
                  }}
                >
                  <Trans>Revoke</Trans>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
