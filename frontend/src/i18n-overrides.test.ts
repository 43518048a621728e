// Our ICU compiler writes exactly what Lingui's compiler writes, over every
// message of the four catalogues and the cases they do not have yet.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileMessageOrThrow } from "@lingui/message-utils/compileMessage";
import { compileICU, compileOverrides } from "./i18n-overrides";

/** poStrings reads every msgid and msgstr of a PO file (continuation lines joined, escapes decoded). */
function poStrings(path: string): string[] {
  const out: string[] = [];
  let cur: string | undefined;
  const unquote = (s: string) => JSON.parse(s) as string;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^(msgid|msgstr) (".*")$/.exec(line);
    if (m) {
      if (cur !== undefined) out.push(cur);
      cur = unquote(m[2]);
    } else if (line.startsWith('"') && cur !== undefined) {
      cur += unquote(line);
    } else if (cur !== undefined) {
      out.push(cur);
      cur = undefined;
    }
  }
  if (cur !== undefined) out.push(cur);
  return out.filter((s) => s !== "");
}

describe("compileICU", () => {
  // About 6,400 messages: one assertion over all of them, and room for a busy machine.
  it("compiles every message of the four catalogues as Lingui does", { timeout: 60_000 }, () => {
    const all = ["en", "fr", "es", "ar"].flatMap((locale) => poStrings(`src/locales/${locale}/messages.po`));
    expect(all.length).toBeGreaterThan(4 * 2 * 700);
    // As JSON: Lingui leaves offset: undefined in plurals without one, which the runtime reads as none.
    expect(all.filter((s) => JSON.stringify(compileICU(s)) !== JSON.stringify(compileMessageOrThrow(s)))).toEqual([]);
  });

  it("compiles what the catalogues do not have yet as Lingui does", () => {
    for (const s of [
      "",
      "  {a}{b}  ",
      "{ name }",
      "{n, plural, =0 {none} one {# x {name}} other {#}}",
      "{n, plural, offset:1 one {a} other {b}}",
      "{g, select, male {he} other {they}}",
      "{n, number}",
      "{n, number, integer}",
      "{d, date, short}",
      "It's '{'literal'}' and '' x",
      "a # b",
      "{n, selectordinal, one {#st} other {#th}}",
      "{n, plural, one {it's #} other {# '#'}}",
      "{n, plural, one {{g, select, f {elle} other {il}}} other {#}}",
    ]) {
      expect(compileICU(s), s).toEqual(compileMessageOrThrow(s));
    }
  });

  it("refuses what Lingui refuses, and compileOverrides then keeps the built-in text", () => {
    for (const s of ["Hello {name", "{n, plural, one {a} other {b}", "{a b}"]) {
      expect(() => compileMessageOrThrow(s), s).toThrow();
      expect(() => compileICU(s), s).toThrow();
    }
    // Stricter than Lingui (which reads these braces as text): refused, so the built-in text stays.
    for (const s of ["{}", "x } y"]) expect(() => compileICU(s), s).toThrow();
    expect(compileOverrides({ a: "It's done", b: "", c: "{n} cases", d: "Hello {name" })).toEqual({ a: ["It's done"], c: [["n"], " cases"] });
  });
});
