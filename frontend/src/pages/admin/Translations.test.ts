// The translations screen's helpers: what an entry's context addresses, the
// export's file name, and languages named in the app's language.
import { describe, expect, it } from "vitest";
import { languageName } from "./common";
import { filenameOf, textKind } from "./Translations";

describe("translations screen", () => {
  it("tells a web app text from each kind of configuration label by the context", () => {
    expect(textKind("ui:AbC123")).toBe("ui");
    expect(textKind("form:basic_identity:field:sex:label")).toBe("form");
    expect(textKind("lookup:lookup-sex:value:female")).toBe("lookup");
    expect(textKind("module:primeromodule-cp:name")).toBe("module");
    expect(textKind("location:KE01:name")).toBe("location");
    expect(textKind("")).toBe("other");
    expect(textKind("typo:x")).toBe("other");
  });

  it("names the download as the server does, else by language", () => {
    expect(filenameOf('attachment; filename="ke-fr.po"', "fr.po")).toBe("ke-fr.po");
    expect(filenameOf("attachment; filename*=UTF-8''ke-ar.po", "ar.po")).toBe("ke-ar.po");
    expect(filenameOf(null, "es.po")).toBe("es.po");
  });

  it("names languages in the app's language, the app's own in themselves", () => {
    expect(languageName("ar", "en")).toBe("العربية");
    expect(languageName("sw", "en")).toBe("Swahili");
    expect(languageName("sw", "fr")).toBe("swahili");
    expect(languageName("ps", "ar")).not.toBe("ps");
    expect(languageName("not a tag!", "en")).toBe("not a tag!");
  });
});
