package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cpims-hosted/cpims/matching"
)

// Options of a generated data set.
type Options struct {
	Profile Profile
	// Cases is the number of registered children (with and without
	// consent); Traces the number of traces (children sought).
	Cases, Traces int
	Seed          uint64
	// Today is the date the data set is seen on (ages of cases).
	Today time.Time
	// EvaluationShare is the share of tracing requests held out for
	// evaluation (the rest may be used to estimate parameters).
	EvaluationShare float64
	// OnCase, when set, receives each case instead of the data set keeping
	// it (for a million cases).
	OnCase func(Case)
}

// Dataset is a generated tenant: cases, tracing requests and the truth.
type Dataset struct {
	Profile   string
	Today     time.Time
	Locations *Hierarchy
	Cases     []Case
	Requests  []Request
	// Counts of the generated population.
	Families, Children int
}

// Case is a registered child.
type Case struct {
	ID      string
	ChildID string
	// Consent for tracing (also in Data): only cases with consent match.
	Consent bool
	Data    map[string]any
	// Community is the child's family's naming tradition and ethnic group
	// (the truth, whatever the registration says); Distortions what the
	// generator did to this registration ("given:typo", "middle:missing",
	// "swap", "dob:estimated"...), for diagnosis.
	Community   string
	Distortions []string
}

// Request is a tracing request: the inquirer, the separation, and one
// trace per child sought.
type Request struct {
	ID   string
	Data map[string]any
	// Evaluation marks a held-out request.
	Evaluation bool
	Traces     []Trace
	// Distortions of the request's own fields (the inquirer's name, the
	// separation), for diagnosis.
	Distortions []string
}

// Trace is one child sought.
type Trace struct {
	ID      string
	ChildID string
	Row     map[string]any
	// CaseID is the case of the child sought when it is registered with
	// consent for tracing, else "" (the child is not among the matchable
	// cases; a sibling may be).
	CaseID string
	// Sibling reports that a brother or sister of the child is a
	// matchable case.
	Sibling bool
	// Community and Distortions as for a case.
	Community   string
	Distortions []string
	// OwnSeparation reports that the request's separation (its date,
	// cause and place, those of the first child sought) is this child's:
	// the first child, or one separated with it (the truth, for diagnosis;
	// the request does not say whose it is).
	OwnSeparation bool
}

// Generate generates a data set. The same options give the same data.
func Generate(o Options) *Dataset {
	if o.Today.IsZero() {
		o.Today = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	}
	if o.EvaluationShare == 0 {
		o.EvaluationShare = 0.5
	}
	g := &gen{o: o, p: o.Profile, rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), today: o.Today}
	g.h = newHierarchy()
	g.samplers()
	ds := &Dataset{Profile: o.Profile.Name, Today: o.Today, Locations: g.h}
	var fams []*family
	cases := 0
	for cases < o.Cases {
		f := g.family(len(fams))
		for _, c := range f.children {
			if !c.separated || g.rng.Float64() >= g.p.Registered || cases >= o.Cases {
				continue
			}
			cases++
			c.caseID = fmt.Sprintf("c%07d", cases)
			c.consent = g.rng.Float64() >= g.p.NoConsent
			cs := Case{ID: c.caseID, ChildID: c.id, Consent: c.consent, Data: g.caseData(c)}
			cs.Community, cs.Distortions = community(f), g.take()
			if o.OnCase != nil {
				o.OnCase(cs)
			} else {
				ds.Cases = append(ds.Cases, cs)
			}
		}
		fams = append(fams, f)
		ds.Children += len(f.children)
	}
	ds.Families = len(fams)
	// Tracing requests from families with a separated child, in a random
	// order, until there are enough traces.
	order := g.rng.Perm(len(fams))
	traces := 0
	for _, fi := range order {
		if traces >= o.Traces {
			break
		}
		f := fams[fi]
		var sought []*child
		for _, c := range f.children {
			if c.separated && (len(sought) == 0 || g.rng.Float64() < 0.9) {
				sought = append(sought, c)
			}
		}
		if len(sought) == 0 {
			continue
		}
		sought = sought[:min(len(sought), o.Traces-traces)]
		ds.Requests = append(ds.Requests, g.request(len(ds.Requests)+1, f, sought))
		traces += len(sought)
	}
	return ds
}

type gen struct {
	o     Options
	p     Profile
	rng   *rand.Rand
	h     *Hierarchy
	today time.Time
	// notes collects the distortions applied to the record being written,
	// each prefixed with part (diagnosis only: no draw depends on them).
	notes []string
	part  string
	// samplers per tradition and sex
	given                            [nTraditions][2]*zipf
	father                           [nTraditions]*zipf // male names used as fathers' and grandfathers' names
	surnames                         *zipf              // Congolese family names
	christ                           [2]*zipf
	tradition, caseStyle, traceStyle *weighted
	ageErr                           *weighted
	children                         *weighted
}

type family struct {
	id                         int
	trad                       int
	father, grandfather, great *name // patronymic chain (father's given first)
	surname                    *name // Congolese family name
	mother, motherFather       *name
	motherSurname              *name
	home                       string // district
	nationality, religion      string
	languages                  []string
	ethnicity                  string
	motherCamp, fatherCamp     string
	together                   *separation
	children                   []*child
	fatherAlive, motherAlive   bool
	uncle, aunt, grandmother   *name
}

type separation struct {
	date  time.Time
	cause string
	place string // camp or district code
	camp  string // where the child is now
}

type child struct {
	id        string
	fam       *family
	male      bool
	given     *name
	postnom   *name // Congolese second name
	nick      string
	dob       time.Time
	separated bool
	sep       *separation
	caseID    string
	consent   bool
}

var causes = []string{"conflict", "conflict", "conflict", "flight", "flight", "natural_disaster", "abduction",
	"recruitment", "death_of_caregiver", "abandonment", "sent_away", "left_home", "detention", "medical", "unknown"}

func (g *gen) samplers() {
	interleave := func(a, b []name) []name {
		var out []name
		for i := 0; i < len(a) || i < len(b); i++ {
			if i < len(a) {
				out = append(out, a[i])
			}
			if i < len(b) {
				out = append(out, b[i])
			}
		}
		return out
	}
	somM, somF := interleave(muslimMale, somaliMale), interleave(muslimFemale, somaliFemale)
	g.given[tradSomali] = [2]*zipf{newZipf(somF), newZipf(somM)}
	g.father[tradSomali] = g.given[tradSomali][1]
	g.given[tradArabic] = [2]*zipf{newZipf(muslimFemale), newZipf(muslimMale)}
	g.father[tradArabic] = g.given[tradArabic][1]
	g.given[tradSouthSudan] = [2]*zipf{newZipf(sudanFemale), newZipf(sudanMale)}
	g.father[tradSouthSudan] = g.given[tradSouthSudan][1]
	g.christ = [2]*zipf{newZipf(christianFemale), newZipf(christianMale)}
	g.given[tradCongo] = g.christ
	g.father[tradCongo] = g.christ[1]
	g.surnames = newZipf(congoFamily)
	g.tradition = newWeighted(g.p.Traditions[:])
	g.caseStyle = newWeighted(g.p.CaseStyles[:])
	g.traceStyle = newWeighted(g.p.TraceStyles[:])
	g.ageErr = newWeighted(g.p.AgeError)
	g.children = newWeighted([]float64{0.35, 0.25, 0.2, 0.12, 0.08})
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// note records a distortion of the record being written.
func (g *gen) note(what string) {
	if g.part != "" {
		what = g.part + ":" + what
	}
	g.notes = append(g.notes, what)
}

// take returns the notes collected and starts anew.
func (g *gen) take() []string {
	n := g.notes
	g.notes, g.part = nil, ""
	return n
}

func community(f *family) string { return fmt.Sprintf("%d/%s", f.trad, f.ethnicity) }

func (g *gen) givenName(trad int, male bool) *name {
	s := 0
	if male {
		s = 1
	}
	if trad == tradSouthSudan && g.chance(0.35) {
		return g.christ[s].pick(g.rng)
	}
	return g.given[trad][s].pick(g.rng)
}

func (g *gen) family(i int) *family {
	f := &family{id: i, trad: g.tradition.pick(g.rng)}
	f.father, f.grandfather, f.great = g.father[f.trad].pick(g.rng), g.father[f.trad].pick(g.rng), g.father[f.trad].pick(g.rng)
	f.mother, f.motherFather = g.givenName(f.trad, false), g.father[f.trad].pick(g.rng)
	if f.trad == tradCongo {
		f.surname, f.motherSurname = g.surnames.pick(g.rng), g.surnames.pick(g.rng)
	}
	f.uncle, f.aunt, f.grandmother = g.givenName(f.trad, true), g.givenName(f.trad, false), g.givenName(f.trad, false)
	f.home = g.h.randomDistrict(g.rng)
	switch f.trad {
	case tradSomali:
		f.nationality, f.religion, f.languages = pickS(g.rng, "som", "som", "som", "som", "eth", "ken"), "islam", []string{"som"}
		if g.chance(0.2) {
			f.languages = append(f.languages, "ara")
		}
	case tradArabic:
		f.nationality, f.religion, f.languages = pickS(g.rng, "sdn", "sdn", "sdn", "tcd", "tcd", "syr", "yem"), "islam", []string{"ara"}
	case tradSouthSudan:
		f.nationality, f.religion = "ssd", pickS(g.rng, "christianity", "christianity", "christianity", "traditional")
		f.languages = []string{pickS(g.rng, "din", "din", "nus")}
		if g.chance(0.3) {
			f.languages = append(f.languages, "ara")
		}
	case tradCongo:
		f.nationality, f.religion = pickS(g.rng, "cod", "cod", "cod", "cod", "caf", "rwa", "bdi"), "christianity"
		f.languages = []string{pickS(g.rng, "lin", "swa", "swa", "fra", "kin")}
	}
	f.ethnicity = fmt.Sprintf("ethnic_group_%d", 1+(f.trad+g.rng.IntN(2))%3)
	f.motherCamp, f.fatherCamp = g.h.nearbyCamp(g.rng, f.home, 0.5), g.h.nearbyCamp(g.rng, f.home, 0.5)
	f.fatherAlive, f.motherAlive = g.chance(0.85), g.chance(0.9)
	if g.chance(g.p.SeparatedTogether) {
		f.together = g.separation(f, time.Time{})
	}
	n := 1 + g.children.pick(g.rng)
	birth := g.today.AddDate(-17, 0, 0).Add(time.Duration(g.rng.Float64()*16*365) * 24 * time.Hour)
	anySeparated := false
	for k := range n {
		c := &child{id: fmt.Sprintf("f%d.%d", i, k), fam: f, male: g.chance(0.5)}
		c.given = g.givenName(f.trad, c.male)
		for _, s := range f.children {
			if s.given == c.given { // parents do not give two children one name
				c.given = g.givenName(f.trad, c.male)
			}
		}
		if f.trad == tradCongo {
			c.postnom = g.surnames.pick(g.rng)
		}
		if g.chance(0.35) {
			c.nick = g.nickname(c)
		}
		// Siblings are born a year or more apart, oldest first.
		c.dob = birth.AddDate(0, 0, k*(400+g.rng.IntN(700)))
		if c.dob.After(g.today.AddDate(-1, 0, 0)) {
			c.dob = g.today.AddDate(-1, 0, -g.rng.IntN(200))
		}
		c.separated = g.chance(0.7)
		anySeparated = anySeparated || c.separated
		f.children = append(f.children, c)
	}
	if !anySeparated {
		f.children[g.rng.IntN(n)].separated = true
	}
	for _, c := range f.children {
		if !c.separated {
			continue
		}
		if f.together != nil && !c.dob.After(f.together.date.AddDate(0, -6, 0)) {
			c.sep = f.together
		} else {
			c.sep = g.separation(f, c.dob)
		}
	}
	return f
}

func (g *gen) nickname(c *child) string {
	if len(c.given.nick) > 0 && g.chance(0.7) {
		return c.given.nick[g.rng.IntN(len(c.given.nick))]
	}
	if c.fam.trad == tradSomali {
		return somaliDescriptive[g.rng.IntN(len(somaliDescriptive))]
	}
	if len(c.given.nick) > 0 {
		return c.given.nick[0]
	}
	return ""
}

// separation draws a separation event after born (six months at least).
func (g *gen) separation(f *family, born time.Time) *separation {
	earliest := g.today.AddDate(-6, 0, 0)
	if !born.IsZero() && born.AddDate(0, 6, 0).After(earliest) {
		earliest = born.AddDate(0, 6, 0)
	}
	latest := g.today.AddDate(0, -4, 0)
	if !earliest.Before(latest) {
		earliest = latest.AddDate(0, -1, 0)
	}
	d := earliest.Add(time.Duration(g.rng.Int64N(int64(latest.Sub(earliest)))))
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	place := g.h.nearbyCamp(g.rng, f.home, 0.8)
	if g.chance(0.3) {
		place = g.h.parent[place] // only the district is known
	}
	return &separation{date: d, cause: causes[g.rng.IntN(len(causes))], place: place,
		camp: g.h.nearbyCamp(g.rng, f.home, 0.5)}
}

// spell writes a name in a style, with the profile's spelling freedom and
// typos.
func (g *gen) spell(n *name, st Style) string {
	if n == nil {
		return ""
	}
	var s string
	switch {
	case st == Arabic && len(n.spell[Arabic]) > 0:
		s = n.spell[Arabic][0]
	case g.chance(g.p.FreeSpelling):
		g.note("spelling")
		var all []string
		for x := range Arabic {
			all = append(all, n.spell[x]...)
		}
		s = all[g.rng.IntN(len(all))]
	default:
		v := n.spell[st]
		if st == Arabic || len(v) == 0 {
			v = n.spell[English]
		}
		s = v[0]
	}
	if g.chance(g.p.Typo) {
		if t := g.typo(s); t != s {
			g.note("typo")
			s = t
		}
	}
	return s
}

func (g *gen) typo(s string) string {
	r := []rune(s)
	if len(r) < 3 {
		return s
	}
	i := 1 + g.rng.IntN(len(r)-1)
	arabic := r[0] >= 0x0600 && r[0] <= 0x06FF
	switch g.rng.IntN(4) {
	case 0: // substitution
		if arabic {
			swaps := map[rune]rune{'ة': 'ه', 'ه': 'ة', 'ى': 'ي', 'ي': 'ى', 'أ': 'ا', 'إ': 'ا', 'ا': 'أ', 'د': 'ذ', 'س': 'ص', 'ت': 'ط', 'ح': 'ه'}
			if x, ok := swaps[r[i]]; ok {
				r[i] = x
			} else {
				r[i] = 'ا'
			}
		} else {
			r[i] = nearLetter(g.rng, r[i])
		}
	case 1: // deletion
		r = slices.Delete(r, i, i+1)
	case 2: // doubling
		r = slices.Insert(r, i, r[i])
	default: // transposition
		if i < len(r)-1 {
			r[i], r[i+1] = r[i+1], r[i]
		} else {
			r[i-1], r[i] = r[i], r[i-1]
		}
	}
	return string(r)
}

func nearLetter(rng *rand.Rand, c rune) rune {
	near := map[rune]string{'a': "eo", 'e': "ai", 'i': "ey", 'o': "ua", 'u': "oi", 'y': "ie", 'd': "td", 't': "dr",
		'm': "n", 'n': "m", 's': "zc", 'z': "s", 'k': "qc", 'q': "k", 'c': "ks", 'h': "j", 'b': "p", 'p': "b",
		'l': "r", 'r': "l", 'f': "v", 'v': "f", 'g': "j", 'j': "g", 'w': "u", 'x': "ks"}
	lower := unicode.ToLower(c)
	opts, ok := near[lower]
	if !ok {
		return c
	}
	rs := []rune(opts)
	n := rs[rng.IntN(len(rs))]
	if unicode.IsUpper(c) {
		return unicode.ToUpper(n)
	}
	return n
}

// names returns the parts of a child's name as the family gives them:
// given name, middle (father's name or Congolese post-name), last
// (grandfather's or family name).
func (c *child) parts() (given, middle, last *name) {
	f := c.fam
	if f.trad == tradCongo {
		return c.given, c.postnom, f.surname
	}
	return c.given, f.father, f.grandfather
}

func (g *gen) caseData(c *child) map[string]any {
	f := c.fam
	st := Style(g.caseStyle.pick(g.rng))
	reg := c.sep.date.Add(time.Duration(g.rng.Float64()*300+10) * 24 * time.Hour)
	if reg.After(g.today) {
		reg = g.today
	}
	d := map[string]any{
		"registration_date":              day(reg),
		"sex":                            g.sex(c.male),
		"consent_for_tracing":            c.consent,
		"unaccompanied_separated_status": pickS(g.rng, "separated", "unaccompanied"),
		"location_current":               c.sep.camp,
	}
	given, middle, last := c.parts()
	g.part = "given"
	d["name_first"] = g.spell(given, st)
	g.part = "middle"
	if g.chance(g.p.CaseMiddle) {
		d["name_middle"] = g.spell(middle, st)
	} else {
		g.note("missing")
	}
	g.part = "last"
	if g.chance(g.p.CaseLast) {
		d["name_last"] = g.spell(last, st)
	} else {
		g.note("missing")
	}
	g.part = ""
	if g.chance(g.p.Swap / 3) { // registrations swap less often than traces
		g.note("swap")
		d["name_first"], d["name_last"] = d["name_last"], d["name_first"]
		if d["name_first"] == nil {
			d["name_first"] = d["name_last"]
			delete(d, "name_last")
		}
	}
	if c.nick != "" && g.chance(g.p.CaseNickname) {
		d["name_nickname"] = c.nick
	}
	dob := c.dob
	if g.chance(g.p.DOBKnown) {
		d["date_of_birth"] = day(dob)
	} else {
		g.note("dob:estimated")
		est := dob.Add(time.Duration(g.rng.NormFloat64()*g.p.EstimateSD*daysPerYear) * 24 * time.Hour)
		if est.After(reg) {
			est = reg.AddDate(0, -6, 0)
		}
		est = time.Date(est.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
		if g.chance(0.5) {
			est = est.AddDate(0, 6, 0)
		}
		d["date_of_birth"] = day(est)
		d["estimated"] = true
		dob = est
	}
	d["age"] = float64(ageOn(dob, g.today))
	g.common(d, f)
	g.part = "separation_date"
	if g.chance(1 - g.p.Missing*1.5) {
		d["date_of_separation"] = day(g.remember(c.sep.date))
	} else {
		g.note("missing")
	}
	g.part = "separation_cause"
	if g.chance(1 - g.p.Missing*1.5) {
		d["separation_cause"] = g.wrongOr(c.sep.cause, causes)
	} else {
		g.note("missing")
	}
	g.part = "location_separation"
	if g.chance(1 - g.p.Missing*2) {
		d["location_separation"] = g.place(c.sep.place)
	} else {
		g.note("missing")
	}
	var rows []any
	row := func(relation string, n string, loc string) {
		r := map[string]any{"unique_id": fmt.Sprintf("%s-%s", c.id, relation), "relation": relation, "relation_name": n}
		if loc != "" && g.chance(0.3) {
			r["relation_location_current"] = loc
		}
		rows = append(rows, r)
	}
	g.part = "mother"
	if g.chance(g.p.CaseMother) {
		row("mother", g.motherName(f, st), f.motherCamp)
	} else {
		g.note("missing")
	}
	g.part = "father"
	if g.chance(g.p.CaseFather) {
		row("father", g.fatherName(f, st), f.fatherCamp)
	} else {
		g.note("missing")
	}
	g.part = "other_relative"
	if g.chance(g.p.CaseOther) {
		rel := pickS(g.rng, "uncle", "aunt", "grandmother")
		row(rel, g.relativeName(f, rel, st), "")
	}
	g.part = ""
	if len(rows) > 0 {
		d["family_details_section"] = rows
	}
	return d
}

// common sets the family's nationality, languages, religion, ethnicity
// with the profile's missing and wrong values.
func (g *gen) common(d map[string]any, f *family) {
	if g.chance(1 - g.p.Missing) {
		n := f.nationality
		if g.chance(g.p.Wrong) {
			n = pickS(g.rng, "som", "sdn", "ssd", "cod", "eth", "tcd", "caf")
			g.note("nationality:wrong")
		}
		d["nationality"] = []any{n}
	} else {
		g.note("nationality:missing")
	}
	if g.chance(1 - g.p.Missing) {
		var ls []any
		for _, l := range f.languages {
			ls = append(ls, l)
		}
		if g.chance(g.p.Wrong) {
			ls = []any{pickS(g.rng, "ara", "eng", "fra", "swa")}
			g.note("language:wrong")
		}
		d["language"] = ls
	} else {
		g.note("language:missing")
	}
	if g.chance(1 - g.p.Missing*3) {
		d["religion"] = []any{f.religion}
	} else {
		g.note("religion:missing")
	}
	if g.chance(1 - g.p.Missing*5) {
		d["ethnicity"] = f.ethnicity
	} else {
		g.note("ethnicity:missing")
	}
}

func (g *gen) wrongOr(v string, all []string) string {
	if g.chance(g.p.Wrong * 2) {
		g.note("wrong")
		return all[g.rng.IntN(len(all))]
	}
	return v
}

// remember returns a date as someone remembers it.
func (g *gen) remember(d time.Time) time.Time {
	off := g.rng.ExpFloat64() * g.p.DateError
	if g.chance(0.5) {
		off = -off
	}
	if g.chance(g.p.Wrong) {
		off = float64(g.rng.IntN(3)-1) * daysPerYear
		if off != 0 {
			g.note("wrong_year")
		}
	}
	r := d.Add(time.Duration(off*24) * time.Hour)
	if r.After(g.today) {
		r = g.today
	}
	return r
}

// place returns a place as reported: the place, or its district, or a
// neighbouring camp.
func (g *gen) place(code string) string {
	switch {
	case g.chance(g.p.Coarse):
		if p, ok := g.h.parent[code]; ok && g.h.level[code] == 3 {
			g.note("coarse")
			return p
		}
	case g.chance(g.p.Neighbour):
		if g.h.level[code] == 3 {
			sib := g.h.children[g.h.parent[code]]
			if n := sib[g.rng.IntN(len(sib))]; n != code {
				g.note("neighbour")
				return n
			}
		}
	}
	return code
}

func (g *gen) sex(male bool) string {
	if g.chance(g.p.SexError) {
		g.note("sex:wrong")
		male = !male
	}
	if male {
		return "male"
	}
	return "female"
}

func (g *gen) motherName(f *family, st Style) string {
	if f.trad == tradCongo {
		return join(g.spell(f.mother, st), g.spell(f.motherSurname, st))
	}
	return join(g.spell(f.mother, st), g.spell(f.motherFather, st))
}

func (g *gen) fatherName(f *family, st Style) string {
	if f.trad == tradCongo {
		return join(g.spell(f.father, st), g.spell(f.surname, st))
	}
	parts := []string{g.spell(f.father, st), g.spell(f.grandfather, st)}
	if g.chance(0.5) {
		parts = append(parts, g.spell(f.great, st))
	}
	return join(parts...)
}

// relativeName is the name of the child's paternal uncle or aunt (their
// father's name is the child's grandfather's) or of a grandmother.
func (g *gen) relativeName(f *family, relation string, st Style) string {
	switch relation {
	case "uncle":
		return join(g.spell(f.uncle, st), g.spell(f.grandfather, st))
	case "aunt":
		return join(g.spell(f.aunt, st), g.spell(f.grandfather, st))
	}
	return g.spell(f.grandmother, st)
}

func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func (g *gen) request(n int, f *family, sought []*child) Request {
	st := Style(g.traceStyle.pick(g.rng))
	var relation, inqName, inqSex, inqCamp string
	parent := false
	g.part = "inquirer"
	switch x := g.rng.Float64(); {
	case x < 0.55 && f.motherAlive:
		relation, inqName, inqSex, inqCamp, parent = "mother", g.motherName(f, st), "female", f.motherCamp, true
	case x < 0.85 && f.fatherAlive:
		relation, inqName, inqSex, inqCamp, parent = "father", g.fatherName(f, st), "male", f.fatherCamp, true
	default:
		relation = pickS(g.rng, "uncle", "aunt", "grandmother")
		inqName, inqSex, inqCamp = g.relativeName(f, relation, st), "female", g.h.nearbyCamp(g.rng, f.home, 0.5)
		if relation == "uncle" {
			inqSex = "male"
		}
	}
	if parent && g.p.Moved > 0 && g.chance(g.p.Moved) { // the stream is unchanged while Moved is 0
		g.note("moved")
		inqCamp = g.h.nearbyCamp(g.rng, f.home, 0.5)
	}
	first := sought[0]
	last := first.sep.date
	for _, c := range sought {
		if c.sep.date.After(last) {
			last = c.sep.date
		}
	}
	inquiry := last.Add(time.Duration(g.rng.Float64()*500+20) * 24 * time.Hour)
	if inquiry.After(g.today) {
		inquiry = g.today
	}
	d := map[string]any{
		"inquiry_date":              day(inquiry),
		"relation_name":             inqName,
		"relation_sex":              inqSex,
		"relation_location_current": inqCamp,
	}
	g.part = "separation_date"
	if g.chance(1 - g.p.Missing) {
		d["date_of_separation"] = day(g.remember(first.sep.date))
	} else {
		g.note("missing")
	}
	g.part = "separation_cause"
	if g.chance(1 - g.p.Missing*1.5) {
		d["separation_cause"] = g.wrongOr(first.sep.cause, causes)
	} else {
		g.note("missing")
	}
	g.part = "location_separation"
	if g.chance(1 - g.p.Missing*2) {
		d["location_separation"] = g.place(first.sep.place)
	} else {
		g.note("missing")
	}
	r := Request{ID: fmt.Sprintf("r%06d", n), Data: d, Evaluation: g.chance(g.o.EvaluationShare), Distortions: g.take()}
	for k, c := range sought {
		t := Trace{ID: fmt.Sprintf("%s.%d", r.ID, k+1), ChildID: c.id, Row: g.traceRow(c, relation, parent, st, inquiry)}
		t.Community, t.Distortions = community(f), g.take()
		t.OwnSeparation = c.sep == first.sep
		if c.caseID != "" && c.consent {
			t.CaseID = c.caseID
		}
		for _, s := range f.children {
			if s != c && s.caseID != "" && s.consent {
				t.Sibling = true
			}
		}
		r.Traces = append(r.Traces, t)
	}
	return r
}

func (g *gen) traceRow(c *child, relation string, parent bool, st Style, inquiry time.Time) map[string]any {
	f := c.fam
	row := map[string]any{"unique_id": c.id + "-sought", "relation": relation, "sex": g.sex(c.male)}
	given, middle, last := c.parts()
	knows := parent || g.chance(g.p.InquirerKnowsNames)
	if !knows {
		g.note("family_names:unknown")
	}
	g.part = "given"
	first := g.spell(given, st)
	if c.nick != "" && g.chance(g.p.NicknameOnly) {
		g.note("nickname_only")
		first = c.nick
	}
	row["name_first"] = first
	g.part = "middle"
	if knows && g.chance(g.p.TraceMiddle) {
		row["name_middle"] = g.spell(middle, st)
	} else if knows {
		g.note("missing")
	}
	g.part = "last"
	if knows && g.chance(g.p.TraceLast) {
		row["name_last"] = g.spell(last, st)
	} else if knows {
		g.note("missing")
	}
	g.part = ""
	if g.chance(g.p.Swap) {
		if _, ok := row["name_last"]; ok {
			g.note("swap")
		} else if _, ok := row["name_middle"]; ok {
			g.note("swap")
		}
		if l, ok := row["name_last"]; ok {
			row["name_first"], row["name_last"] = l, row["name_first"]
		} else if m, ok := row["name_middle"]; ok {
			row["name_first"], row["name_middle"] = m, row["name_first"]
		}
	}
	if c.nick != "" && first != c.nick && g.chance(g.p.TraceNickname) {
		row["name_nickname"] = c.nick
	}
	if g.chance(0.95) {
		age := ageOn(c.dob, inquiry)
		e := g.ageErr.pick(g.rng)
		if g.chance(0.5) {
			e = -e
		}
		if e != 0 {
			g.note(fmt.Sprintf("age:off_%d", e))
		}
		row["age"] = float64(max(age+e, 0))
	} else {
		g.note("age:missing")
	}
	if parent && g.chance(g.p.TraceDOB) {
		row["date_of_birth"] = day(c.dob)
	}
	g.common(row, f)
	g.part = "location_last"
	if g.chance(1 - g.p.Missing*2) {
		row["location_last"] = g.place(c.sep.place)
	} else {
		g.note("missing")
	}
	g.part = ""
	return row
}

const daysPerYear = 365.2425

func ageOn(dob, on time.Time) int {
	a := on.Year() - dob.Year()
	if on.YearDay() < dob.YearDay() {
		a--
	}
	return max(a, 0)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func pickS(rng *rand.Rand, opts ...string) string { return opts[rng.IntN(len(opts))] }

// zipf samples a list by rank: weight (rank+1)^-0.8.
type zipf struct {
	names []name
	cdf   []float64
}

func newZipf(ns []name) *zipf {
	z := &zipf{names: ns}
	s := 0.0
	for i := range ns {
		s += math.Pow(float64(i+1), -0.8)
		z.cdf = append(z.cdf, s)
	}
	for i := range z.cdf {
		z.cdf[i] /= s
	}
	return z
}

func (z *zipf) pick(rng *rand.Rand) *name {
	i, _ := slices.BinarySearch(z.cdf, rng.Float64())
	return &z.names[min(i, len(z.names)-1)]
}

type weighted struct{ cdf []float64 }

func newWeighted(w []float64) *weighted {
	x := &weighted{}
	s := 0.0
	for _, v := range w {
		s += v
		x.cdf = append(x.cdf, s)
	}
	for i := range x.cdf {
		x.cdf[i] /= s
	}
	return x
}

func (w *weighted) pick(rng *rand.Rand) int {
	i, _ := slices.BinarySearch(w.cdf, rng.Float64())
	return min(i, len(w.cdf)-1)
}

// Hierarchy is the generated location hierarchy: a country (admin level
// 0), 8 regions (1), 5 districts each (2), 4 camps or settlements each (3).
type Hierarchy struct {
	paths    map[string][]matching.Place
	parent   map[string]string
	children map[string][]string
	level    map[string]int
	regions  []string
}

func newHierarchy() *Hierarchy {
	h := &Hierarchy{paths: map[string][]matching.Place{}, parent: map[string]string{},
		children: map[string][]string{}, level: map[string]int{}}
	add := func(code, parent string, level int) {
		h.level[code] = level
		var path []matching.Place
		if parent != "" {
			h.parent[code] = parent
			h.children[parent] = append(h.children[parent], code)
			path = slices.Clone(h.paths[parent])
		}
		h.paths[code] = append(path, matching.Place{Code: code, AdminLevel: level})
	}
	add("xx", "", 0)
	for r := 1; r <= 8; r++ {
		rc := fmt.Sprintf("xx%d", r)
		add(rc, "xx", 1)
		h.regions = append(h.regions, rc)
		for d := 1; d <= 5; d++ {
			dc := fmt.Sprintf("%sd%d", rc, d)
			add(dc, rc, 2)
			for c := 1; c <= 4; c++ {
				add(fmt.Sprintf("%sc%d", dc, c), dc, 3)
			}
		}
	}
	return h
}

// Path implements matching.Locations.
func (h *Hierarchy) Path(code string) []matching.Place { return h.paths[code] }

// Codes returns every location code, sorted.
func (h *Hierarchy) Codes() []string {
	var out []string
	for c := range h.paths {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

func (h *Hierarchy) randomDistrict(rng *rand.Rand) string {
	// Regions differ in size: the first ones host more families.
	r := h.regions[min(int(rng.ExpFloat64()*3), len(h.regions)-1)]
	ds := h.children[r]
	return ds[rng.IntN(len(ds))]
}

// nearbyCamp returns a camp in the district's region with probability
// local, else anywhere.
func (h *Hierarchy) nearbyCamp(rng *rand.Rand, district string, local float64) string {
	region := h.parent[district]
	if rng.Float64() >= local {
		region = h.regions[rng.IntN(len(h.regions))]
	}
	ds := h.children[region]
	d := ds[rng.IntN(len(ds))]
	cs := h.children[d]
	return cs[rng.IntN(len(cs))]
}
