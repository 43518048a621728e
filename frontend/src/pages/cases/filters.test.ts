import { describe, expect, it } from "vitest";
import { caseFilters, toQuery } from "./filters";

describe("case list search", () => {
  it("sends the search text with the chosen reading as the API's flag", () => {
    expect(toQuery(caseFilters, { query: " Mohamed ", search_as: "phonetic" })).toEqual({ query: "Mohamed", phonetic: "true" });
    expect(toQuery(caseFilters, { query: "KE-123", search_as: "id" })).toEqual({ query: "KE-123", id_search: "true" });
    expect(toQuery(caseFilters, { query: "+254 712", search_as: "phone" })).toEqual({ query: "+254 712", phone_number: "true" });
    expect(toQuery(caseFilters, { query: "Amina", search_as: "" })).toEqual({ query: "Amina" });
  });

  it("never sends a flag without a search text (the API refuses it), nor the reading itself", () => {
    expect(toQuery(caseFilters, { query: "", search_as: "phonetic", record_state: "false" })).toEqual({ record_state: "false" });
    expect(toQuery(caseFilters, { search_as: "id" })).toEqual({});
  });
});
