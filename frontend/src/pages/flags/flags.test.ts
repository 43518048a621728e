import { describe, expect, it } from "vitest";
import { flagQuery, flagState, mayResolve, readableTypes, recordPath, resourceOf } from "./flags";

describe("flagQuery", () => {
  it("asks for active flags of every type by default", () => {
    expect(flagQuery({}, 20)).toEqual({ page: 1, per: 20, active: "true" });
  });
  it("passes the type, resolved or all, and the page", () => {
    expect(flagQuery({ type: "incident", state: "resolved", page: "3" }, 20)).toEqual({ page: 3, per: 20, record_type: "incident", active: "false" });
    expect(flagQuery({ type: "tracing_request", state: "all" }, 50)).toEqual({ page: 1, per: 50, record_type: "tracing_request" });
  });
  it("ignores what the API would refuse (an unknown type, a bad page)", () => {
    expect(flagQuery({ type: "child", page: "-2" }, 20)).toEqual({ page: 1, per: 20, active: "true" });
    expect(flagQuery({ page: "abc", state: "bogus" }, 20)).toEqual({ page: 1, per: 20, active: "true" });
    expect(flagState(undefined)).toBe("active");
  });
});

describe("record types and links", () => {
  it("offers the types the role reads", () => {
    expect(readableTypes(["cases:read", "incidents:read", "cases:flag"])).toEqual(["case", "incident"]);
    expect(readableTypes(undefined)).toEqual([]);
  });
  it("links each flag to its record's page", () => {
    expect(recordPath({ record_type: "case", record_id: "a1" })).toBe("/cases/a1");
    expect(recordPath({ record_type: "tracing_request", record_id: "b2" })).toBe("/tracing-requests/b2");
    expect(recordPath({ record_type: "incident", record_id: "c3" })).toBe("/incidents/c3");
    expect(resourceOf("tracing_request")).toBe("tracing_requests");
  });
});

describe("mayResolve", () => {
  it("needs the record type's flag permission and an active flag", () => {
    const perms = ["cases:read", "cases:flag", "incidents:read"];
    expect(mayResolve(perms, { record_type: "case", removed: false })).toBe(true);
    expect(mayResolve(perms, { record_type: "case", removed: true })).toBe(false);
    expect(mayResolve(perms, { record_type: "incident", removed: false })).toBe(false);
    expect(mayResolve(["tracing_requests:flag"], { record_type: "tracing_request", removed: false })).toBe(true);
  });
});
