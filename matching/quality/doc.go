// Package quality measures family tracing matching on labelled synthetic
// data (package synthetic): recall at 1, 5 and 10, expected calibration
// error with a reliability table, the share of true matches labelled
// likely and of traces whose child is not registered that still get a
// likely candidate, for the model and for a Primero-style baseline on the
// same data in the same run. The full run (100,000 cases, 5,000 held-out
// traces, both profiles) is a benchmark: go tool task bench:matching.
package quality
