package names

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestDumpKeys(t *testing.T) {
	q := os.Getenv("Q")
	var ns []string
	for _, n := range strings.Split(os.Getenv("NAMES"), ",") {
		ns = append(ns, n)
	}
	sort.SliceStable(ns, func(i, j int) bool { return Score(q, ns[i]) > Score(q, ns[j]) })
	for _, n := range ns {
		fmt.Printf("%-22s %-16q %-22v tr=%-12s score=%.3f sim=%.3f %v\n", n, Tokens(n), Keys(n), Transliterate(n), Score(q, n), Similarity(q, n), Compare(q, n))
	}
}
