// The names a person reads for the default configuration's comparisons and
// for the comparison levels (docs/matching.md, "Comparison levels"): the
// review's side-by-side view and the administrators' matching page share them.
import { msg } from "@lingui/core/macro";
import type { MessageDescriptor } from "@lingui/core";

/** The comparisons of the default configuration, named for a caseworker. */
export const comparisonNames: Record<string, MessageDescriptor> = {
  given_name: msg`Given name`,
  family_names: msg`Family names`,
  other_names: msg`Other names and nicknames`,
  sex: msg`Sex`,
  age: msg`Age and date of birth`,
  origin: msg`Nationality, language, religion, ethnicity`,
  location: msg`Current location`,
  separation_location: msg`Place of separation`,
  separation_date: msg`Date of separation`,
  separation_cause: msg`Cause of separation`,
  inquirer_name: msg`Inquirer's name among the family`,
  inquirer_location: msg`Inquirer's location`,
};

/** The comparison levels (docs/matching.md, "Comparison levels") in words. */
export const levelNames: Record<string, MessageDescriptor> = {
  missing: msg`Not compared: one side has no value`,
  exact: msg`Same`,
  phonetic: msg`Sounds the same`,
  alternate: msg`Same name, given in another name field`,
  close: msg`Spelled almost the same`,
  similar: msg`Spelled similarly`,
  different: msg`Different`,
  variant: msg`Another spelling of the name, learned from past matches`,
  swapped: msg`Given name and family name exchanged between the fields`,
  other_relative: msg`Matches another relative`,
  equal: msg`Same`,
  all_equal: msg`All the same`,
  one_equal: msg`One in common`,
  mixed: msg`Some the same, some different`,
  same_date_of_birth: msg`Same date of birth`,
  same_age: msg`Same age`,
  within_1: msg`Within a year`,
  within_3: msg`Within three years`,
  estimated_within_1: msg`Within a year (estimated date of birth)`,
  estimated_within_3: msg`Within three years (estimated date of birth)`,
  estimated_different: msg`Different (estimated date of birth)`,
  within_1_week: msg`Within a week`,
  within_1_month: msg`Within a month`,
  within_1_year: msg`Within a year`,
  same: msg`Same place`,
  same_district: msg`Same district`,
  same_region: msg`Same region`,
};
