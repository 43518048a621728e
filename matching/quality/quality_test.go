package quality

import (
	"testing"

	"github.com/cpims-hosted/cpims/matching/synthetic"
)

func TestExplore(t *testing.T) {
	for _, oracle := range []bool{false} {
		res, err := Run(Options{Profile: synthetic.ProfileA(), Cases: 10000, Traces: 500, Seed: 1, Oracle: oracle, Logf: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("oracle %v\n%s", oracle, res.Report())
		t.Log("\n" + ParametersTable(res.Parameters))
	}
}
