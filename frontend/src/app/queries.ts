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
