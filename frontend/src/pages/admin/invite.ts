// The invitation form's body (POST /api/v2/users), kept apart from the page
// so that Vitest checks it without a browser.
import type { components } from "../../api/schema";

export interface InviteValues {
  email: string;
  full_name: string;
  locale: string;
  time_zone: string;
  role_unique_id: string;
  agency_unique_id: string;
  user_group_unique_ids: string[];
}

type InviteBody = components["schemas"]["InviteUserInputBody"];

/**
 * inviteBody: what the form sends. The time zone as typed (trimmed), left out
 * when empty: the person then has the instance's default. The API checks the
 * name (a 422 at body.time_zone, shown at the field).
 */
export function inviteBody(v: InviteValues): InviteBody {
  const { time_zone, ...rest } = v;
  const zone = (time_zone ?? "").trim();
  return { ...rest, user_group_unique_ids: v.user_group_unique_ids || [], ...(zone ? { time_zone: zone } : {}) };
}
