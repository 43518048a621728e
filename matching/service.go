package matching

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Permissions of the matching operations (policy/catalog.go).
var (
	PermConfigRead  = policy.Permission{Resource: "matching", Action: "read"}
	PermConfigWrite = policy.Permission{Resource: "matching", Action: "write"}
	PermRead        = policy.Permission{Resource: "potential_matches", Action: "read"}
	PermReview      = policy.Permission{Resource: "potential_matches", Action: "review"}
	// PermMatch is the matching job's (policy.ActorMatcher).
	PermMatch = policy.Permission{Resource: "potential_matches", Action: "match"}
)

// StoredPerTrace is how many of a trace's best candidates are stored as
// potential matches besides every candidate labelled likely or possible.
const StoredPerTrace = 10

// MaxTracesPerCase bounds the traces a case's change re-matches at once
// (those sharing the most keys with it); the periodic full re-match covers
// the rest.
const MaxTracesPerCase = 500

// ServiceConfig configures a Service.
type ServiceConfig struct {
	// Now defaults to time.Now.
	Now func() time.Time
	// MaxCandidates bounds the candidates a trace reads (0:
	// MaxCandidates); tests set a small one to see the candidate order.
	MaxCandidates int
	// CachedCases bounds the decoded cases a re-matching run or a case's
	// job keeps for reuse across its traces (SubjectCache; 0:
	// DefaultCachedCases, negative: none).
	CachedCases int
	// RunWorkers is how many transactions of a re-matching run match their
	// batch of tracing requests at once (0: GOMAXPROCS, the worker's
	// cores).
	RunWorkers int
	// RunBatch is how many tracing requests one transaction of a run
	// matches (0: RunBatch).
	RunBatch int
	// PreScoreKeep is how many of a trace's candidates are ranked in full,
	// those with the best first-pass score (Matcher.WithPreScore; 0:
	// PreScoreKeep, negative: every candidate).
	PreScoreKeep int
	// StoreCases bounds the consenting cases a re-matching run holds in a
	// RunStore (0: DefaultStoreCases, negative: none); a tenant with more
	// is run through the cache (CachedCases).
	StoreCases int
	// OnRunStore, when set, is called once a run's store is built, before
	// its first trace is matched (tests change a case there).
	OnRunStore func()
	// OnRunProgress, when set, is called after each write of a run's
	// preparation's progress has committed (tests read the run there).
	OnRunProgress func(stage string, done, total int)
	// ProgressInterval is how often, at most, a run's preparation writes
	// its progress (0: ProgressInterval; negative: at every step, for
	// tests).
	ProgressInterval time.Duration
	// ProgressWait is how long a progress write waits for a connection and
	// its statement before it is skipped (0: progressWait; tests that read
	// every write under a loaded CI machine give it longer).
	ProgressWait time.Duration
}

// DefaultStoreCases is how many consenting cases a run holds in its
// RunStore by default: about 2 KB each, some 2 GB (docs/matching-log.md,
// Speed → Session 26; Session 33 (lead): its rest values' tables).
const DefaultStoreCases = 1_000_000

// DefaultCachedCases is how many decoded cases a run keeps by default:
// about 7 KB each with their stored form and shared values, some 700 MB
// (docs/matching-log.md, Speed → Session 24).
const DefaultCachedCases = 100_000

// newCache returns the cache of a run or a case's job (nil: none).
func (s *Service) newCache() *SubjectCache {
	n := cmp.Or(s.cfg.CachedCases, DefaultCachedCases)
	if n < 0 {
		return nil
	}
	return NewSubjectCache(n)
}

// Service stores potential matches, runs matching jobs and keeps the
// tenant's matching configuration and parameters (package matching/review
// lists and reviews the stored matches). Every method
// checks its permission and runs in tenant transactions.
type Service struct {
	p   *tenancy.Platform
	cfg ServiceConfig
	// searched, when set (tests), is called by a record's matching once it
	// has read the other side's keys, before its transaction commits
	// (matchCase: the tracing requests sharing the case's keys;
	// matchRequest: the traces' candidates).
	searched func(recordType string)
	params   *paramsCache
}

// paramsCache keeps each tenant's newest parameters as a job last decoded
// them. A version's row is never changed once stored (an estimate inserts
// the next version), and at 1,000,000 cases it is about 1.3 MB of JSON (the
// names' frequencies): 80-90 ms of server CPU to send and 30-50 ms of Go CPU
// to decode, which every record's job paid before its matching
// (docs/matching-log.md, Speed, Session 37 (lead)). A job reads the newest
// version's number and its row's xmin (the transaction that wrote it: a
// tenant created again under the same code, or the row rewritten by hand,
// has another) and decodes only a row the Service has not met. Cached
// parameters are shared: nothing writes to a Parameters once decoded
// (WithParameters reads it).
type paramsCache struct {
	mu       sync.Mutex
	byTenant map[string]cachedParams
}

type paramsKey struct {
	tenant  string
	version int
	xmin    int64
}

type cachedParams struct {
	key paramsKey
	p   *Parameters
}

func (pc *paramsCache) get(k paramsKey) *Parameters {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.byTenant[k.tenant]; ok && e.key == k {
		return e.p
	}
	return nil
}

func (pc *paramsCache) put(k paramsKey, p *Parameters) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.byTenant[k.tenant]; ok && e.key.version > k.version {
		return // a job that read before a newer estimate: keep the newer
	}
	pc.byTenant[k.tenant] = cachedParams{key: k, p: p}
}

func (s *Service) maxCandidates() int { return cmp.Or(s.cfg.MaxCandidates, MaxCandidates) }

func (s *Service) preScoreKeep() int { return max(0, cmp.Or(s.cfg.PreScoreKeep, PreScoreKeep)) }

// NewService returns a Service on platform p.
func NewService(p *tenancy.Platform, cfg ServiceConfig) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{p: p, cfg: cfg, params: &paramsCache{byTenant: map[string]cachedParams{}}}
}

// MatchArgs is the River job matching one record: a tracing request's
// traces, or the traces a case may answer. Unique per record while queued
// or running, so a burst of edits runs it once; an edit committed while it
// runs makes it run again (Service.MatchRecord).
type MatchArgs struct {
	Tenant     string `json:"tenant"`
	RecordType string `json:"record_type"`
	RecordID   string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (MatchArgs) Kind() string { return "match_record" }

// InsertOpts makes the job unique per record among the jobs not finished
// (a completed one does not stop the next edit's).
func (MatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// ErrRunAgain: the record changed while the job matched it; the job runs
// again (the worker snoozes it).
var ErrRunAgain = errors.New("the record changed while it was matched")

// RecordWritten is the records.Config.OnWrite hook: in the transaction of
// the write, it queues the matching of a tracing request (any write) or of
// a case (created, disabled or enabled, or a field matching reads changed).
func (s *Service) RecordWritten(ctx context.Context, c *tenancy.Conn, w records.Written) error {
	switch w.RecordType {
	case records.TypeTracingRequest:
	case records.TypeCase:
		if w.Action == "update" {
			cfg, _, err := loadConfiguration(ctx, c)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(w.Changes, func(ch records.FieldChange) bool { return touches(cfg, ch.Path) }) {
				return nil
			}
		}
	default:
		return nil
	}
	return c.Enqueue(ctx, MatchArgs{Tenant: c.Tenant(), RecordType: w.RecordType, RecordID: w.ID}, nil)
}

// ConsentField is the case field that must be true for a case to take part.
const ConsentField = "consent_for_tracing"

// touches reports whether a change at path (a records.FieldChange path:
// field, field[row], field[row].subfield) concerns matching.
func touches(cfg Configuration, path string) bool {
	field, _, _ := strings.Cut(path, "[")
	if field == ConsentField {
		return true
	}
	caseFields, _ := cfg.FieldsUsed()
	for _, f := range caseFields {
		top, _, _ := strings.Cut(f, ".")
		if top == field {
			return true
		}
	}
	return false
}

// configurationNote is the tenancy.Conn note of the stored configuration
// read beside a record's lock (ConfigurationRead).
type configurationNote struct{}

// ConfigurationRead is records.Config.OnWriteRead for RecordWritten: the
// statement that locks a record for an update reads the tenant's stored
// matching configuration too, so that the hook does not read it in a
// round trip of its own (docs/records.md, Session 24).
func ConfigurationRead() *records.NotedRead {
	return &records.NotedRead{Key: configurationNote{},
		SQL: "(select jsonb_build_object('configuration', configuration, 'version', version)::text from matching_configuration)"}
}

// loadConfiguration returns the tenant's matching configuration and its
// version (0: none stored, the defaults): as read beside the record's lock
// (ConfigurationRead) when it was, else read now.
func loadConfiguration(ctx context.Context, c *tenancy.Conn) (Configuration, int, error) {
	var raw []byte
	var version int
	if v, ok := c.Noted(configurationNote{}); ok {
		noted, _ := v.(*string)
		if noted == nil {
			return DefaultConfiguration(), 0, nil
		}
		var stored struct {
			Configuration json.RawMessage `json:"configuration"`
			Version       int             `json:"version"`
		}
		if err := json.Unmarshal([]byte(*noted), &stored); err != nil {
			return Configuration{}, 0, fmt.Errorf("stored matching configuration: %w", err)
		}
		raw, version = stored.Configuration, stored.Version
	} else {
		err := c.QueryRow(ctx, "select configuration, version from matching_configuration").Scan(&raw, &version)
		if errors.Is(err, pgx.ErrNoRows) {
			return DefaultConfiguration(), 0, nil
		}
		if err != nil {
			return Configuration{}, 0, err
		}
	}
	var cfg Configuration
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return Configuration{}, 0, fmt.Errorf("stored matching configuration: %w", err)
	}
	return cfg, version, nil
}

// tenantLocations is the tenant's location hierarchy in memory.
type tenantLocations map[string][]Place

// Path implements Locations.
func (l tenantLocations) Path(code string) []Place { return l[code] }

// digest identifies the hierarchy's content (every code's path and
// levels), whatever the map's order.
func (l tenantLocations) digest() string {
	var sum uint64
	h := fnv.New64a()
	for code, places := range l {
		h.Reset()
		h.Write([]byte(code))
		for _, p := range places {
			h.Write([]byte{0})
			h.Write([]byte(p.Code))
			h.Write([]byte{0, byte(p.AdminLevel), byte(p.AdminLevel >> 8)})
		}
		sum += h.Sum64()
	}
	return strconv.FormatUint(sum, 16) + "/" + strconv.Itoa(len(l))
}

func loadLocations(ctx context.Context, c *tenancy.Conn) (tenantLocations, error) {
	rows, err := c.Query(ctx, "select code, admin_level, path::text from locations")
	if err != nil {
		return nil, err
	}
	level := map[string]int{}
	paths := map[string]string{}
	var code, path string
	var lvl int
	if _, err := pgx.ForEachRow(rows, []any{&code, &lvl, &path}, func() error {
		level[code], paths[code] = lvl, path
		return nil
	}); err != nil {
		return nil, err
	}
	out := make(tenantLocations, len(paths))
	for code, path := range paths {
		parts := strings.Split(path, ".")
		places := make([]Place, len(parts))
		for i, p := range parts {
			places[i] = Place{Code: p, AdminLevel: level[p]}
		}
		out[code] = places
	}
	return out, nil
}

// scorer is the tenant's matcher with its current parameters.
type scorer struct {
	m       *Matcher
	locs    tenantLocations
	stop    map[string]bool
	cfgVer  int
	version int
	// cache, when set (useCache), keeps the decoded candidates across the
	// tracing requests matched with this scorer, in context decodeCtx.
	cache     *SubjectCache
	decodeCtx string
	// store, when set (useStore), holds the cases of a run: candidates
	// whose stored form has not changed since are read from it; keys, when
	// set, the run's blocking keys of its cases: candidates are selected
	// from them (RunKeys.Select) rather than by selectCandidates.
	store *RunStore
	keys  *RunKeys
}

// useStore makes the scorer read candidates from a run's store when the
// store was built by a matcher that decodes and pre-scores as this one
// does (with the same locations), and select them from the run's keys when
// they leave out this scorer's stop keys (the same parameters); else the
// scorer selects and reads as before.
func (sc *scorer) useStore(store *RunStore, keys *RunKeys) {
	if sc == nil || store == nil || !store.Serves(sc.m, sc.locs.digest()) {
		return
	}
	sc.store = store
	if keys != nil && keys.version == sc.version {
		sc.keys = keys
	}
}

// useCache makes the scorer decode candidates through cache (nil: none).
func (sc *scorer) useCache(cache *SubjectCache) {
	if sc == nil || cache == nil {
		return
	}
	sc.cache, sc.decodeCtx = cache, sc.m.DecodeContext(sc.locs.digest())
}

// loadMatcher builds the tenant's matcher under its current configuration
// (and returns the configuration's version) and locations.
func (s *Service) loadMatcher(ctx context.Context, c *tenancy.Conn) (*Matcher, int, tenantLocations, error) {
	cfg, cfgVer, err := loadConfiguration(ctx, c)
	if err != nil {
		return nil, 0, nil, err
	}
	locs, err := loadLocations(ctx, c)
	if err != nil {
		return nil, 0, nil, err
	}
	m, err := NewMatcher(cfg, locs, s.cfg.Now().UTC())
	return m, cfgVer, locs, err
}

// loadScorer builds the tenant's matcher and loads its newest parameters
// estimated under the current configuration, estimating them first when
// there are none (a new tenant, a changed configuration) or they do not fit
// the matcher (a release that changed a comparison's levels). nil scorer:
// too little data to estimate (no trace or no case yet).
func (s *Service) loadScorer(ctx context.Context, c *tenancy.Conn) (*scorer, error) {
	m, cfgVer, locs, err := s.loadMatcher(ctx, c)
	if err != nil {
		return nil, err
	}
	current := func() (*Parameters, error) {
		var key paramsKey
		err := c.QueryRow(ctx, `select version, xmin::text::bigint from matching_parameters where configuration_version = $1
			order by version desc limit 1`, cfgVer).Scan(&key.version, &key.xmin)
		if err != nil {
			return nil, err
		}
		key.tenant = c.Tenant()
		p := s.params.get(key)
		if p == nil {
			var raw []byte
			if err := c.QueryRow(ctx, "select parameters from matching_parameters where version = $1", key.version).Scan(&raw); err != nil {
				return nil, err
			}
			p = new(Parameters)
			if err := json.Unmarshal(raw, p); err != nil {
				return nil, fmt.Errorf("stored matching parameters: %w", err)
			}
			s.params.put(key, p)
		}
		if _, err := m.WithParameters(p); errors.Is(err, ErrParameters) {
			// estimated by an earlier release whose comparisons had
			// other levels: estimated anew, as for a new configuration
			return nil, errStaleParameters
		}
		return p, nil
	}
	p, err := current()
	if errors.Is(err, pgx.ErrNoRows) || errors.Is(err, errStaleParameters) {
		// One estimate at a time per tenant: jobs running together wait
		// here, then find the first one's parameters.
		if err = lockEstimation(ctx, c); err == nil {
			p, err = current()
		}
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows), errors.Is(err, errStaleParameters):
		p, err = s.estimate(ctx, c, m, cfgVer)
		if errors.Is(err, ErrTooLittleData) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	}
	scored, err := m.WithParameters(p)
	if err != nil {
		return nil, err
	}
	scored = scored.WithPreScore(s.preScoreKeep())
	sc := &scorer{m: scored, locs: locs, stop: map[string]bool{}, cfgVer: cfgVer, version: p.Version}
	for _, k := range p.Stop {
		sc.stop[k] = true
	}
	return sc, nil
}

// errStaleParameters: the newest stored parameters do not fit the
// matcher (ErrParameters), they are estimated anew.
var errStaleParameters = errors.New("stored matching parameters do not fit the model")

// lockEstimation takes the tenant's estimation lock until the transaction
// ends.
func lockEstimation(ctx context.Context, c *tenancy.Conn) error {
	_, err := c.Exec(ctx, "select pg_advisory_xact_lock(hashtext(current_schema() || '.matching_parameters'))")
	return err
}

// Estimation samples (docs/matching.md, Estimation).
const (
	estimationTraces = 5000
	randomCases      = 20000
)

// consentCondition selects the cases that take part (alias r).
const consentCondition = `r.record_type = 'case' and r.enabled and r.data->'` + ConsentField + `' = 'true'::jsonb`

// estimate estimates parameters from the tenant's data and stores them as a
// new version: every case with consent is counted (readPool), the newest
// traces (at most 5,000) with their candidates give m and f, random pairs
// u, confirmed matches count in m.
func (s *Service) estimate(ctx context.Context, c *tenancy.Conn, m *Matcher, cfgVer int) (*Parameters, error) {
	rng := s.estimationRand()
	pool, err := readPool(ctx, c, m, rng)
	if err != nil {
		return nil, err
	}
	return s.estimateFrom(ctx, c, pool, cfgVer, rng, nil)
}

// estimationRand is an estimate's source of randomness: its sample of
// cases and its random pairs.
func (s *Service) estimationRand() *rand.Rand {
	return rand.New(rand.NewPCG(uint64(s.cfg.Now().UnixNano()), 1))
}

// estimateFrom is estimate on the cases of pool: each estimation trace's
// candidates are selected from the pool's keys and decoded from its forms
// when the estimate reaches that trace.
func (s *Service) estimateFrom(ctx context.Context, c *tenancy.Conn, pool *casePool, cfgVer int, rng *rand.Rand,
	progress *runProgress) (*Parameters, error) {
	m := pool.m
	stop := map[string]bool{}
	for _, k := range pool.est.Stop() {
		stop[k] = true
	}
	rows, err := c.Query(ctx, `select t.id::text, t.tracing_request_id::text, t.data, r.data, coalesce(t.matched_case_id::text, ''), t.position
		from traces t join records r on r.id = t.tracing_request_id where r.enabled
		order by t.updated_at desc limit $1`, estimationTraces)
	if err != nil {
		return nil, err
	}
	in := EstimateInput{RandomCases: pool.sample, Seed: rng.Uint64(), Now: s.cfg.Now().UTC(),
		Workers: s.runWorkers(), Progress: progress.progressFunc()}
	type confirmed struct {
		trace *Subject
		id    string
	}
	var matches []confirmed
	var id, trID, matched string
	var row, request map[string]any
	var position int
	if _, err := pgx.ForEachRow(rows, []any{&id, &trID, &row, &request, &matched, &position}, func() error {
		t := m.NewTrace(id, request, row)
		t.SetOrder(position)
		in.Blocked = append(in.Blocked, pool.blocked(t, trID, stop))
		in.RandomTraces = append(in.RandomTraces, t)
		if matched != "" {
			matches = append(matches, confirmed{t, matched})
		}
		row, request = nil, nil
		return nil
	}); err != nil {
		return nil, err
	}
	for _, x := range matches {
		cs, err := pool.decode(x.id)
		if err != nil {
			return nil, err
		}
		if cs != nil { // a case without consent now is no match to count
			in.Confirmed = append(in.Confirmed, Pair{Trace: x.trace, Case: cs})
		}
	}
	if len(pool.forms) == 0 || len(in.Blocked) == 0 {
		return nil, ErrTooLittleData
	}
	if err := c.QueryRow(ctx, "select coalesce(max(version), 0) + 1 from matching_parameters").Scan(&in.Version); err != nil {
		return nil, err
	}
	p, err := pool.est.Estimate(in)
	if err != nil {
		return nil, err
	}
	if _, err := c.Exec(ctx, `insert into matching_parameters (version, configuration_version, parameters) values ($1, $2, $3)`,
		p.Version, cfgVer, p); err != nil {
		return nil, err
	}
	return p, nil
}

// MatchRecord is the matching job's work (policy.ActorMatcher in ctx): a
// tracing request's traces are matched; a case's blocking keys are stored
// and the tracing requests it may answer (sharing keys with it, or already
// holding a potential match with it) are matched again. ErrRunAgain when
// the record changed meanwhile.
//
// The record's blocking keys are committed first, in a transaction of
// their own (publishKeys), and only then are the other side's keys read:
// a case and a tracing request seeking that child, written at about the
// same time, have their two jobs running together, and were each to store
// its keys and look for the other's in one transaction, each could read
// before the other committed and neither would find the pair (a lost
// match until the next full run). Committed first, the job that reads
// second sees the other's keys.
func (s *Service) MatchRecord(ctx context.Context, tenant, recordType, id string) error {
	if err := s.p.Authorize(ctx, tenant, PermMatch); err != nil {
		return err
	}
	if err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		return s.publishKeys(ctx, c, recordType, id)
	}); err != nil {
		return err
	}
	var version int64
	err := s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		err := c.QueryRow(ctx, "select version from records where id = $1 and record_type = $2", id, recordType).Scan(&version)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // deleted meanwhile: nothing to match
		}
		if err != nil {
			return err
		}
		sc, err := s.loadScorer(ctx, c)
		if err != nil {
			return err
		}
		switch recordType {
		case records.TypeTracingRequest:
			return s.matchRequest(ctx, c, sc, id)
		case records.TypeCase:
			return s.matchCase(ctx, c, sc, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.p.Tx(ctx, tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var now int64
		err := c.QueryRow(ctx, "select version from records where id = $1", id).Scan(&now)
		if err == nil && now != version {
			return ErrRunAgain
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
}

// publishKeys stores a record's blocking keys under the current
// configuration (a case's with its parsed values; a tracing request's
// traces'), as the matching that follows stores them again: MatchRecord
// commits them first.
func (s *Service) publishKeys(ctx context.Context, c *tenancy.Conn, recordType, id string) error {
	if recordType != records.TypeCase && recordType != records.TypeTracingRequest {
		return nil
	}
	m, _, _, err := s.loadMatcher(ctx, c)
	if err != nil {
		return err
	}
	if recordType == records.TypeCase {
		if _, err := storeCaseKeys(ctx, c, m, id); !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return nil // deleted meanwhile
	}
	req, err := readRequest(ctx, c, id)
	if err != nil || req == nil {
		return err
	}
	_, err = storeTraceKeys(ctx, c, m, req)
	return err
}

// storeCaseKeys stores a case's blocking keys (none without consent or
// disabled) and its parsed values (match_subjects), and returns the keys.
// It holds the record's row until the transaction ends (for share): a
// write that withdraws the case's consent meanwhile waits, and its trigger
// then removes what was stored (migration 046).
func storeCaseKeys(ctx context.Context, c *tenancy.Conn, m *Matcher, id string) ([]string, error) {
	var data map[string]any
	var consenting bool
	err := c.QueryRow(ctx, "select r.data, coalesce("+consentCondition+", false) from records r where r.id = $1 for share", id).
		Scan(&data, &consenting)
	if err != nil {
		return nil, err
	}
	if !consenting {
		_, err = c.Exec(ctx, "delete from match_subjects where record_id = $1", id)
		return []string{}, err
	}
	s := m.NewCase(id, data)
	keys := m.CaseKeys(s)
	var w subjectWrites
	w.queue(id, m.EncodeCase(s), keys)
	return keys, w.exec(ctx, c, m.Fingerprint())
}

// subjectWrites are cases' parsed values and blocking keys to store, written
// by one statement (upsertSubjects): one case's job (storeCaseKeys) and each
// chunk of a run's pass over every case (storeCases) write them alike. The
// keys of all the cases travel as one array, each case's a slice of it.
type subjectWrites struct {
	ids    []string
	forms  [][]byte
	lo, hi []int32 // each case's keys: keys[lo:hi] in SQL, from 1
	keys   []string
}

func (w *subjectWrites) queue(id string, form []byte, keys []string) {
	w.ids = append(w.ids, id)
	w.forms = append(w.forms, form)
	w.lo = append(w.lo, int32(len(w.keys)+1))
	w.keys = append(w.keys, keys...)
	w.hi = append(w.hi, int32(len(w.keys)))
}

// exec writes the cases (each once: one statement cannot upsert a row
// twice) under fingerprint fp, and empties w.
func (w *subjectWrites) exec(ctx context.Context, c *tenancy.Conn, fp int64) error {
	if len(w.ids) == 0 {
		return nil
	}
	_, err := c.Exec(ctx, upsertSubjects, w.ids, fp, w.forms, w.lo, w.hi, w.keys)
	*w = subjectWrites{}
	return err
}

// upsertSubjects stores cases' parsed values and blocking keys ($1 their
// ids, $2 the matcher's fingerprint, $3 their stored forms, $4 and $5 the
// bounds of each case's keys in $6; the table's statement triggers keep the
// postings, match_keys, in step: migrations 046 and 047), each when the case
// takes part as the statement runs (a case whose consent was withdrawn since
// its data was read gets no row: migration 046); unchanged values are not
// written again: the row keeps its version, and a run's store its copy
// (match_changes).
const upsertSubjects = `insert into match_subjects (record_id, fingerprint, subject, keys)
	select r.id, $2::bigint, u.subject, ($6::text[])[u.lo:u.hi]
	from unnest($1::uuid[], $3::bytea[], $4::int[], $5::int[]) as u(id, subject, lo, hi)
	join records r on r.id = u.id where ` + consentCondition + `
	on conflict (record_id) do update set fingerprint = excluded.fingerprint, subject = excluded.subject, keys = excluded.keys
	where (match_subjects.fingerprint, match_subjects.subject, match_subjects.keys)
		is distinct from (excluded.fingerprint, excluded.subject, excluded.keys)`

// caseColumns selects a case's stored parsed values when they are current
// (fingerprint $1), else its data to parse (records r, match_subjects s
// left joined on the record): read them with readCases.
const caseColumns = `r.id::text, case when s.fingerprint = $1 then s.subject end,
	case when s.fingerprint is distinct from $1 then r.data end`

// storeColumns selects a case's id, the version of its stored parsed
// values (the row's xmin: a rewritten row has another) and whether they
// are current (fingerprint $1): read them with storedCandidates.
const storeColumns = `r.id::text, coalesce(s.xmin::text::bigint, -1), coalesce(s.fingerprint = $1, false)`

// storedCandidates reads a trace's candidates (storeColumns' rows, in
// order) as readSelected reads them: those whose stored values changed
// since the store was built (another row version) or are not current are
// not read from the store.
func storedCandidates(ctx context.Context, c *tenancy.Conn, sc *scorer, rows pgx.Rows) ([]StoredCandidate, error) {
	var sel []Selected
	var id string
	var version int64
	var current bool
	if _, err := pgx.ForEachRow(rows, []any{&id, &version, &current}, func() error {
		at := int32(-1)
		if i, v, ok := sc.store.Lookup(id); ok && current && v == version {
			at = i
		}
		sel = append(sel, Selected{ID: id, At: at})
		return nil
	}); err != nil {
		return nil, err
	}
	return readSelected(ctx, c, sc, sel)
}

// readSelected reads selected candidates, in order: those of the run's
// store from it, the others (At -1: changed since the store was built, not
// current or not in it) from the database as readCases reads them; a case
// no longer there is left out.
func readSelected(ctx context.Context, c *tenancy.Conn, sc *scorer, sel []Selected) ([]StoredCandidate, error) {
	out := make([]StoredCandidate, len(sel))
	var again []string
	at := map[string]int{} // of the cases read again, in out
	for i, x := range sel {
		out[i].At = x.At
		if x.At < 0 {
			at[x.ID] = i
			again = append(again, x.ID)
		}
	}
	if len(again) == 0 {
		return out, nil
	}
	rows, err := c.Query(ctx, "select "+caseColumns+" from records r left join match_subjects s on s.record_id = r.id where r.id = any($2::text[]::uuid[])",
		sc.m.Fingerprint(), again)
	if err != nil {
		return nil, err
	}
	read, err := readCases(ctx, c, sc.m, nil, "", rows)
	if err != nil {
		return nil, err
	}
	for _, r := range read {
		out[at[r.ID]].Case = r
	}
	return slices.DeleteFunc(out, func(c StoredCandidate) bool { return c.At < 0 && c.Case == nil }), nil
}

// parsedCase parses a case's record data, keeping no raw Fields.
func parsedCase(m *Matcher, id string, data map[string]any) *Subject {
	s := m.NewCase(id, data)
	s.Fields = nil
	return s
}

// readCases reads the cases of rows of caseColumns: their stored values,
// or their data parsed when the stored ones are missing, stale or
// unreadable (those are read again from the records). The cases carry no
// raw Fields (readFields reads them for the candidates stored). Stored
// values are decoded through cache (nil: none) in decoding context
// decodeCtx: the cases may be shared, never modify them. Without a cache,
// a matcher with a pre-score decodes only the first pass's values
// (DecodeCandidate): RankGroup completes those it keeps.
func readCases(ctx context.Context, c *tenancy.Conn, m *Matcher, cache *SubjectCache, decodeCtx string, rows pgx.Rows) ([]*Subject, error) {
	var out []*Subject
	var again []string
	var id string
	var subject []byte
	var data map[string]any
	if _, err := pgx.ForEachRow(rows, []any{&id, &subject, &data}, func() error {
		switch {
		case subject != nil:
			var s *Subject
			var err error
			if cache == nil && m.PreScore() > 0 {
				s, err = m.DecodeCandidate(id, subject) // pgx scanned a copy: subject is ours
			} else {
				s, err = m.DecodeCaseCached(cache, decodeCtx, id, subject)
			}
			if err != nil {
				again = append(again, id) // corrupt: its data is read below
				break
			}
			out = append(out, s)
		case data != nil:
			out = append(out, parsedCase(m, id, data))
		}
		subject, data = nil, nil
		return nil
	}); err != nil {
		return nil, err
	}
	if len(again) == 0 {
		return out, nil
	}
	err := forRecordsData(ctx, c, m, again, func(id string, data map[string]any) {
		out = append(out, parsedCase(m, id, data))
	})
	return out, err
}

// forRecordsData calls fn with the data of each case record of ids, as m
// reads it (recordData).
func forRecordsData(ctx context.Context, c *tenancy.Conn, m *Matcher, ids []string, fn func(id string, data map[string]any)) error {
	rows, err := c.Query(ctx, forRecordsDataSQL, ids, m.caseKeys)
	if err != nil {
		return err
	}
	var id string
	var data map[string]any
	_, err = pgx.ForEachRow(rows, []any{&id, &data}, func() error {
		fn(id, data)
		data = nil
		return nil
	})
	return err
}

// forRecordsDataSQL reads case records' data ($1 their ids, as text: see
// upsertMatchesSQL; $2 the keys a matcher reads).
var forRecordsDataSQL = "select r.id::text, " + recordData(2) + " from records r where r.id = any($1::text[]::uuid[])"

// recordData is the data of a case record r as a matcher reads it (NewCase,
// fields), given the keys it reads as parameter $n (Matcher.caseKeys): a
// record stored in more than wholeRecordBytes is sent as those keys alone.
// A register's case holds every field of its forms: for records of 12.5 KB
// of JSON that took Go 208 µs a record to decode whole and 33 µs so, the
// server 110 µs and 135 µs (BenchmarkReadRecordData; docs/matching-log.md,
// Speed → Session 59); under about 2 KB the server's jsonb_each costs more than Go
// saves (Speed → Session 58). pg_column_size reads a value stored out of
// line by its pointer.
func recordData(n int) string {
	return fmt.Sprintf(`case when pg_column_size(r.data) <= %d then r.data
		else (select coalesce(jsonb_object_agg(e.key, e.value), '{}') from jsonb_each(r.data) e where e.key = any($%d::text[])) end`,
		wholeRecordBytes, n)
}

// wholeRecordBytes is the largest record recordData sends whole.
const wholeRecordBytes = 2000

// matchCase re-matches the tracing requests the case may answer (sharing
// its keys, stored by publishKeys) or already appears in.
func (s *Service) matchCase(ctx context.Context, c *tenancy.Conn, sc *scorer, id string) error {
	if sc == nil {
		return nil // no parameters yet: its keys are stored (publishKeys), nothing to match
	}
	// its keys as publishKeys stored them (a change since makes MatchRecord
	// run again)
	keys := []string{}
	if err := c.QueryRow(ctx, "select keys from match_subjects where record_id = $1", id).Scan(&keys); err != nil &&
		!errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	keys = slices.DeleteFunc(keys, func(k string) bool { return sc.stop[k] })
	rows, err := c.Query(ctx, `select tracing_request_id::text from (
			select t.tracing_request_id, count(*) as shared from traces t, unnest(t.match_keys) k
			where t.match_keys && $2::text[] and k = any($2::text[]) and t.matched_case_id is null
			group by t.tracing_request_id order by shared desc limit $3) a
		union select tracing_request_id::text from potential_matches where case_id = $1 and status = 'pending'`,
		id, keys, MaxTracesPerCase)
	if err != nil {
		return err
	}
	requests, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if s.searched != nil {
		s.searched(records.TypeCase)
	}
	slices.Sort(requests)
	sc.useCache(s.newCache()) // the requests share this case's keys: their candidates overlap
	for _, r := range requests {
		if err := s.matchRequest(ctx, c, sc, r); err != nil {
			return err
		}
	}
	return nil
}

// traceRow is one trace of a tracing request being matched.
type traceRow struct {
	id, matched string
	data        map[string]any
	// keys are the trace's stored blocking keys (match_keys); hasKeys
	// false when none are stored (null)
	keys    []string
	hasKeys bool
	// position is the row's place among the request's rows (0: the
	// first; Subject.SetOrder)
	position int
}

// requestRows is a tracing request being matched: its data, whether it is
// enabled, and its traces in the request's order.
type requestRows struct {
	data    map[string]any
	enabled bool
	traces  []traceRow
}

// readRequest takes the tracing request's matching lock (one transaction
// at a time matches or keys a given request: a run's batch, a case's job
// and the request's own job otherwise write the same traces and potential
// matches in different orders and deadlock) and reads it with its traces;
// nil when it is gone.
func readRequest(ctx context.Context, c *tenancy.Conn, trID string) (*requestRows, error) {
	if _, err := c.Exec(ctx, "select pg_advisory_xact_lock(hashtext(current_schema() || '.match_request'), hashtext($1))", trID); err != nil {
		return nil, err
	}
	req := &requestRows{}
	err := c.QueryRow(ctx, "select data, enabled from records where id = $1 and record_type = 'tracing_request'", trID).
		Scan(&req.data, &req.enabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, `select id::text, coalesce(matched_case_id::text, ''), data, match_keys is not null,
			coalesce(match_keys, '{}'), position from traces
		where tracing_request_id = $1 order by position, id`, trID)
	if err != nil {
		return nil, err
	}
	var tr traceRow
	if _, err := pgx.ForEachRow(rows, []any{&tr.id, &tr.matched, &tr.data, &tr.hasKeys, &tr.keys, &tr.position}, func() error {
		req.traces = append(req.traces, tr)
		tr = traceRow{}
		return nil
	}); err != nil {
		return nil, err
	}
	return req, nil
}

// storeTraceKeys stores the blocking keys of a request's traces (none for
// a disabled request; unchanged keys, as readRequest read them under the
// request's lock, are not written again: a run's re-match of a request
// then writes no trace) and returns the traces as subjects, in the
// request's order.
func storeTraceKeys(ctx context.Context, c *tenancy.Conn, m *Matcher, req *requestRows) ([]*Subject, error) {
	out := make([]*Subject, len(req.traces))
	for i, t := range req.traces {
		out[i] = m.NewTrace(t.id, req.data, t.data)
		out[i].SetOrder(t.position)
		keys := m.TraceKeys(out[i])
		if !req.enabled {
			keys = []string{}
		}
		if t.hasKeys && slices.Equal(t.keys, keys) {
			continue
		}
		if _, err := c.Exec(ctx, "update traces set match_keys = $2 where id = $1 and match_keys is distinct from $2", t.id, keys); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// matchRequest matches the traces of one tracing request together: their
// keys are stored, their candidates selected by key overlap (rejected cases
// left out), ranked (RankGroup), and the best candidates stored as pending
// potential matches; pending matches no longer among them are removed.
// Reviewed matches are never touched; a trace with a confirmed match is
// settled and its case is no other trace's child.
//
// One transaction at a time matches a given tracing request (readRequest's
// lock). Callers match several requests in id order (runs by id, matchCase
// sorted), so the locks never cross.
func (s *Service) matchRequest(ctx context.Context, c *tenancy.Conn, sc *scorer, trID string) error {
	req, err := readRequest(ctx, c, trID)
	if err != nil || req == nil || sc == nil {
		return err
	}
	subjects, err := storeTraceKeys(ctx, c, sc.m, req)
	if err != nil {
		return err
	}
	var open []*Subject
	var openIDs []string
	settled := []string{}
	for i, t := range req.traces {
		if t.matched != "" {
			settled = append(settled, t.matched)
			continue
		}
		if !req.enabled {
			if _, err := c.Exec(ctx, "delete from potential_matches where trace_id = $1 and status = 'pending'", t.id); err != nil {
				return err
			}
			continue
		}
		open = append(open, subjects[i])
		openIDs = append(openIDs, t.id)
	}
	if len(open) == 0 {
		return nil
	}
	cands := make([][]*Subject, len(open))
	stored := make([][]StoredCandidate, len(open))
	var changes *RunChanges
	var rejected map[string][]string
	byKeys := sc.keys != nil
	if byKeys {
		changes, rejected, err = runChanges(ctx, c, sc.keys, openIDs)
	} else {
		rejected, err = rejectedCases(ctx, c, openIDs)
	}
	if err != nil {
		return err
	}
	cases := max(1, sc.m.Parameters().Cases)
	for i, t := range open {
		keys := slices.DeleteFunc(sc.m.TraceKeys(t), func(k string) bool { return sc.stop[k] })
		skip := append(slices.Clip(settled), rejected[openIDs[i]]...)
		if byKeys {
			sel := sc.keys.Select(keys, cases, s.maxCandidates(), changes, skip)
			if stored[i], err = readSelected(ctx, c, sc, sel); err != nil {
				return err
			}
			continue
		}
		rows, err := candidateRows(ctx, c, sc.store != nil, sc.m.Fingerprint(), keys, skip, s.maxCandidates(), cases)
		if err != nil {
			return err
		}
		if sc.store != nil {
			stored[i], err = storedCandidates(ctx, c, sc, rows)
		} else {
			cands[i], err = readCases(ctx, c, sc.m, sc.cache, sc.decodeCtx, rows)
		}
		if err != nil {
			return err
		}
	}
	if s.searched != nil {
		s.searched(records.TypeTracingRequest)
	}
	var ranked [][]Candidate
	if sc.store != nil {
		// the kept cases in memory reused from request to request: nothing
		// reads ranked once this request is stored
		kc := keptCases.Get().(*KeptCases)
		defer keptCases.Put(kc)
		ranked, err = sc.m.RankStoredIn(sc.store, kc, open, stored)
	} else {
		ranked, err = sc.m.RankGroup(open, cands)
	}
	if err != nil {
		return err
	}
	if err := readFields(ctx, c, sc.m, ranked); err != nil {
		return err
	}
	cfg := sc.m.Configuration()
	// A pending row whose values a re-match finds again is left as it is
	// (its matched_at too: when those values were first written): a new
	// row version would cost an entry in every index over pending rows, and a
	// re-match under the same parameters (a case's job re-matching the
	// tracing requests that share its keys) finds most of its trace's rows
	// unchanged. A full run estimates new parameters first, so it rewrites
	// them all, as before.
	rows := storedRowsPool.Get().(*storedRows)
	defer storedRowsPool.Put(rows)
	rows.reset()
	for i, t := range open {
		for j := range ranked[i] {
			if kept(j, &ranked[i][j]) {
				if err := rows.appendRow(cfg, t, &ranked[i][j]); err != nil {
					return err
				}
			}
		}
	}
	// Planned at each execution (QueryExecModeExec), never from a cached
	// generic plan: a first run writes potential_matches from empty, and a
	// plan made while the table was small scans all of it for each request
	// until autovacuum's next analyze (a sequential scan of up to 8,000
	// rows a trace in the first 5,000 traces at 1,000,000 cases, 0.9-3.2 ms
	// a trace; docs/matching-log.md, Speed, Session 37 (lead)). Its own
	// plan uses the (trace_id, case_id) key. The request's traces are
	// written together, one delete and one upsert (a statement per trace
	// before: Speed → Session 44).
	if _, err := c.Exec(ctx, deleteUnkeptSQL, pgx.QueryExecModeExec, openIDs, rows.traceID, rows.caseID); err != nil {
		return err
	}
	if len(rows.caseID) == 0 {
		return nil
	}
	_, err = c.Exec(ctx, upsertMatchesSQL, trID, sc.version, rows.traceID, rows.caseID, rows.probability, rows.label, rows.weight,
		rows.familyAdjustment, rows.array())
	return err
}

// deleteUnkeptSQL removes the pending potential matches of traces $1 that
// are not among the pairs kept ($2 traces, $3 cases, side by side; the ids
// as text, as upsertMatchesSQL says why).
const deleteUnkeptSQL = `delete from potential_matches where trace_id = any($1::text[]::uuid[]) and status = 'pending'
	and (trace_id, case_id) not in (select * from unnest($2::text[]::uuid[], $3::text[]::uuid[]))`

// upsertMatchesSQL writes a tracing request's kept candidates as pending
// potential matches, one statement for them all: a new pair is inserted; a
// pending row is rewritten only where a value differs, so a re-match that
// finds the same values leaves it as it is; a reviewed row (confirmed,
// rejected, closed) is never touched. $1 tracing request, $2 parameters
// version, then one array per column, in the same order: the ids as text
// (pgx tries a string's binary uuid first, fails and formats the whole
// array into its error before sending text: Speed → Session 60), the
// comparisons as one JSON array (storedRows.array: one parameter's bytes,
// not one per row).
const upsertMatchesSQL = `insert into potential_matches (trace_id, tracing_request_id, case_id, probability, label, weight,
		family_adjustment, parameters_version, comparisons)
	select u.trace_id, $1::text::uuid, u.case_id, u.probability, u.label, u.weight, u.family_adjustment, $2, u.comparisons
	from rows from (unnest($3::text[]::uuid[]), unnest($4::text[]::uuid[]), unnest($5::float8[]), unnest($6::text[]),
		unnest($7::float8[]), unnest($8::float8[]), jsonb_array_elements($9::jsonb))
		as u(trace_id, case_id, probability, label, weight, family_adjustment, comparisons)
	on conflict (trace_id, case_id) do update set probability = excluded.probability, label = excluded.label,
		weight = excluded.weight, family_adjustment = excluded.family_adjustment,
		parameters_version = excluded.parameters_version, comparisons = excluded.comparisons, matched_at = now()
	where potential_matches.status = 'pending' and (potential_matches.probability, potential_matches.label,
		potential_matches.weight, potential_matches.family_adjustment, potential_matches.parameters_version,
		potential_matches.comparisons) is distinct from (excluded.probability, excluded.label, excluded.weight,
		excluded.family_adjustment, excluded.parameters_version, excluded.comparisons)`

// readFields reads the raw values (Subject.Fields) of the candidates that
// will be stored as potential matches, which stored parsed values lack:
// reviewers see them.
func readFields(ctx context.Context, c *tenancy.Conn, m *Matcher, ranked [][]Candidate) error {
	var ids []string
	for _, cands := range ranked {
		for j := range cands {
			if kept(j, &cands[j]) && cands[j].Case.Fields == nil {
				ids = append(ids, cands[j].Case.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	fields := map[string]map[string]any{}
	if err := forRecordsData(ctx, c, m, ids, func(id string, data map[string]any) {
		fields[id] = m.fields(true, lookup{data})
	}); err != nil {
		return err
	}
	for _, cands := range ranked {
		for j := range cands {
			if cands[j].Case.Fields == nil {
				// A copy: the decoded case may be shared (SubjectCache).
				cs := *cands[j].Case
				cs.Fields = fields[cs.ID]
				cands[j].Case = &cs
			}
		}
	}
	return nil
}

// keptCases holds the memory of RankStoredIn's kept cases between the
// requests matchRequest matches.
var keptCases = sync.Pool{New: func() any { return new(KeptCases) }}

// kept reports whether the j-th best candidate of a trace is stored as a
// potential match: the StoredPerTrace best, and every likely or possible.
func kept(j int, cand *Candidate) bool { return j < StoredPerTrace || cand.Label != LabelUnlikely }
