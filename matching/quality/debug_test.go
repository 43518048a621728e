package quality

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cpims-hosted/cpims/matching/synthetic"
)

func TestDebugFalseLikely(t *testing.T) {
	shown := 0
	res, err := Run(Options{Profile: synthetic.ProfileA(), Cases: 10000, Traces: 500, Seed: 1, Inspect: func(in Inspection) {
		if len(in.Ranked) == 0 || in.Ranked[0].Label != "likely" || in.Ranked[0].Case.ID == in.Trace.CaseID || shown >= 14 {
			return
		}
		shown++
		c := in.Ranked[0]
		b, _ := json.Marshal(in.Trace.Row)
		rq, _ := json.Marshal(in.Request.Data)
		cd := in.Case(c.Case.ID)
		cdj, _ := json.Marshal(cd.Data)
		fmt.Printf("\n=== trace %s child %s true case %q sibling %v (request has %d traces); top %s child %s p=%.3f w=%.1f famadj=%.1f\nTRACE %s\nREQ %s\nCASE %s\n",
			in.Trace.ID, in.Trace.ChildID, in.Trace.CaseID, in.Trace.Sibling, len(in.Request.Traces), c.Case.ID, cd.ChildID, c.Probability, c.Weight, c.FamilyAdjustment, b, rq, cdj)
		for _, f := range c.Fields {
			fmt.Printf("  %-18s %-20s %+.2f\n", f.Comparison, f.Level, f.Weight)
		}
		for _, o := range in.Request.Traces {
			fmt.Printf("  request trace %s child %s case %q\n", o.ID, o.ChildID, o.CaseID)
		}
		if len(in.Ranked) > 1 {
			fmt.Printf("  second p=%.3f %s\n", in.Ranked[1].Probability, in.Case(in.Ranked[1].Case.ID).ChildID)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(ParametersTable(res.Parameters))
}
