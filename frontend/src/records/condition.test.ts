import { describe, expect, it } from "vitest";
import { dependencies, evaluate } from "./condition";

const record: Record<string, unknown> = {
  sex: "female",
  age: 14,
  registration_date: "2024-05-31",
  protection_concerns: ["trafficking", "gbv"],
  consent_for_services: false,
  name_first: "  ",
  risk_level: "high",
};
const get = (n: string) => record[n];

describe("evaluate", () => {
  it.each([
    [{ eq: { sex: "female" } }, true],
    [{ eq: { sex: "male" } }, false],
    [{ eq: { consent_for_services: false } }, true],
    [{ eq: { protection_concerns: "gbv" } }, true], // a multi-select contains it
    [{ eq: { protection_concerns: "neglect" } }, false],
    [{ in: { risk_level: ["high", "medium"] } }, true],
    [{ in: { protection_concerns: ["neglect", "trafficking"] } }, true],
    [{ in: { risk_level: ["low"] } }, false],
    [{ gt: { age: 12 } }, true],
    [{ gt: { age: 14 } }, false],
    [{ ge: { age: 14 } }, true],
    [{ lt: { age: 14 } }, false],
    [{ le: { age: 14 } }, true],
    [{ gt: { registration_date: "2024-01-01" } }, true], // dates compare as text
    [{ lt: { registration_date: "2024-05-30" } }, false],
    [{ gt: { sex: 3 } }, false], // a comparison that cannot apply
    [{ exists: "sex" }, true],
    [{ exists: "name_first" }, false], // blank text is no value
    [{ exists: "date_of_birth" }, false],
    [{ eq: { date_of_birth: "2020-01-01" } }, false], // no value: false
    [{ not: { eq: { date_of_birth: "2020-01-01" } } }, true], // ... and not makes it true
    [{ and: [{ eq: { sex: "female" } }, { gt: { age: 12 } }] }, true],
    [{ and: [{ eq: { sex: "female" } }, { gt: { age: 15 } }] }, false],
    [{ or: [{ eq: { sex: "male" } }, { gt: { age: 12 } }] }, true],
    [{ or: [] }, false],
    [{ and: [] }, true],
    [{ bogus: { sex: "female" } }, false],
    [{ eq: { sex: "female" }, in: { sex: ["female"] } }, false], // two operators: malformed
  ])("%j is %s", (cond, want) => {
    expect(evaluate(cond, get)).toBe(want);
  });

  it("holds without a condition", () => {
    expect(evaluate(undefined, get)).toBe(true);
  });

  it("reads a subform row's fields before the record's", () => {
    const row: Record<string, unknown> = { relation_is_alive: "deceased" };
    const rowGet = (n: string) => (n in row ? row[n] : record[n]);
    expect(evaluate({ eq: { relation_is_alive: "deceased" } }, rowGet)).toBe(true);
    expect(evaluate({ and: [{ eq: { relation_is_alive: "deceased" } }, { eq: { sex: "female" } }] }, rowGet)).toBe(true);
  });
});

describe("dependencies", () => {
  it("lists every field a condition reads", () => {
    const c = { and: [{ exists: "closure_reason" }, { not: { in: { closure_reason: ["death"] } } }, { or: [{ gt: { age: 3 } }] }] };
    expect([...dependencies(c)].sort()).toEqual(["age", "closure_reason"]);
  });
});
