// Loads a Kratos flow for a page (by the id in the URL, or a new one) and
// follows what Kratos answers: show the flow, go where it says, restart an
// expired flow.
import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useRouter } from "@tanstack/react-router";
import { appPath, createFlow, getFlow, submitFlow, type FlowResult } from "./client";
import type { Flow, FlowKind, KratosError } from "./types";

export interface UseFlowOptions {
  kind: FlowKind;
  flowId?: string;
  create?: Record<string, string | undefined>;
  /** the page's own search parameters to keep when the flow id is added */
  search: Record<string, unknown>;
  onSession?: (r: Extract<FlowResult, { kind: "session" }>, flow: Flow | undefined) => void | Promise<void>;
  onError?: (e: KratosError, status: number) => boolean | void; // true: handled
  /** Kratos asks the browser to go to `to`; true: the page handled it */
  onRedirect?: (to: string) => boolean | Promise<boolean>;
}

/** go sends the browser where Kratos asks: in-app pages by the router, Kratos' own endpoints by a real navigation. */
export function useGo() {
  const router = useRouter();
  return useCallback(
    (to: string) => {
      const p = appPath(to);
      if (p && !p.startsWith("/.ory/") && !p.startsWith("/api/")) router.history.push(p);
      else window.location.assign(to);
    },
    [router],
  );
}

export function useFlow(o: UseFlowOptions) {
  const [flow, setFlow] = useState<Flow>();
  const [failure, setFailure] = useState<KratosError & { status?: number }>();
  const navigate = useNavigate();
  const go = useGo();
  const opts = useRef(o);
  opts.current = o;

  const handle = useCallback(
    async (r: FlowResult, current?: Flow): Promise<void> => {
      const { kind, search, onSession, onError } = opts.current;
      switch (r.kind) {
        case "flow":
          setFlow(r.flow);
          setFailure(undefined);
          if (search.flow !== r.flow.id) {
            void navigate({ to: ".", search: { ...search, flow: r.flow.id } as never, replace: true });
          }
          return;
        case "expired":
          if (r.newFlowId) return handle(await getFlow(kind, r.newFlowId));
          return handle(await createFlow(kind, opts.current.create));
        case "redirect":
          if (await opts.current.onRedirect?.(r.to)) return;
          go(r.to);
          return;
        case "session":
          await onSession?.(r, current);
          return;
        case "error":
          if (onError?.(r.error, r.status)) return;
          if (r.error.error?.id === "security_csrf_violation") {
            return handle(await createFlow(kind, opts.current.create));
          }
          setFailure({ ...r.error, status: r.status });
      }
    },
    [navigate, go],
  );

  const flowId = o.flowId;
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      if (flow && flow.id === flowId) return;
      try {
        const r = flowId ? await getFlow(o.kind, flowId) : await createFlow(o.kind, o.create);
        if (!cancelled) await handle(r);
      } catch {
        // No connection (the offline banner says so) or the sign-in service is down.
        if (!cancelled) setFailure({ status: 503 });
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flowId, o.kind]);

  const submit = useCallback(
    async (body: Record<string, unknown>) => {
      if (!flow) return;
      try {
        await handle(await submitFlow(flow, body), flow);
      } catch {
        setFailure({ status: 503 });
      }
    },
    [flow, handle],
  );

  return { flow, failure, submit, setFlow };
}
