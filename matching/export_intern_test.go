package matching

import "time"

// ValueTable exposes valueTable to the external tests.
type ValueTable = valueTable

// NewValueTable is newValueTable.
func NewValueTable(max int) *ValueTable { return newValueTable(max) }

// Len returns how many values the table holds.
func (t *valueTable) Len() int { return t.len() }

// Stats returns the values shared and decoded through the table.
func (t *valueTable) Stats() (shared, decoded, sharedNames, decodedNames int64) {
	return t.hits.Load(), t.misses.Load(), t.nameHits.Load(), t.nameMisses.Load()
}

// DecodeShared is decodeShared.
func (m *Matcher) DecodeShared(t *ValueTable, ctx, id string, data []byte) (*Subject, error) {
	return m.decodeShared(t, ctx, id, data)
}

// SameValue reports whether two subjects hold comparison i's value in one
// place (shared).
func SameValue(a, b *Subject, i int) bool { return a.vals[i] == b.vals[i] }

// Community returns the subject's community key.
func (s *Subject) Community() string { return s.community }

// AgeGivenOn returns the date the age of comparison i is given on.
func (s *Subject) AgeGivenOn(i int) time.Time { return s.vals[i].age.ref }
