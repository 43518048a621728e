package translations

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entry is one message of a PO file.
type Entry struct {
	// Comments are the translator's comments ("# ..."), one per line.
	Comments []string
	// Extracted are comments for translators written by the source ("#. ...").
	Extracted []string
	// References are source references ("#: ..."), one per line.
	References []string
	// Flags are the entry's flags ("#, fuzzy, c-format").
	Flags []string
	// Context is msgctxt; HasContext tells an empty one from none.
	Context    string
	HasContext bool
	// ID is msgid: the source text.
	ID string
	// IDPlural is msgid_plural, if the entry has plural forms.
	IDPlural string
	// Str is msgstr (msgstr[0] for an entry with plural forms).
	Str string
	// Plurals are msgstr[1], msgstr[2], ... of an entry with plural forms.
	Plurals []string
	// Line is the line of the entry's first keyword in the file read (0 when built).
	Line int
}

// Fuzzy reports whether the entry is flagged fuzzy (a guess a translator
// has not confirmed: gettext tools do not use it).
func (e Entry) Fuzzy() bool {
	for _, f := range e.Flags {
		if f == "fuzzy" {
			return true
		}
	}
	return false
}

// File is a PO file: its header fields and its entries in order.
type File struct {
	// Header holds the header's fields in order ("Language", "Plural-Forms", ...).
	Header []HeaderField
	// Entries are the messages, the header left out.
	Entries []Entry
}

// HeaderField is one "Name: value" line of the header entry.
type HeaderField struct {
	Name, Value string
}

// HeaderValue returns the value of the header field name (case-insensitive), or "".
func (f *File) HeaderValue(name string) string {
	for _, h := range f.Header {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// ParseError is a PO file that cannot be read, with the line at fault.
type ParseError struct {
	Line   int
	Reason string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// MaxEntries bounds the entries of one file (a default configuration has
// about 3,000).
const MaxEntries = 100_000

// Parse reads a PO file strictly: anything that is not PO syntax is an
// error naming its line (*ParseError). Obsolete entries ("#~") and previous
// strings ("#|") are skipped; two entries with the same context and msgid
// are an error, as msgfmt makes them.
func Parse(data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return nil, &ParseError{Line: line, Reason: "not UTF-8 text (save the file as UTF-8)"}
	}
	p := parser{file: &File{}, seen: map[string]int{}}
	lines := strings.Split(string(data), "\n")
	for i, raw := range lines {
		if err := p.line(i+1, strings.TrimSuffix(raw, "\r")); err != nil {
			return nil, err
		}
	}
	if err := p.finish(len(lines)); err != nil {
		return nil, err
	}
	return p.file, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

type parser struct {
	file *File
	cur  *Entry
	// last is the keyword the continuation lines extend: "msgctxt", "msgid",
	// "msgid_plural", "msgstr" or "msgstr[n]".
	last      string
	hasID     bool
	hasStr    bool
	hasHeader bool
	plural    bool           // the entry has msgid_plural
	seen      map[string]int // context \x04 msgid -> line
}

func (p *parser) entry(line int) *Entry {
	if p.cur == nil {
		p.cur = &Entry{Line: line}
	}
	return p.cur
}

func (p *parser) line(n int, s string) error {
	t := strings.TrimSpace(s)
	switch {
	case t == "":
		return p.flush(n)
	case strings.HasPrefix(t, "#~") || strings.HasPrefix(t, "#|"):
		return nil // obsolete entries, previous strings: not messages
	case strings.HasPrefix(t, "#"):
		if p.hasStr {
			if err := p.flush(n); err != nil {
				return err
			}
		} else if p.hasID || p.last != "" {
			return &ParseError{Line: n, Reason: "a comment inside an entry (before its msgstr)"}
		}
		e := p.entry(n)
		switch {
		case strings.HasPrefix(t, "#."):
			e.Extracted = append(e.Extracted, strings.TrimSpace(t[2:]))
		case strings.HasPrefix(t, "#:"):
			e.References = append(e.References, strings.TrimSpace(t[2:]))
		case strings.HasPrefix(t, "#,"):
			for _, f := range strings.Split(t[2:], ",") {
				if f = strings.TrimSpace(f); f != "" {
					e.Flags = append(e.Flags, f)
				}
			}
		default:
			e.Comments = append(e.Comments, strings.TrimPrefix(strings.TrimPrefix(t, "#"), " "))
		}
		return nil
	case strings.HasPrefix(t, `"`):
		if p.last == "" {
			return &ParseError{Line: n, Reason: "a string outside any msgid or msgstr"}
		}
		v, err := unquote(t)
		if err != nil {
			return &ParseError{Line: n, Reason: err.Error()}
		}
		p.add(p.last, v)
		return nil
	}
	kw, rest := t, ""
	if i := strings.IndexAny(t, " \t"); i >= 0 {
		kw, rest = t[:i], strings.TrimSpace(t[i:])
	}
	if !isKeyword(kw) {
		return &ParseError{Line: n, Reason: fmt.Sprintf("not PO syntax: %q", cutText(t, 40))}
	}
	if !strings.HasPrefix(rest, `"`) {
		return &ParseError{Line: n, Reason: kw + " must be followed by a quoted string"}
	}
	v, err := unquote(rest)
	if err != nil {
		return &ParseError{Line: n, Reason: err.Error()}
	}
	switch {
	case kw == "msgctxt":
		if p.hasStr {
			if err := p.flush(n); err != nil {
				return err
			}
		}
		if p.hasID || (p.cur != nil && p.cur.HasContext) {
			return &ParseError{Line: n, Reason: "msgctxt must come first in an entry"}
		}
		e := p.entry(n)
		e.HasContext, e.Line = true, n
	case kw == "msgid":
		if p.hasStr {
			if err := p.flush(n); err != nil {
				return err
			}
		}
		if p.hasID {
			return &ParseError{Line: n, Reason: "msgid without the msgstr of the msgid before"}
		}
		if e := p.entry(n); !e.HasContext {
			e.Line = n
		}
		p.hasID = true
	case kw == "msgid_plural":
		if !p.hasID || p.hasStr || p.last != "msgid" {
			return &ParseError{Line: n, Reason: "msgid_plural must follow a msgid"}
		}
		p.plural = true
	case kw == "msgstr":
		if !p.hasID || p.hasStr {
			return &ParseError{Line: n, Reason: "msgstr without its msgid"}
		}
		if p.plural {
			return &ParseError{Line: n, Reason: "an entry with msgid_plural needs msgstr[0], msgstr[1], ..."}
		}
		p.hasStr = true
	case strings.HasPrefix(kw, "msgstr[") && strings.HasSuffix(kw, "]"):
		idx, err := strconv.Atoi(kw[len("msgstr[") : len(kw)-1])
		if err != nil || idx < 0 {
			return &ParseError{Line: n, Reason: "bad plural index in " + kw}
		}
		if !p.hasID || !p.plural {
			return &ParseError{Line: n, Reason: kw + " needs a msgid and a msgid_plural before it"}
		}
		if want := len(p.cur.Plurals) + 1; (idx == 0 && p.hasStr) || (idx > 0 && (!p.hasStr || idx != want)) {
			return &ParseError{Line: n, Reason: "plural forms must be numbered msgstr[0], msgstr[1], ... in order"}
		}
		if idx > 0 {
			p.cur.Plurals = append(p.cur.Plurals, "")
		}
		p.hasStr = true
	default:
		return &ParseError{Line: n, Reason: fmt.Sprintf("unknown keyword %q", cutText(kw, 40))}
	}
	p.last = kw
	p.add(kw, v)
	return nil
}

// isKeyword reports whether kw looks like a PO keyword (msgid, msgstr[2],
// msgtext...): a line starting with anything else is not PO at all.
func isKeyword(kw string) bool {
	return strings.HasPrefix(kw, "msg") && !strings.ContainsAny(kw, `"{}:,`)
}

func (p *parser) add(kw, v string) {
	e := p.cur
	switch {
	case kw == "msgctxt":
		e.Context += v
	case kw == "msgid":
		e.ID += v
	case kw == "msgid_plural":
		e.IDPlural += v
	case kw == "msgstr" || kw == "msgstr[0]":
		e.Str += v
	default:
		e.Plurals[len(e.Plurals)-1] += v
	}
}

// flush ends the current entry (at a blank line, a new entry or the end).
func (p *parser) flush(n int) error {
	if p.cur == nil {
		return nil
	}
	if !p.hasStr {
		if p.hasID || p.cur.HasContext {
			return &ParseError{Line: n, Reason: "entry of line " + strconv.Itoa(p.cur.Line) + " has no msgstr"}
		}
		return nil // comments alone (e.g. at the end of the file): kept nowhere
	}
	e := *p.cur
	plural := p.plural
	p.cur, p.last, p.hasID, p.hasStr, p.plural = nil, "", false, false, false
	if plural && (e.IDPlural == "" || e.ID == "") {
		return &ParseError{Line: e.Line, Reason: "an entry with plural forms needs a msgid and a msgid_plural"}
	}
	if e.ID == "" && !e.HasContext {
		if p.hasHeader || len(p.file.Entries) > 0 {
			return &ParseError{Line: e.Line, Reason: `an empty msgid is only allowed for the header, first`}
		}
		p.hasHeader = true
		return p.header(e)
	}
	key := e.Context + "\x04" + e.ID
	if !e.HasContext {
		key = "\x05" + e.ID
	}
	if first, dup := p.seen[key]; dup {
		return &ParseError{Line: e.Line, Reason: fmt.Sprintf("the same msgctxt and msgid as the entry of line %d", first)}
	}
	if len(p.file.Entries) >= MaxEntries {
		return &ParseError{Line: e.Line, Reason: fmt.Sprintf("more than %d entries", MaxEntries)}
	}
	p.seen[key] = e.Line
	p.file.Entries = append(p.file.Entries, e)
	return nil
}

func (p *parser) header(e Entry) error {
	for i, l := range strings.Split(e.Str, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return &ParseError{Line: e.Line, Reason: fmt.Sprintf("header line %d is not \"Name: value\"", i+1)}
		}
		p.file.Header = append(p.file.Header, HeaderField{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	return nil
}

func (p *parser) finish(lines int) error {
	if p.cur != nil && (p.hasID || p.cur.HasContext) && !p.hasStr {
		return &ParseError{Line: lines, Reason: "the file ends inside an entry (no msgstr)"}
	}
	return p.flush(lines)
}

// unquote reads one C-style quoted PO string, nothing after it.
func unquote(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' {
		return "", errors.New("a string must be in double quotes")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			if rest := strings.TrimSpace(s[i+1:]); rest != "" {
				return "", fmt.Errorf("text after the closing quote: %q", cutText(rest, 20))
			}
			return b.String(), nil
		case '\\':
			i++
			if i >= len(s) {
				return "", errors.New("the string is not closed")
			}
			r, ok := unescapes[s[i]]
			if !ok {
				return "", fmt.Errorf("unknown escape \\%c", s[i])
			}
			b.WriteByte(r)
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("the string is not closed (a missing \" at the end of the line)")
}

var unescapes = map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v'}

func cutText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Write renders f as a PO file: the header entry first, then each entry
// with its comments; texts with line breaks are written one line per
// string. What Write writes, Parse reads back the same.
func Write(f *File) []byte {
	var b bytes.Buffer
	b.WriteString("msgid \"\"\nmsgstr \"\"\n")
	for _, h := range f.Header {
		b.WriteString(quote(h.Name + ": " + h.Value + "\n"))
		b.WriteByte('\n')
	}
	for _, e := range f.Entries {
		b.WriteByte('\n')
		for _, c := range e.Comments {
			b.WriteString(strings.TrimRight("# "+oneLine(c), " ") + "\n")
		}
		for _, c := range e.Extracted {
			b.WriteString("#. " + oneLine(c) + "\n")
		}
		for _, r := range e.References {
			b.WriteString("#: " + oneLine(r) + "\n")
		}
		if len(e.Flags) > 0 {
			b.WriteString("#, " + strings.Join(e.Flags, ", ") + "\n")
		}
		if e.HasContext {
			writeString(&b, "msgctxt", e.Context)
		}
		writeString(&b, "msgid", e.ID)
		if e.IDPlural != "" {
			writeString(&b, "msgid_plural", e.IDPlural)
			writeString(&b, "msgstr[0]", e.Str)
			for i, s := range e.Plurals {
				writeString(&b, "msgstr["+strconv.Itoa(i+1)+"]", s)
			}
		} else {
			writeString(&b, "msgstr", e.Str)
		}
	}
	return b.Bytes()
}

// oneLine keeps a comment on its line.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

func writeString(b *bytes.Buffer, kw, s string) {
	b.WriteString(kw + " ")
	i := strings.IndexByte(s, '\n')
	if i < 0 || i == len(s)-1 {
		b.WriteString(quote(s) + "\n")
		return
	}
	b.WriteString("\"\"\n")
	for s != "" {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line = s[:i+1]
		}
		b.WriteString(quote(line) + "\n")
		s = s[len(line):]
	}
}

var escaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`, "\a", `\a`, "\b", `\b`,
	"\f", `\f`, "\v", `\v`)

func quote(s string) string { return `"` + escaper.Replace(s) + `"` }
