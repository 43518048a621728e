package names

import "testing"

// Benchmarks of the per-name costs that search and matching pay; figures go
// to docs/names.md, never into assertions. Besides ns/op (wall time, which
// grows when the shared machine is busy), each reports cpu-ns/op: the
// process's CPU time per operation, garbage collection included.

var benchNames = []string{"Mohamed Abdirahman Hassan", "محمد عبد الرحمن حسن", "Fatouma Aïcha Ould Brahim", "Yusuf"}

var sinkKeys []string
var sinkFloat float64
var sinkString string

func BenchmarkKeys(b *testing.B) {
	for _, n := range benchNames {
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			loop(b, func() { sinkKeys = Keys(n) })
		})
	}
}

func BenchmarkFold(b *testing.B) {
	for _, n := range benchNames {
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			loop(b, func() { sinkString = Fold(n) })
		})
	}
}

// BenchmarkSimilarity is the string API: both names parsed on every call.
func BenchmarkSimilarity(b *testing.B) {
	for _, p := range [][2]string{
		{"Mohamed Ali", "Muhammad Ali Hassan"},
		{"Mohamed Ali", "محمد علي"},
		{"Yusuf", "Youssouf"},
	} {
		b.Run(p[0]+"/"+p[1], func(b *testing.B) {
			b.ReportAllocs()
			loop(b, func() { sinkFloat = Similarity(p[0], p[1]) })
		})
	}
}

// BenchmarkScoreParsed is the inner loop of a search or a matching run:
// query and candidates parsed once, one Score and one Compare per pair.
func BenchmarkScoreParsed(b *testing.B) {
	q := Parse("Mohamed Ali Hassan")
	c := Parse("محمد علي حسن")
	b.Run("Score", func(b *testing.B) {
		b.ReportAllocs()
		loop(b, func() { sinkFloat = q.Score(c) })
	})
	b.Run("Compare", func(b *testing.B) {
		b.ReportAllocs()
		loop(b, func() { sinkFloat = float64(q.Compare(c)) })
	})
}

func BenchmarkParse(b *testing.B) {
	for _, n := range benchNames {
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			loop(b, func() { sinkFloat = float64(len(Parse(n).toks)) })
		})
	}
}

// loop runs f for the benchmark and reports the CPU time per call.
func loop(b *testing.B, f func()) {
	b.Helper()
	start := processCPU()
	for b.Loop() {
		f()
	}
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	}
}
