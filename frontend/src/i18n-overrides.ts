// A tenant's own wording of the app's texts (imported as a PO file,
// docs/translations.md), served by GET /api/v2/translations/ui/{locale}
// ?changed=true as ICU message strings keyed by Lingui id. The app's own
// catalogues are compiled at build time (arrays, not strings), so an override
// is compiled here before it replaces the built-in message: a plain text
// (no braces) is its own compiled form; a message with placeholders or
// plurals goes through Lingui's compiler, loaded only then (its own chunk).

/** Compiled is a Lingui compiled message (what the build's catalogues hold). */
export type Compiled = unknown[];

const plain = (text: string) => !/[{}]/.test(text);

/**
 * compileOverrides compiles the tenant's messages; one that does not parse
 * as ICU keeps the app's own text (the import checks placeholders, so this
 * is a safety net, not the rule).
 */
export async function compileOverrides(messages: Readonly<Record<string, string>>): Promise<Record<string, Compiled>> {
  const out: Record<string, Compiled> = {};
  const icu: [string, string][] = [];
  for (const [id, text] of Object.entries(messages)) {
    if (typeof text !== "string" || text === "") continue;
    if (plain(text)) out[id] = [text];
    else icu.push([id, text]);
  }
  if (icu.length) {
    const { compileMessageOrThrow } = await import("@lingui/message-utils/compileMessage");
    for (const [id, text] of icu) {
      try {
        out[id] = compileMessageOrThrow(text) as Compiled;
      } catch {
        /* keep the built-in message */
      }
    }
  }
  return out;
}
