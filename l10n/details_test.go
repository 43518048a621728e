package l10n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
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
	coded     bool // wrapped in tenancy.WithCode: the code is given there
}

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
	"forms/service.go: \x00 \x00 cannot be deleted: \x00.": "the reasons joined are the records validator's and checker's, scanned where written; the whole is an in_use detail whose parts stay as worded",
	// Passed through: the text was scanned where it was written.
	"workflow/respond.go: why": "refuse, a forwarder",
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
		var coded []ast.Node // WithCode calls: what they wrap has its code
		add := func(e ast.Expr, prefix string, status int) {
			in := false
			for _, w := range coded {
				in = in || (e.Pos() >= w.Pos() && e.End() <= w.End())
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
			s = strings.ToUpper(s[:1]) + s[1:] + "."
			sites = append(sites, detailSite{at: rel + ":" + strconv.Itoa(fset.Position(e.Pos()).Line), shape: s, status: status, coded: in})
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
				if name == "WithCode" {
					coded = append(coded, x)
				}
				if name == "Errorf" && len(x.Args) > 1 && isConflict(x.Args[1]) {
					add(x.Args[0], "\x00: ", 409)
				}
				for _, fw := range denialForwarders {
					if fw.dir == dir && fw.name == name && len(x.Args) > fw.arg {
						add(x.Args[fw.arg], "", 403)
					}
				}
			case *ast.CompositeLit:
				if id := typeName(x.Type); id == "DeniedError" {
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if key, _ := kv.Key.(*ast.Ident); key != nil && key.Name == "Reason" {
								add(kv.Value, "", 403)
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
	"already_exists": 409, "record_disabled": 409, "case_status": 409, "approval_required": 409,
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
		case s.coded && code != "":
		case familyStatus[code] != s.status:
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
