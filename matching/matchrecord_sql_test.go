package matching_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/testtenant"
	"github.com/cpims-hosted/cpims/matching"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
)

// TestJobsOfRecordsWrittenTogetherFindThePair: a child registered and a
// tracing request seeking her written at about the same time have their
// two matching jobs running at once. Each job reads the other side's keys
// (the case's job the tracing requests sharing its keys, the request's
// job its candidates) and then waits, before it commits, until the other
// has read too: each read ran while the other's transaction was open. The
// pair is still found, because each job committed its own keys before
// reading (Service.MatchRecord); stored in the same transaction as the
// read, neither job would see the other's and the pair would be lost
// until the next full run (the mutation: MatchRecord without publishKeys
// fails here).
func TestJobsOfRecordsWrittenTogetherFindThePair(t *testing.T) {
	t.Parallel()
	db, p, ctx := testtenant.CaseworkerInKenya(t)
	recs := records.New(p, records.Config{}) // no write hook: the test runs the jobs' work itself
	create := func(typ string, d map[string]any) string {
		r, _, err := recs.Create(ctx, "ke", typ, records.CreateInput{Body: d})
		require.NoError(t, err)
		return r.ID
	}
	request := func(first, last, mother string) map[string]any {
		return map[string]any{"inquiry_date": "2026-01-10", "relation_name": mother + " " + last, records.TraceSubform: []any{
			map[string]any{"unique_id": uuid.NewString(), "relation": "mother", "name_first": first, "name_last": last, "sex": "female", "age": 8}}}
	}
	girl := func(first, middle, last string) map[string]any {
		return map[string]any{"name_first": first, "name_middle": middle, "name_last": last, "sex": "female",
			"date_of_birth": "2017-03-02", "consent_for_tracing": true, "registration_date": "2026-01-05"}
	}
	svc := matching.NewService(p, matching.ServiceConfig{})
	mctx := policy.WithSubject(context.Background(), policy.System(policy.ActorMatcher))
	// Earlier records, matched: the tenant's parameters are estimated from them.
	for _, c := range [][3]string{{"Nyaboth", "Gatluak", "Deng"}, {"Achol", "Majok", "Garang"}, {"Adut", "Nyibol", "Malual"}} {
		require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeCase, create(records.TypeCase, girl(c[0], c[1], c[2]))))
	}
	require.NoError(t, svc.MatchRecord(mctx, "ke", records.TypeTracingRequest, create(records.TypeTracingRequest, request("Achol", "Garang", "Nyandeng"))))
	var parameters int
	require.NoError(t, db.Superuser(t).QueryRow(context.Background(), "select count(*) from tenant_ke.matching_parameters").Scan(&parameters))
	require.Equal(t, 1, parameters, "estimated before the two jobs run")

	child := create(records.TypeCase, girl("Akuol", "Ajak", "Bol"))
	seeking := create(records.TypeTracingRequest, request("Akuol", "Bol", "Nyandeng"))

	// Each job's first read of the other side waits for the other's.
	var mu sync.Mutex
	read := map[string]bool{}
	both := make(chan struct{})
	svc.SetSearched(func(recordType string) {
		mu.Lock()
		first := !read[recordType]
		read[recordType] = true
		if first && len(read) == 2 {
			close(both)
		}
		mu.Unlock()
		if first {
			select {
			case <-both:
			case <-time.After(time.Minute):
				t.Errorf("the %s's job read alone: the other never read", recordType)
			}
		}
	})
	var wg sync.WaitGroup
	for _, job := range []struct{ typ, id string }{{records.TypeCase, child}, {records.TypeTracingRequest, seeking}} {
		wg.Go(func() {
			for {
				err := svc.MatchRecord(mctx, "ke", job.typ, job.id)
				if err == matching.ErrRunAgain {
					continue
				}
				if err != nil {
					t.Errorf("the %s's job: %v", job.typ, err)
				}
				return
			}
		})
	}
	wg.Wait()
	require.True(t, read[records.TypeCase] && read[records.TypeTracingRequest], "both jobs read the other side")

	var n int
	require.NoError(t, db.Superuser(t).QueryRow(context.Background(),
		"select count(*) from tenant_ke.potential_matches where case_id = $1 and tracing_request_id = $2", child, seeking).Scan(&n))
	require.Equal(t, 1, n, "the child and the tracing request seeking her are a potential match")
}
