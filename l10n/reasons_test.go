package l10n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/l10n"
)

// A reason the code writes, as found in its source: the text with a
// wildcard (\x00) wherever a value is filled in at run time.
type reasonSite struct {
	at    string // file:line
	shape string
	code  string // the Code given beside it ("" when none, "?" when not a literal)
}

// forwarders are the functions that take a reason as an argument and build a
// tenancy.FieldError or InvalidError from it: their callers' literal reasons
// are scanned as if they were written at `Reason:` (package directory,
// function or method name, index of the reason argument).
var forwarders = []struct {
	dir, name string
	arg       int
}{
	{"forms", "add", 1},             // checker.add(loc, reason, value): the configuration checks
	{"matching", "add", 1},          // Configuration.Validate's add(path, reason, value)
	{"records", "badQuery", 2},      // search's invalid query parameter
	{"tenancy", "bad", 2},           // the audit search's invalid query parameter
	{"locations", "invalidFile", 0}, // a locations file that cannot be read
	{"forms", "fail", 1},            // condParser.fail(path, reason, value): display conditions
	{"api", "onlyParams", 2},        // a list's unknown query parameters
}

// reasonFuncs are functions that return a reason (package directory and
// name): the string their return statements give is scanned.
var reasonFuncs = []struct{ dir, name string }{
	{"forms", "comparable"}, // why a display condition's comparison cannot apply to a field
	{"forms", "usesReason"}, // why a field or option records use cannot be removed
	{"api", "badName"},      // why a query parameter's name is refused
	{"api", "badText"},      // why a parameter's value is refused
}

// notChecked are reasons the scan cannot follow (a value passed through from
// another error) or which stay English on purpose; each says why
// (docs/errors.md "Reasons left in English").
var notChecked = map[string]string{
	// Passed through: the text was scanned where it was written.
	"attachments/attachments.go: fe.Reason":           "a FieldError of the same package moved to the query",
	"forms/change.go: is.reason":                      "the configuration checker's issues (forwarder add)",
	"forms/check.go: i.reason":                        "the configuration checker's issues (forwarder add)",
	"forms/check.go: p.reason":                        "the display conditions' problems (forwarder fail)",
	"forms/check.go: reason":                          "comparable's result (a reason function)",
	"forms/service.go: e.Reason":                      "the records validator's errors (forwarder add)",
	"forms/validator.go: reason":                      "the records validator's add and addp (forwarder add; codes from forms.reasonCodes)",
	"locations/file.go: fmt.Sprintf(reason, args...)": "invalidFile, a forwarder",
	"matching/config.go: reason":                      "Configuration.Validate's add, a forwarder",
	"api/matching.go: message":                        "onlyParams, a forwarder",
	"records/search.go: reason":                       "badQuery, a forwarder",
	"tenancy/audit.go: reason":                        "the audit filter's bad, a forwarder",
	"people/self.go: ie.Reason":                       "the time zone's InvalidError, code time_zone",
	// Left in English (docs/errors.md "Not done").
	"api/input.go: why":                        "badName and badText, reason functions",
	"api/input.go: badText(v)":                 "badText, a reason function",
	"forms/change.go: usesReason(u)":           "a field or option records use: counts and record types worded in English",
	"locations/conn.go: e.problem.reason":      "a location's problem, scanned where written (locations/plan.go, with its code)",
	"locations/locations.go: e.problem.reason": "a location's problem, scanned where written (locations/plan.go, with its code)",
	"workflow/transitions.go: fe":              "a bulk assignment's per-case refusal: the conflict's text (lockCase), catalogued as error:record_disabled and error:case_status",
}

var (
	verbRE   = regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z]`)
	holderRE = regexp.MustCompile(`\{[a-z_]+\}`)
	wildRE   = regexp.MustCompile("\x00+")
)

// shapeOf is the text of a reason expression with \x00 for each value, or
// "" when it is not built from literals.
func shapeOf(e ast.Expr, consts map[string]string) string {
	switch x := e.(type) {
	case *ast.Ident:
		if c, ok := consts[x.Name]; ok {
			return wildRE.ReplaceAllString(verbRE.ReplaceAllString(holderRE.ReplaceAllString(c, "\x00"), "\x00"), "\x00")
		}
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return ""
		}
		s, err := strconv.Unquote(x.Value)
		if err != nil {
			return ""
		}
		return wildRE.ReplaceAllString(verbRE.ReplaceAllString(holderRE.ReplaceAllString(s, "\x00"), "\x00"), "\x00")
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return ""
		}
		l, r := shapeOf(x.X, consts), shapeOf(x.Y, consts)
		if l == "" && r == "" {
			return ""
		}
		return wildRE.ReplaceAllString(cmpOr(l, "\x00")+cmpOr(r, "\x00"), "\x00")
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
			return shapeOf(x.Args[0], consts) // its verbs are values, as in any literal
		}
	case *ast.ParenExpr:
		return shapeOf(x.X, consts)
	}
	return ""
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// scanReasons finds every reason of the module's Go code (tests excluded):
// the Reason of a tenancy.InvalidError or FieldError literal, and the reason
// argument of the forwarders.
func scanReasons(t *testing.T, root string) (sites []reasonSite, dynamic []string) {
	t.Helper()
	fset := token.NewFileSet()
	type file struct {
		rel, dir string
		f        *ast.File
	}
	var files []file
	consts := map[string]map[string]string{} // directory -> string constants
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".bin", ".git", "testdata", "frontend", "e2e", "infra":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.Dir(rel)
		files = append(files, file{rel, dir, f})
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for k, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING && k < len(vs.Names) {
						if consts[dir] == nil {
							consts[dir] = map[string]string{}
						}
						consts[dir][vs.Names[k].Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	add := func(rel string, e ast.Expr, code string, c map[string]string) {
		if s := shapeOf(e, c); s != "" {
			sites = append(sites, reasonSite{at: rel + ":" + strconv.Itoa(fset.Position(e.Pos()).Line), shape: s, code: code})
		} else {
			dynamic = append(dynamic, rel+": "+exprString(fset, e))
		}
	}
	for _, fl := range files {
		c := consts[fl.dir]
		ast.Inspect(fl.f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				for _, rf := range reasonFuncs {
					if rf.dir != fl.dir || rf.name != x.Name.Name || x.Body == nil {
						continue
					}
					ast.Inspect(x.Body, func(n ast.Node) bool {
						if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
							if lit, ok := r.Results[0].(*ast.BasicLit); ok && lit.Value == `""` {
								return true
							}
							add(fl.rel, r.Results[0], "", c)
						}
						return true
					})
				}
			case *ast.CompositeLit:
				if fl.rel == filepath.Join("locations", "plan.go") && typeName(x.Type) == "problem" {
					// A location's problem: its code is given beside it, and
					// the locations API words it (the import's report leaves it
					// to the app, by code).
					var reason ast.Expr
					code := "?"
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							switch key, _ := kv.Key.(*ast.Ident); {
							case key == nil:
							case key.Name == "reason":
								reason = kv.Value
							case key.Name == "code":
								if lit, ok := kv.Value.(*ast.BasicLit); ok {
									code, _ = strconv.Unquote(lit.Value)
								}
							}
						}
					}
					if reason != nil {
						add(fl.rel, reason, code, c)
					}
					return true
				}
				if typeName(x.Type) == "ErrorDetail" {
					// A message of the API's own (huma.ErrorDetail): its
					// code comes from the catalogue, as a reason's.
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if key, _ := kv.Key.(*ast.Ident); key != nil && key.Name == "Message" {
								add(fl.rel, kv.Value, "", c)
							}
						}
					}
					return true
				}
				if !isReasonType(x.Type) {
					return true
				}
				var reason ast.Expr
				code := ""
				for _, el := range x.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch key, _ := kv.Key.(*ast.Ident); {
					case key == nil:
					case key.Name == "Reason":
						reason = kv.Value
					case key.Name == "Code":
						code = "?"
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							code, _ = strconv.Unquote(lit.Value)
						}
					}
				}
				if reason != nil {
					add(fl.rel, reason, code, c)
				}
			case *ast.CallExpr:
				name := ""
				switch fn := x.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				for _, fw := range forwarders {
					if fw.dir == fl.dir && fw.name == name && len(x.Args) > fw.arg {
						add(fl.rel, x.Args[fw.arg], "", c)
					}
				}
			}
			return true
		})
	}
	return sites, dynamic
}

func isReasonType(e ast.Expr) bool {
	name := ""
	switch x := e.(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.SelectorExpr:
		name = x.Sel.Name
	}
	return name == "InvalidError" || name == "FieldError"
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	b, err := os.ReadFile(fset.Position(e.Pos()).Filename)
	if err != nil {
		return "?"
	}
	return string(b[fset.Position(e.Pos()).Offset:fset.Position(e.End()).Offset])
}

// TestEveryReasonHasACodeAndTranslations scans the Go code for the reasons
// of its refusals (tenancy.InvalidError and FieldError, and the functions
// that build them) and requires each to have a code other than invalid, in
// the server catalogue with the same wording and placeholders, translated in
// every language: an English reason added without its catalogue entries
// fails here.
func TestEveryReasonHasACodeAndTranslations(t *testing.T) {
	t.Parallel()
	sites, dynamic := scanReasons(t, "..")
	require.Greater(t, len(sites), 300, "the scan finds the reasons")
	missing := unworded(sites)
	require.Empty(t, missing, "reasons without a code and translations in l10n/po (%d): docs/errors.md \"Adding a code\"", len(missing))
	var unknown []string
	for _, d := range dynamic {
		if _, ok := notChecked[d]; !ok {
			unknown = append(unknown, d)
		}
	}
	require.Empty(t, unknown, "reasons the scan cannot read: pass them through a forwarder, or list them in notChecked")
}

// sampleOf fills a scanned shape's wildcards with v1, v2, … (a detail as
// the catalogue's entries are matched).
func sampleOf(shape string) string {
	n := 0
	return wildRE.ReplaceAllStringFunc(shape, func(string) string { n++; return "v" + strconv.Itoa(n) })
}

// untranslated names the first of French, Spanish and Arabic without an
// entry for sample in context ctx ("" when all three have one).
func untranslated(ctx, sample string) string {
	for _, lang := range []string{"fr", "es", "ar"} {
		if l10n.Translate(lang, ctx, sample, nil) == sample {
			return "not in " + lang + " as " + ctx
		}
	}
	return ""
}

// unworded lists the sites whose reason has no code, or no translation in
// French, Spanish or Arabic under its code.
func unworded(sites []reasonSite) []string {
	var missing []string
	for _, s := range sites {
		sample := sampleOf(s.shape)
		code := s.code
		if code == "" || code == "?" {
			code, _, _ = l10n.Classify(sample)
		}
		problem := ""
		switch {
		case code == "" || code == "invalid":
			problem = "no code"
		default:
			problem = untranslated("error:"+code, sample)
		}
		if problem != "" {
			missing = append(missing, s.at+": "+strconv.Quote(sample)+": "+problem)
		}
	}
	return missing
}

// TestReasonScanFindsANewEnglishReason writes a package with reasons the
// catalogue has and one it lacks, in every form the scan reads: the new one
// is reported, with its place, and a pass-through is listed as unreadable.
func TestReasonScanFindsANewEnglishReason(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "matching"), 0o755))
	src := `package matching

import (
	"fmt"

	"github.com/cpims-hosted/cpims/tenancy"
)

const unknownKind = "unknown kind"

func check(n int, reason string) []error {
	var errs []tenancy.FieldError
	add := func(path, reason string, v any) {}
	add("x", "at least one comparison is required", nil)
	add("y", unknownKind, nil)
	return []error{
		&tenancy.InvalidError{Field: "role", Reason: "no such role"},
		&tenancy.InvalidError{Field: "per", Reason: fmt.Sprintf("must be 1 to %d", n)},
		&tenancy.InvalidError{Field: "tz", Code: "time_zone", Reason: "must be an IANA time zone such as \"Africa/Nairobi\" or \"UTC\""},
		&tenancy.InvalidError{Field: "new", Reason: "must be a brand new " + fmt.Sprint(n) + " thing"},
		&tenancy.InvalidError{Field: "coded", Code: "invalid", Reason: "no such agency"},
		&tenancy.InvalidError{Field: "passed", Reason: reason},
	}
}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "matching", "check.go"), []byte(src), 0o600))
	sites, dynamic := scanReasons(t, dir)
	require.Len(t, sites, 7)
	require.Equal(t, []string{
		`matching/check.go:20: "must be a brand new v1 thing": no code`,
		`matching/check.go:21: "no such agency": no code`,
	}, unworded(sites))
	require.Equal(t, []string{"matching/check.go: reason"}, dynamic)
}

func TestClassifyGivesTheCodeAndValuesOfAnEnglishReason(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		english, code string
		params        map[string]string
	}{
		{"no such role", "unknown_reference", nil},
		{"must look like agency-unicef (lower-case letters, digits, dashes)", "identifier", map[string]string{"example": "agency-unicef"}},
		{"must be 1 to 200 characters", "length", nil}, // the literal entry is more specific than {min} to {max}
		{"must be 1 to 80 characters", "length", map[string]string{"min": "1", "max": "80"}},
		{"must be 1 to 1000", "range", map[string]string{"min": "1", "max": "1000"}},
		{"is required", "required", nil},
		{"names field age, which does not exist", "unknown_reference", map[string]string{"field": "age"}},
		// Two entries match with as much literal text: the one with the count comes first in the catalogue.
		{"3 case records use field sex: it cannot be removed, renamed or change type; hide it (visible: false) instead",
			"in_use", map[string]string{"count": "3", "record_type": "case", "field": "sex"}},
	} {
		code, params, ok := l10n.Classify(c.english)
		require.True(t, ok, c.english)
		require.Equal(t, c.code, code, c.english)
		require.Equal(t, c.params, params, c.english)
	}
	for _, english := range []string{"", "bad", "must be something nobody wrote"} {
		_, _, ok := l10n.Classify(english)
		require.False(t, ok, english)
	}
	require.Equal(t, "doit ressembler à agency-unicef (lettres minuscules, chiffres, tirets)",
		l10n.Translate("fr", "error:identifier", "must look like agency-unicef (lower-case letters, digits, dashes)", nil))
	require.Equal(t, "3 dossiers case utilisent le champ sex : il ne peut être ni retiré, ni renommé, ni changer de type ; masquez-le (visible: false)",
		l10n.Translate("fr", "error:in_use", "3 case records use field sex: it cannot be removed, renamed or change type; hide it (visible: false) instead", nil))
	require.Equal(t, "يجب أن يكون من 1 إلى 1000",
		l10n.Translate("ar", "error:range", "must be 1 to 1000", nil))
}
