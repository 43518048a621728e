// Package workflow makes case management run between people and agencies:
// assignments, referrals, transfers and transfer requests (transitions),
// and the information sharing protocol that bounds them. docs/workflows.md
// is the contract.
//
// # One use case, one transaction
//
// Every method checks its permission with the fail-closed
// tenancy.Platform.Authorize, then runs one tenant transaction that locks
// the case, writes the transition row, keeps record_access current (owner,
// referral and transfer rows), bumps the record's version with its history
// entry (records.AppendVersion: merges of offline edits see workflow
// changes as "theirs"), and names the case on the call's audit row. Any
// refusal leaves nothing changed.
//
// # Rules
//
// Referrals and transfers to another agency need a row of the sharing
// protocol allowing them (none by default) and the child's consent to share
// with other organisations (the case's disclosure_other_orgs), unless the
// sender's role holds cases:consent_override and gives a reason, which is
// recorded on the transition. Transitions move only forward: in_progress to
// accepted, rejected, done or revoked; a referral's access ends when it is
// rejected, done or revoked; a transfer moves ownership when accepted.
package workflow
