package matching

import (
	"bytes"
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/cpims-hosted/cpims/tenancy"
)

// casePool is what one pass over a tenant's consenting cases leaves for an
// estimate: the cases counted in est (term frequencies, stop keys), a
// uniform sample of randomCases of them (u), their blocking keys (the
// estimation traces' candidates) and their stored forms, from which each
// trace's candidates are decoded when the estimate reaches that trace. A
// case costs its form (about 600 bytes) and its keys, not its parsed
// values (about 11 KB): at 1,000,000 cases the estimate no longer holds
// every case parsed (docs/matching-log.md, Estimation memory).
type casePool struct {
	m      *Matcher
	est    *Estimator
	sample []*Subject
	keys   *RunKeys
	forms  [][]byte // by the case's index in keys (Selected.At)
	rng    *rand.Rand
}

func newCasePool(m *Matcher, rng *rand.Rand) *casePool {
	return &casePool{m: m, est: m.NewEstimator(), keys: NewRunKeys(nil), rng: rng}
}

// include adds a consenting case: its parsed values, their stored form (not
// copied: the pool keeps it) and its blocking keys.
func (p *casePool) include(s *Subject, form []byte, keys []string) error {
	at := int32(len(p.forms))
	p.forms = append(p.forms, form)
	p.est.addCase(s, keys)
	switch n := len(p.forms); {
	case len(p.sample) < randomCases:
		p.sample = append(p.sample, s)
	case p.rng.IntN(n) < randomCases:
		p.sample[p.rng.IntN(len(p.sample))] = s
	}
	return p.keys.Add(s.ID, at, keys)
}

// blocked is a trace with its candidates among the pool's cases (their
// keys, the stop keys left out), loaded when the estimate reaches it.
func (p *casePool) blocked(t *Subject, group string, stop map[string]bool) Blocked {
	keys := slices.DeleteFunc(p.m.TraceKeys(t), func(k string) bool { return stop[k] })
	return Blocked{Trace: t, Group: group, Load: func() ([]*Subject, error) {
		sel := p.keys.Select(keys, len(p.forms), MaxCandidates, nil, nil)
		out := make([]*Subject, len(sel))
		for i, c := range sel {
			s, err := p.m.DecodeCase(c.ID, p.forms[c.At])
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}}
}

// decode returns the pool's case id (nil when it is not in the pool).
func (p *casePool) decode(id string) (*Subject, error) {
	c, _, ok := p.keys.find(id)
	if !ok {
		return nil, nil
	}
	return p.m.DecodeCase(id, p.forms[p.keys.at[c]])
}

// readPool reads every consenting case into a pool: its stored values when
// they are current, else its data parsed (not written back: a case's own
// job or the next run stores them).
func readPool(ctx context.Context, c *tenancy.Conn, m *Matcher, rng *rand.Rand) (*casePool, error) {
	p := newCasePool(m, rng)
	rows, err := c.Query(ctx, "select "+caseColumns+" from records r left join match_subjects s on s.record_id = r.id where "+consentCondition,
		m.Fingerprint())
	if err != nil {
		return nil, err
	}
	var again []string
	var id string
	var form []byte
	var data map[string]any
	addParsed := func(id string, data map[string]any) error {
		s := parsedCase(m, id, data)
		return p.include(s, m.EncodeCase(s), m.CaseKeys(s))
	}
	if _, err := pgx.ForEachRow(rows, []any{&id, &form, &data}, func() error {
		defer func() { form, data = nil, nil }()
		if form == nil {
			return addParsed(id, data)
		}
		s, err := m.DecodeCase(id, form) // pgx scanned a copy: form is ours
		if err != nil {
			again = append(again, id) // unreadable: its data is read below
			return nil
		}
		return p.include(s, form, m.CaseKeys(s))
	}); err != nil {
		return nil, err
	}
	if len(again) == 0 {
		return p, p.keys.Done()
	}
	var addErr error
	if err := forRecordsData(ctx, c, m, again, func(id string, data map[string]any) {
		addErr = cmp.Or(addErr, addParsed(id, data))
	}); err != nil {
		return nil, err
	}
	if addErr != nil {
		return nil, addErr
	}
	return p, p.keys.Done()
}

// storeCases stores every case's parsed values and blocking keys under m
// (as storeCaseKeys does one case's: only what changed is written) and
// returns the consenting cases as a pool. The cases are read through a
// cursor, a chunk at a time, and each chunk's writes sent as one statement;
// progress is told the cases read of the consenting cases.
func storeCases(ctx context.Context, c *tenancy.Conn, m *Matcher, rng *rand.Rand, progress *runProgress) (*casePool, error) {
	// Cases without consent (or disabled) take no part: no stored values,
	// no keys.
	if _, err := c.Exec(ctx, deleteLeftSubjects); err != nil {
		return nil, err
	}
	var total int
	if progress != nil {
		if err := c.QueryRow(ctx, "select count(*) from records r where "+consentCondition).Scan(&total); err != nil {
			return nil, err
		}
		if err := progress.report(StageStoring, 0, total); err != nil {
			return nil, err
		}
	}
	fp := m.Fingerprint()
	if _, err := c.Exec(ctx, `declare store_cases no scroll cursor for
		select r.id::text, `+recordData(1)+`, coalesce(s.fingerprint = `+strconv.FormatInt(fp, 10)+`, false), s.subject, s.keys
		from records r left join match_subjects s on s.record_id = r.id where `+consentCondition, m.caseKeys); err != nil {
		return nil, err
	}
	type stored struct {
		id      string
		data    map[string]any
		current bool
		form    []byte
		keys    []string
	}
	p := newCasePool(m, rng)
	for {
		rows, err := c.Query(ctx, "fetch forward 1000 from store_cases")
		if err != nil {
			return nil, err
		}
		chunk, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (stored, error) {
			var x stored
			err := r.Scan(&x.id, &x.data, &x.current, &x.form, &x.keys)
			return x, err
		})
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			break
		}
		var w subjectWrites
		for _, x := range chunk {
			s := parsedCase(m, x.id, x.data)
			form, keys := m.EncodeCase(s), m.CaseKeys(s)
			if !x.current || !bytes.Equal(form, x.form) || !slices.Equal(keys, x.keys) {
				w.queue(x.id, form, keys)
			}
			if err := p.include(s, form, keys); err != nil {
				return nil, err
			}
		}
		if err := w.exec(ctx, c, fp); err != nil {
			return nil, err
		}
		if err := progress.report(StageStoring, len(p.forms), total); err != nil {
			return nil, err
		}
	}
	if _, err := c.Exec(ctx, "close store_cases"); err != nil {
		return nil, err
	}
	// A case whose consent was withdrawn after the cursor read it, by a
	// transaction that committed meanwhile, got a row if the upsert ran
	// first (the withdrawal's trigger does not see a row not yet committed):
	// removed again before this one commits (migration 046).
	if _, err := c.Exec(ctx, deleteLeftSubjects); err != nil {
		return nil, err
	}
	return p, p.keys.Done()
}

// deleteLeftSubjects removes the stored values and keys of the cases that
// no longer take part (consent withdrawn, disabled, no longer a case).
const deleteLeftSubjects = `delete from match_subjects s using records r where s.record_id = r.id
	and not coalesce(` + consentCondition + `, false)`
