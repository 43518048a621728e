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

// BatchReads are the statements the batch jobs read their next rows with
// (RekeyNames per table; the phone numbers' rewrite), by name; each takes
// the id after which to read as $2 ($1 for the rewrite).
func BatchReads() map[string]string {
	out := map[string]string{"phones": phoneRewriteSelect}
	for _, t := range rekeyTables {
		out["rekey "+t.table] = rekeySelect(t.table, t.recordType)
	}
	return out
}
