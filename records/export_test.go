package records

// CaptureListSQL makes List report the SQL and arguments of its page
// query (for a phonetic search counted from its key rows, also the
// statements before: the matches, and their keys counted when ranked), for
// tests of the query plans.
func CaptureListSQL(f func(sql string, args []any)) { captureSQL = f }

// SetRankCandidates changes the bounds of phonetic ranking by similarity
// (rank) and of pages by recency from the matches' key rows (recency), and
// returns a function restoring them.
func SetRankCandidates(rank, recency int) func() {
	oldRank, oldRecency := rankCandidates, recencyCandidates
	rankCandidates, recencyCandidates = rank, recency
	return func() { rankCandidates, recencyCandidates = oldRank, oldRecency }
}

// SetRekeyBatch changes how many rows one transaction of RekeyNames
// rewrites, and returns a function restoring it.
func SetRekeyBatch(n int) func() {
	old := rekeyBatch
	rekeyBatch = n
	return func() { rekeyBatch = old }
}

// RekeySelects are the statements RekeyNames reads each table's stale rows
// with, by table.
func RekeySelects() map[string]string {
	out := map[string]string{}
	for _, t := range rekeyTables {
		out[t.table] = rekeySelect(t.table, t.recordType)
	}
	return out
}
