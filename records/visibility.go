package records

import "github.com/cpims-hosted/cpims/policy"

// VisibleSQL returns the predicate, on a records row aliased r, of the
// records subject s may see (the predicate every records read uses), with
// its arguments appended to args: placeholders continue after len(args).
// Other domains that list records' satellites (FTR potential matches) join
// it so that their lists obey the same scope.
func VisibleSQL(s policy.Subject, args []any) (string, []any) {
	q := &sqlQuery{args: args}
	pred := visible(q, s)
	return pred, q.args
}
