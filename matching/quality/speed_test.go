package quality

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/matching/synthetic"
)

var (
	speedCases      = flag.Int("speed.cases", 1_000_000, "cases of the matching speed benchmarks")
	speedTraces     = flag.Int("speed.traces", 2_000, "traces timed by the matching speed benchmarks")
	speedProfile    = flag.String("speed.cpuprofile", "", "write a CPU profile of BenchmarkMatchBatch's timed part (not the world's build) to this file")
	speedEstimation = flag.Int("speed.estimation", 0, "estimation traces of the speed benchmarks' parameters (0: -speed.traces); "+
		"their candidates are held parsed while estimating, about 10 KB each")
	speedStored = flag.Bool("speed.stored", true, "candidates read from their stored parsed values (match_subjects); "+
		"false: from their record's JSON, decoded and parsed (before session 18)")
	speedCache = flag.String("speed.cache", "0", "decoded cases BenchmarkMatchBatch keeps for reuse across traces "+
		"(matching.SubjectCache, as a run keeps matching.DefaultCachedCases); 0: none, each trace decodes its own; "+
		"\"store\": every case in a matching.RunStore (RankStored); "+
		"a comma-separated list runs one sub-benchmark per size on the same world")
	speedLocality = flag.Bool("speed.locality", false, "BenchmarkMatchBatch matches the traces in the order of "+
		"matching.LocalityKey (traces sharing a given name, sex and birth band together) instead of the generated order")
	speedPreScore = flag.String("speed.prescore", strconv.Itoa(matching.PreScoreKeep), "candidates per trace ranked in full after the "+
		"pre-score (matching.WithPreScore; 0: all); a comma-separated list runs BenchmarkMatchBatch once per value "+
		"(BenchmarkMatchInteractive takes the first)")
	speedPrePass = flag.String("speed.prepass", "", "the pre-score's comparisons, comma-separated (empty: matching.PreScoreComparisons)")
	speedPrune   = flag.Bool("speed.prune", false, "candidates read in two steps and pruned (DecodeCandidate, RankPruned; "+
		"with -speed.stored): the second blocking pass of session 19")
)

// world is a generated tenant held as the database would hold it: each
// case's stored parsed values (match_subjects; with -speed.stored=false its
// record data, JSON) and its blocking keys in an inverted index (the GIN
// index), parameters estimated on part of the traces. A trace is matched as
// the job does it: its keys select candidates, their stored values are
// decoded (or their data decoded and parsed), and they are ranked.
type world struct {
	m        *matching.Matcher
	postings map[string][]int32
	// keys: the same postings as a run holds them (matching.RunKeys; the
	// stop keys too), the world's indexes as store indexes
	keys     *matching.RunKeys
	stop     map[string]bool
	data     [][]byte
	ids      []string
	traces   []worldTrace
	build    time.Duration
	buildCPU time.Duration
}

type worldTrace struct {
	request, row map[string]any
	id           string
	caseID       string // the child's case, "" when not registered
	order        int    // its place among its request's traces (Subject.SetOrder)
}

// matchStats counts what matchOne did: candidates, those read in full
// (all unless pruned), and the rank of the trace's child among the
// candidates in the order of shared keys (the SQL query's order).
type matchStats struct {
	candidates, read int
	childRank        int // 1-based; 0: no child registered, -1: not a candidate
	// rankedAs is the child's rank in the ranking (1-based; 0: no child
	// registered, -1: not ranked: not a candidate or left out by the
	// pre-score).
	rankedAs int
}

// childRanks is the rank of a trace's child (-1: not a candidate; 0: not
// registered) in both candidate orders, by shared-key weight (now) and by
// shared-key count (before session 20), each capped at
// matching.MaxCandidates; outside the timed part.
func (w *world) childRanks(t worldTrace) (byWeight, byCount int) {
	if t.caseID == "" {
		return 0, 0
	}
	c := slices.Index(w.ids, t.caseID)
	if c < 0 {
		return -1, -1
	}
	o := orderCandidates(w.m.TraceKeys(w.m.NewTrace(t.id, t.request, t.row)), w.postings, w.stop, len(w.data), true)
	return childRank(o.byWeight, int32(c)), childRank(o.byCount, int32(c))
}

var (
	worldOnce sync.Once
	theWorld  *world
)

func getWorld(b *testing.B) *world {
	worldOnce.Do(func() { theWorld = buildWorld(b, *speedCases, *speedTraces) })
	return theWorld
}

func buildWorld(b *testing.B, cases, traces int) *world {
	start, cpu := time.Now(), processCPU()
	w := &world{postings: map[string][]int32{}, keys: matching.NewRunKeys(nil)}
	var (
		m    *matching.Matcher
		est  *matching.Estimator
		rng  = rand.New(rand.NewPCG(9, 9))
		seen int
		pool []*matching.Subject // a uniform sample for u
	)
	// The matcher needs the hierarchy, which the generator makes first:
	// generate the (small) trace side once to get it.
	probe := synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: 1, Traces: 1, Seed: 21})
	m, err := matching.NewMatcher(matching.DefaultConfiguration(), probe.Locations, probe.Today)
	if err != nil {
		b.Fatal(err)
	}
	est = m.NewEstimator()
	// Cases are generated in one goroutine and parsed (keys, stored form)
	// by GOMAXPROCS workers, in batches applied in generation order, so the
	// world is the same as built one case at a time.
	type parsedCase struct {
		id   string
		s    *matching.Subject
		keys []string
		raw  []byte
		err  error
	}
	batches := make(chan []synthetic.Case, 2)
	var ds *synthetic.Dataset
	go func() {
		defer close(batches)
		var batch []synthetic.Case
		ds = synthetic.Generate(synthetic.Options{Profile: synthetic.ProfileA(), Cases: cases, Traces: traces * 2, Seed: 21,
			OnCase: func(c synthetic.Case) {
				if !c.Consent {
					return
				}
				if batch = append(batch, c); len(batch) == 4096 {
					batches <- batch
					batch = nil
				}
			}})
		if len(batch) > 0 {
			batches <- batch
		}
	}()
	for batch := range batches {
		out := make([]parsedCase, len(batch))
		parallel(len(batch), func(j int) {
			c := batch[j]
			s := m.NewCase(c.ID, c.Data)
			p := parsedCase{id: c.ID, s: s, keys: m.CaseKeys(s)}
			if *speedStored {
				p.raw = m.EncodeCase(s)
			} else {
				p.raw, p.err = json.Marshal(c.Data)
			}
			out[j] = p
		})
		for _, p := range out {
			if p.err != nil {
				b.Fatal(p.err)
			}
			s := p.s
			est.AddCase(s)
			i := int32(len(w.data))
			for _, k := range p.keys {
				w.postings[k] = append(w.postings[k], i)
			}
			if err := w.keys.Add(p.id, i, p.keys); err != nil {
				b.Fatal(err)
			}
			w.data = append(w.data, p.raw)
			w.ids = append(w.ids, p.id)
			seen++
			switch { // reservoir sample of 20,000 cases for u
			case len(pool) < 20_000:
				pool = append(pool, s)
			case rng.IntN(seen) < 20_000:
				pool[rng.IntN(len(pool))] = s
			}
		}
	}
	if err := w.keys.Done(); err != nil {
		b.Fatal(err)
	}
	w.stop = map[string]bool{}
	for _, k := range est.Stop() {
		w.stop[k] = true
	}
	w.m = m
	var in matching.EstimateInput
	in.RandomCases, in.Seed, in.Version = pool, 21, 1
	// The estimation traces share their candidates: each case is parsed
	// once (parsed per trace, 2,000 traces' candidates held about 10 KB
	// each for up to 2,000 candidates per trace: tens of GB at 1,000,000
	// cases).
	parsed := map[int32]*matching.Subject{}
	for _, r := range ds.Requests {
		for k, t := range r.Traces {
			if r.Evaluation {
				w.traces = append(w.traces, worldTrace{request: r.Data, row: t.Row, id: t.ID, caseID: t.CaseID, order: k})
				continue
			}
			if len(in.Blocked) < cmp.Or(*speedEstimation, traces) {
				s := m.NewTrace(t.ID, r.Data, t.Row)
				s.SetOrder(k)
				in.Blocked = append(in.Blocked, matching.Blocked{Trace: s, Cases: w.candidatesShared(nil, s, parsed), Group: r.ID})
				in.RandomTraces = append(in.RandomTraces, s)
			}
		}
	}
	p, err := est.Estimate(in)
	if err != nil {
		b.Fatal(err)
	}
	w.m, err = m.WithParameters(p)
	if err != nil {
		b.Fatal(err)
	}
	w.build, w.buildCPU = time.Since(start), time.Duration(processCPU()-cpu)
	b.Logf("world: %d cases with consent, %d keys, %d stop keys, %d timed traces; built in %s (%s CPU)",
		len(w.data), len(w.postings), len(w.stop), len(w.traces), w.build.Round(time.Second), w.buildCPU.Round(time.Second))
	return w
}

// candidates selects a trace's candidates and reads them (through cache
// when not nil, as a run does).
// With a pre-score (m's) and no cache, only the values it reads are
// decoded (m.DecodeCandidate; the kept candidates are completed).
func (w *world) candidates(m *matching.Matcher, t *matching.Subject, cache *matching.SubjectCache) []*matching.Subject {
	if cache == nil || !*speedStored || *speedPrune {
		return w.candidatesShared(m, t, nil)
	}
	o := orderCandidates(w.m.TraceKeys(t), w.postings, w.stop, len(w.data), false)
	out := make([]*matching.Subject, len(o.byWeight))
	ctx := w.m.DecodeContext("")
	for i, c := range o.byWeight {
		s, err := w.m.DecodeCaseCached(cache, ctx, w.ids[c], w.data[c])
		if err != nil {
			panic(err)
		}
		out[i] = s
	}
	return out
}

// candidatesShared is candidates with the parsed cases kept in parsed (when
// not nil) and reused.
// m reads them (its pre-score's values first when it has one; nil: the
// world's matcher, every value).
func (w *world) candidatesShared(m *matching.Matcher, t *matching.Subject, parsed map[int32]*matching.Subject) []*matching.Subject {
	o := orderCandidates(w.m.TraceKeys(t), w.postings, w.stop, len(w.data), false)
	ids := o.byWeight
	out := make([]*matching.Subject, len(ids))
	for i, c := range ids {
		if s := parsed[c]; s != nil {
			out[i] = s
			continue
		}
		out[i] = w.read(m, c, parsed == nil && (*speedPrune || m != nil && m.PreScore() > 0))
		if parsed != nil {
			out[i].Fields = nil
			parsed[c] = out[i]
		}
	}
	return out
}

// read reads one case as the job does: its stored values (the first
// pass's only when firstPass, for RankPruned), or its record's data
// decoded and parsed.
func (w *world) read(m *matching.Matcher, c int32, firstPass bool) *matching.Subject {
	if *speedStored && firstPass {
		s, err := m.DecodeCandidate(w.ids[c], w.data[c])
		if err != nil {
			panic(err)
		}
		return s
	}
	if *speedStored {
		s, err := w.m.DecodeCase(w.ids[c], w.data[c])
		if err != nil {
			panic(err)
		}
		return s
	}
	var d map[string]any
	if err := json.Unmarshal(w.data[c], &d); err != nil {
		panic(err)
	}
	return w.m.NewCase(w.ids[c], d)
}

// matchOne is one interactive match: keys, candidates, ranking, top 10;
// the batch's with its cache (nil: none).
func (w *world) matchOne(m *matching.Matcher, t worldTrace, cache *matching.SubjectCache) (matchStats, []matching.Candidate) {
	s := w.m.NewTrace(t.id, t.request, t.row)
	s.SetOrder(t.order)
	cands := w.candidates(m, s, cache)
	st := matchStats{candidates: len(cands), read: len(cands)}
	if t.caseID != "" {
		st.childRank = -1
		for i, c := range cands {
			if c.ID == t.caseID {
				st.childRank = i + 1
				break
			}
		}
	}
	var ranked []matching.Candidate
	var err error
	if *speedStored && *speedPrune {
		var ps matching.PruneStats
		ranked, ps, err = m.RankPruned(s, cands)
		st.read = ps.Read
	} else {
		ranked, err = m.Rank(s, cands)
		st.read = min(len(cands), cmp.Or(m.PreScore(), len(cands)))
	}
	if err != nil {
		panic(err)
	}
	if t.caseID != "" {
		st.rankedAs = -1
		for i := range ranked {
			if ranked[i].Case.ID == t.caseID {
				st.rankedAs = i + 1
				break
			}
		}
	}
	return st, ranked[:min(len(ranked), 10)]
}

// reportRanks reports how far down the shared-keys order traces' children
// are: the share within the first 250, 500 and 1,000 candidates and the
// 99th percentile of their rank (traces whose child is a candidate).
func reportRanks(b *testing.B, ranks []int) {
	if len(ranks) == 0 {
		return
	}
	slices.Sort(ranks)
	within := func(n int) float64 {
		k, _ := slices.BinarySearch(ranks, n+1)
		return float64(k) / float64(len(ranks))
	}
	b.ReportMetric(within(250), "child-within-250")
	b.ReportMetric(within(500), "child-within-500")
	b.ReportMetric(within(1000), "child-within-1000")
	b.ReportMetric(float64(ranks[min(len(ranks)-1, int(0.99*float64(len(ranks))))]), "child-rank-p99")
}

// threadCPU is the calling thread's CPU time (lock the goroutine to its
// thread around a measurement).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMatchInteractive: the top 10 candidates of one trace among
// -speed.cases cases (one million by default), in memory: what the
// matching job spends in Go per trace besides the SQL candidate query.
// Reports percentiles of wall and thread CPU time per trace.
func BenchmarkMatchInteractive(b *testing.B) {
	w := getWorld(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var walls, cpus []time.Duration
	var ranks []int
	cands, read := 0, 0
	m := w.withPreScore(preScores(b)[0])
	b.ResetTimer()
	n := max(b.N, len(w.traces)) // every timed trace at least once (-benchtime 1x: once each)
	for i := range n {
		t := w.traces[i%len(w.traces)]
		start, cpu := time.Now(), threadCPU()
		st, _ := w.matchOne(m, t, nil)
		cpus = append(cpus, threadCPU()-cpu)
		walls = append(walls, time.Since(start))
		cands += st.candidates
		read += st.read
		if st.childRank > 0 && i < len(w.traces) {
			ranks = append(ranks, st.childRank)
		}
	}
	b.StopTimer()
	var byWeight, byCount []int
	for _, t := range w.traces {
		if rw, rc := w.childRanks(t); rw != 0 {
			byWeight, byCount = append(byWeight, rw), append(byCount, rc)
		}
	}
	b.Logf("child within 250 / 500 / 1,000 / 1,500 / 2,000 of traces whose child is registered: by weight %s; by count (before) %s",
		orderShares(byWeight), orderShares(byCount))
	slices.Sort(walls)
	slices.Sort(cpus)
	pct := func(xs []time.Duration, p float64) float64 {
		return float64(xs[min(len(xs)-1, int(p*float64(len(xs))))]) / 1e6
	}
	b.ReportMetric(pct(walls, 0.5), "p50-ms")
	b.ReportMetric(pct(walls, 0.95), "p95-ms")
	b.ReportMetric(pct(cpus, 0.5), "p50-cpu-ms")
	b.ReportMetric(pct(cpus, 0.95), "p95-cpu-ms")
	b.ReportMetric(pct(cpus, 0.99), "p99-cpu-ms")
	b.ReportMetric(float64(cands)/float64(n), "candidates/trace")
	b.ReportMetric(float64(read)/float64(cands), "read-share")
	reportRanks(b, ranks)
}

// BenchmarkMatchBatch: every timed trace matched by GOMAXPROCS workers, as
// a full re-match runs; reports traces per second (wall and per CPU
// second), the projected minutes for 100,000 traces, and the process's
// peak resident memory.
func BenchmarkMatchBatch(b *testing.B) {
	w := getWorld(b)
	sizes := strings.Split(*speedCache, ",")
	keeps := preScores(b)
	cacheSize := func(size string) int {
		if size == "store" {
			return storeBatch
		}
		n, err := strconv.Atoi(size)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	if len(sizes) == 1 && len(keeps) == 1 {
		matchBatch(b, w, cacheSize(sizes[0]), keeps[0])
		return
	}
	for _, size := range sizes {
		n := cacheSize(size)
		for _, k := range keeps {
			b.Run(fmt.Sprintf("cache=%s/prescore=%d", size, k), func(b *testing.B) { matchBatch(b, w, n, k) })
		}
	}
}

// withPreScore is the world's matcher with a pre-score keeping keep
// candidates (on -speed.prepass).
func (w *world) withPreScore(keep int) *matching.Matcher {
	if *speedPrePass != "" {
		return w.m.WithPreScoreOn(keep, strings.Split(*speedPrePass, ","))
	}
	return w.m.WithPreScore(keep)
}

// preScores are the values of -speed.prescore.
func preScores(b *testing.B) []int {
	var out []int
	for _, f := range strings.Split(*speedPreScore, ",") {
		k, err := strconv.Atoi(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// storeBatch is matchBatch's cached for every case in a RunStore.
const storeBatch = -1

// matchBatch is BenchmarkMatchBatch with a cache of cached decoded cases
// (0: none; storeBatch: a RunStore of every case, built before the timed
// part and reported), ranking in full keep candidates per trace (0: all).
func matchBatch(b *testing.B, w *world, cached, keep int) {
	m := w.withPreScore(keep)
	var store *matching.RunStore
	if cached == storeBatch {
		store = w.store(b, m)
	}
	if *speedProfile != "" {
		f, err := os.Create(*speedProfile)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	gc := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"},
		{Name: "/cpu/classes/idle:cpu-seconds"}}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapAlloc
	metrics.Read(gc)
	gc0, total0, idle0 := gc[0].Value.Float64(), gc[1].Value.Float64(), gc[2].Value.Float64()
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	n := 0
	ranks := make([]int, len(w.traces))
	ranked := make([]int, len(w.traces))
	var cache *matching.SubjectCache
	if cached > 0 {
		cache = matching.NewSubjectCache(cached)
	}
	one := func(t worldTrace) matchStats {
		if store != nil {
			return w.matchStored(m, store, t)
		}
		st, _ := w.matchOne(m, t, cache)
		return st
	}
	order := make([]int, len(w.traces))
	for i := range order {
		order[i] = i
	}
	if *speedLocality {
		keys := make([]string, len(w.traces))
		for i, t := range w.traces {
			keys[i] = matching.LocalityKey(w.m.TraceKeys(w.m.NewTrace(t.id, t.request, t.row)))
		}
		slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	}
	for range b.N {
		parallel(len(w.traces), func(i int) {
			st := one(w.traces[order[i]])
			ranks[order[i]] = st.childRank
			ranked[order[i]] = st.rankedAs
		})
		n += len(w.traces)
	}
	wall, cpuUsed := time.Since(start).Seconds(), float64(processCPU()-cpu)/1e9
	b.StopTimer()
	metrics.Read(gc)
	// The runtime's estimate of the collector's share (mark workers,
	// assists, pauses) of the time its processors were busy. Its classes
	// are estimates from wall time (not comparable with the process's CPU
	// on a loaded machine), so only their ratio is reported.
	// On a crowded machine its idle class can reach its total (busy near
	// 0: a share in the hundreds of thousands): then none is reported.
	busy := (gc[1].Value.Float64() - total0) - (gc[2].Value.Float64() - idle0)
	if share := (gc[0].Value.Float64() - gc0) / busy; busy > 0 && share <= 1 {
		b.ReportMetric(share, "gc-cpu-share")
	} else {
		b.Logf("the runtime's CPU classes give no collector share here (busy %.3f s)", busy)
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(n)/wall, "traces/s")
	b.ReportMetric(float64(n)/cpuUsed, "traces/cpu-s")
	b.ReportMetric(100_000/(float64(n)/wall)/60, "min/100k-traces")
	b.ReportMetric(100_000/(float64(n)/cpuUsed)/60/2, "min/100k-traces-2-idle-cores")
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MiB")
	if cache != nil {
		hits, misses := cache.Stats()
		b.ReportMetric(float64(hits)/float64(max(1, hits+misses)), "cache-hit-share")
		shared, decoded, sharedNames, decodedNames := cache.ValueStats()
		b.ReportMetric(float64(shared)/float64(max(1, shared+decoded)), "value-share")
		b.ReportMetric(float64(sharedNames)/float64(max(1, sharedNames+decodedNames)), "name-share")
		// The heap the cache holds (decoded cases, their stored forms, the
		// shared values), per case it holds.
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric((float64(ms.HeapAlloc)-float64(heap0))/float64(max(1, cache.Len())), "cache-bytes/case")
	}
	if store != nil {
		pairs, read := store.Stats()
		b.ReportMetric(float64(read)/float64(max(1, pairs)), "given-name-read")
		// candidates pre-scored per trace (those of a trace with more than
		// the pre-score keeps): what a blocking rule's added keys cost
		b.ReportMetric(float64(pairs)/float64(max(1, n)), "prescored/trace")
	}
	reportRanks(b, slices.DeleteFunc(ranks, func(r int) bool { return r <= 0 }))
	reportRecall(b, ranked)
}

// reportRecall reports, over the traces whose child is registered, the
// share whose child the ranking put first, within its 10 best, and
// anywhere (ranked at all: a candidate the pre-score kept).
func reportRecall(b *testing.B, ranked []int) {
	var n, at1, at10, any int
	for _, r := range ranked {
		if r == 0 {
			continue
		}
		n++
		if r > 0 {
			any++
		}
		if r == 1 {
			at1++
		}
		if r >= 1 && r <= 10 {
			at10++
		}
	}
	if n == 0 {
		return
	}
	b.ReportMetric(float64(at1)/float64(n), "recall@1")
	b.ReportMetric(float64(at10)/float64(n), "recall@10")
	b.ReportMetric(float64(any)/float64(n), "child-ranked")
}

// store builds a RunStore of every case of the world for m (outside the
// timed part) and logs its build time, values and heap.
func (w *world) store(b *testing.B, m *matching.Matcher) *matching.RunStore {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapAlloc
	start, cpu := time.Now(), processCPU()
	s, err := m.NewRunStore("")
	if err != nil {
		b.Fatal(err)
	}
	for c := range w.data {
		if _, err := s.Add(w.ids[c], 0, w.data[c]); err != nil {
			b.Fatal(err)
		}
	}
	s.Done()
	values, forms := s.Values()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.Logf("store: %d cases, %d distinct values, %d bytes of forms, %.0f heap bytes per case; built in %s (%s CPU)",
		s.Len(), values, forms, (float64(ms.HeapAlloc)-float64(heap0))/float64(max(1, s.Len())),
		time.Since(start).Round(time.Millisecond), time.Duration(processCPU()-cpu).Round(time.Millisecond))
	keys, pairs := w.keys.Postings()
	b.Logf("run keys: %d cases, %d distinct keys, %d (key, case) pairs (%.1f per case; stop keys held too)",
		w.keys.Len(), keys, pairs, float64(pairs)/float64(max(1, w.keys.Len())))
	return s
}

// matchStored is matchOne as a run with a store matches: its candidates
// selected from the run's keys (RunKeys.Select: the SQL query's selection,
// nothing changed since), ranked by RankStored.
func (w *world) matchStored(m *matching.Matcher, store *matching.RunStore, t worldTrace) matchStats {
	s := w.m.NewTrace(t.id, t.request, t.row)
	s.SetOrder(t.order)
	keys := slices.DeleteFunc(w.m.TraceKeys(s), func(k string) bool { return w.stop[k] })
	cands := w.keys.Select(keys, len(w.data), matching.MaxCandidates, nil, nil)
	st := matchStats{candidates: len(cands), read: min(len(cands), cmp.Or(m.PreScore(), len(cands)))}
	if t.caseID != "" {
		st.childRank = -1
		for i, c := range cands {
			if c.ID == t.caseID {
				st.childRank = i + 1
				break
			}
		}
	}
	stored := make([]matching.StoredCandidate, len(cands))
	for i, c := range cands {
		stored[i].At = c.At // the world's indexes are the store's
	}
	// the kept cases' memory reused from trace to trace, as the service's
	// matchRequest reuses it (keptCases)
	kc := keptCases.Get().(*matching.KeptCases)
	defer keptCases.Put(kc)
	ranked, err := m.RankStoredIn(store, kc, []*matching.Subject{s}, [][]matching.StoredCandidate{stored})
	if err != nil {
		panic(err)
	}
	if t.caseID != "" {
		st.rankedAs = -1
		for i := range ranked[0] {
			if ranked[0][i].Case.ID == t.caseID {
				st.rankedAs = i + 1
				break
			}
		}
	}
	return st
}

var keptCases = sync.Pool{New: func() any { return new(matching.KeptCases) }}
