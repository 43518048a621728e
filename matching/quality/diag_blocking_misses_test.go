package quality

import (
	"cmp"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/names"
)

// blockingProbe is a blocking rule tried in BenchmarkDiagnoseBlockingMisses
// before it is built: the keys it would add to a case and to a trace, from
// the generated record and the subject's keys of today's rules.
type blockingProbe struct {
	name, doc string
	keys      func(r probeRecord) []string
}

// probeRecord is what a probe reads of one side: whether it is a trace,
// the record's fields (the child's names) and its keys of today's rules
// (whose parts give the sexes, the birth bands and the given-name prefixes
// the side looks under).
type probeRecord struct {
	trace  bool
	fields map[string]any
	keys   []string
}

// keyParts returns, for keys of a rule ("ns:P|female|1007"), the set of
// values of the part at position i of the key's '|'-separated parts.
func keyParts(keys []string, rule string, i int) map[string]bool {
	out := map[string]bool{}
	for _, k := range keys {
		body, ok := strings.CutPrefix(k, rule+":")
		if !ok {
			continue
		}
		if ps := strings.Split(body, "|"); i < len(ps) {
			out[ps[i]] = true
		}
	}
	return out
}

// nameTokenKeys returns, per name field of the child, its tokens' phonetic
// keys (one set per token).
func nameTokenKeys(fields map[string]any, fs ...string) [][]string {
	var out [][]string
	for _, f := range fs {
		s, _ := fields[f].(string)
		if s == "" {
			continue
		}
		for _, tok := range names.Parse(s).Tokens() {
			if ks := names.Keys(tok); len(ks) > 0 {
				out = append(out, ks)
			}
		}
	}
	return out
}

var childNameFields = []string{"name_first", "name_middle", "name_last", "name_nickname", "name_other"}

// blockingProbes are the rules measured; see docs/matching-log.md, Quality →
// Session 36 (engineer K).
var blockingProbes = []blockingProbe{
	{name: "pb", doc: "one part of the child's names (any field, its phonetic key), the sex and the birth band",
		keys: func(r probeRecord) []string { return partBandKeys("pb", r, childNameFields, true) }},
	{name: "fb", doc: "one part of the child's family names (father's, grandfather's), the sex and the birth band",
		keys: func(r probeRecord) []string {
			return partBandKeys("fb", r, []string{"name_middle", "name_last"}, true)
		}},
	{name: "pb-", doc: "pb without the sex",
		keys: func(r probeRecord) []string { return partBandKeys("pb-", r, childNameFields, false) }},
	{name: "pi", doc: "pb with the first letter of the given name's ns prefix",
		keys: func(r probeRecord) []string { return initialKeys(partBandKeys("pi", r, childNameFields, true), r) }},
	{name: "pfi", doc: "fb with the first letter of the given name's ns prefix",
		keys: func(r probeRecord) []string {
			return initialKeys(partBandKeys("pfi", r, []string{"name_middle", "name_last"}, true), r)
		}},
	{name: "pi-", doc: "pi without the sex",
		keys: func(r probeRecord) []string { return initialKeys(partBandKeys("pi-", r, childNameFields, false), r) }},
	{name: "nw", doc: "ns with the trace looking one birth band further each way",
		keys: widerBands},
	// Session 37 (engineer K): the child who shares one name part with the
	// trace but no fi key. A fi key is (a family name's part, the initial
	// of a given name's part); "swapped" keys are (a given name's part, the
	// initial of a family name's part).
	{name: "fst", doc: "swapped fi keys on the trace against the case's fi keys (the part in common in the trace's given name)",
		keys: func(r probeRecord) []string {
			if r.trace {
				return crossKeys("fst", r, givenFields, familyFields, initial)
			}
			return crossKeys("fst", r, familyFields, givenFields, initial)
		}},
	{name: "fsc", doc: "swapped fi keys on the case against the trace's fi keys (the part in common in the case's given name)",
		keys: func(r probeRecord) []string {
			if r.trace {
				return crossKeys("fsc", r, familyFields, givenFields, initial)
			}
			return crossKeys("fsc", r, givenFields, familyFields, initial)
		}},
	{name: "fs", doc: "swapped fi keys on both sides, as one rule with fi (fst, fsc and swapped against swapped)",
		keys: func(r probeRecord) []string { return swappedKeys("fs", r, initial) }},
	{name: "fsk", doc: "fs and fc: swapped fi keys on both sides, every initial with K, G, H and X merged",
		keys: func(r probeRecord) []string {
			return append(swappedKeys("fsk", r, coarseInitial), crossKeys("fsk0", r, familyFields, givenFields, coarseInitial)...)
		}},
	{name: "fc", doc: "fi with the initials K, G, H and X (Kh, Ch) merged",
		keys: func(r probeRecord) []string { return crossKeys("fc", r, familyFields, givenFields, coarseInitial) }},
	{name: "fia", doc: "fi with the initial of any other part of the child's names, given or family (a nickname or a name swapped)",
		keys: func(r probeRecord) []string { return crossKeys("fia", r, familyFields, childNameFields, initial) }},
	{name: "fg", doc: "a trace without family names: its given name's parts against the cases' family names' parts, sex and birth band",
		keys: func(r probeRecord) []string { return givenAloneKeys("fg", r, true) }},
	{name: "fh", doc: "a case without family names: its given name's parts against the traces' family names' parts, sex and birth band",
		keys: func(r probeRecord) []string { return givenAloneKeys("fh", r, false) }},
	{name: "fx", doc: "fs, fg and fh together: a name part found in the other side's other field",
		keys: func(r probeRecord) []string {
			var out []string
			for _, k := range swappedKeys("fs", r, initial) {
				out = append(out, "fx"+k)
			}
			out = append(out, givenAloneKeys("fxg", r, true)...)
			out = append(out, givenAloneKeys("fxh", r, false)...)
			slices.Sort(out)
			return out
		}},
	{name: "fa", doc: "any part of the child's names with the initial of any other part (either field)",
		keys: func(r probeRecord) []string { return crossKeys("fa", r, childNameFields, childNameFields, initial) }},
}

// givenAloneKeys are the keys (part, sex, band) that join a side with no
// family name (a trace when alone is true, a case when false) by its given
// name's parts to the other side's family names' parts.
func givenAloneKeys(rule string, r probeRecord, alone bool) []string {
	if r.trace != alone {
		return partBandKeys(rule, r, familyFields, true)
	}
	if len(nameTokenKeys(r.fields, familyFields...)) == 0 {
		return partBandKeys(rule, r, givenFields, true)
	}
	return nil
}

// swappedKeys are a side's swapped fi keys against the other side's fi
// keys (rule+"1", rule+"2": whichever side holds the part in common in its
// given name) and against its swapped keys (rule+"3").
func swappedKeys(rule string, r probeRecord, init func(string) string) []string {
	swapped, normal := givenFields, familyFields
	if !r.trace {
		swapped, normal = normal, swapped
	}
	out := crossKeys(rule+"1", r, swapped, normal, init)
	out = append(out, crossKeys(rule+"2", r, normal, swapped, init)...)
	out = append(out, crossKeys(rule+"3", r, givenFields, familyFields, init)...)
	slices.Sort(out)
	return out
}

var (
	givenFields  = []string{"name_first", "name_nickname", "name_other"}
	familyFields = []string{"name_middle", "name_last"}
)

// initial is the first letter of a key's ns prefix: voiced and voiceless
// pairs merged as matching's loosePrefix does.
func initial(k string) string {
	switch c := k[:1]; c {
	case "D":
		return "T"
	case "G":
		return "K"
	case "Z":
		return "S"
	case "P":
		return "B"
	default:
		return c
	}
}

// coarseInitial is initial with H and X (Kh, Ch, sh) in K's class too.
func coarseInitial(k string) string {
	switch c := initial(k); c {
	case "H", "X":
		return "K"
	default:
		return c
	}
}

// crossKeys are the keys rule:part|initial|sex|band: each phonetic key of a
// part of the fields partFs with the initial of each key of a part of the
// fields initialFs, another token than the part's, under the side's sexes
// and birth bands (those of its ns keys).
func crossKeys(rule string, r probeRecord, partFs, initialFs []string, init func(string) string) []string {
	sexes, bands := keyParts(r.keys, "ns", 1), keyParts(r.keys, "ns", 2)
	type tok struct {
		field, tok string
		keys       []string
	}
	toks := func(fs []string) []tok {
		var out []tok
		for _, f := range fs {
			s, _ := r.fields[f].(string)
			for _, t := range names.Parse(s).Tokens() {
				if ks := names.Keys(t); len(ks) > 0 {
					out = append(out, tok{f, t, ks})
				}
			}
		}
		return out
	}
	inits := toks(initialFs)
	var out []string
	for _, p := range toks(partFs) {
		for _, q := range inits {
			if q.field == p.field && q.tok == p.tok {
				continue
			}
			for _, k := range p.keys {
				for _, qk := range q.keys {
					for sx := range sexes {
						for bd := range bands {
							out = append(out, rule+":"+k+"|"+init(qk)+"|"+sx+"|"+bd)
						}
					}
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// widerBands are ns's keys under another name, a trace's also in the band
// below its lowest and above its highest.
func widerBands(r probeRecord) []string {
	var out []string
	bands := keyParts(r.keys, "ns", 2)
	for _, k := range r.keys {
		body, ok := strings.CutPrefix(k, "ns:")
		if !ok {
			continue
		}
		out = append(out, "nw:"+body)
		ps := strings.Split(body, "|")
		b, err := strconv.Atoi(ps[2])
		if !r.trace || err != nil {
			continue
		}
		for _, d := range []int{-1, 1} {
			if x := strconv.Itoa(b + d); !bands[x] {
				out = append(out, "nw:"+ps[0]+"|"+ps[1]+"|"+x)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// initialKeys appends to each key the first letter of each of the side's
// given-name prefixes (its ns keys': voiced and voiceless merged).
func initialKeys(keys []string, r probeRecord) []string {
	initials := map[string]bool{}
	for p := range keyParts(r.keys, "ns", 0) {
		initials[p[:1]] = true
	}
	var out []string
	for _, k := range keys {
		for i := range initials {
			out = append(out, k+"|"+i)
		}
	}
	slices.Sort(out)
	return out
}

// partBandKeys are the keys of a probe: each part of the name fields as
// its phonetic keys, with the side's sexes (or none) and birth bands (those
// of its ns keys: a case's own band, a trace's bands within BirthYearSlack
// years).
func partBandKeys(rule string, r probeRecord, fields []string, withSex bool) []string {
	sexes, bands := keyParts(r.keys, "ns", 1), keyParts(r.keys, "ns", 2)
	if !withSex {
		sexes = map[string]bool{"-": true}
	}
	var out []string
	for _, ks := range nameTokenKeys(r.fields, fields...) {
		for _, k := range ks {
			for sx := range sexes {
				for bd := range bands {
					out = append(out, rule+":"+k+"|"+sx+"|"+bd)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

var diagProbes = flag.String("diag.probes", "", "BenchmarkDiagnoseBlockingMisses: the probes measured, by name, comma-separated (all when empty)")

// BenchmarkDiagnoseBlockingMisses is a diagnosis, not a figure of the
// report: for each held-out trace whose registered child is outside the
// candidates, which rules' keys the trace and the child's case share
// (selecting, stop keys, or shared but cut by the cap MaxCandidates), and,
// where they share none, which part of each rule's key differs (the names'
// parts, the given name's prefix, the sex, the birth band, the district,
// the inquirer's name) with the generator's distortions behind it. Then,
// for each of blockingProbes, the bound of a new rule: the children it
// brings within the cap (the same selection as matching.Index, today's keys
// and the probe's), those of them the model would then rank in its top 10
// (the child added to the ranked candidates: an upper bound, as the
// pre-score still has to keep it), the candidates per held-out trace before
// and after, and the probe's stop keys. Run with -quality.profile,
// -quality.cases, -quality.traces, -quality.prescore.
func BenchmarkDiagnoseBlockingMisses(b *testing.B) {
	p, ds, m := diagnosisData(b)
	blockingProbes := blockingProbes
	if *diagProbes != "" {
		want := strings.Split(*diagProbes, ",")
		blockingProbes = slices.DeleteFunc(slices.Clone(blockingProbes), func(pr blockingProbe) bool {
			return !slices.Contains(want, pr.name)
		})
	}
	type held struct {
		in       Inspection
		keys     []string
		inCands  bool
		rankedID []string
	}
	var (
		mu    sync.Mutex
		helds []held
	)
	o := Options{Profile: p, Cases: *qualityCases, Traces: *qualityTraces, Seed: *qualitySeed, Logf: b.Logf,
		Prior: *qualityPrior, PreScore: *qualityPreScore, NoFit: true,
		Inspect: func(in Inspection) {
			h := held{in: in, keys: m.TraceKeys(m.NewTrace(in.Trace.ID, in.Request.Data, in.Trace.Row))}
			for _, c := range in.Candidates {
				h.inCands = h.inCands || c.ID == in.Trace.CaseID
			}
			for _, c := range in.Ranked {
				h.rankedID = append(h.rankedID, c.Case.ID)
			}
			h.in.Candidates, h.in.Ranked = nil, nil
			mu.Lock()
			helds = append(helds, h)
			mu.Unlock()
		}}
	res, scorer := runAndScorer(b, m, o)
	stop := map[string]bool{}
	for _, k := range res.Parameters.Stop {
		stop[k] = true
	}

	// The consenting cases, their keys of today's rules and of each probe.
	type kase struct {
		id     string
		s      *matching.Subject
		fields map[string]any
		keys   []string
	}
	var cases []kase
	byID := map[string]int{}
	for _, c := range ds.Cases {
		if c.Consent {
			byID[c.ID] = len(cases)
			cases = append(cases, kase{id: c.ID, fields: c.Data})
		}
	}
	parallel(len(cases), func(i int) {
		cases[i].s = m.NewCase(cases[i].id, cases[i].fields)
		cases[i].keys = m.CaseKeys(cases[i].s)
	})
	probeCaseKeys := make([][][]string, len(blockingProbes))
	for pi, pr := range blockingProbes {
		probeCaseKeys[pi] = make([][]string, len(cases))
		parallel(len(cases), func(i int) {
			probeCaseKeys[pi][i] = pr.keys(probeRecord{fields: cases[i].fields, keys: cases[i].keys})
		})
	}
	postings := map[string][]int32{}
	for i, c := range cases {
		for _, k := range c.keys {
			postings[k] = append(postings[k], int32(i))
		}
	}
	for pi := range blockingProbes {
		for i, ks := range probeCaseKeys[pi] {
			for _, k := range ks {
				postings[k] = append(postings[k], int32(i))
			}
		}
	}
	// selectCases is Index.Candidates on the postings above: the cases sharing a
	// key that is not a stop key, the heaviest MaxCandidates of them.
	isStop := func(k string) bool { return stop[k] || len(postings[k]) > matching.StopCases }
	selectCases := func(keys []string) []int32 {
		hits := map[int32]int64{}
		for _, k := range keys {
			if isStop(k) {
				continue
			}
			cs := postings[k]
			w := matching.KeyWeight(len(cases), len(cs))
			for _, c := range cs {
				hits[c] += w
			}
		}
		ids := slices.Collect(maps.Keys(hits))
		slices.SortFunc(ids, func(a, b int32) int { return cmp.Or(cmp.Compare(hits[b], hits[a]), cmp.Compare(a, b)) })
		return ids[:min(len(ids), matching.MaxCandidates)]
	}

	registered, outside, agree := 0, 0, 0
	classes := map[string]int{}
	why := map[string]int{}
	distortions := map[string]int{}
	var examples []string
	base := make([]int, len(helds)) // candidates per held-out trace, today's rules
	parallel(len(helds), func(i int) { base[i] = len(selectCases(helds[i].keys)) })
	for _, h := range helds {
		if h.in.Trace.CaseID == "" {
			continue
		}
		registered++
		ci, ok := byID[h.in.Trace.CaseID]
		if !ok {
			continue
		}
		sel := slices.Contains(selectCases(h.keys), int32(ci))
		if sel == h.inCands {
			agree++
		}
		if h.inCands {
			continue
		}
		outside++
		c := cases[ci]
		// The rules whose keys both share, selecting or stop.
		shared, stopped := map[string]bool{}, map[string]bool{}
		for _, k := range h.keys {
			if _, ok := slices.BinarySearch(c.keys, k); !ok {
				continue
			}
			rule, _, _ := strings.Cut(k, ":")
			if isStop(k) {
				stopped[rule] = true
			} else {
				shared[rule] = true
			}
		}
		class := "no key shared"
		switch {
		case len(shared) > 0:
			class = "shares " + strings.Join(slices.Sorted(maps.Keys(shared)), ",") + ": cut by the cap"
		case len(stopped) > 0:
			class = "shares only stop keys of " + strings.Join(slices.Sorted(maps.Keys(stopped)), ",")
		}
		classes[class]++
		if len(shared) > 0 || len(stopped) > 0 {
			continue
		}
		// Shares nothing: which part of each rule's key differs.
		tr, cs := h.in.Trace.Row, c.fields
		tParts, cParts := nameTokenKeys(tr, childNameFields...), nameTokenKeys(cs, childNameFields...)
		sharedParts := 0
		for _, tp := range tParts {
			for _, cp := range cParts {
				if slices.ContainsFunc(tp, func(k string) bool { return slices.Contains(cp, k) }) {
					sharedParts++
					break
				}
			}
		}
		overlaps := func(rule string, i int) bool {
			a, b := keyParts(h.keys, rule, i), keyParts(c.keys, rule, i)
			for k := range a {
				if b[k] {
					return true
				}
			}
			return false
		}
		var sig []string
		sig = append(sig, fmt.Sprintf("name parts shared %d", min(sharedParts, 2)))
		if !overlaps("ns", 0) {
			sig = append(sig, "given prefix differs")
		}
		if !overlaps("ns", 1) && !overlaps("ls", 1) {
			sig = append(sig, "sex differs")
		}
		if !overlaps("ns", 2) {
			sig = append(sig, "birth band apart")
		}
		if !overlaps("ls", 0) {
			sig = append(sig, "district differs")
		}
		if !overlaps("rn", 0) {
			sig = append(sig, "no inquirer part in the family rows")
		}
		why[strings.Join(sig, "; ")]++
		var notes []string
		for _, d := range h.in.Trace.Distortions {
			notes = append(notes, "trace "+d)
		}
		for _, d := range h.in.Case(c.id).Distortions {
			notes = append(notes, "case "+d)
		}
		slices.Sort(notes)
		for _, d := range slices.Compact(notes) {
			distortions[d]++
		}
		if len(examples) < *diagExamples {
			examples = append(examples, fmt.Sprintf("%v %v %v | %v %v %v [%s] {%s}",
				tr["name_first"], tr["name_middle"], tr["name_last"], cs["name_first"], cs["name_middle"], cs["name_last"],
				strings.Join(sig, "; "), strings.Join(notes, ", ")))
		}
	}

	// Each probe: today's keys and the probe's, the same selection.
	type probeResult struct {
		gained, lost, top10, first, stopKeys, keys int
		candidates                                 int
		examples                                   []string
	}
	probes := make([]probeResult, len(blockingProbes))
	for pi, pr := range blockingProbes {
		r := &probes[pi]
		for k, cs := range postings {
			if strings.HasPrefix(k, pr.name+":") {
				r.keys++
				if len(cs) > matching.StopCases {
					r.stopKeys++
				}
			}
		}
		sels := make([][]int32, len(helds))
		parallel(len(helds), func(i int) {
			h := helds[i]
			keys := append(slices.Clone(h.keys),
				pr.keys(probeRecord{trace: true, fields: h.in.Trace.Row, keys: h.keys})...)
			sels[i] = selectCases(keys)
		})
		for i, h := range helds {
			r.candidates += len(sels[i])
			ci, ok := byID[h.in.Trace.CaseID]
			if !ok {
				continue
			}
			in := slices.Contains(sels[i], int32(ci))
			switch {
			case in && !h.inCands:
				r.gained++
				t := m.NewTrace(h.in.Trace.ID, h.in.Request.Data, h.in.Trace.Row)
				ranked := []*matching.Subject{cases[ci].s}
				for _, id := range h.rankedID {
					ranked = append(ranked, cases[byID[id]].s)
				}
				got, err := scorer.Rank(t, ranked)
				if err != nil {
					b.Fatal(err)
				}
				for j, c := range got[:min(len(got), 10)] {
					if c.Case.ID == cases[ci].id {
						r.top10++
						if j == 0 {
							r.first++
						}
					}
				}
				if len(r.examples) < 10 {
					r.examples = append(r.examples, fmt.Sprintf("%v %v %v / %v %v %v", h.in.Trace.Row["name_first"],
						h.in.Trace.Row["name_middle"], h.in.Trace.Row["name_last"], cases[ci].fields["name_first"],
						cases[ci].fields["name_middle"], cases[ci].fields["name_last"]))
				}
			case !in && h.inCands:
				r.lost++
			}
		}
	}
	baseCandidates := 0
	for _, n := range base {
		baseCandidates += n
	}

	var out strings.Builder
	of := func(n int) float64 { return float64(n) / float64(max(registered, 1)) }
	fmt.Fprintf(&out, "profile %s, %d cases: %d held-out traces whose child is registered; child outside the candidates %d (%.3f); "+
		"the selection here agrees with the harness's for %d of them\n", p.Name, *qualityCases, registered, outside, of(outside), agree)
	printCounts(&out, "children outside the candidates", classes, registered)
	printCounts(&out, "sharing no key: what differs", why, registered)
	printCounts(&out, "sharing no key: distortions (trace / case)", distortions, registered)
	fmt.Fprintf(&out, "  examples (trace given middle last | case's):\n    %s\n", strings.Join(examples, "\n    "))
	fmt.Fprintf(&out, "  probes (candidates per held-out trace today %.1f):\n", float64(baseCandidates)/float64(max(len(helds), 1)))
	for pi, pr := range blockingProbes {
		r := probes[pi]
		fmt.Fprintf(&out, "    %s (%s): children brought within the cap %d (%.4f), then in the top 10 %d (%.4f), first %d (%.4f); "+
			"children pushed out of the cap %d; candidates per trace %.1f (%+.1f %%); keys %d, stop keys %d\n",
			pr.name, pr.doc, r.gained, of(r.gained), r.top10, of(r.top10), r.first, of(r.first), r.lost,
			float64(r.candidates)/float64(max(len(helds), 1)),
			100*(float64(r.candidates)/float64(max(baseCandidates, 1))-1), r.keys, r.stopKeys)
		fmt.Fprintf(&out, "      brought in: %s\n", strings.Join(r.examples, "; "))
	}
	fmt.Fprintln(os.Stdout, out.String())
}
