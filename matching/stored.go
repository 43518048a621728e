package matching

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/fnv"
	"math"
	"time"

	"github.com/cpims-hosted/cpims/names"
)

// A case's parsed values are stored beside the record (table
// match_subjects, written by the matching job with its blocking keys) so
// that scoring a trace's candidates reads them instead of decoding each
// record's JSON and parsing its names again (docs/matching.md, Speed).
// The binary form holds every comparison's value (names with their
// tokens, transliterations and phonetic keys, options, dates, ages) and
// location codes, resolved through the hierarchy when read (a moved
// location is seen at once). Raw field values are not stored: reviewers'
// values are read from the records of the candidates kept.

// storedVersion is the first byte of a stored subject; increase it when
// value or its encoding changes.
const storedVersion = 3

// ErrStaleSubject: a stored subject was written under another
// configuration or encoding; parse the record again.
var ErrStaleSubject = errors.New("matching: stored subject of another configuration or version")

// Fingerprint identifies what a stored subject depends on: the encoding,
// the names package's binary form and the configuration's comparisons.
// Stored subjects with another fingerprint are stale.
func (m *Matcher) Fingerprint() int64 { return m.fingerprint }

func fingerprint(cfg Configuration) int64 {
	h := fnv.New64a()
	raw, _ := json.Marshal(cfg.Comparisons) // plain data: cannot fail
	h.Write([]byte{storedVersion})
	var nb [16]byte
	b, _ := names.Name{}.AppendBinary(nb[:0]) // carries the names package's version
	h.Write(b)
	h.Write(raw)
	return int64(h.Sum64() >> 1) // fits a bigint column
}

// EncodeCase returns the binary form of a case's parsed values.
func (m *Matcher) EncodeCase(s *Subject) []byte {
	b := make([]byte, 0, 512)
	b = append(b, storedVersion)
	b = binary.AppendUvarint(b, uint64(len(s.vals)))
	for i := range s.vals {
		b = m.appendValue(b, s.vals[i])
	}
	return b
}

// DecodeCase reads a case's parsed values from their binary form
// (EncodeCase): the case as NewCase would have read it, without raw
// Fields. ErrStaleSubject when the form is of another version.
func (m *Matcher) DecodeCase(id string, data []byte) (*Subject, error) {
	return m.decodeCase(id, data, nil)
}

// decodeCase decodes the values of the comparisons want selects (every
// comparison when want is nil); the others stay absent until decodeInto
// reads them.
func (m *Matcher) decodeCase(id string, data []byte, want []bool) (*Subject, error) {
	s := &Subject{ID: id, vals: valuesFor(len(m.cfg.Comparisons), want)}
	if err := m.decodeInto(s, data, want); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeInto decodes into s the values of the comparisons want selects
// (all when want is nil) and skips the others; the whole form is walked
// either way, so a truncated one is refused.
func (m *Matcher) decodeInto(s *Subject, data []byte, want []bool) error {
	d := newDecoder(data)
	if d.byte() != storedVersion || d.count() != len(m.cfg.Comparisons) {
		return ErrStaleSubject
	}
	for i := range s.vals {
		if want == nil || want[i] {
			m.decodeValue(&d, s.vals[i])
			continue
		}
		d.skip = true
		var v value
		m.decodeValue(&d, &v)
		d.skip = false
		if v.present {
			s.pending |= 1 << i // firstPass reads everything beyond 64 comparisons
		}
	}
	if d.err != nil {
		return d.err
	}
	s.community = m.communityOf(s)
	return nil
}

const (
	flagPresent = 1 << iota
	flagHasDOB
	flagEstimated
	flagHasAge
	flagRefToday
)

func (m *Matcher) appendValue(b []byte, v *value) []byte {
	var flags byte
	if v.present {
		flags |= flagPresent
	}
	a := &v.age
	if a.hasDOB {
		flags |= flagHasDOB
	}
	if a.estimated {
		flags |= flagEstimated
	}
	if a.hasAge {
		flags |= flagHasAge
	}
	if a.ref.Equal(m.today) {
		flags |= flagRefToday // read back as the reader's today
	}
	b = append(b, flags)
	b = appendPname(b, &v.name)
	b = appendPnames(b, v.alts)
	b = appendPnames(b, v.parts)
	b = binary.AppendUvarint(b, uint64(len(v.rels)))
	for i := range v.rels {
		b = appendStr(b, v.rels[i].relation)
		b = appendPname(b, v.rels[i].name)
		b = appendPnames(b, v.rels[i].alts)
	}
	b = appendStr(b, v.rel)
	b = appendStrs(b, v.set)
	b = binary.AppendUvarint(b, uint64(len(v.sets)))
	for _, set := range v.sets {
		b = appendStrs(b, set)
	}
	b = binary.AppendUvarint(b, uint64(len(v.dates)))
	for _, t := range v.dates {
		b = binary.AppendVarint(b, t.UnixNano())
	}
	if a.hasDOB {
		b = binary.AppendVarint(b, a.dob.UnixNano())
	}
	if a.hasAge {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(a.age))
	}
	if flags&flagRefToday == 0 {
		b = binary.AppendVarint(b, a.ref.UnixNano())
	}
	b = appendStrs(b, v.pathRels) // before the places: a place left out when read leaves its relation out
	b = binary.AppendUvarint(b, uint64(len(v.paths)))
	for _, p := range v.paths {
		b = appendStr(b, p[len(p)-1].Code)
	}
	return b
}

// decodeValue reads one value; when d skips, it only moves past it
// (nothing allocated, names not decoded, locations not resolved).
func (m *Matcher) decodeValue(d *decoder, v *value) {
	flags := d.byte()
	v.present = flags&flagPresent != 0
	v.name = d.pname()
	v.alts = d.pnames()
	v.parts = d.pnames()
	if n := d.count(); n > 0 && !d.skip {
		v.rels = make([]relative, n)
		var own []pname // the names, when no table holds them
		if d.tab == nil {
			own = make([]pname, n)
		}
		for i := range v.rels {
			r := &v.rels[i]
			r.relation = d.str()
			if d.tab != nil {
				r.name = d.tabledName()
			} else {
				own[i] = d.pname()
				r.name = &own[i]
			}
			r.alts = d.pnames()
		}
	} else {
		for ; n > 0; n-- {
			d.str()
			d.pname()
			d.pnames()
		}
	}
	v.rel = d.str()
	v.set = d.strs()
	if n := d.count(); n > 0 && !d.skip {
		v.sets = make([][]string, n)
		for i := range v.sets {
			v.sets[i] = d.strs()
		}
		v.community = communityKey(v.sets)
	} else {
		for ; n > 0; n-- {
			d.strs()
		}
	}
	if n := d.count(); n > 0 && !d.skip {
		v.dates = make([]time.Time, n)
		for i := range v.dates {
			v.dates[i] = d.time()
		}
	} else {
		for ; n > 0; n-- {
			d.time()
		}
	}
	a := &v.age
	a.hasDOB, a.estimated, a.hasAge = flags&flagHasDOB != 0, flags&flagEstimated != 0, flags&flagHasAge != 0
	if a.hasDOB {
		a.dob = d.time()
	}
	if a.hasAge {
		a.age = d.float()
	}
	if flags&flagRefToday != 0 {
		a.ref = m.today
	} else {
		a.ref = d.time()
	}
	rels := d.strs()
	for j, n := 0, d.count(); j < n; j++ {
		code := d.str()
		if m.locs == nil || d.skip {
			continue
		}
		// a code the hierarchy no longer has is left out, with its relation
		if p := m.locs.Path(code); len(p) > 0 {
			v.paths = append(v.paths, p)
			if j < len(rels) {
				v.pathRels = append(v.pathRels, rels[j])
			}
		}
	}
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrs(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendStr(b, s)
	}
	return b
}

func appendPname(b []byte, p *pname) []byte {
	start := len(b)
	b = append(b, 0, 0) // the name's length, two bytes, set below
	b, _ = p.n.AppendBinary(b)
	n := len(b) - start - 2
	if n > math.MaxUint16 {
		// Names are short; a name this long is stored empty.
		b = append(b[:start], 0, 0)
		b, _ = names.Name{}.AppendBinary(b)
		n = len(b) - start - 2
	}
	binary.LittleEndian.PutUint16(b[start:], uint16(n))
	return b
}

func appendPnames(b []byte, ps []pname) []byte {
	b = binary.AppendUvarint(b, uint64(len(ps)))
	for i := range ps {
		b = appendPname(b, &ps[i])
	}
	return b
}

// errCorrupt: a stored subject ends too early or holds an impossible count.
var errCorrupt = errors.New("matching: corrupt stored subject")

// decoder reads a stored subject, remembering the first error. Its
// strings are slices of one copy of the whole form (text): one allocation
// instead of one per string.
type decoder struct {
	raw  []byte
	text string // raw as a string
	i    int    // read position
	err  error
	// skip: move past values without decoding them (strs and pnames
	// return nil, pname the zero name).
	skip bool
	// names, when set, shares decoded names (decodeShared): the names
	// read that it lacked are in added.
	names      map[string]pname
	added      []sharedName
	namesFound int
	// tab, when set, holds the names and strings the form gives as
	// indexes (a run store's rest values, restTables); re, when set, is
	// what a skipping walk writes the form to with its names and strings
	// as such indexes (restTables.transcode).
	tab, re *restTables
}

func newDecoder(b []byte) decoder { return decoder{raw: b, text: string(b)} }

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.i = len(d.raw)
}

func (d *decoder) left() int { return len(d.raw) - d.i }

func (d *decoder) byte() byte {
	if d.left() == 0 {
		d.fail(errCorrupt)
		return 0
	}
	d.i++
	return d.raw[d.i-1]
}

// count reads a length, at most the bytes left (every element takes one).
func (d *decoder) count() int {
	v, k := binary.Uvarint(d.raw[d.i:])
	if k <= 0 || v > uint64(d.left()-k) {
		d.fail(errCorrupt)
		return 0
	}
	d.i += k
	return int(v)
}

// tabled reads an index into a table of n entries (restTables); -1 when
// the form is corrupt.
func (d *decoder) tabled(n int) int {
	if d.left() < 4 {
		d.fail(errCorrupt)
		return -1
	}
	at := int(binary.LittleEndian.Uint32(d.raw[d.i:]))
	d.i += 4
	if at >= n {
		d.fail(errCorrupt)
		return -1
	}
	return at
}

func (d *decoder) str() string {
	if d.tab != nil {
		if at := d.tabled(len(d.tab.strs)); at >= 0 && !d.skip {
			return d.tab.strs[at]
		}
		return ""
	}
	start := d.i
	n := d.count()
	if d.err != nil {
		return ""
	}
	d.i += n
	if d.skip { // a walk: text may be unset (decodeShared)
		if d.re != nil {
			d.re.str(d.raw, start, d.i-n, d.i)
		}
		return ""
	}
	return d.text[d.i-n : d.i]
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	if d.skip {
		for ; n > 0; n-- {
			d.str()
		}
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() time.Time {
	v, k := binary.Varint(d.raw[d.i:])
	if k <= 0 {
		d.fail(errCorrupt)
		return time.Time{}
	}
	d.i += k
	return time.Unix(0, v).UTC()
}

func (d *decoder) float() float64 {
	if d.left() < 8 {
		d.fail(errCorrupt)
		return 0
	}
	d.i += 8
	return math.Float64frombits(binary.LittleEndian.Uint64(d.raw[d.i-8:]))
}

func (d *decoder) pname() pname {
	if d.tab != nil {
		if at := d.tabled(len(d.tab.names)); at >= 0 && !d.skip {
			return d.tab.names[at]
		}
		return pname{}
	}
	if d.left() < 2 {
		d.fail(errCorrupt)
		return pname{}
	}
	n := int(binary.LittleEndian.Uint16(d.raw[d.i:]))
	if n > d.left()-2 {
		d.fail(errCorrupt)
		return pname{}
	}
	if d.skip {
		if d.re != nil {
			if err := d.re.name(d.raw, d.i, d.i+2+n); err != nil {
				d.fail(err)
				return pname{}
			}
		}
		d.i += 2 + n
		return pname{}
	}
	if d.names != nil {
		return d.sharedName(n)
	}
	var nm names.Name
	if _, err := nm.DecodeString(d.text[d.i+2 : d.i+2+n]); err != nil {
		if errors.Is(err, names.ErrStaleBinary) {
			err = ErrStaleSubject
		}
		d.fail(err)
		return pname{}
	}
	d.i += 2 + n
	return newPname(nm)
}

// tabledName is pname for a decoder reading a table's indexes (d.tab):
// the table's own name, shared, never modified.
func (d *decoder) tabledName() *pname {
	if at := d.tabled(len(d.tab.names)); at >= 0 {
		return &d.tab.names[at]
	}
	return &noValue.name // corrupt: d.err is set
}

func (d *decoder) pnames() []pname {
	n := d.count()
	if n == 0 {
		return nil
	}
	if d.skip {
		for ; n > 0; n-- {
			d.pname()
		}
		return nil
	}
	out := make([]pname, n)
	for i := range out {
		out[i] = d.pname()
	}
	return out
}
