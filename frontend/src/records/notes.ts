// Subforms the server writes (docs/workflows.md "Session 17"): a case's notes
// live in its notes_section subform, added only through
// POST /api/v2/cases/{id}/notes (the server dates them and names the author);
// a record write that changes them is refused (422). The form renderer shows
// these subforms read-only, newest first, and never offers their rows for
// editing; the "Add a note" form (pages/cases/Casework.tsx) posts new ones.
import type { Row } from "./patch";

/** The subforms no record write may change, and the field dating their rows. */
export const SERVER_WRITTEN_SUBFORMS: ReadonlyMap<string, { date: string; author: string }> = new Map([["notes_section", { date: "notes_date", author: "note_created_by" }]]);

/** serverWritten: the subform is written by the server only (shown read-only, never edited). */
export function serverWritten(subform: string): boolean {
  return SERVER_WRITTEN_SUBFORMS.has(subform);
}

/**
 * rowOrder gives a subform's row ids in display order: as stored, except a
 * server-written subform's rows are newest first by their date (rows without
 * a date last, ties kept in stored order).
 */
export function rowOrder(subform: string, rows: readonly Row[] | undefined): string[] {
  const list = (rows ?? []).filter((r) => typeof r?.unique_id === "string");
  const meta = SERVER_WRITTEN_SUBFORMS.get(subform);
  if (!meta) return list.map((r) => r.unique_id);
  const at = (r: Row) => {
    const v = r[meta.date];
    const ms = typeof v === "string" ? Date.parse(v) : NaN;
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  return list
    .map((r, i) => ({ r, i, t: at(r) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.r.unique_id);
}

/** checkNote: the note's text is required (lengths are the form's, checked by the API). */
export function checkNote(text: string): "required" | undefined {
  return text.trim() ? undefined : "required";
}

/** noteBody: what the notes API takes (trimmed; the server sets date and author). */
export function noteBody(subject: string, text: string): { data: { note_subject: string; field_notes_subform_fields: string } } {
  return { data: { note_subject: subject.trim(), field_notes_subform_fields: text.trim() } };
}
