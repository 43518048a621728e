package demo

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Options of a seed.
type Options struct {
	// Cases to have in the tenant; one tracing request is added per ten
	// cases.
	Cases int
	// BatchSize is the number of records per transaction. Defaults to
	// BatchSizeDefault.
	BatchSize int
	// Module is the module of the records. Defaults to primeromodule-cp.
	Module string
	// Now is the day the data is generated relative to (ages, dates).
	// Defaults to today; a seed continued another day keeps its records.
	Now time.Time
	// Progress, if set, is called after each batch.
	Progress func(Progress)
}

// BatchSizeDefault is the default number of records per transaction.
const BatchSizeDefault = 2000

// Progress of a seed.
type Progress struct {
	// Done and Total count records (cases and tracing requests); Written
	// counts those this run wrote (the others existed).
	Done, Total, Written int
	Elapsed              time.Duration
}

// Agencies, groups and owners of the seed: users who own records and never
// sign in (their identities do not exist).
const (
	seedAgencies     = 6
	casesPerOwner    = 500
	ownersPerGroup   = 20
	ownerEmailFormat = "seed-owner-%05d@demo.invalid"
	// Role of the owners.
	ownerRole = "role-caseworker"
)

// AgencyID is the unique_id of seed agency n (1 to 6).
func AgencyID(n int) string { return fmt.Sprintf("agency-seed-%d", n) }

// GroupID is the unique_id of seed group n (from 1).
func GroupID(n int) string { return fmt.Sprintf("usergroup-seed-%03d", n) }

// Seed fills tenant code with o.Cases cases (and a tracing request per ten
// cases) owned by generated users across agencies and groups, located in
// the tenant's hierarchy (which must have locations). Records that exist
// (from an earlier run) are kept, so Seed continues an interrupted seed.
func Seed(ctx context.Context, p *tenancy.Platform, rs *records.Service, code string, o Options) (Progress, error) {
	start := time.Now()
	if o.BatchSize <= 0 {
		o.BatchSize = BatchSizeDefault
	}
	if o.Module == "" {
		o.Module = "primeromodule-cp"
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC().Truncate(24 * time.Hour)
	}
	owners, err := ensureOwners(ctx, p, code, max(10, o.Cases/casesPerOwner))
	if err != nil {
		return Progress{}, fmt.Errorf("owners: %w", err)
	}
	places, err := leaves(ctx, p, code)
	if err != nil {
		return Progress{}, fmt.Errorf("places: %w", err)
	}
	g := &generator{code: code, module: o.Module, now: o.Now, owners: owners, places: places}
	total := o.Cases + o.Cases/10
	pr := Progress{Total: total}
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorDemoSeeder))
	// The next batch is generated while the database writes this one.
	batches := make(chan []records.BatchRecord, 1)
	genCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer close(batches)
		for from := 0; from < total; from += o.BatchSize {
			to := min(total, from+o.BatchSize)
			batch := make([]records.BatchRecord, 0, to-from)
			for i := from; i < to; i++ {
				batch = append(batch, g.record(i))
			}
			select {
			case batches <- batch:
			case <-genCtx.Done():
				return
			}
		}
	}()
	for from := 0; from < total; from += o.BatchSize {
		to := min(total, from+o.BatchSize)
		batch, ok := <-batches
		if !ok {
			return pr, ctx.Err()
		}
		n, err := rs.CreateBatch(ctx, code, batch)
		if err != nil {
			return pr, fmt.Errorf("records %d to %d: %w", from, to, err)
		}
		pr.Done, pr.Written, pr.Elapsed = to, pr.Written+n, time.Since(start)
		if o.Progress != nil {
			o.Progress(pr)
		}
	}
	return pr, nil
}

// ensureOwners returns the ids of n seed users, creating those missing (as
// the seeder) across the seed agencies and groups.
func ensureOwners(ctx context.Context, p *tenancy.Platform, code string, n int) ([]string, error) {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	groups := max(1, n/ownersPerGroup)
	for a := 1; a <= seedAgencies; a++ {
		err := people.New(p).AddAgency(ctx, code, AgencyID(a), fmt.Sprintf("SEED%d", a), map[string]string{"en": fmt.Sprintf("Seed agency %d", a)})
		if err != nil && !errors.Is(err, tenancy.ErrConflict) {
			return nil, err
		}
	}
	for g := 1; g <= groups; g++ {
		if err := people.New(p).AddUserGroup(ctx, code, GroupID(g), fmt.Sprintf("Seed group %d", g)); err != nil && !errors.Is(err, tenancy.ErrConflict) {
			return nil, err
		}
	}
	have := map[string]string{}
	for page := 1; ; page++ {
		users, _, err := people.New(p).ListUsers(ctx, code, tenancy.Page{Page: page, Per: 1000})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			have[u.Email] = u.ID
		}
		if len(users) < 1000 {
			break
		}
	}
	ids := make([]string, n)
	for i := range n {
		email := fmt.Sprintf(ownerEmailFormat, i+1)
		if id, ok := have[email]; ok {
			ids[i] = id
			continue
		}
		u, err := people.New(p).AddUser(ctx, code, people.NewUser{Email: email, FullName: fmt.Sprintf("Seed caseworker %d", i+1), Locale: "en",
			Role: ownerRole, Agency: AgencyID(1 + i%seedAgencies), UserGroups: []string{GroupID(1 + i%groups)}},
			func(context.Context) (string, error) { return uuidFrom("identity/" + email), nil }, nil)
		if err != nil {
			return nil, err
		}
		ids[i] = u.ID
	}
	return ids, nil
}

// leaves returns the codes of the locations without children (where
// people live: camps, districts without camps), or of all locations if
// every one has children.
func leaves(ctx context.Context, p *tenancy.Platform, code string) ([]string, error) {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorSeeder))
	svc := locations.New(p)
	var all []locations.Location
	for page := 1; ; page++ {
		ls, total, err := svc.List(ctx, code, locations.Filter{Page: page, Per: locations.PerMax})
		if err != nil {
			return nil, err
		}
		all = append(all, ls...)
		if len(all) >= total || len(ls) == 0 {
			break
		}
	}
	if len(all) == 0 {
		return nil, errors.New("the tenant has no locations: import its hierarchy first (or see cpims demo seed --places)")
	}
	parents := map[string]bool{}
	for _, l := range all {
		parents[l.ParentCode] = true
	}
	var out []string
	for _, l := range all {
		if !parents[l.Code] && !l.Disabled {
			out = append(out, l.Code)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Places returns a synthetic hierarchy under root (a country code): regions
// regions, each with districts districts, each with camps camps (codes
// root + "R01", + "D01", + "C01"), for a tenant whose own hierarchy is too
// small to spread many records.
func Places(root string, regions, districts, camps int) []locations.Spec {
	out := []locations.Spec{{Code: root, AdminLevel: 0, Type: "country", Name: map[string]string{"en": "Seedland " + root}}}
	for r := 1; r <= regions; r++ {
		rc := fmt.Sprintf("%sR%02d", root, r)
		out = append(out, locations.Spec{Code: rc, ParentCode: root, AdminLevel: 1, Type: "region", Name: map[string]string{"en": "Region " + rc}})
		for d := 1; d <= districts; d++ {
			dc := fmt.Sprintf("%sD%02d", rc, d)
			out = append(out, locations.Spec{Code: dc, ParentCode: rc, AdminLevel: 2, Type: "district", Name: map[string]string{"en": "District " + dc}})
			for c := 1; c <= camps; c++ {
				cc := fmt.Sprintf("%sC%02d", dc, c)
				out = append(out, locations.Spec{Code: cc, ParentCode: dc, AdminLevel: 3, Type: "camp", Name: map[string]string{"en": "Camp " + cc}})
			}
		}
	}
	return out
}

// uuidFrom derives a UUID (version 8, custom) from s: the same s, the same id.
func uuidFrom(s string) string {
	h := sha256.Sum256([]byte("cpims-demo/" + s))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// generator makes record n of a seed, always the same.
type generator struct {
	code, module string
	now          time.Time
	owners       []string
	places       []string
}

// RecordID is the id of record n of the seed of tenant code.
func RecordID(code string, n int) string { return uuidFrom(fmt.Sprintf("%s/record/%d", code, n)) }

// pick chooses from n items, earlier ones more often (a rough Zipf).
func pick(r *rand.Rand, n int) int {
	u := r.Float64()
	return min(n-1, int(float64(n)*u*u))
}

func choose[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// spelling picks a spelling of a name; arabic asks for the Arabic-script
// one when there is one.
func spelling(r *rand.Rand, variants []string, arabic bool) string {
	if arabic {
		for _, v := range variants {
			if isArabic(v) {
				return v
			}
		}
	}
	var latin []string
	for _, v := range variants {
		if !isArabic(v) {
			latin = append(latin, v)
		}
	}
	if len(latin) == 0 {
		return variants[0]
	}
	return latin[pick(r, len(latin))]
}

func isArabic(s string) bool {
	for _, c := range s {
		if c >= 0x0600 && c <= 0x06FF {
			return true
		}
	}
	return false
}

func (g *generator) record(n int) records.BatchRecord {
	r := rand.New(rand.NewPCG(uint64(n), 0x5eed))
	rowID := func(k int) string { return uuidFrom(fmt.Sprintf("%s/row/%d/%d", g.code, n, k)) }
	arabic := r.IntN(5) == 0 // a fifth of the names written in Arabic script
	person := func(sex string) (string, string) {
		pool := boys
		if sex == "female" {
			pool = girls
		}
		return spelling(r, pool[pick(r, len(pool))], arabic), spelling(r, families[pick(r, len(families))], arabic)
	}
	registered := g.now.AddDate(0, 0, -r.IntN(3*365))
	created := registered.Add(time.Duration(8+r.IntN(10)) * time.Hour)
	updated := created.Add(time.Duration(r.Int64N(int64(max(0, g.now.Sub(created))) + 1)))
	rec := records.BatchRecord{ID: RecordID(g.code, n), ModuleID: g.module, Status: "open", Workflow: "new",
		OwnerID: g.owners[r.IntN(len(g.owners))], CreatedAt: created, UpdatedAt: updated}
	place := g.places[pick(r, len(g.places))]
	if n%11 == 10 { // a tracing request per ten cases
		rec.RecordType = records.TypeTracingRequest
		first, last := person(choose(r, []string{"female", "male"}))
		d := records.Data{"inquiry_date": registered.Format(time.DateOnly), "relation_name": first + " " + last,
			"relation_location_current": place, "relation_sex": choose(r, []string{"female", "male"}),
			"separation_cause": choose(r, []string{"conflict", "displacement", "natural_disaster", "other"})}
		if r.IntN(2) == 0 {
			d["relation_telephone"] = fmt.Sprintf("+2547%08d", r.IntN(100_000_000))
		}
		var sought []any
		for k := range 1 + r.IntN(2) {
			sex := choose(r, []string{"female", "male"})
			cf, _ := person(sex)
			sought = append(sought, map[string]any{"unique_id": rowID(k), "name_first": cf, "name_last": last, "sex": sex,
				"age": float64(r.IntN(18)), "location_last": g.places[pick(r, len(g.places))]})
		}
		d[records.TraceSubform] = sought
		rec.Data = d
		return rec
	}
	rec.RecordType = records.TypeCase
	sex := choose(r, []string{"female", "male"})
	first, last := person(sex)
	d := records.Data{"name_first": first, "name_last": last, "sex": sex, "registration_date": registered.Format(time.DateOnly),
		"location_current": place, "risk_level": []string{"high", "medium", "medium", "low", "low"}[r.IntN(5)],
		"nationality":         []any{[]string{"som", "som", "ssd", "sdn", "eth", "ken", "cod", "syr"}[pick(r, 8)]},
		"displacement_status": choose(r, []string{"refugee", "refugee", "idp", "asylum_seeker", "returnee", "resident"})}
	// Nine in ten with a date of birth, of which a third estimated from the
	// age the child looks or says (1 January of the likely year, ticked
	// "estimated", as the form's help asks: the default configuration
	// calculates age from the date of birth, so an estimated age is an
	// estimated date of birth); a tenth with neither.
	if r.IntN(10) > 0 {
		age := r.IntN(18)
		if r.IntN(3) == 0 {
			d["date_of_birth"] = time.Date(g.now.Year()-age, time.January, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			d["estimated"] = true
		} else {
			d["date_of_birth"] = g.now.AddDate(-age, 0, -r.IntN(365)).Format(time.DateOnly)
		}
	}
	if r.IntN(5) < 3 {
		middle, _ := person("male") // the father's name
		d["name_middle"] = middle
	}
	if r.IntN(2) == 0 {
		d["telephone_current"] = fmt.Sprintf("+2547%08d", r.IntN(100_000_000))
	}
	if r.IntN(5) < 2 {
		d["unhcr_id_no"] = fmt.Sprintf("%s-%02d-%06d", strings.ToUpper(g.code), r.IntN(30), n)
	}
	concerns := []string{"unaccompanied", "separated", "physical_violence", "neglect", "child_labour", "child_marriage", "caafag"}
	var cs []any
	for _, c := range concerns {
		if r.IntN(len(concerns)) == 0 {
			cs = append(cs, c)
		}
	}
	if len(cs) > 0 {
		d["protection_concerns"] = cs
	}
	var family []any
	mother, _ := person("female")
	father, _ := person("male")
	family = append(family, map[string]any{"unique_id": rowID(0), "relation": "mother", "relation_name": mother + " " + last,
		"relation_age": float64(25 + r.IntN(25)), "relation_is_alive": choose(r, []string{"alive", "alive", "unknown", "deceased"})})
	if r.IntN(3) > 0 {
		family = append(family, map[string]any{"unique_id": rowID(1), "relation": "father", "relation_name": father + " " + last,
			"relation_is_alive": choose(r, []string{"alive", "unknown", "deceased"})})
	}
	for k := range r.IntN(3) {
		s, _ := person(choose(r, []string{"female", "male"}))
		family = append(family, map[string]any{"unique_id": rowID(2 + k), "relation": choose(r, []string{"sister", "brother", "aunt", "uncle"}),
			"relation_name": s + " " + last})
	}
	d["family_details_section"] = family
	var services []any
	for k := range r.IntN(4) {
		services = append(services, map[string]any{"unique_id": rowID(10 + k),
			"service_type":             choose(r, []string{"health", "mhpss", "education", "documentation", "family_tracing", "food_nutrition"}),
			"service_status":           choose(r, []string{"planned", "in_progress", "implemented"}),
			"service_appointment_date": created.AddDate(0, 0, r.IntN(60)).Format(time.DateOnly)})
	}
	if len(services) > 0 {
		d["services_section"] = services
	}
	switch x := r.IntN(20); {
	case x < 3:
		rec.Status, rec.Workflow = "closed", "closed"
	case x < 10:
		rec.Workflow = choose(r, []string{"case_plan", "services", "assessment"})
	}
	rec.Flagged = r.IntN(30) == 0
	rec.Data = d
	return rec
}
