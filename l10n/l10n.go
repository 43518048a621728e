package l10n

import (
	"embed"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/cpims-hosted/cpims/translations"
)

// Source is the language of every msgid: the one the code writes.
const Source = "en"

// Files are the catalogues as embedded: po/messages.pot (the sources) and
// po/<language>.po.
//
//go:embed po/*.po po/messages.pot
var Files embed.FS

type entry struct {
	source, text string
	// pattern matches the source filled in with any values; names are its
	// placeholders in order.
	pattern *regexp.Regexp
	names   []string
}

var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

func newEntry(source, text string) entry {
	e := entry{source: source, text: text}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range placeholderRE.FindAllStringIndex(source, -1) {
		b.WriteString(regexp.QuoteMeta(source[last:loc[0]]))
		b.WriteString("(.+?)")
		e.names = append(e.names, source[loc[0]+1:loc[1]-1])
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(source[last:]))
	b.WriteString("$")
	e.pattern = regexp.MustCompile(b.String())
	return e
}

type catalogue struct {
	languages []string                      // Source first, then the translated ones, sorted
	texts     map[string]map[string][]entry // language -> context -> entries
	sources   map[string]string             // context -> the source of its first entry (po/messages.pot)
	// reasons are the sources of the error:<code> contexts (but
	// error:invalid and entries flagged no-classify), the most specific
	// first (Classify); details those of the problem:<code> contexts
	// (ClassifyDetail).
	reasons, details []reason
}

// NoClassify is the flag of a source entry (po/messages.pot) whose code is
// always given where the text is raised: Classify does not give its code to
// other texts (the locations' problem codes, whose wordings resemble the
// generic ones).
const NoClassify = "no-classify"

type reason struct {
	code  string
	entry entry
	// literal is the length of the source without its placeholders.
	literal int
}

var load = sync.OnceValues(func() (*catalogue, error) {
	c := &catalogue{languages: []string{Source}, texts: map[string]map[string][]entry{}, sources: map[string]string{}}
	pot, err := Files.ReadFile("po/messages.pot")
	if err != nil {
		return nil, err
	}
	src, err := translations.Parse(pot)
	if err != nil {
		return nil, fmt.Errorf("l10n: po/messages.pot: %w", err)
	}
	for _, e := range src.Entries {
		if _, ok := c.sources[e.Context]; !ok {
			c.sources[e.Context] = e.ID
		}
		r := reason{entry: newEntry(e.ID, ""), literal: len(placeholderRE.ReplaceAllString(e.ID, ""))}
		if code, ok := strings.CutPrefix(e.Context, "error:"); ok && code != "invalid" && !slices.Contains(e.Flags, NoClassify) {
			r.code = code
			c.reasons = append(c.reasons, r)
		}
		if code, ok := strings.CutPrefix(e.Context, "problem:"); ok {
			r.code = code
			c.details = append(c.details, r)
		}
	}
	bySpecificity := func(a, b reason) int { return b.literal - a.literal }
	slices.SortStableFunc(c.reasons, bySpecificity)
	slices.SortStableFunc(c.details, bySpecificity)
	names, err := Files.ReadDir("po")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if path.Ext(n.Name()) != ".po" {
			continue
		}
		lang := strings.TrimSuffix(n.Name(), ".po")
		b, err := Files.ReadFile("po/" + n.Name())
		if err != nil {
			return nil, err
		}
		f, err := translations.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("l10n: po/%s: %w", n.Name(), err)
		}
		byContext := map[string][]entry{}
		for _, e := range f.Entries {
			if e.Str == "" || e.Fuzzy() {
				continue
			}
			byContext[e.Context] = append(byContext[e.Context], newEntry(e.ID, e.Str))
		}
		c.texts[lang] = byContext
		c.languages = append(c.languages, lang)
	}
	slices.Sort(c.languages[1:])
	return c, nil
})

func mustLoad() *catalogue {
	c, err := load()
	if err != nil {
		panic(err) // the embedded files are checked by the package's tests
	}
	return c
}

// Languages are the languages of the catalogue: English (the source) first,
// then those it is translated into.
func Languages() []string { return slices.Clone(mustLoad().languages) }

// Supported returns the catalogue's language for a locale tag ("fr-CA" is
// "fr"), or "" when the catalogue has none for it.
func Supported(locale string) string {
	c := mustLoad()
	base := strings.ToLower(strings.SplitN(locale, "-", 2)[0])
	if slices.Contains(c.languages, base) {
		return base
	}
	return ""
}

// Negotiate chooses the language to answer a caller in: the caller's own
// language (a member's locale), else the best of the Accept-Language header
// the catalogue has, else the tenant's default language, else English.
func Negotiate(own, acceptLanguage, tenantDefault string) string {
	if l := Supported(own); l != "" {
		return l
	}
	if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil {
		for _, t := range tags { // by preference
			base, _ := t.Base()
			if l := Supported(base.String()); l != "" {
				return l
			}
		}
	}
	if l := Supported(tenantDefault); l != "" {
		return l
	}
	return Source
}

// Translate returns the English text english, of context, in language lang:
// the catalogue's translation whose source, with params filled in, is
// english, filled in with params too. A source whose placeholders params do
// not give is matched as a pattern, its placeholders taking the values found
// in english ("{count} user(s)..." matches "3 user(s)..."). Without one
// (another text, a language the catalogue lacks, an untranslated entry),
// english itself.
func Translate(lang, context, english string, params map[string]string) string {
	if lang == Source || english == "" {
		return english
	}
	texts := mustLoad().texts[Supported(lang)]
	entries := texts[context]
	for _, e := range entries {
		if Fill(e.source, params) == english {
			if _, ok := params["cause_reason"]; ok {
				params = maps.Clone(params)
				translateCause(lang, params, params)
			}
			return Fill(Plurals(lang, e.text, params), terms(texts, params))
		}
	}
	for _, e := range entries {
		if m := e.pattern.FindStringSubmatch(english); m != nil {
			found := make(map[string]string, len(e.names))
			for i, n := range e.names {
				found[n] = m[i+1]
			}
			translateCause(lang, found, params)
			return Fill(Plurals(lang, e.text, found), terms(texts, found))
		}
	}
	return english
}

// translateCause words the reason a text carries as its cause in language
// lang too: the value of placeholder {cause_reason} is the English of a
// reason of code params["cause"] (context error:<code>), whose own values
// are params["cause.<name>"] (a location refused because its parent is,
// with the parent's problem: docs/errors.md "Causes"). A cause may have
// its own. Without params["cause"] the reason's code and values are
// classified from its English (a configuration change that "would break"
// another form, with the checker's uncoded reason).
func translateCause(lang string, found, params map[string]string) {
	english, ok := found["cause_reason"]
	if !ok {
		return
	}
	code := params["cause"]
	inner := map[string]string{}
	for k, v := range params {
		if name, ok := strings.CutPrefix(k, "cause."); ok {
			inner[name] = v
		}
	}
	if code == "" {
		var ok bool
		if code, inner, ok = Classify(english); !ok {
			return
		}
	}
	found["cause_reason"] = Translate(lang, "error:"+code, english, inner)
}

// terms puts the values of params that are terms of the catalogue in its
// language: a value v of placeholder {name} with an entry of context
// term:<name> and source v ("term:status", "accepted") is replaced by its
// translation. Other values (ids, names, emails, numbers) stay as they are.
func terms(texts map[string][]entry, params map[string]string) map[string]string {
	var out map[string]string
	for name, v := range params {
		for _, e := range texts["term:"+name] {
			if e.source == v {
				if out == nil {
					out = maps.Clone(params)
				}
				out[name] = e.text
				break
			}
		}
	}
	if out == nil {
		return params
	}
	return out
}

// Reason is one reason of the catalogue: the English source of a text of
// context error:<code>.
type Reason struct {
	Code, Source string
}

// Reasons lists the catalogue's reasons (po/messages.pot, contexts
// error:<code> but error:invalid), the most specific first.
func Reasons() []Reason {
	rs := mustLoad().reasons
	out := make([]Reason, len(rs))
	for i, r := range rs {
		out[i] = Reason{Code: r.code, Source: r.entry.source}
	}
	return out
}

// Classify finds the code of an English reason that was written without
// one: the catalogue's reason whose source, its placeholders filled in with
// any values, is english (the one with the most literal text when several
// match), and the values of its placeholders. ok is false when no reason of
// the catalogue matches (the code stays "invalid").
func Classify(english string) (code string, params map[string]string, ok bool) {
	return classify(mustLoad().reasons, english)
}

// ClassifyDetail is Classify for a problem's detail: the code of the
// catalogue's problem:<code> entry whose source, filled in, is english, and
// the values of its placeholders. The caller checks that the code fits the
// problem's status (package api).
func ClassifyDetail(english string) (code string, params map[string]string, ok bool) {
	return classify(mustLoad().details, english)
}

func classify(rs []reason, english string) (code string, params map[string]string, ok bool) {
	if english == "" {
		return "", nil, false
	}
	for _, r := range rs {
		m := r.entry.pattern.FindStringSubmatch(english)
		if m == nil {
			continue
		}
		if len(r.entry.names) > 0 {
			params = make(map[string]string, len(r.entry.names))
			for i, n := range r.entry.names {
				params[n] = m[i+1]
			}
		}
		return r.code, params, true
	}
	return "", nil, false
}

// Text returns the text of context (one whose context has a single entry,
// such as an email's parts: "email:hello") in language lang, else its
// English source; params fill its placeholders. A context the catalogue does
// not have is "".
func Text(lang, context string, params map[string]string) string {
	c := mustLoad()
	if l := Supported(lang); l != "" && l != Source {
		if entries := c.texts[l][context]; len(entries) > 0 {
			return Fill(Plurals(l, entries[0].text, params), params)
		}
	}
	return Fill(Plurals(Source, c.sources[context], params), params)
}

// Fill replaces each {name} of text by params[name]; other braces stay.
func Fill(text string, params map[string]string) string {
	if len(params) == 0 || !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			break
		}
		name := text[i+1 : i+j]
		if v, ok := params[name]; ok {
			b.WriteString(text[:i])
			b.WriteString(v)
		} else {
			b.WriteString(text[:i+j+1])
		}
		text = text[i+j+1:]
	}
	b.WriteString(text)
	return b.String()
}

// Plurals chooses the branches of the ICU plural arguments of text in
// language lang: "{count, plural, one {# minute} other {# minutes}}" is the
// branch of count's plural form (golang.org/x/text/feature/plural, CLDR
// rules: Arabic has zero, one, two, few, many and other), "=N" branches
// first, "#" the count. A count that is not a whole number takes other.
// Other braces, and an argument without a value in params, stay.
func Plurals(lang, text string, params map[string]string) string {
	if !strings.Contains(text, ", plural,") {
		return text
	}
	tag := language.Make(cmpOr(Supported(lang), Source))
	var b strings.Builder
	for {
		i := strings.Index(text, ", plural,")
		open := strings.LastIndexByte(text[:max(i, 0)], '{')
		if i < 0 || open < 0 {
			break
		}
		name := text[open+1 : i]
		end, branches := pluralBranches(text[i+len(", plural,"):])
		v, ok := params[name]
		if end < 0 || !ok {
			b.WriteString(text[:i+len(", plural,")])
			text = text[i+len(", plural,"):]
			continue
		}
		b.WriteString(text[:open])
		b.WriteString(strings.ReplaceAll(choose(tag, v, branches), "#", v))
		text = text[i+len(", plural,")+end:]
	}
	b.WriteString(text)
	return b.String()
}

// pluralBranches reads "one {...} other {...}}" (after ", plural,"): the
// branches by key, and the length read up to the closing brace (-1 when it
// is not well formed).
func pluralBranches(s string) (int, map[string]string) {
	branches := map[string]string{}
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) && s[i] == '}' {
			return i + 1, branches
		}
		k := strings.IndexByte(s[i:], '{')
		if k < 0 {
			return -1, nil
		}
		key := strings.TrimSpace(s[i : i+k])
		depth, j := 0, i+k
		for ; j < len(s); j++ {
			if s[j] == '{' {
				depth++
			} else if s[j] == '}' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(s) || key == "" {
			return -1, nil
		}
		branches[key] = s[i+k+1 : j]
		i = j + 1
	}
	return -1, nil
}

func choose(tag language.Tag, v string, branches map[string]string) string {
	if b, ok := branches["="+v]; ok {
		return b
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return branches["other"]
	}
	form := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
	key := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many"}[form]
	if b, ok := branches[key]; ok {
		return b
	}
	return branches["other"]
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
