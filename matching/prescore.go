package matching

import (
	"cmp"
	"slices"
)

// The pre-score (docs/matching-log.md, Speed → Session 25): a trace's
// candidates come from its blocking keys, up to MaxCandidates of them, and
// at 1,000,000 cases nearly every trace has that many. Most are look-alikes
// that cheaper comparisons already tell apart: RankGroup of a matcher
// WithPreScore(keep) first scores each candidate on PreScoreComparisons
// (all but the two dearest to read and compare) and ranks in full only the
// keep best of them. Unlike RankGroupPruned's bound, this is not exact: a
// candidate left out is one whose pre-score is below keep others', whatever
// its nicknames and relatives would have added. The quality harness
// measures what that costs (-quality.prescore, -quality.fulltoo).

// PreScoreKeep is how many of a trace's candidates the service ranks in
// full (ServiceConfig.PreScoreKeep).
const PreScoreKeep = 300

// PreScoreComparisons are the comparisons of the pre-score (those the
// configuration lacks are left out): every default comparison but the two
// dearest to read and compare, the other names (nicknames) and the
// inquirer's name against the case's family rows. With the child's own
// names, sex and age only (firstPassNames), a fifth of the children at
// 1,000,000 cases whose family evidence (places, separation, the
// inquirer's camp) carries them were left out (docs/matching-log.md, Speed →
// Session 25).
var PreScoreComparisons = []string{"given_name", "family_names", "sex", "age", "location", "separation_location",
	"separation_date", "separation_cause", "inquirer_location"}

// WithPreScore returns a copy of the matcher whose RankGroup ranks in full
// only the keep candidates of each trace with the best score on
// PreScoreComparisons and the community's comparison (0: every candidate).
func (m *Matcher) WithPreScore(keep int) *Matcher {
	return m.WithPreScoreOn(keep, PreScoreComparisons)
}

// PreScoreDeferred are the comparisons of the pre-score that RankStored
// scores only for the candidates that may be kept: the child's given name
// (with its alternates) is nearly one value per case, so seldom found again
// in a memo, and comparing it is most of what is left of a pre-score
// through a RunStore. The other comparisons are scored for every
// candidate; what the deferred ones can add (RankGroupPruned's bound,
// restBound) then tells which candidates cannot reach the kept whatever
// their given name.
var PreScoreDeferred = []string{"given_name"}

// WithPreScoreOn is WithPreScore on the given comparisons (and the
// community's, which term frequencies within a community need).
func (m *Matcher) WithPreScoreOn(keep int, comparisons []string) *Matcher {
	n := *m
	n.preKeep = max(keep, 0)
	k := len(m.cfg.Comparisons)
	n.preRead, n.preDefer, n.preFirst = make([]bool, k), make([]bool, k), make([]bool, k)
	n.preMask, n.deferMask = 0, 0
	for i, c := range m.cfg.Comparisons {
		n.preRead[i] = i == m.community || slices.Contains(comparisons, c.Name) || k > 64
	}
	// a name by position is compared knowing its partner's names
	// (comparePair), which the run store then holds as values
	n.preRead = m.withPartners(n.preRead)
	for i, c := range m.cfg.Comparisons {
		n.preDefer[i] = n.preRead[i] && k <= 64 && i != m.community && slices.Contains(PreScoreDeferred, c.Name)
		n.preFirst[i] = n.preRead[i] && !n.preDefer[i]
		if n.preRead[i] && i < 64 {
			n.preMask |= 1 << i
		}
		if n.preDefer[i] {
			n.deferMask |= 1 << i
		}
	}
	return &n
}

// PreScore returns how many candidates per trace the matcher ranks in full
// (0: all of them).
func (m *Matcher) PreScore() int { return m.preKeep }

// preScore returns the candidates of each trace to rank in full: all of
// them when they are at most m.preKeep (or the pre-score is off), else the
// m.preKeep best by their calibrated first-pass log likelihood ratio (ties
// to the earlier candidate), in their own order, and each trace's
// comparison cache, which RankGroup goes on with (the kept candidates'
// names are not compared twice). The candidates kept that DecodeCandidate
// read are completed (an error when a stored form cannot be read).
func (m *Matcher) preScore(pr priors, traces []*Subject, cases [][]*Subject) ([][]*Subject, []comparisonCache, error) {
	read := m.preRead
	out := make([][]*Subject, len(cases))
	caches := make([]comparisonCache, len(traces))
	var shared [][]string
	for t, trace := range traces {
		caches[t] = comparisonCache{}
		cs := cases[t]
		if m.preKeep <= 0 || len(cs) <= m.preKeep {
			out[t] = cs
			continue
		}
		cache := caches[t]
		mt := m.forTrace(trace)
		scores := make([]pairScore, len(cs))
		for i, c := range cs {
			if c.stored != nil && c.pending&m.preMask != 0 {
				// read by another matcher's DecodeCandidate, without
				// values this pre-score reads
				if err := m.complete(c); err != nil {
					return nil, nil, err
				}
			}
			scores[i] = mt.score(trace, c, nil, read, &shared, cache)
		}
		kept := bestOf(m.preKeep, m.calibratedOnly(pr, scores))
		out[t] = make([]*Subject, len(kept))
		for k, i := range kept {
			out[t][k] = cs[i]
		}
	}
	for t := range out {
		for _, c := range out[t] {
			if err := m.complete(c); err != nil {
				return nil, nil, err
			}
		}
	}
	return out, caches, nil
}

// calibratedOnly is calibrated without the priors.
func (m *Matcher) calibratedOnly(pr priors, scores []pairScore) []float64 {
	_, lrs := m.calibrated(pr, scores)
	return lrs
}

// bestOf returns the indexes of the keep largest lrs (ties to the lower
// index), ascending.
func bestOf(keep int, lrs []float64) []int32 {
	order := make([]int32, len(lrs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Or(cmp.Compare(lrs[b], lrs[a]), cmp.Compare(a, b)) })
	kept := order[:min(keep, len(order))]
	slices.Sort(kept)
	return kept
}
