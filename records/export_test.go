package records

// CaptureListSQL makes List report the SQL and arguments of its page
// query, for tests of the query plans.
func CaptureListSQL(f func(sql string, args []any)) { captureSQL = f }

// SetRankCandidates changes the bound of phonetic ranking by similarity
// and returns a function restoring it.
func SetRankCandidates(rank int) func() {
	old := rankCandidates
	rankCandidates = rank
	return func() { rankCandidates = old }
}
