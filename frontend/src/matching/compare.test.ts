import { describe, expect, it } from "vitest";
import { comparisonRows, levelsByWeight, percent, signedWeight, splitField, strength, summary, type Comparison } from "./compare";

const c = (comparison: string, level: string, weight: number, kase: Record<string, unknown>, trace: Record<string, unknown>): Comparison => ({
  comparison,
  level,
  weight,
  case: kase,
  trace,
});

describe("potential match formatting", () => {
  it("shows the probability as a percentage in the locale, never 0 % or 100 % for an uncertain answer", () => {
    expect(percent(0.873, "en")).toBe("87%");
    expect(percent(0.873, "fr")).toMatch(/^87\s?%$/);
    expect(percent(0.004, "en")).toBe("< 1%");
    expect(percent(0.9996, "en")).toBe("> 99%");
    expect(percent(0, "en")).toBe("0%");
    expect(percent(1, "en")).toBe("100%");
    // The locale's own digits and sign placement (Arabic: with direction marks).
    expect(percent(0.5, "ar")).toBe(new Intl.NumberFormat("ar", { style: "percent" }).format(0.5));
    expect(percent(0.5, "ar")).toContain("\u200e");
  });

  it("puts the weight in words: missing whatever the weight, then by bits", () => {
    expect(strength({ level: "missing", weight: 0 })).toBe("missing");
    expect(strength({ level: "exact", weight: 6.2 })).toBe("strong_for");
    expect(strength({ level: "within_1", weight: 1.5 })).toBe("for");
    expect(strength({ level: "equal", weight: 0.4 })).toBe("neutral");
    expect(strength({ level: "different", weight: -2 })).toBe("against");
    expect(strength({ level: "different", weight: -7 })).toBe("strong_against");
    expect(signedWeight(4.25, "en")).toBe("+4.3");
    expect(signedWeight(-1.5, "en")).toBe("-1.5");
    expect(signedWeight(0, "en")).toBe("0.0");
  });

  it("lists comparisons strongest evidence first, missing last, each side's present values formatted", () => {
    const rows = comparisonRows(
      [
        c("sex", "equal", 1.0, { sex: "female" }, { sex: "female" }),
        c("location", "missing", 0, { location_current: "KE01" }, { location_last: null }),
        c("given_name", "phonetic", 7.5, { name_first: "Amina" }, { name_first: "Aminah", name_nickname: "" }),
        c("age", "different", -4, { date_of_birth: "2015-03-01", age: 11 }, { age: 4 }),
        c("origin", "mixed", 0.2, { nationality: [] }, { nationality: ["kenya"] }),
      ],
      (f, v) => `${f}=${Array.isArray(v) ? v.join("+") : String(v)}`,
    );
    expect(rows.map((r) => r.comparison)).toEqual(["given_name", "age", "sex", "origin", "location"]);
    expect(rows[0]).toMatchObject({
      strength: "strong_for",
      caseValues: [{ field: "name_first", text: "name_first=Amina" }],
      // the empty nickname is left out
      traceValues: [{ field: "name_first", text: "name_first=Aminah" }],
    });
    expect(rows[1].caseValues.map((v) => v.text)).toEqual(["date_of_birth=2015-03-01", "age=11"]);
    expect(rows[3].caseValues).toEqual([]);
    expect(rows[4]).toMatchObject({ strength: "missing", traceValues: [] });
    expect(summary(rows)).toEqual({ agree: 2, disagree: 1, missing: 1 });
  });

  it("a comparison whose fields the role may not read has no values to show (the API removed them)", () => {
    const rows = comparisonRows([c("inquirer_name", "exact", 5, {}, {})], () => "x");
    expect(rows[0]).toMatchObject({ caseValues: [], traceValues: [], strength: "strong_for" });
    expect(comparisonRows(null, () => "")).toEqual([]);
  });

  it("orders a comparison's estimated levels strongest evidence first, missing (no weight) last, without changing them", () => {
    const levels = [{ level: "missing" }, { level: "different", weight: -4.3 }, { level: "close", weight: 2.2 }, { level: "exact", weight: 4.4 }, { level: "phonetic", weight: 4.8 }];
    expect(levelsByWeight(levels).map((l) => l.level)).toEqual(["phonetic", "exact", "close", "different", "missing"]);
    expect(levels[0].level).toBe("missing");
  });

  it("splits a subform field's name", () => {
    expect(splitField("family_details_section.relation_name")).toEqual(["family_details_section", "relation_name"]);
    expect(splitField("sex")).toEqual(["sex", undefined]);
  });
});
