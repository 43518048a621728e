import { describe, expect, it } from "vitest";
import { checkNote, noteBody, rowOrder, serverWritten } from "./notes";

describe("server-written subforms", () => {
  it("are the case's notes only", () => {
    expect(serverWritten("notes_section")).toBe(true);
    expect(serverWritten("family_details_section")).toBe(false);
  });

  it("orders notes newest first, undated last, ties as stored", () => {
    const rows = [
      { unique_id: "a", notes_date: "2026-12-01T09:00:00Z" },
      { unique_id: "b", notes_date: "2026-12-02T08:00:00Z" },
      { unique_id: "c" },
      { unique_id: "d", notes_date: "2026-12-01T09:00:00Z" },
      { unique_id: "e", notes_date: "2026-11-30T23:59:59Z" },
    ];
    expect(rowOrder("notes_section", rows)).toEqual(["b", "a", "d", "e", "c"]);
  });

  it("keeps other subforms' rows as stored", () => {
    const rows = [
      { unique_id: "x", notes_date: "2026-01-01T00:00:00Z" },
      { unique_id: "y", notes_date: "2026-12-01T00:00:00Z" },
    ];
    expect(rowOrder("family_details_section", rows)).toEqual(["x", "y"]);
    expect(rowOrder("notes_section", undefined)).toEqual([]);
  });
});

describe("a new note", () => {
  it("needs a text, blank is not a text", () => {
    expect(checkNote("")).toBe("required");
    expect(checkNote("  \n ")).toBe("required");
    expect(checkNote("Visited the family")).toBeUndefined();
  });

  it("sends subject and text trimmed, never date or author", () => {
    expect(noteBody(" Visit ", " Met the aunt. ")).toEqual({ data: { note_subject: "Visit", field_notes_subform_fields: "Met the aunt." } });
  });
});
