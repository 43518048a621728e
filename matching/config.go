package matching

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Kind is how a comparison reads and compares its fields; each kind has its
// own comparison levels (Levels).
type Kind string

// The comparison kinds.
const (
	// KindName compares personal names (package names): the listed fields
	// of each side are joined into one name, or compared field by field
	// (Comparison.ByPosition). Alternates are other name fields
	// where the same name may have been written (a given name recorded as a
	// last name, a nickname given instead of the name).
	KindName Kind = "name"
	// KindRelativeName compares the inquirer's name with the names of the
	// case's family members (rows of a subform), preferring the rows whose
	// relation to the child is the inquirer's.
	KindRelativeName Kind = "relative_name"
	// KindCategory compares option ids (select boxes, single or multiple):
	// equal when the two sides share a value.
	KindCategory Kind = "category"
	// KindCategories compares several option fields field by field (the
	// n-th case field with the n-th trace field) as one comparison: equal
	// on every field present on both sides, on one, on some but not all,
	// on none. Fields that go together (nationality, languages, religion,
	// ethnicity all follow a family's community) are one comparison rather
	// than several, so that agreement on them is not counted several times.
	KindCategories Kind = "categories"
	// KindAge compares ages and dates of birth: fields are the date of birth
	// and then the age in years, the age being given on the reference date
	// (a trace's inquiry date) or, without one, today.
	KindAge Kind = "age"
	// KindDate compares dates (the best pair when several fields are listed).
	KindDate Kind = "date"
	// KindLocation compares location codes by their place in the location
	// hierarchy (the best pair when several fields are listed).
	KindLocation Kind = "location"
)

// Side says where a comparison reads its values on one side, the case or
// the trace. A trace's fields are read from its row of the tracing request
// first and then from the tracing request itself (the inquirer, the
// separation).
type Side struct {
	// Fields are the field names read, in order.
	Fields []string `json:"fields" minItems:"1" maxItems:"8"`
	// Alternates (names) are other fields where the name may have been
	// written.
	Alternates []string `json:"alternates,omitempty" maxItems:"8"`
	// Subform (relative names, case side) is the subform whose rows are the
	// family members.
	Subform string `json:"subform,omitempty"`
	// RelationField (relative names; the places of a case's subform rows)
	// holds the relation to the child: in each subform row on the case
	// side, in the trace row on the trace side. A location comparison that
	// names it on both sides compares the inquirer's place with the place
	// of the case's family member of the same relation only.
	RelationField string `json:"relation_field,omitempty"`
	// EstimatedField (ages) is a tick box saying the date of birth is an
	// estimate.
	EstimatedField string `json:"estimated_field,omitempty"`
	// ReferenceDateField (ages) is the date on which the age was given.
	ReferenceDateField string `json:"reference_date_field,omitempty"`
}

// ByRelation says whether a location comparison compares a family
// member's place with the same member's only: both sides name the
// relation (value.otherRelation).
func (c Comparison) ByRelation() bool {
	return c.Kind == KindLocation && c.Case.RelationField != "" && c.Trace.RelationField != ""
}

// LocationLevel is one level of a location comparison: both places lie
// under the same place of this admin level.
type LocationLevel struct {
	// Name is the level's name as stored, e.g. "same_district".
	Name string `json:"name" pattern:"^same_[a-z0-9_]{1,40}$"`
	// AdminLevel is the admin level (0 country ... 5) of the common place.
	AdminLevel int `json:"admin_level" minimum:"0" maximum:"5"`
}

// Comparison is one element of the comparison vector: which case fields are
// compared with which trace fields, and how.
type Comparison struct {
	// Name identifies the comparison in parameters and stored explanations.
	Name string `json:"name" pattern:"^[a-z][a-z0-9_]{0,39}$"`
	Kind Kind   `json:"kind" enum:"name,relative_name,category,categories,age,date,location"`
	Case Side   `json:"case"`
	// Trace is the other side, read from the trace row, then the request.
	Trace Side `json:"trace"`
	// SharedBySiblings marks what brothers and sisters usually have in
	// common (family names, parents, the separation): the model then
	// explains agreement there by "same family" as well as by "same child".
	SharedBySiblings bool `json:"shared_by_siblings"`
	// TermFrequency (names, options and locations) weighs agreement on a
	// name, an option or a place by how rare it is among the cases:
	// agreeing on a rare name, a rare nationality or a small settlement
	// counts for more than on a common one.
	TermFrequency bool `json:"term_frequency"`
	// LocationLevels (locations), from the coarsest admin level to the
	// finest; "same" (one code) is always the strongest level.
	LocationLevels []LocationLevel `json:"location_levels,omitempty" maxItems:"6"`
	// ByPosition (names of several fields) compares the fields position
	// by position, the n-th case field with the n-th trace field, rather
	// than as one name: each field holds one part of the name by its
	// meaning (the father's name, the grandfather's), so a part one side
	// does not give is left out (the comparison is missing when no part is
	// given on both sides), and a part given on one side in one position
	// and on the other in another is not agreement.
	ByPosition bool `json:"by_position,omitempty"`
	// Swaps (names with alternates on both sides, not by position) scores
	// a name found in one of the other side's alternate fields while one
	// of its own alternates is the other side's name (a given name and a
	// family name exchanged between the fields on one side) as one level,
	// swapped, rather than an alternate.
	Swaps bool `json:"swaps,omitempty"`
	// SwapsWith (names by position) names the comparison with swaps whose
	// name may be written in one of these fields on one side: a position
	// where the trace's name is the case's name of that comparison and the
	// case's the trace's is left out here, as that comparison scores the
	// exchange (swapped), rather than compared as a disagreement.
	SwapsWith string `json:"swaps_with,omitempty" pattern:"^[a-z][a-z0-9_]{0,39}$"`
	// ByTraceOrder marks a comparison whose trace value is the tracing
	// request's, one for all the children it seeks, given for the first
	// of them (the separation's date, cause and place): for a brother or
	// sister separated apart it is another child's. Its m and f are
	// estimated apart for a request's first trace and for its later ones
	// (Subject.SetOrder), so that agreement and disagreement weigh what
	// the tenant's own later traces show.
	ByTraceOrder bool `json:"by_trace_order,omitempty"`
}

// partner is the index of comparison i's SwapsWith comparison, -1 when it
// has none.
func (c Configuration) partner(i int) int {
	name := c.Comparisons[i].SwapsWith
	if name == "" {
		return -1
	}
	return slices.IndexFunc(c.Comparisons, func(x Comparison) bool { return x.Name == name })
}

// Blocking says which comparisons give the blocking keys that select the
// candidate cases of a trace (docs/matching.md, Blocking).
type Blocking struct {
	// Names are name comparisons whose parts give pair keys (any two parts
	// of the child's names, alternates included).
	Names []string `json:"names"`
	// Given are name comparisons whose parts give single keys, with sex and
	// birth band (the child's given name and nickname).
	Given []string `json:"given,omitempty"`
	// Relatives are relative-name comparisons whose parts give keys with a
	// part of the given name.
	Relatives []string `json:"relatives,omitempty"`
	// Sex is a category comparison (the child's sex); a trace without one
	// looks under each of SexValues.
	Sex       string   `json:"sex,omitempty"`
	SexValues []string `json:"sex_values,omitempty" maxItems:"8"`
	// Age is the age comparison (for birth-year bands).
	Age string `json:"age,omitempty"`
	// Locations are location comparisons; keys use their place at
	// LocationAdminLevel.
	Locations          []string `json:"locations,omitempty"`
	LocationAdminLevel int      `json:"location_admin_level" minimum:"0" maximum:"5"`
}

// Thresholds turn probabilities into labels: likely at or above Likely,
// possible at or above Possible, unlikely below.
type Thresholds struct {
	Likely   float64 `json:"likely" minimum:"0" maximum:"1"`
	Possible float64 `json:"possible" minimum:"0" maximum:"1"`
}

// Label names of a potential match.
const (
	LabelLikely   = "likely"
	LabelPossible = "possible"
	LabelUnlikely = "unlikely"
)

// Label returns the label of a probability.
func (t Thresholds) Label(p float64) string {
	switch {
	case p >= t.Likely:
		return LabelLikely
	case p >= t.Possible:
		return LabelPossible
	}
	return LabelUnlikely
}

// Configuration is a tenant's matching configuration
// (GET/PUT /api/v2/matching/configuration).
type Configuration struct {
	Comparisons []Comparison `json:"comparisons" minItems:"1" maxItems:"40"`
	Blocking    Blocking     `json:"blocking"`
	Thresholds  Thresholds   `json:"thresholds"`
	// Prior is the stated prior: the share of traces whose child is among the
	// cases that consent to tracing. Zero means the share estimated from the
	// tenant's data with the other parameters.
	Prior float64 `json:"prior" minimum:"0" maximum:"0.99"`
}

// Default thresholds: "likely" means odds of at least 3 to 2 (until
// session 50 it was 0.5, more likely than not: one trace in 16 to 20 whose
// child is not registered still got a wrong likely; docs/matching.md,
// Labels); "possible" one chance in twenty or better.
const (
	LikelyDefault   = 0.6
	PossibleDefault = 0.05
)

// DefaultConfiguration is the configuration for the default CPIMS+ forms
// (forms/defaults/README.md, "For FTR matching").
func DefaultConfiguration() Configuration {
	childNames := []string{"name_first", "name_middle", "name_last", "name_nickname", "name_other"}
	except := func(fs ...string) []string {
		return slices.DeleteFunc(slices.Clone(childNames), func(f string) bool { return slices.Contains(fs, f) })
	}
	same := func(k Kind, name string, fields ...string) Comparison {
		return Comparison{Name: name, Kind: k, Case: Side{Fields: fields}, Trace: Side{Fields: fields}}
	}
	locLevels := []LocationLevel{{Name: "same_region", AdminLevel: 1}, {Name: "same_district", AdminLevel: 2}}
	family := func(c Comparison) Comparison { c.SharedBySiblings = true; return c }
	tf := func(c Comparison) Comparison { c.TermFrequency = true; return c }
	// the request's separation is given for its first child sought
	firstOnly := func(c Comparison) Comparison { c.ByTraceOrder = true; return c }

	given := tf(same(KindName, "given_name", "name_first"))
	given.Case.Alternates = except("name_first")
	given.Trace.Alternates = except("name_first")
	given.Swaps = true
	familyNames := family(tf(same(KindName, "family_names", "name_middle", "name_last")))
	familyNames.ByPosition = true
	familyNames.SwapsWith = "given_name"
	other := tf(same(KindName, "other_names", "name_nickname", "name_other"))
	other.Case.Alternates = []string{"name_first"}
	other.Trace.Alternates = []string{"name_first"}
	age := Comparison{Name: "age", Kind: KindAge,
		Case:  Side{Fields: []string{"date_of_birth", "age"}, EstimatedField: "estimated"},
		Trace: Side{Fields: []string{"date_of_birth", "age"}, ReferenceDateField: "inquiry_date"}}
	location := Comparison{Name: "location", Kind: KindLocation, SharedBySiblings: true, TermFrequency: true, LocationLevels: locLevels,
		Case:  Side{Fields: []string{"location_current"}},
		Trace: Side{Fields: []string{"location_last", "location_separation"}}}
	separationLocation := Comparison{Name: "separation_location", Kind: KindLocation, SharedBySiblings: true, TermFrequency: true, ByTraceOrder: true, LocationLevels: locLevels,
		Case:  Side{Fields: []string{"location_separation"}},
		Trace: Side{Fields: []string{"location_last", "location_separation"}}}
	parent := Comparison{Name: "inquirer_name", Kind: KindRelativeName, SharedBySiblings: true, TermFrequency: true,
		Case: Side{Fields: []string{"relation_name"}, Alternates: []string{"relation_nickname"},
			Subform: "family_details_section", RelationField: "relation"},
		Trace: Side{Fields: []string{"relation_name"}, Alternates: []string{"relation_nickname"}, RelationField: "relation"}}
	inquirerLocation := Comparison{Name: "inquirer_location", Kind: KindLocation, SharedBySiblings: true, LocationLevels: locLevels,
		Case:  Side{Fields: []string{"relation_location_current"}, Subform: "family_details_section", RelationField: "relation"},
		Trace: Side{Fields: []string{"relation_location_current"}, RelationField: "relation"}}

	return Configuration{
		Comparisons: []Comparison{
			given, familyNames, other,
			same(KindCategory, "sex", "sex"),
			age,
			family(same(KindCategories, "origin", "nationality", "language", "religion", "ethnicity")),
			location,
			separationLocation,
			firstOnly(family(same(KindDate, "separation_date", "date_of_separation"))),
			firstOnly(family(same(KindCategory, "separation_cause", "separation_cause"))),
			parent,
			inquirerLocation,
		},
		Blocking: Blocking{
			Names:              []string{"given_name", "family_names", "other_names"},
			Given:              []string{"given_name", "other_names"},
			Relatives:          []string{"inquirer_name"},
			Sex:                "sex",
			SexValues:          []string{"female", "male", "other"},
			Age:                "age",
			Locations:          []string{"location", "separation_location"},
			LocationAdminLevel: 2,
		},
		Thresholds: Thresholds{Likely: LikelyDefault, Possible: PossibleDefault},
	}
}

var (
	comparisonName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	fieldName      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,79}$`)
	levelName      = regexp.MustCompile(`^same_[a-z0-9_]{1,40}$`)
)

// Validate checks a configuration and returns every problem at once as a
// tenancy.ValidationError (paths relative to the configuration body), or
// nil. Field names are checked for form only: whether the tenant's forms
// have them is the caller's check (FieldsUsed lists them).
func (c Configuration) Validate() error {
	var errs []tenancy.FieldError
	add := func(path, reason string, v any) {
		errs = append(errs, tenancy.FieldError{Path: path, Reason: reason, Value: v})
	}
	if len(c.Comparisons) == 0 {
		add("comparisons", "at least one comparison is required", nil)
	}
	byName := map[string]Comparison{}
	for i, cmp := range c.Comparisons {
		p := fmt.Sprintf("comparisons[%d]", i)
		if !comparisonName.MatchString(cmp.Name) {
			add(p+".name", "must match ^[a-z][a-z0-9_]{0,39}$", cmp.Name)
		} else if _, dup := byName[cmp.Name]; dup {
			add(p+".name", "duplicate comparison name", cmp.Name)
		}
		byName[cmp.Name] = cmp
		if !slices.Contains(kinds, cmp.Kind) {
			add(p+".kind", "unknown kind", string(cmp.Kind))
			continue
		}
		for _, s := range []struct {
			name string
			side Side
		}{{"case", cmp.Case}, {"trace", cmp.Trace}} {
			validateSide(cmp, p+"."+s.name, s.name == "case", s.side, add)
		}
		if cmp.TermFrequency && cmp.Kind != KindName && cmp.Kind != KindRelativeName && cmp.Kind != KindCategory && cmp.Kind != KindLocation {
			add(p+".term_frequency", "term frequencies apply to names, options and locations only", true)
		}
		if (cmp.Kind == KindCategories || cmp.ByPosition) && len(cmp.Case.Fields) != len(cmp.Trace.Fields) {
			add(p+".trace.fields", "compared field by field: as many fields as the case side", cmp.Trace.Fields)
		}
		if cmp.ByPosition && cmp.Kind != KindName {
			add(p+".by_position", "only names are compared by position", true)
		}
		if cmp.Swaps && (cmp.Kind != KindName || cmp.ByPosition || len(cmp.Case.Alternates) == 0 || len(cmp.Trace.Alternates) == 0) {
			add(p+".swaps", "swaps apply to a name compared whole, with alternates on both sides", true)
		}
		if cmp.SwapsWith != "" && (cmp.Kind != KindName || !cmp.ByPosition) {
			add(p+".swaps_with", "only a name compared by position leaves out exchanged positions", cmp.SwapsWith)
		}
		if cmp.Kind == KindLocation {
			seen := map[string]bool{"same": true}
			last := -1
			for j, l := range cmp.LocationLevels {
				lp := fmt.Sprintf("%s.location_levels[%d]", p, j)
				if !levelName.MatchString(l.Name) || seen[l.Name] {
					add(lp+".name", "must match ^same_[a-z0-9_]+$ and be unique", l.Name)
				}
				seen[l.Name] = true
				if l.AdminLevel < 0 || l.AdminLevel > 5 || l.AdminLevel <= last {
					add(lp+".admin_level", "admin levels go from 0 to 5, coarsest first", l.AdminLevel)
				}
				last = l.AdminLevel
			}
		} else if len(cmp.LocationLevels) > 0 {
			add(p+".location_levels", "only location comparisons have location levels", nil)
		}
	}
	for i, cmp := range c.Comparisons {
		if cmp.SwapsWith == "" || cmp.Kind != KindName || !cmp.ByPosition {
			continue
		}
		if partner, ok := byName[cmp.SwapsWith]; !ok || partner.Kind != KindName || !partner.Swaps || partner.ByPosition {
			add(fmt.Sprintf("comparisons[%d].swaps_with", i), "must name a name comparison with swaps", cmp.SwapsWith)
		}
	}
	b := c.Blocking
	refs := func(path string, names []string, want ...Kind) {
		for j, n := range names {
			if cmp, ok := byName[n]; !ok || !slices.Contains(want, cmp.Kind) {
				add(fmt.Sprintf("%s[%d]", path, j), fmt.Sprintf("must name a comparison of kind %v", want), n)
			}
		}
	}
	if len(b.Names) == 0 {
		add("blocking.names", "at least one name comparison gives blocking keys", nil)
	}
	refs("blocking.names", b.Names, KindName)
	refs("blocking.given", b.Given, KindName)
	refs("blocking.relatives", b.Relatives, KindRelativeName)
	refs("blocking.locations", b.Locations, KindLocation)
	if b.Sex != "" {
		if cmp, ok := byName[b.Sex]; !ok || cmp.Kind != KindCategory {
			add("blocking.sex", "must name a category comparison", b.Sex)
		}
	}
	if b.Age != "" {
		if cmp, ok := byName[b.Age]; !ok || cmp.Kind != KindAge {
			add("blocking.age", "must name an age comparison", b.Age)
		}
	}
	if b.LocationAdminLevel < 0 || b.LocationAdminLevel > 5 {
		add("blocking.location_admin_level", "admin levels go from 0 to 5", b.LocationAdminLevel)
	}
	t := c.Thresholds
	if !(t.Possible > 0 && t.Possible < t.Likely && t.Likely <= 1) {
		add("thresholds", "need 0 < possible < likely <= 1", t)
	}
	if c.Prior < 0 || c.Prior >= 1 {
		add("prior", "a share in [0, 1); 0 means estimated", c.Prior)
	}
	if len(errs) > 0 {
		return &tenancy.ValidationError{Title: "The matching configuration is not valid.", Errors: errs}
	}
	return nil
}

var kinds = []Kind{KindName, KindRelativeName, KindCategory, KindCategories, KindAge, KindDate, KindLocation}

func validateSide(cmp Comparison, p string, isCase bool, s Side, add func(string, string, any)) {
	if len(s.Fields) == 0 {
		add(p+".fields", "at least one field", nil)
	}
	for j, f := range append(slices.Clone(s.Fields), s.Alternates...) {
		if !fieldName.MatchString(f) {
			add(fmt.Sprintf("%s.fields[%d]", p, j), "not a field name", f)
		}
	}
	for _, o := range []struct {
		name, v string
		ok      bool
	}{
		{"subform", s.Subform, isCase && (cmp.Kind == KindRelativeName || cmp.Kind == KindLocation)},
		{"relation_field", s.RelationField, cmp.Kind == KindRelativeName || cmp.Kind == KindLocation && (!isCase || s.Subform != "")},
		{"estimated_field", s.EstimatedField, cmp.Kind == KindAge},
		{"reference_date_field", s.ReferenceDateField, cmp.Kind == KindAge},
	} {
		if o.v == "" {
			continue
		}
		if !o.ok {
			add(p+"."+o.name, "not used by this kind of comparison on this side", o.v)
		} else if !fieldName.MatchString(o.v) {
			add(p+"."+o.name, "not a field name", o.v)
		}
	}
	if len(s.Alternates) > 0 && cmp.Kind != KindName && cmp.Kind != KindRelativeName {
		add(p+".alternates", "only name comparisons have alternates", nil)
	}
	if cmp.Kind == KindRelativeName && isCase && s.Subform == "" {
		add(p+".subform", "a relative-name comparison reads the case's family subform", nil)
	}
	if cmp.Kind == KindAge && len(s.Fields) != 2 {
		add(p+".fields", "an age comparison reads [date of birth, age]", s.Fields)
	}
}

// FieldsUsed returns the fields a configuration reads on each side, for
// checking them against the tenant's forms and for deciding whether a
// change to a record touches matching. Subform fields are given as
// "subform.field".
func (c Configuration) FieldsUsed() (caseFields, traceFields []string) {
	for _, cmp := range c.Comparisons {
		caseFields = append(caseFields, sideFields(cmp.Case)...)
		traceFields = append(traceFields, sideFields(cmp.Trace)...)
	}
	slices.Sort(caseFields)
	slices.Sort(traceFields)
	return slices.Compact(caseFields), slices.Compact(traceFields)
}

// sideFields are the fields a side reads (eachField), a subform's fields
// as "subform.field" after the subform itself.
func sideFields(s Side) []string {
	var out []string
	if s.Subform != "" {
		out = append(out, s.Subform)
	}
	s.eachField(func(f string, inSubform bool) {
		if inSubform {
			f = s.Subform + "." + f
		}
		out = append(out, f)
	})
	return out
}

// eachField calls fn with each field the side reads: its fields, alternates
// and relation field (inSubform when the side reads a subform's rows), then
// its estimated and reference date fields (the record's own).
func (s Side) eachField(fn func(f string, inSubform bool)) {
	for _, fs := range [...][]string{s.Fields, s.Alternates, {s.RelationField}} {
		for _, f := range fs {
			if f != "" {
				fn(f, s.Subform != "")
			}
		}
	}
	for _, f := range [...]string{s.EstimatedField, s.ReferenceDateField} {
		if f != "" {
			fn(f, false)
		}
	}
}

// comparisonIndex returns the index of the named comparison, or -1.
func (c Configuration) comparisonIndex(name string) int {
	return slices.IndexFunc(c.Comparisons, func(x Comparison) bool { return x.Name == name })
}
