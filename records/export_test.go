package records

// CaptureListSQL makes List report the SQL and arguments of its page
// query, for tests of the query plans.
func CaptureListSQL(f func(sql string, args []any)) { captureSQL = f }
