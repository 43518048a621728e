package matching

import "slices"

// RankPrunedWith is RankPruned with another first pass (the comparisons
// named, and the community's) and another mass: tests hold the bound to
// the full ranking with passes that leave little unread, which prune.
func (m *Matcher) RankPrunedWith(trace *Subject, ids []string, data [][]byte, first []string, eps float64) ([]Candidate, int, error) {
	read := make([]bool, len(m.cfg.Comparisons))
	for i, c := range m.cfg.Comparisons {
		read[i] = i == m.community || slices.Contains(first, c.Name)
	}
	cs := make([]*Subject, len(ids))
	for i := range ids {
		s, err := m.decodeCase(ids[i], data[i], m.withPartners(read)) // as DecodeCandidate
		if err != nil {
			return nil, 0, err
		}
		s.stored = data[i]
		cs[i] = s
	}
	kept, err := m.forTrace(trace).prune(newPriors(m.p.Prior, m.p.Siblings, m.p.Cases), trace, cs, read, eps, nil) // as RankGroupPruned
	if err != nil {
		return nil, 0, err
	}
	out, err := m.Rank(trace, kept)
	return out, len(kept), err
}
