// Package casework gives each person the work that concerns them on the
// records they hold (docs/workflows.md, Tasks, alerts, dashboards):
//
//   - tasks: due dates on the open cases a user owns or is assigned
//     (assessment, case plan, follow-ups, services not implemented), derived
//     in SQL from the cases' data at read time, upcoming and overdue;
//   - alerts: what others did to the records a user owns (assignments,
//     referrals, transfers and their answers, field changes, a new incident
//     from a case), derived from the records' history since the user became
//     owner or last marked the record read (alert_reads);
//   - dashboards: counts within the caller's record scope (the records
//     visibility predicate in the SQL of every aggregate).
//
// Nothing is copied on records: a change to a case changes its tasks and
// alerts at once. Every read goes through tenancy.Platform.Authorize and
// one tenant transaction.
package casework
