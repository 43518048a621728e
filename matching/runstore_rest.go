package matching

import (
	"encoding/binary"
	"errors"

	"github.com/cpims-hosted/cpims/names"
)

// The comparisons the pre-score does not read (the other names, the
// inquirer's name against the family's rows: RunStore.rest) are decoded
// only for the candidates a trace keeps, some 300 per trace. Decoded from
// the form's own bytes, each of their names was looked up by its bytes in
// the map of the store's names (two random reads) or parsed again, and the
// bytes copied as a string: a sixth of a batch's CPU at 1,000,000 cases
// (docs/matching-log.md, Speed → Session 33 (lead)). The store keeps those
// values written again with each name and string as its index in
// restTables instead, so decoding a kept case's reads the tables.

// restTables holds the names and strings of a run store's rest values,
// each once.
type restTables struct {
	names []pname
	strs  []string
	// while cases are added: an index by the name's binary form or the
	// string (nil once done), and the value being written again
	// (transcode): its form, how much of it is written, and where to
	nameAt map[string]int32
	strAt  map[string]int32
	src    []byte
	from   int
	out    []byte
}

func newRestTables() *restTables {
	return &restTables{nameAt: map[string]int32{}, strAt: map[string]int32{}}
}

// transcode appends to out the value whose form (as EncodeCase wrote it)
// is b, with its names and strings as their indexes in the tables (added
// to them): decodeValue walks the form skipping, and the decoder hands
// each name and string to name and str; the bytes between them are
// copied as they are.
func (t *restTables) transcode(m *Matcher, out, b []byte) ([]byte, error) {
	t.src, t.from, t.out = b, 0, out
	defer func() { t.src, t.out = nil, nil }()
	d := decoder{raw: b, skip: true, re: t}
	var v value
	m.decodeValue(&d, &v)
	if d.err != nil {
		return out, d.err
	}
	return append(t.out, b[t.from:]...), nil
}

// name writes, for the name whose two-byte length is at b[start:] and
// which ends at end, its index (the name decoded once, its strings in
// their own bytes).
func (t *restTables) name(b []byte, start, end int) error {
	at, ok := t.nameAt[string(b[start+2:end])]
	if !ok {
		key := string(b[start+2 : end])
		var nm names.Name
		if _, err := nm.DecodeString(key); err != nil {
			if errors.Is(err, names.ErrStaleBinary) {
				err = ErrStaleSubject
			}
			return err
		}
		at = int32(len(t.names))
		t.names = append(t.names, newPname(nm))
		t.nameAt[key] = at
	}
	t.put(start, end, at)
	return nil
}

// str writes, for the string whose length starts at b[start:] and whose
// bytes are b[at:end], its index.
func (t *restTables) str(b []byte, start, at, end int) {
	id, ok := t.strAt[string(b[at:end])]
	if !ok {
		id = int32(len(t.strs))
		s := string(b[at:end])
		t.strs = append(t.strs, s)
		t.strAt[s] = id
	}
	t.put(start, end, id)
}

// put writes the form up to start, then the index at in place of
// src[start:end].
func (t *restTables) put(start, end int, at int32) {
	t.out = append(t.out, t.src[t.from:start]...)
	t.out = binary.LittleEndian.AppendUint32(t.out, uint32(at))
	t.from = end
}

// done drops what only adding needs.
func (t *restTables) done() { t.nameAt, t.strAt = nil, nil }

// addRest writes the rest value whose form is b to the store's restForms
// (transcode) and returns where it lies there.
func (s *RunStore) addRest(b []byte) (start, end int32, err error) {
	from := len(s.restForms)
	if s.restForms, err = s.restTab.transcode(s.m, s.restForms, b); err != nil {
		return 0, 0, err
	}
	return int32(from), int32(len(s.restForms)), nil
}
