// Queries shared by the shell and the pages.
import { QueryClient, useQuery } from "@tanstack/react-query";
import { api, data, type CurrentUser, type SystemSettings } from "../api/client";
import { ApiError } from "../api/problem";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Refused and missing answers are final; only server or network failures are retried.
      retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
      staleTime: 30_000,
      // Every API call counts as activity for the idle limit: never call on our own.
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      // Ask even when the browser says it is offline: the offline middleware
      // (src/offline) answers from the device's copy, else the page says it could not load.
      networkMode: "always",
    },
  },
});

/**
 * readAgain makes the queries of these keys read again after a change the
 * server has committed. A read already on its way may have started before
 * the change: TanStack Query joins a query's first read (no data yet)
 * instead of restarting it, and that read's answer then clears the
 * invalidation, so the change would not show (a photo uploaded right after
 * registering, missing from its field: browser scenario casefiles). Reads
 * on their way are cancelled first, then the keys invalidated: active
 * queries read again, others when next shown.
 */
export async function readAgain(qc: QueryClient, ...keys: readonly unknown[][]): Promise<void> {
  await Promise.all(keys.map((queryKey) => qc.cancelQueries({ queryKey })));
  await Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
}

export const settingsQuery = {
  queryKey: ["system_settings"],
  queryFn: async (): Promise<SystemSettings> => data(await api.GET("/api/v2/system_settings")).data,
  staleTime: 5 * 60_000,
};

export function useSystemSettings() {
  return useQuery(settingsQuery);
}

export const meQuery = {
  queryKey: ["me"],
  queryFn: async (): Promise<CurrentUser> => data(await api.GET("/api/v2/users/me")).data,
  staleTime: 60_000,
};

/** can reports whether the signed-in user's role allows permission ("users:write"). */
export function can(me: CurrentUser | undefined, permission: string): boolean {
  return !!me?.permissions?.includes(permission);
}
