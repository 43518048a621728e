// How a potential match is explained to a caseworker: the probability as a
// percentage, the label, and each comparison as a row (what was compared, the
// values on both sides, the level in words, and how much it counts for or
// against, in words and as the weight in bits). Pure functions: the page
// (pages/matching/Matching.tsx) passes the translated texts and a value
// formatter, so the logic is tested without React (compare.test.ts).
import type { Schemas } from "../api/client";

export type PotentialMatch = Schemas["PotentialMatch"];
export type Comparison = Schemas["StoredComparison"];

/** percent: a probability as a percentage in the locale; below 1 % and above 99 % never round to 0 or 100. */
export function percent(p: number, locale: string): string {
  const fmt = (x: number, digits: number) =>
    new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
  if (!(p > 0)) return fmt(0, 0);
  if (p >= 1) return fmt(1, 0);
  if (p < 0.01) return `< ${fmt(0.01, 0)}`;
  if (p > 0.99) return `> ${fmt(0.99, 0)}`;
  return fmt(p, 0);
}

/** How much a comparison counts: the weight (log2 m/u, bits) put in words. */
export type Strength = "missing" | "strong_for" | "for" | "neutral" | "against" | "strong_against";

/** strength: missing when a side has no value (the level says so, the weight is 0); else by the weight. */
export function strength(c: Pick<Comparison, "level" | "weight">): Strength {
  if (c.level === "missing") return "missing";
  const w = c.weight;
  if (w >= 3) return "strong_for";
  if (w >= 1) return "for";
  if (w > -1) return "neutral";
  if (w > -3) return "against";
  return "strong_against";
}

/** signedWeight: the weight with its sign and one decimal, in the locale ("+4.2", "−1.5"). */
export function signedWeight(w: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: "exceptZero" }).format(w);
}

/** levelsByWeight: a comparison's levels as estimated, strongest evidence for first, those without a weight (missing: no evidence) last. */
export function levelsByWeight<L extends { weight?: number | null }>(levels: L[]): L[] {
  const w = (l: L) => l.weight ?? -Infinity;
  return [...levels].sort((a, b) => w(b) - w(a));
}

/** One value shown in the comparison: the field it came from and its text. */
export interface ShownValue {
  field: string;
  text: string;
}

/** A comparison as the side-by-side view shows it. */
export interface ComparisonRow {
  comparison: string;
  level: string;
  weight: number;
  strength: Strength;
  caseValues: ShownValue[];
  traceValues: ShownValue[];
}

/** present: a value worth showing (not null, blank, or an empty list). */
function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * comparisonRows turns the stored comparisons into rows, strongest evidence
 * first (by the size of the weight; missing ones last), each side's values
 * formatted by format (field name, value) and empty ones left out. Fields the
 * reader may not read are absent from the API's answer, so they are absent here.
 */
export function comparisonRows(comparisons: Comparison[] | null | undefined, format: (field: string, v: unknown) => string): ComparisonRow[] {
  const side = (vals: Record<string, unknown>) =>
    Object.entries(vals ?? {})
      .filter(([, v]) => present(v))
      .map(([field, v]) => ({ field, text: format(field, v) }));
  const rows = (comparisons ?? []).map((c) => ({
    comparison: c.comparison,
    level: c.level,
    weight: c.weight,
    strength: strength(c),
    caseValues: side(c.case),
    traceValues: side(c.trace),
  }));
  const rank = (r: ComparisonRow) => (r.strength === "missing" ? -1 : Math.abs(r.weight));
  return rows.sort((a, b) => rank(b) - rank(a));
}

/** summary counts the comparisons that speak for and against the match. */
export function summary(rows: ComparisonRow[]): { agree: number; disagree: number; missing: number } {
  let agree = 0,
    disagree = 0,
    missing = 0;
  for (const r of rows) {
    if (r.strength === "missing") missing++;
    else if (r.strength === "strong_for" || r.strength === "for") agree++;
    else if (r.strength === "against" || r.strength === "strong_against") disagree++;
  }
  return { agree, disagree, missing };
}

/** splitField: "family_details_section.relation_name" → ["family_details_section", "relation_name"]. */
export function splitField(name: string): [string, string | undefined] {
  const i = name.indexOf(".");
  return i < 0 ? [name, undefined] : [name.slice(0, i), name.slice(i + 1)];
}
