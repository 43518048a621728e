// The information sharing protocol as the screen edits it: a set of
// "from→to:kind" keys, read from and written back to the API's rows
// (docs/workflows.md: within one agency everything is allowed; across,
// only what a row allows).
import type { components } from "../../api/schema";

export type ProtocolRule = components["schemas"]["ProtocolRule"];
export type ShareKind = "referral" | "transfer";

/** protocolKey names one permission of the matrix. */
export const protocolKey = (from: string, to: string, kind: ShareKind) => `${from}→${to}:${kind}`;

/** toAllowed reads the API's rows into the set of allowed keys. */
export function toAllowed(rules: ProtocolRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    if (r.referral) out.add(protocolKey(r.from_agency, r.to_agency, "referral"));
    if (r.transfer) out.add(protocolKey(r.from_agency, r.to_agency, "transfer"));
  }
  return out;
}

/**
 * toRules writes the set back as the API's rows: one row per pair of
 * different agencies that allows something, in the agencies' order (pairs
 * within one agency are never sent: they are always allowed).
 */
export function toRules(allowed: ReadonlySet<string>, agencies: string[]): ProtocolRule[] {
  const out: ProtocolRule[] = [];
  for (const from of agencies)
    for (const to of agencies) {
      if (from === to) continue;
      const referral = allowed.has(protocolKey(from, to, "referral"));
      const transfer = allowed.has(protocolKey(from, to, "transfer"));
      if (referral || transfer) out.push({ from_agency: from, to_agency: to, referral, transfer });
    }
  return out;
}
