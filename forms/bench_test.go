package forms_test

import (
	"syscall"
	"testing"

	"github.com/cpims-hosted/cpims/forms"
)

// BenchmarkValidateCase validates one case of the default configuration, as
// a caseworker writes it, with a cached validator. Compiled is the
// validator alone; ServiceCall is what POST /api/v2/forms/validate does
// (permission, tenant transaction, version read, cache hit, validation);
// WithTestForms validates the test configuration's forms (every field
// type, subform rows, display conditions) as the test role writes them.
// cpu-ns/op is CPU time per op (see cpuTime).
func BenchmarkValidateCase(b *testing.B) {
	tb := setup(b)
	b.Run("Compiled", func(b *testing.B) {
		v := tb.validator(b, "ke", forms.RecordCase, cp, as(caseworker))
		data := sampleData(v)
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if errs := v.Validate(data); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(countValues(data)), "values")
	})
	b.Run("ServiceCall", func(b *testing.B) {
		ctx := as(caseworker)
		data := sampleData(tb.validator(b, "ke", forms.RecordCase, cp, ctx))
		b.ReportAllocs()
		for b.Loop() {
			res, err := tb.svc.Validate(ctx, "ke", forms.ValidateParams{RecordType: forms.RecordCase, ModuleID: cp, Data: data})
			if err != nil || !res.Valid {
				b.Fatal(err, res.Errors)
			}
		}
	})
	b.Run("WithTestForms", func(b *testing.B) {
		tb.addTestConfig(b, "ke")
		v := tb.validator(b, "ke", forms.RecordCase, cp, as(tester))
		data := sampleData(v)
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if errs := v.Validate(data); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		b.ReportMetric(float64(countValues(data)), "values")
	})
}

// cpuTime is the process's CPU time (user and system, all threads) in
// nanoseconds: per-op figures that other processes on a loaded machine
// inflate less than wall time (the garbage collector's work counts).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// countValues counts the values of data, those of subform rows included.
func countValues(data map[string]any) int {
	n := 0
	for _, x := range data {
		if rows, ok := x.([]any); ok {
			for _, r := range rows {
				if row, ok := r.(map[string]any); ok {
					n += countValues(row)
					continue
				}
				n++
			}
			continue
		}
		n++
	}
	return n
}
