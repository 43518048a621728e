// The display-condition builder's model: what it reads from stored
// conditions, and the expressions it writes (values typed by their field).
import { describe, expect, it } from "vitest";
import type { Field } from "../api/client";
import { fromExpression, toExpression, type Builder } from "./conditions";

const types: Record<string, Field["type"]> = { sex: "select_box", age: "calculated", weight: "numeric_field", consent: "tick_box", name: "text_field" };
const typeOf = (f: string) => types[f];

describe("fromExpression", () => {
  it("reads nothing as an empty builder, and one comparison, all-of and any-of lists", () => {
    expect(fromExpression(undefined)).toEqual({ join: "and", clauses: [] });
    expect(fromExpression({ eq: { sex: "female" } })).toEqual({ join: "and", clauses: [{ field: "sex", op: "eq", value: "female" }] });
    expect(fromExpression({ or: [{ gt: { age: 12 } }, { in: { sex: ["female", "other"] } }, { exists: "name" }, { not: { exists: "weight" } }] })).toEqual({
      join: "or",
      clauses: [
        { field: "age", op: "gt", value: "12" },
        { field: "sex", op: "in", value: "female, other" },
        { field: "name", op: "exists", value: "" },
        { field: "weight", op: "missing", value: "" },
      ],
    });
  });

  it("leaves to JSON what the builder cannot show: nesting, not over a comparison, malformed", () => {
    expect(fromExpression({ and: [{ or: [{ exists: "a" }] }] })).toBeUndefined();
    expect(fromExpression({ not: { eq: { sex: "male" } } })).toBeUndefined();
    expect(fromExpression({ eq: { sex: "female", age: 3 } })).toBeUndefined();
    expect(fromExpression({ between: { age: [1, 2] } })).toBeUndefined();
    expect(fromExpression("sex")).toBeUndefined();
  });
});

describe("toExpression", () => {
  it("writes one comparison bare, several under and/or, with values typed by the field", () => {
    const one: Builder = { join: "and", clauses: [{ field: "sex", op: "eq", value: " female " }] };
    expect(toExpression(one, typeOf)).toEqual({ eq: { sex: "female" } });
    const many: Builder = {
      join: "or",
      clauses: [
        { field: "age", op: "ge", value: "12" },
        { field: "weight", op: "lt", value: "3.5" },
        { field: "consent", op: "eq", value: "true" },
        { field: "sex", op: "in", value: "female, other," },
        { field: "name", op: "missing", value: "ignored" },
      ],
    };
    expect(toExpression(many, typeOf)).toEqual({
      or: [{ ge: { age: 12 } }, { lt: { weight: 3.5 } }, { eq: { consent: true } }, { in: { sex: ["female", "other"] } }, { not: { exists: "name" } }],
    });
  });

  it("writes nothing without a comparison (always shown), skipping rows with no field chosen", () => {
    expect(toExpression({ join: "and", clauses: [] }, typeOf)).toBeUndefined();
    expect(toExpression({ join: "and", clauses: [{ field: "", op: "eq", value: "x" }] }, typeOf)).toBeUndefined();
  });

  it("round-trips what it reads", () => {
    const e = { and: [{ eq: { sex: "female" } }, { gt: { age: 12 } }, { eq: { consent: false } }] };
    expect(toExpression(fromExpression(e)!, typeOf)).toEqual(e);
  });

  it("keeps text that is not a number as typed for a number field (the server says why)", () => {
    expect(toExpression({ join: "and", clauses: [{ field: "age", op: "gt", value: "twelve" }] }, typeOf)).toEqual({ gt: { age: "twelve" } });
  });
});
