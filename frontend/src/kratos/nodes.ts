// Pure helpers over Kratos UI nodes: which groups a flow offers, and the JSON
// body a submitted form becomes.
import type { UiNode } from "./types";

export const isInput = (n: UiNode) => n.attributes.node_type === "input";
export const isSubmit = (n: UiNode) => isInput(n) && (n.attributes.type === "submit" || n.attributes.type === "button");

/** groupsOf lists the flow's node groups other than "default", in order of appearance. */
export function groupsOf(nodes: UiNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) if (n.group !== "default" && !out.includes(n.group)) out.push(n.group);
  return out;
}

/** nodesFor returns the nodes of one form: the default group (CSRF token, identifier) and group. */
export function nodesFor(nodes: UiNode[], group: string): UiNode[] {
  return nodes.filter((n) => n.group === "default" || n.group === group);
}

/**
 * bodyFromForm builds the JSON Kratos expects from a submitted form: each
 * input's value (hidden inputs keep their original JSON type, checkboxes
 * become booleans), plus the one submit button that was pressed (its value
 * with its JSON type: "method": "password", "lookup_secret_reveal": true).
 * A form whose button names no method gets its group as the method.
 */
export function bodyFromForm(
  nodes: UiNode[],
  values: { get(name: string): FormDataEntryValue | null; has(name: string): boolean },
  submitter: { name: string; value: string } | null,
  group: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const n of nodes) {
    const a = n.attributes;
    if (!isInput(n) || !a.name || isSubmit(n)) continue;
    if (a.type === "hidden") {
      body[a.name] = a.value ?? values.get(a.name);
    } else if (a.type === "checkbox") {
      body[a.name] = values.has(a.name);
    } else {
      const v = values.get(a.name);
      if (v !== null && v !== "") body[a.name] = String(v);
    }
  }
  if (submitter?.name) {
    const node = nodes.find((n) => isSubmit(n) && n.attributes.name === submitter.name && String(n.attributes.value) === submitter.value);
    body[submitter.name] = node?.attributes.value ?? submitter.value;
  }
  if (body.method === undefined && group !== "default") body.method = group;
  return setNested(body);
}

/** setNested turns dotted names ("traits.name.first") into nested objects, as Kratos expects in JSON. */
function setNested(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) {
    const parts = k.split(".");
    let cur = out;
    for (let i = 0; i < parts.length - 1; i++) {
      cur[parts[i]] = (cur[parts[i]] as Record<string, unknown>) ?? {};
      cur = cur[parts[i]] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}
