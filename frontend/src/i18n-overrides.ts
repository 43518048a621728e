// A tenant's own wording of the app's texts (imported as a PO file,
// docs/translations.md), served by GET /api/v2/translations/ui/{locale}
// ?changed=true as ICU message strings keyed by Lingui id. The app's own
// catalogues are compiled at build time (Lingui's arrays, not strings), so an
// override is compiled here before it replaces the built-in message.
//
// compileICU is our own compiler of the ICU subset the app's messages use
// (text, {arg}, {arg, type[, style]}, plural/selectordinal with =n keys,
// offset and #, select, apostrophe quoting), writing exactly what Lingui's
// compiler writes (i18n-overrides.test.ts compares both over every message of
// the four catalogues). Lingui's own compiler (@lingui/message-utils, with
// @messageformat/parser) is not used in the app: @lingui/core imports it for
// development builds, so the bundler puts it in the entry chunk as soon as
// anything else loads it (+6.3 KB gzip measured), even lazily.

/** Compiled is a Lingui compiled message (what the build's catalogues hold). */
export type Compiled = (string | CompiledArg)[];
type CompiledArg = [string] | [string, string] | [string, string, string | Record<string, Compiled | number>];

const pluralTypes = new Set(["plural", "selectordinal"]);

/** compileICU compiles one ICU message as Lingui does; it throws on a message that does not parse. */
export function compileICU(src: string): Compiled {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${i} in ${JSON.stringify(src)}`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const word = () => {
    const start = i;
    while (i < src.length && !/[\s{},]/.test(src[i])) i++;
    if (i === start) fail("a name expected");
    return src.slice(start, i);
  };
  // message reads text and arguments up to an unmatched "}" (inside a case) or the end.
  const message = (plural: boolean, nested: boolean): Compiled => {
    const out: Compiled = [];
    let text = "";
    const flush = () => {
      if (text) out.push(text);
      text = "";
    };
    while (i < src.length) {
      const c = src[i];
      if (c === "'") {
        const next = src[i + 1];
        if (next === "'") {
          text += "'";
          i += 2;
        } else if (next === "{" || next === "}" || (plural && next === "#")) {
          // Quoted literal up to the next lone apostrophe ('' inside is one).
          i++;
          for (;;) {
            if (i >= src.length) break;
            if (src[i] === "'") {
              if (src[i + 1] === "'") {
                text += "'";
                i += 2;
                continue;
              }
              i++;
              break;
            }
            text += src[i++];
          }
        } else {
          text += c;
          i++;
        }
      } else if (c === "{") {
        flush();
        i++;
        out.push(argument(plural));
      } else if (c === "}") {
        if (!nested) fail("an unmatched }");
        break;
      } else if (c === "#" && plural) {
        flush();
        out.push("#");
        i++;
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return out;
  };
  // argument reads what follows a "{" up to and including its "}".
  const argument = (inPlural: boolean): CompiledArg => {
    ws();
    const name = word();
    ws();
    if (src[i] === "}") {
      i++;
      return [name];
    }
    if (src[i] !== ",") fail("a , or } expected");
    i++;
    ws();
    const type = word();
    ws();
    if (src[i] === "}") {
      i++;
      return [name, type];
    }
    if (src[i] !== ",") fail("a , or } expected");
    i++;
    if (type !== "select" && !pluralTypes.has(type)) {
      const end = src.indexOf("}", i);
      if (end < 0) fail("an unclosed argument");
      const style = src.slice(i, end).trim();
      i = end + 1;
      return [name, type, style];
    }
    const cases: Record<string, Compiled | number> = {};
    ws();
    const plural = pluralTypes.has(type);
    if (plural && src.startsWith("offset:", i)) {
      i += "offset:".length;
      ws();
      const n = word();
      if (!/^\d+$/.test(n)) fail("a number expected after offset:");
      cases.offset = Number(n);
      ws();
    }
    while (src[i] !== "}") {
      if (i >= src.length) fail("an unclosed argument");
      let key = word();
      if (plural && key.startsWith("=")) key = key.slice(1);
      ws();
      if (src[i] !== "{") fail("a { expected");
      i++;
      cases[key] = message(plural || (type === "select" && inPlural), true);
      if (src[i] !== "}") fail("an unclosed case");
      i++;
      ws();
    }
    i++;
    return [name, type, cases];
  };
  return message(false, false);
}

/**
 * compileOverrides compiles the tenant's messages; one that does not parse
 * as ICU keeps the app's own text (the import checks placeholders, so this
 * is a safety net, not the rule). Empty texts are left out.
 */
export function compileOverrides(messages: Readonly<Record<string, string>>): Record<string, Compiled> {
  const out: Record<string, Compiled> = {};
  for (const [id, text] of Object.entries(messages)) {
    if (typeof text !== "string" || text === "") continue;
    try {
      out[id] = compileICU(text);
    } catch {
      /* keep the built-in message */
    }
  }
  return out;
}
