// The information sharing protocol (GET/PUT /api/v2/sharing_protocol): for
// each sending agency, which other agencies it may refer and transfer cases
// to. Administrators with sharing_protocol:write change it; a role that may
// only read it sees the same matrix, disabled.
import { useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useLingui } from "@lingui/react/macro";
import { api, data } from "../../api/client";
import { ApiError, errorMessage } from "../../api/problem";
import { can } from "../../app/queries";
import { useSession } from "../../app/session";
import { FormErrors, Status } from "../../components/Field";
import { Allowed, LoadError, Loading, PageHeader, useLocalName } from "./common";
import { protocolKey, toAllowed, toRules, type ShareKind } from "./protocol";
import { useAgencies } from "./queries";

const protocolQueryKey = ["sharing_protocol"];

export default function SharingProtocol() {
  return (
    <Allowed permission="sharing_protocol:read">
      <ProtocolPage />
    </Allowed>
  );
}

function ProtocolPage() {
  const { t } = useLingui();
  const { me } = useSession();
  const name = useLocalName();
  const qc = useQueryClient();
  const writable = can(me, "sharing_protocol:write");
  const agencies = useAgencies(can(me, "agencies:read"));
  const protocol = useQuery({
    queryKey: protocolQueryKey,
    queryFn: async () => data(await api.GET("/api/v2/sharing_protocol")).data ?? [],
  });
  const [allowed, setAllowed] = useState<Set<string>>();
  const [errors, setErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (protocol.data && !allowed) setAllowed(toAllowed(protocol.data));
  }, [protocol.data, allowed]);

  const list = (agencies.data ?? []).filter((a) => !a.disabled);
  const ids = list.map((a) => a.unique_id);
  const kinds: { kind: ShareKind; label: string }[] = [
    { kind: "referral", label: t`Referrals` },
    { kind: "transfer", label: t`Transfers` },
  ];
  const toggle = (key: string, on: boolean) => {
    const next = new Set(allowed);
    if (on) next.add(key);
    else next.delete(key);
    setAllowed(next);
    setStatus(undefined);
  };
  const save = async () => {
    if (!allowed) return;
    setErrors([]);
    setStatus(undefined);
    setBusy(true);
    try {
      const res = data(await api.PUT("/api/v2/sharing_protocol", { body: { data: toRules(allowed, ids) } }));
      qc.setQueryData(protocolQueryKey, res.data ?? []);
      setAllowed(toAllowed(res.data ?? []));
      setStatus(t`The sharing protocol is saved.`);
    } catch (err) {
      if (err instanceof ApiError) setErrors([err.message, ...(err.problem.errors ?? []).map((e) => `${e.location ?? ""}: ${e.message ?? ""}`)]);
      else setErrors([errorMessage(err)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title={t`Information sharing protocol`} />
      <p className="muted">
        <Trans>
          Within an agency, caseworkers may always refer and transfer cases. Across agencies, only what is ticked here is allowed; the child's consent to share is checked as well.
        </Trans>
      </p>
      {(protocol.isLoading || agencies.isLoading) && <Loading />}
      {protocol.error && <LoadError error={protocol.error} />}
      {agencies.error && <LoadError error={agencies.error} />}
      <Status message={status} />
      <FormErrors errors={errors} />
      {allowed && agencies.data && (
        <form
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {list.length < 2 && (
            <p className="muted">
              <Trans>There is only one agency: nothing to share across.</Trans>
            </p>
          )}
          <div className="protocol">
            {list.map((from) => (
              <fieldset key={from.unique_id} className="card protocol-from" data-from={from.unique_id}>
                <legend>
                  <Trans>
                    From <span dir="auto">{name(from.name)}</span>
                  </Trans>
                </legend>
                {list
                  .filter((to) => to.unique_id !== from.unique_id)
                  .map((to) => (
                    <fieldset key={to.unique_id} className="protocol-to" data-to={to.unique_id}>
                      <legend>
                        <Trans>
                          to <span dir="auto">{name(to.name)}</span>
                        </Trans>
                      </legend>
                      <div className="protocol-kinds">
                        {kinds.map(({ kind, label }) => {
                          const key = protocolKey(from.unique_id, to.unique_id, kind);
                          const id = `p-${from.unique_id}-${to.unique_id}-${kind}`;
                          return (
                            <div key={kind} className="field field-check">
                              <input id={id} type="checkbox" data-kind={kind} disabled={!writable} checked={allowed.has(key)} onChange={(e) => toggle(key, e.target.checked)} />
                              <label htmlFor={id}>{label}</label>
                            </div>
                          );
                        })}
                      </div>
                    </fieldset>
                  ))}
              </fieldset>
            ))}
          </div>
          {writable && (
            <div className="actions">
              <button type="submit" className="button" disabled={busy}>
                {busy ? t`Saving…` : t`Save the protocol`}
              </button>
            </div>
          )}
        </form>
      )}
    </div>
  );
}
