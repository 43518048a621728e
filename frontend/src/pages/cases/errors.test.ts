// Case, tracing request and incident pages (one set of components, kinds.tsx)
// and the matching review word every failure with errorMessage (api/problem.ts):
// a network failure and a problem by its code, in the app's language. The
// pages' sources are read to check that none formats a failure itself.
import { describe, expect, it } from "vitest";
import { ApiError, errorMessage } from "../../api/problem";
import { activate } from "../../i18n";

const sources = {
  ...import.meta.glob<string>("./*.tsx", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob<string>("../matching/*.tsx", { query: "?raw", import: "default", eager: true }),
  ...import.meta.glob<string>("../../records/{Uploads,FormRenderer,ConflictChooser}.tsx", { query: "?raw", import: "default", eager: true }),
};

// Ways a page used to show a failure itself: the browser's "Failed to fetch", "[object Object]", English.
const selfMade = [/String\(\(?err/, /String\(e\)/, /\(err as Error\)\?\.message/, /problem\.detail \?\?/, /\.error as Error\)\.message/];

describe("record pages word failures with errorMessage", () => {
  it("no case, tracing request, incident or matching page formats a failure itself", () => {
    const files = Object.keys(sources);
    expect(files).toEqual(expect.arrayContaining(["./CaseRecord.tsx", "./Casework.tsx", "./Workflow.tsx", "../matching/Matching.tsx"]));
    for (const [file, text] of Object.entries(sources)) {
      for (const pattern of selfMade) expect([file, pattern.test(text)]).toEqual([file, false]);
    }
    // Each family's page that catches failures uses the shared wording.
    for (const file of ["./CaseRecord.tsx", "./Casework.tsx", "./Workflow.tsx", "./Duplicates.tsx", "./BulkAssign.tsx", "../matching/Matching.tsx"]) {
      expect([file, sources[file].includes("errorMessage(")]).toEqual([file, true]);
    }
  });

  it.each([
    ["en", "The server could not be reached", "Someone else saved a change"],
    ["fr", "Le serveur", "Quelqu"],
    ["ar", "تعذّر", "حفظ"],
  ])("words a network failure and a problem by its code in %s", async (locale, network, stale) => {
    await activate(locale as "en");
    const offline = Object.getOwnPropertyDescriptor(Navigator.prototype, "onLine");
    Object.defineProperty(navigator, "onLine", { configurable: true, get: () => true });
    try {
      const net = errorMessage(new TypeError("Failed to fetch"));
      expect(net).toContain(network);
      expect(net).not.toContain("Failed to fetch");
      const problem = errorMessage(new ApiError(412, { type: "about:blank", status: 412, title: "Precondition Failed", code: "stale", detail: "version 3 is not the current version 4" }));
      expect(problem).toContain(stale);
      expect(problem).not.toContain("version 3");
    } finally {
      if (offline) Object.defineProperty(navigator, "onLine", offline);
      await activate("en");
    }
  });
});
