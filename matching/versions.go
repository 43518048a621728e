package matching

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// ParametersVersion is one stored version of a tenant's parameters as an
// administrator reads it (ListParameters): what it was estimated from, the
// priors, the calibration, and each comparison's levels with the weight a
// pair at that level gets. The term frequencies and stop keys, which list
// the tenant's names, are left out.
type ParametersVersion struct {
	Version              int                 `json:"version" doc:"Each potential match records the version it was scored with."`
	ConfigurationVersion int                 `json:"configuration_version" doc:"The matching configuration it was estimated under (0: the defaults)."`
	EstimatedAt          time.Time           `json:"estimated_at"`
	Prior                float64             `json:"prior" doc:"The share of traces whose child is registered, as used: the configuration's stated prior, else prior_estimated."`
	PriorEstimated       float64             `json:"prior_estimated" doc:"That share as estimated from the tenant's data (0 when the configuration states it)."`
	Siblings             float64             `json:"siblings" doc:"Brothers and sisters of a trace's child expected among the cases."`
	Cases                int                 `json:"cases" doc:"Consenting cases when estimated: a pair's prior probability is prior / cases."`
	Estimation           EstimationReport    `json:"estimation"`
	Calibration          Calibration         `json:"calibration" doc:"How match weights become probabilities (docs/matching.md, The model)."`
	Comparisons          []ComparisonWeights `json:"comparisons"`
}

// ComparisonWeights are one comparison's levels as estimated.
type ComparisonWeights struct {
	Name     string        `json:"name"`
	Levels   []LevelWeight `json:"levels"`
	Later    []LevelWeight `json:"later,omitempty" doc:"A comparison whose trace value is the tracing request's, given for its first child sought (the separation): its levels for the request's later traces, estimated apart."`
	Variants [][2]string   `json:"variants,omitempty" doc:"Spellings of one name the phonetic keys do not join, learned from the tenant's likely and confirmed matches: a name that differs from the other side's only by such a pair is at level variant."`
}

// LevelWeight is a level's m, u and weight.
type LevelWeight struct {
	Level string  `json:"level"`
	M     float64 `json:"m" doc:"How often a trace and its child's registration compare at this level."`
	U     float64 `json:"u" doc:"How often a trace and an unrelated child's registration do."`
	// Weight is absent where m or u is 0 (missing: no evidence either way;
	// a level the comparison cannot reach).
	Weight *float64 `json:"weight,omitempty" doc:"log2(m/u) in bits, what a pair at this level adds to its match weight (agreement on a name is adjusted by how common the name is). Absent for missing and for levels the comparison never reaches."`
}

// ListParameters returns a page of tenant code's parameter versions, the
// newest (the one matching uses under the current configuration, once it
// was estimated under it) first, and how many there are.
func (s *Service) ListParameters(ctx context.Context, code string, page, per int) ([]ParametersVersion, int, error) {
	if err := s.p.Authorize(ctx, code, PermConfigRead); err != nil {
		return nil, 0, err
	}
	if per <= 0 {
		per = 20
	}
	page = max(page, 1)
	out := []ParametersVersion{}
	total := 0
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, "select count(*) from matching_parameters").Scan(&total); err != nil {
			return err
		}
		// the server leaves out the term frequencies and stop keys (at
		// scale most of the document)
		rows, err := c.Query(ctx, `select version, configuration_version, (parameters - 'stop') || jsonb_build_object('comparisons',
				(select coalesce(jsonb_agg(x - 'tf' - 'tf_within' - 'community_cases' - 'tf_floor' order by n), '[]')
				from jsonb_array_elements(parameters->'comparisons') with ordinality e(x, n)))
			from matching_parameters order by version desc limit $1 offset $2`, per, (page-1)*per)
		if err != nil {
			return err
		}
		var version, cfgVersion int
		var raw []byte
		_, err = pgx.ForEachRow(rows, []any{&version, &cfgVersion, &raw}, func() error {
			var p Parameters
			if err := json.Unmarshal(raw, &p); err != nil {
				return fmt.Errorf("stored matching parameters %d: %w", version, err)
			}
			out = append(out, versionOf(&p, cfgVersion))
			return nil
		})
		return err
	})
	return out, total, err
}

// levelWeights are the levels' m, u and weights.
func levelWeights(levels []string, m, u []float64) []LevelWeight {
	out := make([]LevelWeight, len(levels))
	for l, name := range levels {
		lw := LevelWeight{Level: name}
		if l < len(m) && l < len(u) {
			lw.M, lw.U = m[l], u[l]
		}
		if lw.M > 0 && lw.U > 0 && l != int(lvMissing) {
			x := math.Log2(lw.M / lw.U)
			lw.Weight = &x
		}
		out[l] = lw
	}
	return out
}

// versionOf is p as ParametersVersion shows it.
func versionOf(p *Parameters, cfgVersion int) ParametersVersion {
	v := ParametersVersion{Version: p.Version, ConfigurationVersion: cfgVersion, EstimatedAt: p.EstimatedAt, Prior: p.Prior,
		PriorEstimated: p.PriorEstimated, Siblings: p.Siblings, Cases: p.Cases, Estimation: p.Estimation,
		Calibration: p.Calibration, Comparisons: make([]ComparisonWeights, len(p.Comparisons))}
	for i, c := range p.Comparisons {
		w := ComparisonWeights{Name: c.Name, Variants: c.Variants, Levels: levelWeights(c.Levels, c.M, c.U)}
		if c.MLater != nil {
			w.Later = levelWeights(c.Levels, c.MLater, c.U)
		}
		v.Comparisons[i] = w
	}
	return v
}
