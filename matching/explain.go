package matching

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// StoredComparison is one comparison of a stored potential match: its
// level and weight, and the values compared on each side.
type StoredComparison struct {
	Comparison string         `json:"comparison"`
	Level      string         `json:"level"`
	Weight     float64        `json:"weight" doc:"Match weight in bits, log2(m/u); 0 when a side is missing."`
	Case       map[string]any `json:"case" doc:"The case's values compared (subform fields as subform.field), as the reader may see them."`
	Trace      map[string]any `json:"trace" doc:"The trace's or tracing request's values compared, as the reader may see them."`
}

// storedRows are a request's kept candidates as upsertMatchesSQL's arrays
// (the trace and case ids also name the rows the delete keeps).
type storedRows struct {
	traceID, caseID, label                []string
	probability, weight, familyAdjustment []float64
	comparisons                           []json.RawMessage

	ex  explainer
	buf []byte // "[", the rows' comparisons separated by commas, each a slice of it (array)
}

// storedRowsPool holds storedRows' memory between the requests
// matchRequest stores: nothing reads a request's rows once they are
// written.
var storedRowsPool = sync.Pool{New: func() any { return new(storedRows) }}

// reset empties r, keeping its memory (the ids empty, not nil: the delete
// reads them as arrays).
func (r *storedRows) reset() {
	if r.traceID == nil {
		r.traceID, r.caseID = []string{}, []string{}
	}
	r.traceID, r.caseID, r.label = r.traceID[:0], r.caseID[:0], r.label[:0]
	r.probability, r.weight, r.familyAdjustment = r.probability[:0], r.weight[:0], r.familyAdjustment[:0]
	r.comparisons, r.buf = r.comparisons[:0], r.buf[:0]
}

// appendRow adds trace's candidate c, its comparisons explained (explain).
func (r *storedRows) appendRow(cfg Configuration, trace *Subject, c *Candidate) error {
	if len(r.buf) == 0 {
		r.buf = append(r.buf, '[')
	} else {
		r.buf = append(r.buf, ',')
	}
	start := len(r.buf)
	var err error
	if r.buf, err = r.ex.appendComparisons(r.buf, r.ex.explain(cfg, trace, c)); err != nil {
		return err
	}
	// A slice of r.buf: the bytes before len(r.buf) are never written again
	// (a larger buf is a copy), so each row keeps its own.
	r.comparisons = append(r.comparisons, json.RawMessage(r.buf[start:len(r.buf):len(r.buf)]))
	r.traceID = append(r.traceID, trace.ID)
	r.caseID = append(r.caseID, c.Case.ID)
	r.probability = append(r.probability, c.Probability)
	r.label = append(r.label, c.Label)
	r.weight = append(r.weight, c.Weight)
	r.familyAdjustment = append(r.familyAdjustment, c.FamilyAdjustment)
	return nil
}

// array returns the rows' comparisons as one JSON array, in the rows'
// order: one parameter of the statement that stores them, where a jsonb[]
// of a request's seventeen rows or so was copied row by row into a buffer
// pgx grows from 256 bytes for every statement (docs/matching-log.md,
// Speed → Session 60). r is unchanged: the closing bracket is written past
// its end.
func (r *storedRows) array() []byte {
	if len(r.buf) == 0 {
		return []byte("[]")
	}
	return append(r.buf, ']')
}

// explainer explains a request's kept candidates one after another, each
// explanation in the memory of the one before (its comparisons' maps
// cleared): a batch stores about ten a trace, twelve comparisons each, and
// their maps and encoding/json's reflection were a fifth of what a
// request allocated (docs/matching-log.md, Speed → Session 59).
type explainer struct {
	out  []StoredComparison
	keys []string // appendObject's, sorted
}

// leaveOutCrossed removes from sc, comparison i's explanation, the fields
// of the positions crossed with its partner's names (crossedPositions).
func leaveOutCrossed(cfg Configuration, i int, trace, cas *Subject, sc *StoredComparison) {
	cmp, p := &cfg.Comparisons[i], cfg.partner(i)
	if p < 0 || len(trace.vals) != len(cfg.Comparisons) || len(cas.vals) != len(cfg.Comparisons) {
		return
	}
	skip := crossedPositions(trace.vals[i], cas.vals[i], &trace.vals[p].name, &cas.vals[p].name, nil)
	for j := range min(len(cmp.Case.Fields), len(cmp.Trace.Fields), 64) {
		if skip&(1<<j) != 0 {
			delete(sc.Case, cmp.Case.Fields[j])
			delete(sc.Trace, cmp.Trace.Fields[j])
		}
	}
}

// explain is the stored comparison of a candidate: each comparison's level
// and weight with the values read on both sides. A missing comparison
// shows its own fields only: its alternates (a nickname comparison's first
// names) agreed with nothing, and beside "one side has no value" a
// caseworker read them as values compared (docs/matching.md, Review). A
// name by position does not show the positions it left out, crossed with
// its partner's names (uncrossed): the family names read "Same" beside
// the grandfathers' Hassan and Amina otherwise; the given name's
// comparison shows them, swapped. The result is valid until e's next
// explain.
func (e *explainer) explain(cfg Configuration, trace *Subject, c *Candidate) []StoredComparison {
	out := e.out[:0]
	for _, f := range c.Fields {
		out = slices.Grow(out, 1)[:len(out)+1]
		sc := &out[len(out)-1]
		*sc = StoredComparison{Comparison: f.Comparison, Level: f.Level, Weight: f.Weight,
			Case: clearedMap(sc.Case), Trace: clearedMap(sc.Trace)}
		if i := slices.IndexFunc(cfg.Comparisons, func(x Comparison) bool { return x.Name == f.Comparison }); i >= 0 {
			cmp := cfg.Comparisons[i]
			cside, tside := cmp.Case, cmp.Trace
			if f.Level == "missing" {
				cside.Alternates, tside.Alternates = nil, nil
			}
			for _, k := range sideFields(cside) {
				if v, ok := c.Case.Fields[k]; ok {
					sc.Case[k] = v
				}
			}
			tside.Subform = ""
			for _, k := range sideFields(tside) {
				if v, ok := trace.Fields[k]; ok {
					sc.Trace[k] = v
				}
			}
			leaveOutCrossed(cfg, i, trace, c.Case, sc)
		}
	}
	e.out = out
	return out
}

// clearedMap is m emptied, or a new map.
func clearedMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	clear(m)
	return m
}

// appendComparisons appends scs to b as json.Marshal writes them, byte for
// byte (TestAppendComparisonsIsMarshal), without its reflection: a string,
// number, boolean, null or list of them by hand, anything else (and a
// string needing escapes) by json.Marshal.
func (e *explainer) appendComparisons(b []byte, scs []StoredComparison) ([]byte, error) {
	b = append(b, '[')
	for i := range scs {
		sc := &scs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"comparison":`...)
		b = appendJSONString(b, sc.Comparison)
		b = append(b, `,"level":`...)
		b = appendJSONString(b, sc.Level)
		b = append(b, `,"weight":`...)
		var err error
		if b, err = appendJSONFloat(b, sc.Weight); err != nil {
			return nil, err
		}
		b = append(b, `,"case":`...)
		if b, err = e.appendObject(b, sc.Case); err != nil {
			return nil, err
		}
		b = append(b, `,"trace":`...)
		if b, err = e.appendObject(b, sc.Trace); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// appendObject appends m with its keys in order, as json.Marshal does.
func (e *explainer) appendObject(b []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	e.keys = e.keys[:0]
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys)
	b = append(b, '{')
	for i, k := range e.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendJSONValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONValue appends a value decoded from a record's JSON.
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return appendJSONString(b, v), nil
	case float64:
		return appendJSONFloat(b, v)
	case bool:
		return strconv.AppendBool(b, v), nil
	case nil:
		return append(b, "null"...), nil
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSONValue(b, x); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	return appendMarshalled(b, v)
}

// appendJSONString appends s quoted; one needing an escape (a quote, a
// backslash, a control character, <, > or &, which encoding/json escapes
// for HTML, invalid UTF-8, U+2028 or U+2029) by json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	plain, ascii := true, true
	for i := 0; i < len(s) && plain; i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			plain = false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if plain && !ascii {
		plain = utf8.ValidString(s) && !strings.ContainsRune(s, '\u2028') && !strings.ContainsRune(s, '\u2029')
	}
	if !plain {
		b, _ = appendMarshalled(b, s) // a string always encodes
		return b
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64: the
// shortest decimal, with an exponent below 1e-6 and from 1e21, the
// exponent without a leading zero.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return appendMarshalled(b, f) // json.Marshal's error
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 as e-7
		b = b[:n-1]
	}
	return b, nil
}

func appendMarshalled(b []byte, v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, raw...), nil
}
