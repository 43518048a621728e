package matching

import "encoding/binary"

// The comparisons the pre-score does not read (the other names, the
// inquirer's name against the family's rows: RunStore.rest) are decoded
// only for the candidates a trace keeps, some 300 per trace. Decoded from
// the form's own bytes, each of their names was looked up by its bytes in
// the map of the store's names (two random reads) or parsed again, and the
// bytes copied as a string: a sixth of a batch's CPU at 1,000,000 cases
// (docs/matching.md, Speed → Session 33 (lead)). The store keeps those
// values written again with each name and string as its index in
// restTables instead, so decoding a kept case's reads the tables.

// restTables holds the names and strings of a run store's rest values,
// each once.
type restTables struct {
	names []pname
	strs  []string
	// while cases are added: an index by the name's binary form or the
	// string (nil once done)
	nameAt map[string]int32
	strAt  map[string]int32
	buf    []byte
}

func newRestTables() *restTables {
	return &restTables{nameAt: map[string]int32{}, strAt: map[string]int32{}}
}

// appendName appends the index of p in the table (adding it).
func (t *restTables) appendName(b []byte, p *pname) []byte {
	t.buf = appendPname(t.buf[:0], p)
	at, ok := t.nameAt[string(t.buf)]
	if !ok {
		at = int32(len(t.names))
		t.names = append(t.names, *p)
		t.nameAt[string(t.buf)] = at
	}
	return binary.LittleEndian.AppendUint32(b, uint32(at))
}

// appendStr appends the index of str in the table (adding it).
func (t *restTables) appendStr(b []byte, str string) []byte {
	at, ok := t.strAt[str]
	if !ok {
		at = int32(len(t.strs))
		t.strs = append(t.strs, str)
		t.strAt[str] = at
	}
	return binary.LittleEndian.AppendUint32(b, uint32(at))
}

// done drops what only adding needs.
func (t *restTables) done() { t.nameAt, t.strAt, t.buf = nil, nil, nil }

// addRest writes the rest value whose form is b (as EncodeCase wrote it)
// to the store's restForms, with its names and strings as indexes, and
// returns where it lies there.
func (s *RunStore) addRest(b []byte) (start, end int32, err error) {
	// names shared with the store's (each decoded once, its strings in
	// its own bytes, not the value's)
	var v value
	d := decoder{raw: b, text: string(b), names: s.names}
	s.m.decodeValue(&d, &v)
	if d.err != nil {
		return 0, 0, d.err
	}
	for _, a := range d.added {
		s.names[a.key] = a.p
	}
	from := len(s.restForms)
	s.restForms = s.m.appendValueTo(s.restForms, &v, s.restTab)
	return int32(from), int32(len(s.restForms)), nil
}
