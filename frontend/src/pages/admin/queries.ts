// The administration screens' API calls (typed by the generated schema).
import { useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client";

export const keys = {
  users: (page: number) => ["users", page] as const,
  user: (id: string) => ["user", id] as const,
  roles: ["roles"] as const,
  agencies: ["agencies"] as const,
  groups: ["user_groups"] as const,
  serviceAccounts: ["service_accounts"] as const,
  apiKeys: (id: string) => ["api_keys", id] as const,
};

export function useRoles(enabled = true) {
  return useQuery({ queryKey: keys.roles, enabled, queryFn: async () => data(await api.GET("/api/v2/roles")).data ?? [] });
}

export function useAgencies(enabled = true) {
  return useQuery({ queryKey: keys.agencies, enabled, queryFn: async () => data(await api.GET("/api/v2/agencies")).data ?? [] });
}

export function useGroups(enabled = true) {
  return useQuery({ queryKey: keys.groups, enabled, queryFn: async () => data(await api.GET("/api/v2/user_groups")).data ?? [] });
}
