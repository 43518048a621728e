package forms_test

import (
	"testing"

	"github.com/cpims-hosted/cpims/forms"
)

// BenchmarkValidateCase validates one case of the default configuration, as
// a caseworker writes it, with a cached validator. Compiled is the
// validator alone; ServiceCall is what POST /api/v2/forms/validate does
// (permission, tenant transaction, version read, cache hit, validation);
// WithTestForms adds the test configuration's forms (every field type,
// subform rows, display conditions) to the data.
func BenchmarkValidateCase(b *testing.B) {
	tb := setup(b)
	b.Run("Compiled", func(b *testing.B) {
		v := tb.validator(b, "ke", forms.RecordCase, cp, as(caseworker))
		data := sampleData(v)
		b.ReportMetric(float64(len(data)), "fields")
		b.ReportAllocs()
		for b.Loop() {
			if errs := v.Validate(data); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
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
		b.ReportMetric(float64(len(data)), "fields")
		b.ReportAllocs()
		for b.Loop() {
			if errs := v.Validate(data); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
}
