package workflow_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/demo"
	"github.com/cpims-hosted/cpims/locations"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// BenchmarkReferAccept measures a referral and its acceptance end to end
// through the workflow service (two tenant transactions each: transition
// row, record_access, version and history, audit), one new case per
// iteration (created with the timer stopped). Figures: docs/workflows.md.
func BenchmarkReferAccept(b *testing.B) {
	e := newEnv(b)
	sender := e.user(b, "role-caseworker", "agency-a", "usergroup-a")
	receiver := e.user(b, "role-caseworker", "agency-a")
	var busy time.Duration
	for b.Loop() {
		b.StopTimer()
		id := e.newCase(b, sender, nil)
		b.StartTimer()
		start := time.Now()
		tr, err := e.wf.Refer(sender.ctx, "ke", id, workflow.Input{TransitionedTo: receiver.email, Service: "health"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.wf.Respond(receiver.ctx, "ke", workflow.TypeReferral, id, tr.ID, workflow.StatusAccepted, ""); err != nil {
			b.Fatal(err)
		}
		busy += time.Since(start)
	}
	b.ReportMetric(float64(b.N)/busy.Seconds(), "refer+accept/s")
}

// BenchmarkReceiverCaseList measures the first page of the case list of a
// receiver (own scope) with 50 referrals, among CPIMS_BENCH_CASES cases
// (default 100,000) seeded by demo.Seed (records.CreateBatch). The
// referral rows are written directly (the fixture; the list is measured).
func BenchmarkReceiverCaseList(b *testing.B) {
	n := 100_000
	if s := os.Getenv("CPIMS_BENCH_CASES"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	ctx := context.Background()
	e := newEnv(b)
	_, err := locations.New(e.p).Upsert(sys(), "ke", demo.Places("KE", 4, 5, 5))
	require.NoError(b, err)
	start := time.Now()
	_, err = demo.Seed(ctx, e.p, e.rs, "ke", demo.Options{Cases: n})
	require.NoError(b, err)
	b.Logf("seeded %d cases in %s", n, time.Since(start).Round(time.Second))
	receiver := e.user(b, "role-caseworker", "agency-b")
	assigned := e.user(b, "role-caseworker", "agency-b")
	require.NoError(b, e.p.Tx(sys(), "ke", func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, `insert into record_access (record_id, user_id, kind, referral_id, access_role)
			select id, $1, 'referral', gen_random_uuid(), 'role-caseworker' from records where record_type = 'case' order by id limit 50`, receiver.id)
		if err != nil {
			return err
		}
		// The baseline: as many cases reached through assigned rows (own role).
		_, err = c.Exec(ctx, `insert into record_access (record_id, user_id, kind)
			select id, $1, 'assigned' from records where record_type = 'case' order by id desc limit 50`, assigned.id)
		return err
	}))
	for _, q := range []string{"vacuum analyze tenant_ke.records", "vacuum analyze tenant_ke.record_access"} {
		_, err := e.su.Exec(ctx, q)
		require.NoError(b, err)
	}
	for _, tc := range []struct {
		name string
		who  actor
	}{{"Referrals", receiver}, {"AssignedBaseline", assigned}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				res, err := e.rs.List(tc.who.ctx, "ke", records.TypeCase, records.ListParams{Per: 20})
				if err != nil {
					b.Fatal(err)
				}
				if res.Total != 50 || len(res.Records) != 20 {
					b.Fatalf("total %d, page %d", res.Total, len(res.Records))
				}
			}
		})
	}
}

// BenchmarkTransitionsQueue measures the first page (20) of a group
// manager's incoming queue (list-transitions, direction in, pending) and of
// the sender's outgoing one, with CPIMS_BENCH_REFERRALS (default 200)
// pending referrals from one caseworker to another of the manager's group,
// each on its own case (made through the service with the timer stopped).
func BenchmarkTransitionsQueue(b *testing.B) {
	n := 200
	if s := os.Getenv("CPIMS_BENCH_REFERRALS"); s != "" {
		var err error
		n, err = strconv.Atoi(s)
		require.NoError(b, err)
	}
	e := newEnv(b)
	wf := workflow.New(e.p, workflow.Config{Names: e.rs})
	sender := e.user(b, "role-caseworker", "agency-a", "usergroup-a")
	receiver := e.user(b, "role-caseworker", "agency-a", "usergroup-a")
	manager := e.user(b, "role-case-manager", "agency-a", "usergroup-a")
	for range n {
		id := e.newCase(b, sender, nil)
		_, err := wf.Refer(sender.ctx, "ke", id, workflow.Input{TransitionedTo: receiver.email, Service: "health"})
		require.NoError(b, err)
	}
	// NoNames: the same without the names (e.wf has no CaseNames): what the
	// role's forms and the name lookup cost.
	for _, c := range []struct {
		name string
		wf   *workflow.Service
		a    actor
		f    workflow.TransitionFilter
	}{
		{"ManagerIn", wf, manager, workflow.TransitionFilter{}},
		{"SenderOut", wf, sender, workflow.TransitionFilter{Direction: workflow.DirectionOut}},
		{"ManagerInNoNames", e.wf, manager, workflow.TransitionFilter{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				ts, total, err := c.wf.ListTransitions(c.a.ctx, "ke", c.f, tenancy.Page{Page: 1, Per: 20})
				if err != nil || total != n || len(ts) != 20 {
					b.Fatalf("total %d, page %d: %v", total, len(ts), err)
				}
			}
		})
	}
}
