// The reasons of the import reports worded by their stable codes, in the
// app's language: the server stores each refused entry's reason in English
// with a code and the values its wording needs (docs/translations.md "Reason
// codes", docs/configuration.md "Location import reasons"). A code the app
// does not know (a newer server) keeps the server's English reason. A
// location refused because its parent is (parent_invalid) carries the
// parent's problem as its cause (params cause, cause.<name>), worded too.
import { i18n, type MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";

type Params = Record<string, string>;
type Wording = (p: Params) => MessageDescriptor;

/** The reasons of a translations import's entries, by code. */
const translationReasons: Record<string, Wording> = {
  no_context: () => msg`The entry has no msgctxt: every entry is addressed by its context (export a file to see them).`,
  unknown_context: () => msg`No text of this instance has this context.`,
  plural_forms: () => msg`Plural forms (msgid_plural) are not used: write plurals inside the message.`,
  fuzzy: () => msg`Marked fuzzy: not applied.`,
  untranslated: () => msg`Not translated.`,
  source_changed: ({ source }) => msg`The source text has changed since the export; it is now: ${source}`,
  nul_character: () => msg`The translation contains a NUL character.`,
  too_long: ({ max }) => msg`The translation is longer than ${max} characters.`,
  placeholders: ({ expected, found }) => msg`The placeholders differ from the source's: ${expected} expected, ${found} found.`,
};

/** The reasons of a locations import's rows, by code. */
const locationReasons: Record<string, Wording> = {
  missing_code: () => msg`The row has no code.`,
  code_format: () => msg`The code must be 1 to 64 letters, digits or underscores (e.g. SO1101).`,
  parent_code_format: () => msg`The parent code must be 1 to 64 letters, digits or underscores.`,
  duplicate_code: ({ row, location }) => (row ? msg`Duplicate code: row ${row} has it too.` : msg`Duplicate code: location ${location} has it too.`),
  missing_admin_level: () => msg`The admin level is missing.`,
  admin_level_range: ({ max }) => msg`The admin level must be a whole number, 0 (country) to ${max}.`,
  disabled_format: () => msg`Disabled must be true or false.`,
  own_parent: () => msg`A location cannot be its own parent.`,
  type_format: () => msg`The type must be at most 40 lower-case letters, digits, - or _ (e.g. district).`,
  name_language: ({ language }) => msg`${language} is not a language tag such as "en" or "pt-BR".`,
  name_length: ({ language, max }) => msg`The name in ${language} must be 1 to ${max} characters.`,
  missing_name: () => msg`The name is missing: give it in at least one language.`,
  parent_not_found: ({ parent }) => msg`No location has the parent code ${parent}.`,
  parent_invalid: ({ parent, row, location, cause }) => {
    if (cause) return row ? msg`The parent ${parent} is not valid (row ${row}): ${cause}` : msg`The parent ${parent} is not valid: ${cause}`;
    return row ? msg`The parent ${parent} is not valid (row ${row}).` : msg`The parent ${parent} is not valid (location ${location}).`;
  },
  level_below_parent: ({ parent, level }) => msg`The admin level must be greater than that of its parent ${parent} (${level}).`,
  level_above_child: ({ child, level }) => msg`The admin level must stay below that of its child ${child} (${level}).`,
  code_two_levels: ({ location }) => msg`${location} appears at two levels of the row.`,
  code_moved: ({ location, level, parent, row, new_level, new_parent }) =>
    msg`${location} is at level ${level} under "${parent}" on row ${row}, but at level ${new_level} under "${new_parent}" here.`,
  name_differs: ({ location, name, language, row, new_name }) => msg`${location} is named "${name}" in ${language} on row ${row}, but "${new_name}" here.`,
};

const none = msg`none`;

/**
 * isolated prepares a reason's values for a sentence in any direction: each is isolated (U+2068 … U+2069), so a code,
 * a placeholder or a Latin name keeps its own direction inside an Arabic sentence; a placeholders list's "none" is
 * the app's word.
 */
function isolated(kind: ReportKind, params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    const word = kind === "translations" && (k === "expected" || k === "found") && v === "none" ? (i18n.locale ? i18n._(none) : "none") : v;
    out[k] = `\u2068${word}\u2069`;
  }
  return out;
}

/** The kinds of import whose reasons the app words. */
export type ReportKind = "translations" | "locations";

/** A reason as shown: the app's wording in its language, else the server's English. */
export interface Reason {
  text: string;
  /** the language of text: undefined when it is the app's, "en" when it is the server's */
  lang?: "en";
}

/**
 * reasonText words a report's reason by its code in the app's language; a
 * missing or unknown code keeps the server's English reason (marked "en").
 */
export function reasonText(kind: ReportKind, code: string | undefined, params: Params | undefined, english: string | undefined): Reason {
  const table = kind === "translations" ? translationReasons : locationReasons;
  const wording = code && Object.hasOwn(table, code) ? table[code] : undefined;
  if (!wording) return { text: english ?? "", lang: "en" };
  const values = isolated(kind, params ?? {});
  delete values.cause;
  if (kind === "locations" && params?.cause) {
    // A parent's own problem (parent_invalid): worded by its code and values in turn; one the app does not know is left out.
    const cause = reasonText(kind, params.cause, causeParams(params), undefined);
    if (!cause.lang) values.cause = cause.text;
  }
  const d = wording(values);
  return { text: i18n.locale ? i18n._(d) : (d.message ?? "") };
}

/** causeParams are the values of a reason's cause: its params "cause.<name>" by name. */
function causeParams(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith("cause.")) out[k.slice("cause.".length)] = v;
  return out;
}

/** The codes the app words, for tests and docs. */
export const reasonCodes: Record<ReportKind, string[]> = {
  translations: Object.keys(translationReasons),
  locations: Object.keys(locationReasons),
};
