// Package matching is family tracing and reunification (FTR) matching: it
// finds, for each trace of a tracing request (a child sought by a parent or
// relative), the registered cases that may be that child, with a calibrated
// probability and the per-field comparison that explains it.
//
// # Model
//
// A trace and a case are compared field by field (Configuration: which case
// fields against which trace or inquirer fields, and how). Each comparison
// falls into a level: names by package names (exact after folding, same
// phonetic key across scripts, Jaro-Winkler thresholds, written in another
// name field, different, missing), ages within one or three years (separate
// levels when a date of birth is an estimate), locations by the deepest
// common place in the hierarchy, dates within a week, month or year,
// option values equal or not. The comparison vector is scored by a
// Fellegi-Sunter latent class model with three classes: the same child
// (m), another child of the same family (f: brothers and sisters share
// family names, parents and the separation) and an unrelated child (u).
// Level probabilities are estimated from the tenant's own data (u from
// random pairs, m and f by expectation-maximisation over the blocked pairs,
// m also from confirmed matches); agreement on a name part is weighed by how
// common the part is among the cases (term frequency). The probability
// that a case is the trace's child follows from the stated prior (the
// share of traces whose child is registered) and the constraint that a
// trace seeks one child: candidates of one trace share the probability
// mass. Labels (likely, possible, unlikely) come from thresholds.
//
// # Blocking
//
// Candidates come from blocking keys (phonetic keys of name parts in
// pairs, with sex and birth band, of family members' names, and location
// with sex and birth year) that a case stores in an indexed column; a trace
// looks its keys up. Index is the same selection in memory. With its keys
// a case's parsed values are stored (EncodeCase, table match_subjects) and
// read back for scoring (DecodeCase) instead of parsing its record again.
// A re-matching run reads them once into a RunStore and ranks from it
// (RankStored), the same ranking as RankGroup's with each case decoded.
//
// docs/matching.md describes the model, the levels, the thresholds, the
// prior and the measured quality and speed.
package matching
