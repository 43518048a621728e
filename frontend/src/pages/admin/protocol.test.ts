import { describe, expect, it } from "vitest";
import { protocolKey, toAllowed, toRules } from "./protocol";

describe("sharing protocol matrix", () => {
  it("reads rows into keys and writes back one row per pair that allows something", () => {
    const rules = [
      { from_agency: "agency-save", to_agency: "agency-unicef", referral: true, transfer: false },
      { from_agency: "agency-unicef", to_agency: "agency-save", referral: false, transfer: true },
    ];
    const allowed = toAllowed(rules);
    expect([...allowed].sort()).toEqual([protocolKey("agency-save", "agency-unicef", "referral"), protocolKey("agency-unicef", "agency-save", "transfer")].sort());
    expect(toRules(allowed, ["agency-save", "agency-unicef"])).toEqual(rules);
    allowed.delete(protocolKey("agency-save", "agency-unicef", "referral"));
    allowed.add(protocolKey("agency-save", "agency-save", "referral"));
    expect(toRules(allowed, ["agency-save", "agency-unicef"])).toEqual([rules[1]]);
  });
});
