// Package review is the reviewers' side of family tracing matching: it
// lists the potential matches that package matching stored (for a trace,
// for a case, and the review queue filtered by label, status, location and
// agency), shows only the values the reviewer's role may read, and records
// a reviewer's confirmation or rejection (a confirmation links the trace to
// the case, closes the trace's other pending matches and notifies the
// records' owners).
//
// It imports the matching engine (permissions, stored comparisons); the
// engine does not import it.
package review
