import { describe, expect, it } from "vitest";
import { eraseBody, mayErase } from "./erase";

const dpo = { permissions: ["cases:read", "cases:erase"] };
const manager = { permissions: ["cases:read", "cases:disable"] };

describe("mayErase", () => {
  it("offers erasure of a disabled record to a holder of the type's erase permission", () => {
    expect(mayErase(dpo, "cases", { record_state: false })).toBe(true);
  });
  it("never on an enabled record, to others, for another type, offline or for a record not sent yet", () => {
    expect(mayErase(dpo, "cases", { record_state: true })).toBe(false);
    expect(mayErase(dpo, "cases", {})).toBe(false);
    expect(mayErase(manager, "cases", { record_state: false })).toBe(false);
    expect(mayErase(undefined, "cases", { record_state: false })).toBe(false);
    expect(mayErase(dpo, "incidents", { record_state: false })).toBe(false);
    expect(mayErase(dpo, "cases", { record_state: false }, true)).toBe(false);
    expect(mayErase(dpo, "cases", { record_state: false, _local: true })).toBe(false);
  });
});

describe("eraseBody", () => {
  it("needs a reason of the list", () => {
    expect(eraseBody("", "")).toBeUndefined();
    expect(eraseBody("because", "")).toBeUndefined();
    expect(eraseBody("erasure_request", "")).toEqual({ data: { reason: "erasure_request" } });
  });
  it("sends a reference trimmed, and refuses one that could name a person", () => {
    expect(eraseBody("duplicate", " DPO-2026/041 ")).toEqual({ data: { reason: "duplicate", reference: "DPO-2026/041" } });
    expect(eraseBody("other", "Amina Yusuf")).toBeUndefined();
    expect(eraseBody("other", "x".repeat(65))).toBeUndefined();
  });
});
