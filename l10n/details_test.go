package l10n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/l10n"
)

// A refusal's detail as found in the source: a conflict (fmt.Errorf("%w:
// ...", ErrConflict, ...), a 409) or a denial (tenancy.DeniedError's Reason,
// or the reason given to a function that builds one: a 403), written as the
// API writes the problem's detail (first letter upper case, a full stop).
type detailSite struct {
	at, shape string
	status    int
	coded     bool   // wrapped in tenancy.WithCode or api's withCode: the code is given there
	code      string // that code, when written as a literal (withCode's)
	own       bool   // the API's own problem: its status's code (forbidden, conflict) fits too
}

// problemStatus are the statuses of api's problem constructors: Huma's
// helpers by name (huma.Error422UnprocessableEntity) and api's own.
var problemStatus = map[string]int{"unauthenticated": 401, "forbidden": 403}

// httpStatus reads a status argument: a number or an http.Status constant
// of the ones the API uses.
func httpStatus(e ast.Expr) int {
	if lit, ok := e.(*ast.BasicLit); ok {
		n, _ := strconv.Atoi(lit.Value)
		return n
	}
	return map[string]int{"StatusBadRequest": 400, "StatusUnauthorized": 401, "StatusForbidden": 403, "StatusNotFound": 404,
		"StatusConflict": 409, "StatusLengthRequired": 411, "StatusPreconditionFailed": 412, "StatusRequestEntityTooLarge": 413,
		"StatusUnsupportedMediaType": 415, "StatusUnprocessableEntity": 422, "StatusPreconditionRequired": 428,
		"StatusTooManyRequests": 429, "StatusInternalServerError": 500, "StatusServiceUnavailable": 503}[typeName(e)]
}

var humaErrorRE = regexp.MustCompile(`^Error([1-5][0-9][0-9])`)

// denialForwarders take a DeniedError's reason as an argument (package
// directory, function name, index of the reason).
var denialForwarders = []struct {
	dir, name string
	arg       int
}{
	{"workflow", "refuse", 3}, // Service.refuse(ctx, c, caseID, why): who may answer a transition
}

// detailsNotChecked are details the scan reads but cannot sample, each with
// why (key: file and the detail's shape).
var detailsNotChecked = map[string]string{
	"workflow/service.go: The information sharing protocol does not allow \x00 to \x00 cases to \x00 (an administrator can allow it in the sharing protocol).": "code sharing_protocol given where raised; the verb is refer or transfer, each a catalogue entry",
	// Passed through: the text was scanned where it was written.
	"workflow/respond.go: why":                         "refuse, a forwarder",
	"api/auth.go: detail":                              "unauthenticated and forbidden, the constructors: their callers' details are scanned",
	"api/errors.go: title":                             "a ValidationError's title, a 422's detail: the validation titles are catalogued (session 19)",
	"api/errors.go: notFoundDetail":                    "the one answer of not_found, catalogued",
	"api/system_settings.go: notFoundDetail":           "the one answer of not_found, catalogued",
	"api/translations.go: notFoundDetail":              "the one answer of not_found, catalogued",
	"api/errors.go: \x00.":                             "a conflict's or a denial's text (ErrConflict, DeniedError), scanned where raised; a StateError of an operation the catalogue lacks",
	"api/attachments.go: The file is too large: \x00.": "attachments.TooLargeError's text, catalogued with its parameters (size, kind, max, limit) and given them by withCode",
}

// scanDetails finds the conflicts and denials of the module's Go code (tests
// excluded).
func scanDetails(t *testing.T, root string) (sites []detailSite, dynamic []string) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".bin", ".git", "testdata", "frontend", "e2e", "infra", "cmd", "demo":
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
		var coded []*ast.CallExpr // WithCode calls: what they wrap has its code
		// add adds a detail: a sentence when prefix is "" and the text is
		// not one already (a refusal's reason), else as written.
		add := func(e ast.Expr, prefix string, status int, own bool) {
			in, code := false, ""
			for _, w := range coded {
				if e.Pos() >= w.Pos() && e.End() <= w.End() {
					in = true
					if len(w.Args) > 1 {
						if lit, ok := w.Args[1].(*ast.BasicLit); ok {
							code, _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
			s := shapeOf(e, nil)
			if s == "" {
				dynamic = append(dynamic, rel+": "+exprString(fset, e))
				return
			}
			s, ok := strings.CutPrefix(s, prefix)
			if !ok || s == "" {
				return
			}
			s = strings.ToUpper(s[:1]) + s[1:]
			if !strings.HasSuffix(s, ".") {
				s += "."
			}
			sites = append(sites, detailSite{at: rel + ":" + strconv.Itoa(fset.Position(e.Pos()).Line), shape: s, status: status, coded: in, code: code, own: own})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := x.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if name == "WithCode" || name == "withCode" {
					coded = append(coded, x)
				}
				// The API's own problems (package api): Huma's helpers, its
				// NewError, and the authentication refusals.
				if m := humaErrorRE.FindStringSubmatch(name); m != nil && len(x.Args) > 0 && isHuma(x.Fun) {
					status, _ := strconv.Atoi(m[1])
					add(x.Args[0], "", status, true)
				}
				if name == "NewError" && isHuma(x.Fun) && len(x.Args) > 1 {
					add(x.Args[1], "", httpStatus(x.Args[0]), true)
				}
				if st, ok := problemStatus[name]; ok && dir == "api" && len(x.Args) == 1 {
					add(x.Args[0], "", st, true)
				}
				if name == "Errorf" && len(x.Args) > 1 && isConflict(x.Args[1]) {
					add(x.Args[0], "\x00: ", 409, false)
				}
				for _, fw := range denialForwarders {
					if fw.dir == dir && fw.name == name && len(x.Args) > fw.arg {
						add(x.Args[fw.arg], "", 403, false)
					}
				}
			case *ast.CompositeLit:
				if id := typeName(x.Type); id == "authError" && len(x.Elts) == 2 {
					add(x.Elts[1], "", httpStatus(x.Elts[0]), true)
				}
				if id := typeName(x.Type); id == "DeniedError" {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if key, _ := kv.Key.(*ast.Ident); key != nil && key.Name == "Reason" {
								add(kv.Value, "", 403, false)
							}
						}
					}
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	return sites, dynamic
}

func isConflict(e ast.Expr) bool { return typeName(e) == "ErrConflict" }

func isHuma(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "huma"
}

// statusCode is api's default code of a problem of a status (api.statusCode).
func statusCode(status int) string {
	switch status {
	case 401:
		return "unauthenticated"
	case 422:
		return "invalid"
	case 412:
		return "stale"
	case 429:
		return "rate_limited"
	case 500:
		return "internal"
	case 499:
		return "client_closed"
	}
	return strings.ReplaceAll(strings.ToLower(strings.NewReplacer("-", " ", "'", "").Replace(http.StatusText(status))), " ", "_")
}

func typeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return ""
}

// familyStatus are the families of conflicts and denials (api's
// detailFamilies): a detail must get one of these, with its status, from
// the catalogue.
var familyStatus = map[string]int{
	"beyond_role": 403, "transition_forbidden": 403,
	"already_exists": 409, "record_disabled": 409, "record_enabled": 409, "case_status": 409, "approval_required": 409,
	"transition_state": 409, "in_use": 409, "last_administrator": 409, "device_limit": 409,
}

// TestEveryConflictAndDenialHasACodeAndTranslations scans the Go code for
// the details of its 409 conflicts and 403 denials written as English
// errors and requires each to get a family code of its status from the
// server catalogue (l10n.ClassifyDetail) and a French, Spanish and Arabic
// wording under it: an English conflict added without its catalogue entries
// fails here, naming its file and line.
func TestEveryConflictAndDenialHasACodeAndTranslations(t *testing.T) {
	t.Parallel()
	sites, dynamic := scanDetails(t, "..")
	require.Greater(t, len(sites), 50, "the scan finds the details")
	require.Empty(t, uncoded(sites), "conflicts and denials without a family code and translations in l10n/po: docs/errors.md \"Conflicts and refusals\"")
	var unknown []string
	for _, d := range dynamic {
		if _, ok := detailsNotChecked[d]; !ok {
			unknown = append(unknown, d)
		}
	}
	require.Empty(t, unknown, "details the scan cannot read: pass them through a forwarder, or list them in detailsNotChecked")
}

func uncoded(sites []detailSite) []string {
	var missing []string
	for _, s := range sites {
		file, _, _ := strings.Cut(s.at, ":")
		if _, ok := detailsNotChecked[file+": "+s.shape]; ok {
			continue
		}
		sample := sampleOf(s.shape)
		code, _, _ := l10n.ClassifyDetail(sample)
		problem := ""
		switch {
		case s.code != "":
			code = s.code
		case s.coded && code != "":
		case familyStatus[code] == s.status:
		case s.own && code == statusCode(s.status):
		case s.status != 403 && s.status != 409 || s.own:
			// Another status: its own code (api.statusCode).
			code = statusCode(s.status)
		default:
			problem = "no family code of status " + strconv.Itoa(s.status) + " (got " + strconv.Quote(code) + ")"
		}
		if problem == "" {
			problem = untranslated("problem:"+code, sample)
		}
		if problem != "" {
			missing = append(missing, s.at+": "+strconv.Quote(sample)+": "+problem)
		}
	}
	return missing
}

// TestDetailScanFindsANewEnglishConflict writes a package with a conflict
// and a denial the catalogue has and ones it lacks: the new ones are
// reported with their place.
func TestDetailScanFindsANewEnglishConflict(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "workflow"), 0o755))
	src := `package workflow

import (
	"fmt"

	"github.com/cpims-hosted/cpims/tenancy"
)

func check(n int) []error {
	return []error{
		fmt.Errorf("%w: the flag is resolved already", tenancy.ErrConflict),
		fmt.Errorf("%w: the case is haunted by %d ghosts", tenancy.ErrConflict, n),
		&tenancy.DeniedError{Reason: "you may only dance on tuesdays"},
	}
}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "workflow", "check.go"), []byte(src), 0o600))
	sites, dynamic := scanDetails(t, dir)
	require.Len(t, sites, 3)
	require.Empty(t, dynamic)
	require.Equal(t, []string{
		`workflow/check.go:12: "The case is haunted by v1 ghosts.": no family code of status 409 (got "")`,
		`workflow/check.go:13: "You may only dance on tuesdays.": no family code of status 403 (got "")`,
	}, uncoded(sites))
}
