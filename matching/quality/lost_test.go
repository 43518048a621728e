package quality

import (
	"cmp"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
)

var orderLost = flag.Bool("order.lost", false, "BenchmarkCandidateOrder also tells, for children outside the cap, which rules' keys they share (stop keys apart)")

// lostReport counts, over children outside the cap, the rules of the keys
// they share with their trace: "ns,ls" (selecting) and "stop:nn".
type lostReport struct {
	sigs map[string]int
	n    int
}

func (l *lostReport) add(traceKeys, caseKeys []string, stop map[string]bool) {
	if l.sigs == nil {
		l.sigs = map[string]int{}
	}
	l.n++
	sel, stopped := map[string]bool{}, map[string]bool{}
	for _, k := range traceKeys {
		if _, ok := slices.BinarySearch(caseKeys, k); !ok {
			continue
		}
		rule, _, _ := strings.Cut(k, ":")
		if stop[k] {
			stopped[rule] = true
		} else {
			sel[rule] = true
		}
	}
	sig := strings.Join(slices.Sorted(maps.Keys(sel)), ",")
	if len(stopped) > 0 {
		sig += " stop:" + strings.Join(slices.Sorted(maps.Keys(stopped)), ",")
	}
	l.sigs[sig]++
}

func (l *lostReport) String() string {
	keys := slices.Collect(maps.Keys(l.sigs))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(l.sigs[b]-l.sigs[a], strings.Compare(a, b)) })
	var sb strings.Builder
	fmt.Fprintf(&sb, "  %d children outside the cap share:", l.n)
	for _, k := range keys {
		fmt.Fprintf(&sb, " [%s] %d;", k, l.sigs[k])
	}
	return sb.String()
}
