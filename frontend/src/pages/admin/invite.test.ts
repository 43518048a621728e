import { describe, expect, it } from "vitest";
import { inviteBody, type InviteValues } from "./invite";

const base: InviteValues = {
  email: "amina@example.org",
  full_name: "Amina Yusuf",
  locale: "fr",
  time_zone: "",
  role_unique_id: "role-caseworker",
  agency_unique_id: "agency-unicef",
  user_group_unique_ids: [],
};

describe("inviteBody", () => {
  it("sends the time zone typed, trimmed", () => {
    expect(inviteBody({ ...base, time_zone: " Africa/Nairobi " })).toEqual({ ...base, time_zone: "Africa/Nairobi" });
  });

  it("leaves the time zone out when empty: the instance's default", () => {
    const body = inviteBody({ ...base, time_zone: "  " });
    expect("time_zone" in body).toBe(false);
    expect(body).toEqual({ email: base.email, full_name: base.full_name, locale: "fr", role_unique_id: "role-caseworker", agency_unique_id: "agency-unicef", user_group_unique_ids: [] });
  });

  it("sends no groups as an empty list", () => {
    expect(inviteBody({ ...base, user_group_unique_ids: undefined as unknown as string[] }).user_group_unique_ids).toEqual([]);
  });
});
