package locations

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Formats of a locations file.
const (
	// FormatCSV has one header row naming its columns: code, parent_code,
	// admin_level, type, disabled, name_<locale> (name alone is the
	// tenant's default locale). One row per location.
	FormatCSV = "csv"
	// FormatHXL has a row of HXL hashtags (within its first 25 rows, after
	// any header rows): #country, #adm1 ... #adm5 with +code, and with
	// +name (+i_en, +i_fr, ... for the language). A row names a location and
	// its ancestors, as OCHA's common operational datasets do; untagged and
	// other columns are ignored.
	FormatHXL = "hxl"
)

// Limits of a locations file.
const (
	// MaxFileBytes is the largest file accepted (20 MiB: about 300,000 rows
	// of a COD table).
	MaxFileBytes = 20 << 20
	// MaxFileRows is the most data rows a file may have.
	MaxFileRows = 200_000
	// hxlHeaderRows is how many rows may come before the hashtag row.
	hxlHeaderRows = 25
)

// File is a checked locations file.
type File struct {
	// Format is FormatCSV or FormatHXL.
	Format string
	// Rows counts the data rows (empty rows are skipped).
	Rows int

	entries []*entry // to plan, in file order
	report  []reportRow
}

// reportRow is a data row and the entry whose outcome it reports.
type reportRow struct {
	row int
	e   *entry
}

// invalidFile refuses a whole file.
func invalidFile(reason string, args ...any) error {
	return &tenancy.InvalidError{Field: "file", Reason: fmt.Sprintf(reason, args...)}
}

// ParseFile checks and reads a locations file: UTF-8 CSV (comma, semicolon
// or tab separated), optionally HXL-tagged. defaultLocale is the language of
// name columns that do not say theirs. A file that cannot be imported at all
// (not text, not CSV, no code column, unknown columns, too big) is refused
// with a *tenancy.InvalidError on field "file"; bad rows are not errors here,
// they are reported by the import.
func ParseFile(content []byte, defaultLocale string) (*File, error) {
	switch {
	case len(content) > MaxFileBytes:
		return nil, invalidFile("the file is larger than %d MiB: split it", MaxFileBytes>>20)
	case len(bytes.TrimSpace(content)) == 0:
		return nil, invalidFile("the file is empty")
	case bytes.IndexByte(content, 0) >= 0 || !utf8.Valid(content):
		return nil, invalidFile("not a CSV text file: save it as \"CSV UTF-8\" (a spreadsheet or other binary file cannot be read)")
	}
	content = bytes.TrimPrefix(content, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(content))
	r.Comma = separator(content)
	r.FieldsPerRecord = -1
	var records [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			// The reader's errors, worded here: its English would stay
			// inside a translated sentence.
			switch {
			case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote):
				return nil, invalidFile("not valid CSV: line %d: a quote (\") inside a field that is not in quotes", pe.Line)
			case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote):
				return nil, invalidFile("not valid CSV: line %d: a field in quotes has a stray quote or is never closed", pe.Line)
			case errors.As(err, &pe):
				return nil, invalidFile("not valid CSV: line %d cannot be read", pe.Line)
			}
			return nil, invalidFile("not valid CSV: the file cannot be read")
		}
		records = append(records, rec)
		if len(records) > MaxFileRows+hxlHeaderRows {
			return nil, invalidFile("more than %d rows: split the file", MaxFileRows)
		}
	}
	for i := 0; i < len(records) && i < hxlHeaderRows; i++ {
		if isHashtagRow(records[i]) {
			return parseHXL(records, i, defaultLocale)
		}
	}
	return parseCSV(records, defaultLocale)
}

// separator guesses the field separator from the first line: spreadsheets
// in many locales save CSV with semicolons.
func separator(content []byte) rune {
	line, _, _ := bytes.Cut(content, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, sep := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(sep))); c > n {
			best, n = sep, c
		}
	}
	return best
}

func empty(rec []string) bool {
	return !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" })
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// column indexes of a CSV file (-1: absent).
type csvColumns struct {
	code, parent, level, typ, disabled int
	names                              map[string]int // locale -> column
}

var nameColumnRE = regexp.MustCompile(`^name_([a-z]{2,3})(?:_([a-z]{2}))?$`)

func parseCSV(records [][]string, defaultLocale string) (*File, error) {
	cols := csvColumns{code: -1, parent: -1, level: -1, typ: -1, disabled: -1, names: map[string]int{}}
	set := func(dst *int, i int, name string) error {
		if *dst >= 0 {
			return invalidFile("column %q appears twice", name)
		}
		*dst = i
		return nil
	}
	for i, h := range records[0] {
		name := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		var err error
		switch name {
		case "":
			continue // an unnamed (usually empty) column
		case "code", "location_code":
			err = set(&cols.code, i, name)
		case "parent_code", "parent":
			err = set(&cols.parent, i, name)
		case "admin_level", "level":
			err = set(&cols.level, i, name)
		case "type":
			err = set(&cols.typ, i, name)
		case "disabled":
			err = set(&cols.disabled, i, name)
		default:
			locale := defaultLocale
			if name != "name" {
				m := nameColumnRE.FindStringSubmatch(name)
				if m == nil {
					return nil, invalidFile("unknown column %q: the columns are code, parent_code, admin_level, type, disabled and name_<language> (name_en, name_fr, ...)", h)
				}
				locale = m[1]
				if m[2] != "" {
					locale += "-" + strings.ToUpper(m[2])
				}
			}
			if _, dup := cols.names[locale]; dup {
				return nil, invalidFile("two columns give the name in %q", locale)
			}
			cols.names[locale] = i
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case cols.code < 0:
		return nil, invalidFile("no code column: the first row must name the columns (code, parent_code, admin_level, name_en, ...)")
	case cols.level < 0:
		return nil, invalidFile("no admin_level column")
	case len(cols.names) == 0:
		return nil, invalidFile("no name column (name_en, name_fr, ...)")
	}
	f := &File{Format: FormatCSV}
	for i, rec := range records[1:] {
		if empty(rec) {
			continue
		}
		e := &entry{row: i + 2, rows: 1, code: cell(rec, cols.code), parent: cell(rec, cols.parent), keepParent: cols.parent < 0,
			name: map[string]string{}}
		for locale, col := range cols.names {
			if v := cell(rec, col); v != "" {
				e.name[locale] = v
			}
		}
		if v := cell(rec, cols.typ); v != "" {
			v = strings.ToLower(v)
			e.typ = &v
		}
		if lvl := cell(rec, cols.level); lvl == "" {
			e.problem = &problem{field: "admin_level", code: "missing_admin_level", reason: "missing admin level"}
		} else if n, err := strconv.Atoi(lvl); err != nil {
			e.problem = &problem{field: "admin_level", value: lvl, code: "admin_level_range",
				params: map[string]string{"max": strconv.Itoa(MaxAdminLevel)}, reason: fmt.Sprintf("must be a whole number, 0 (country) to %d", MaxAdminLevel)}
		} else {
			e.level = n
		}
		if v := cell(rec, cols.disabled); v != "" {
			d, ok := parseBool(v)
			if !ok && e.problem == nil {
				e.problem = &problem{field: "disabled", value: v, code: "disabled_format", reason: "must be true or false"}
			}
			e.disabled = &d
		}
		f.entries = append(f.entries, e)
		f.report = append(f.report, reportRow{row: e.row, e: e})
	}
	return f.done()
}

func (f *File) done() (*File, error) {
	f.Rows = len(f.report)
	switch {
	case f.Rows == 0:
		return nil, invalidFile("no data rows below the header")
	case f.Rows > MaxFileRows:
		return nil, invalidFile("more than %d rows: split the file", MaxFileRows)
	}
	return f, nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1", "x":
		return true, true
	case "false", "no", "n", "0":
		return false, true
	}
	return false, false
}

// HXL: https://hxlstandard.org (tagging conventions 1.1): a hashtag row
// where every non-empty cell is "#tag" with optional "+attribute"s (case and
// spaces do not matter), placed after at most 24 header rows.
var hashtagRE = regexp.MustCompile(`^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$`)

func hashtag(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func isHashtagRow(rec []string) bool {
	tags := 0
	for _, c := range rec {
		if strings.TrimSpace(c) == "" {
			continue
		}
		if !hashtagRE.MatchString(hashtag(c)) {
			return false
		}
		tags++
	}
	return tags > 0
}

// hxlLevels maps the place hashtags to admin levels.
var hxlLevels = map[string]int{"#country": 0, "#adm1": 1, "#adm2": 2, "#adm3": 3, "#adm4": 4, "#adm5": 5}

// Language attributes: "+i_fr" (HXL 1.1) or "+fr" (HXL 1.0: two letters).
var (
	hxlLanguageRE       = regexp.MustCompile(`^i_([a-z]{2,3})$`)
	hxlLegacyLanguageRE = regexp.MustCompile(`^[a-z]{2}$`)
)

func parseHXL(records [][]string, tagRow int, defaultLocale string) (*File, error) {
	codes := map[int]int{}            // level -> code column
	names := map[int]map[string]int{} // level -> locale -> name column
	for i, c := range records[tagRow] {
		if strings.TrimSpace(c) == "" {
			continue
		}
		parts := strings.Split(hashtag(c), "+")
		level, ok := hxlLevels[parts[0]]
		if !ok {
			continue // another kind of column: ignored
		}
		attrs := parts[1:]
		if slices.Contains(attrs, "code") {
			if _, dup := codes[level]; !dup {
				codes[level] = i
			}
			continue
		}
		// "#adm1" alone, or "+name": a name, in the language its attribute
		// gives ("+i_fr"; HXL 1.0 wrote "+fr"), else the default one.
		locale := defaultLocale
		for _, a := range attrs {
			if m := hxlLanguageRE.FindStringSubmatch(a); m != nil {
				locale = m[1]
			} else if hxlLegacyLanguageRE.MatchString(a) {
				locale = a
			}
		}
		if names[level] == nil {
			names[level] = map[string]int{}
		}
		if _, dup := names[level][locale]; !dup {
			names[level][locale] = i
		}
	}
	if len(codes) == 0 {
		return nil, invalidFile("the HXL hashtag row (row %d) tags no code column: use #adm1+code, #adm2+code, ... (and #country+code)", tagRow+1)
	}
	levels := make([]int, 0, len(codes))
	for l := range codes {
		levels = append(levels, l)
	}
	slices.Sort(levels)

	f := &File{Format: FormatHXL}
	seen := map[string]*entry{}
	for i, rec := range records[tagRow+1:] {
		if empty(rec) {
			continue
		}
		rowNum := tagRow + i + 2
		var chain []*entry
		parent := ""
		for _, level := range levels {
			code := cell(rec, codes[level])
			if code == "" {
				continue // a level this row does not use
			}
			// The row's first code has no parent in the row: a stored
			// location keeps its own.
			e := &entry{row: rowNum, code: code, parent: parent, keepParent: parent == "", level: level, name: map[string]string{}}
			for locale, col := range names[level] {
				if v := cell(rec, col); v != "" {
					e.name[locale] = v
				}
			}
			if level == 0 {
				t := "country"
				e.typ = &t
			}
			parent = code
			chain = append(chain, e)
		}
		var main *entry
		if len(chain) == 0 {
			main = &entry{row: rowNum, problem: &problem{field: "code", code: "missing_code", reason: "missing code: the row has no code in its #adm...+code columns"}}
			f.entries = append(f.entries, main)
		} else if pr := hxlConflict(chain, seen); pr != nil {
			main = &entry{row: rowNum, code: chain[len(chain)-1].code, problem: pr}
			f.entries = append(f.entries, main)
		} else {
			for i, e := range chain {
				if s, ok := seen[e.code]; ok {
					for locale, n := range e.name {
						s.name[locale] = n
					}
					chain[i] = s
					continue
				}
				seen[e.code] = e
				f.entries = append(f.entries, e)
			}
			main = chain[len(chain)-1]
			if main.rows > 0 {
				main = &entry{row: rowNum, code: main.code,
					problem: &problem{field: "code", value: main.code, code: "duplicate_code", params: map[string]string{"row": strconv.Itoa(main.row)},
						reason: fmt.Sprintf("duplicate code: row %d has it too", main.row)}}
				f.entries = append(f.entries, main)
			}
		}
		main.rows++
		f.report = append(f.report, reportRow{row: rowNum, e: main})
	}
	return f.done()
}

// hxlConflict checks a row's locations against those of earlier rows: a
// code must always be at the same level under the same parent, with the same
// name in each language.
func hxlConflict(chain []*entry, seen map[string]*entry) *problem {
	for i, e := range chain {
		if slices.ContainsFunc(chain[:i], func(o *entry) bool { return o.code == e.code }) {
			return &problem{field: "code", value: e.code, code: "code_two_levels", params: map[string]string{"location": e.code},
				reason: fmt.Sprintf("%s appears at two levels of the row", e.code)}
		}
		s, ok := seen[e.code]
		if !ok {
			continue
		}
		if s.parent != e.parent || s.level != e.level {
			return &problem{field: "code", value: e.code, code: "code_moved", params: map[string]string{"location": e.code,
				"row": strconv.Itoa(s.row), "level": strconv.Itoa(s.level), "parent": s.parent, "new_level": strconv.Itoa(e.level), "new_parent": e.parent},
				reason: fmt.Sprintf("%s is at level %d under %q on row %d, but at level %d under %q here",
					e.code, s.level, s.parent, s.row, e.level, e.parent)}
		}
		for _, locale := range slices.Sorted(maps.Keys(e.name)) {
			n := e.name[locale]
			if old, ok := s.name[locale]; ok && old != n {
				return &problem{field: "name", value: n, code: "name_differs", params: map[string]string{"location": e.code, "name": old,
					"language": locale, "row": strconv.Itoa(s.row), "new_name": n},
					reason: fmt.Sprintf("%s is named %q in %s on row %d, but %q here", e.code, old, locale, s.row, n)}
			}
		}
	}
	return nil
}
