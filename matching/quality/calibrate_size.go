package quality

import (
	"fmt"
	"time"

	"github.com/cpims-hosted/cpims/matching"
)

// SizeCalibration is a calibration whose family adjustment and prior of
// "none" depend on the size of the tracing request: One for a request of
// one trace, Several for two or more; the child's and the family's scales
// are the same for both (Several's are One's). A diagnosis, not the
// product's: the group posterior takes a shared case from the trace that
// wants it less, so a request of several traces may need less of the
// adjustment's and the offset's caution than a request of one, which the
// group posterior does not change (docs/matching-log.md, Quality → Session 34
// (engineer E)).
type SizeCalibration struct {
	One, Several matching.Calibration
}

// Same is the size calibration that gives every request c.
func Same(c matching.Calibration) SizeCalibration { return SizeCalibration{One: c, Several: c} }

// For returns the calibration of a request of that many traces.
func (s SizeCalibration) For(traces int) matching.Calibration {
	if traces > 1 {
		return s.Several
	}
	return s.One
}

func (s SizeCalibration) String() string {
	return fmt.Sprintf("child %.3f, family %.3f; one trace: adjustment %.3f, offset %.3f; several: adjustment %.3f, offset %.3f",
		s.One.Child, s.One.Family, s.One.Adjustment, s.One.Offset, s.Several.Adjustment, s.Several.Offset)
}

// sizeToVector holds the numbers FitCalibrationBySize moves: the child's
// and the family's scales, One's adjustment and offset, then Several's
// offset and, when adjustmentBySize, Several's adjustment (else it is
// One's).
func sizeToVector(s SizeCalibration, adjustmentBySize bool) []float64 {
	v := []float64{s.One.Child, s.One.Family, s.One.Adjustment, s.One.Offset, s.Several.Offset}
	if adjustmentBySize {
		v = append(v, s.Several.Adjustment)
	}
	return v
}

func sizeFromVector(v []float64) SizeCalibration {
	one := matching.Calibration{Child: v[0], Family: v[1], Adjustment: v[2], Offset: v[3]}
	several := one
	several.Offset = v[4]
	if len(v) > 5 {
		several.Adjustment = v[5]
	}
	return SizeCalibration{One: one, Several: several}
}

// SizeFit is a size calibration fitted through the group posterior
// (FitCalibrationBySize), with the mean log likelihood of the traces'
// truth under it and under the one it started from.
type SizeFit struct {
	Calibration, Start    SizeCalibration
	LL, StartLL           float64
	Evaluations, Requests int
	// Several is how many of the requests have more than one trace.
	Several int
	Took    time.Duration
}

// FitCalibrationBySize fits a SizeCalibration by maximum likelihood of the
// truth under the group posterior, as FitCalibrationGroups fits one
// calibration for all (the same likelihood, Nelder-Mead over six numbers
// instead of four, the same first steps: 0.05 on a scale, 0.25 on an
// offset). Without adjustmentBySize only the offset depends on the size
// (five numbers; start's Several.Adjustment is not read).
func FitCalibrationBySize(start SizeCalibration, adjustmentBySize bool, requests []CalibrationRequest) SizeFit {
	f := func(x []float64) float64 { return -groupLogLikelihood(sizeFromVector(x).For, requests) }
	several := 0
	for _, r := range requests {
		if len(r.True) > 1 {
			several++
		}
	}
	x0 := sizeToVector(start, adjustmentBySize)
	x, fx, evals := nelderMead(f, x0, []float64{0.05, 0.05, 0.05, 0.25, 0.25, 0.05}[:len(x0)], sizeFitEvaluations, 1e-9)
	return SizeFit{Calibration: sizeFromVector(x), Start: start, LL: -fx, StartLL: groupLogLikelihood(start.For, requests),
		Evaluations: evals, Requests: len(requests), Several: several}
}

// sizeFitEvaluations bounds FitCalibrationBySize's evaluations: a simplex
// of seven points needs more than groupFitEvaluations' five.
const sizeFitEvaluations = 800
