package names

import (
	"encoding/binary"
	"errors"
)

// binaryVersion is the first byte of a Name's binary form. A change to how
// names are folded, transliterated or keyed makes stored forms stale:
// increase it, and readers of an older form parse the name again.
const binaryVersion = 4

// ErrStaleBinary: a Name's binary form was written by another version of
// this package (parse the name again).
var ErrStaleBinary = errors.New("names: binary form of another version")

// AppendBinary appends the parsed name (its tokens with their light forms,
// transliterations and keys) to b, so that a name parsed once can be stored
// and read back without parsing again (encoding.BinaryAppender).
func (n Name) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, binaryVersion)
	b = binary.AppendUvarint(b, uint64(len(n.toks)))
	for _, t := range n.toks {
		b = appendString(b, t.folded)
		b = appendString(b, t.light)
		b = appendString(b, t.latin)
		b = appendString(b, t.skel)
		if t.arabic {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(t.keys)))
		for _, k := range t.keys {
			b = appendString(b, k)
		}
	}
	return b, nil
}

// UnmarshalBinary reads a name written by AppendBinary; ErrStaleBinary
// when another version of the package wrote it.
func (n *Name) UnmarshalBinary(data []byte) error {
	_, err := n.DecodeString(string(data))
	return err
}

// DecodeString reads a name written by AppendBinary at the start of data
// (the bytes as a string: the name's strings share its memory, which saves
// an allocation each) and returns what follows it.
func (n *Name) DecodeString(data string) (string, error) {
	r := reader{b: data}
	if v := r.byte(); r.err == nil && v != binaryVersion {
		return "", ErrStaleBinary
	}
	count := r.count()
	toks := make([]token, 0, count)
	for range count {
		t := token{folded: r.string(), light: r.string(), latin: r.string(), skel: r.string(), arabic: r.byte() == 1}
		if nk := r.count(); nk > 0 {
			t.keys = make([]string, nk)
			for i := range t.keys {
				t.keys[i] = r.string()
			}
		}
		toks = append(toks, t)
	}
	if r.err != nil {
		return "", r.err
	}
	if len(toks) > 0 {
		n.toks = toks
	} else {
		n.toks = nil
	}
	return r.b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// errTruncated: a binary form ends too early or holds an impossible count.
var errTruncated = errors.New("names: truncated binary form")

// reader reads a binary form, remembering the first error.
type reader struct {
	b   string
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errTruncated
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// count reads a length, at most the bytes left (every element takes one).
func (r *reader) count() int {
	if r.err != nil {
		return 0
	}
	v, k := uvarint(r.b)
	if k <= 0 || v > uint64(len(r.b)-k) {
		r.err = errTruncated
		return 0
	}
	r.b = r.b[k:]
	return int(v)
}

func (r *reader) string() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// uvarint is binary.Uvarint of a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -(i + 1) // overflow
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
