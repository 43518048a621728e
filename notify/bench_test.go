package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// BenchmarkNotificationsDelivered measures notifications per second from
// the event to the SMTP server: b.N assignment events, each notified in its
// own tenant transaction (notifications row + River job, as a workflow
// does), then delivered by a real River client (notify.Worker, 10 workers)
// through the SMTP capture, until the server holds all b.N messages and
// every row is sent. Reports enqueue/s, deliver/s and end-to-end/s.
func BenchmarkNotificationsDelivered(b *testing.B) {
	w := setup(b)
	owner := w.user(b, "role-caseworker", "en")
	to := w.user(b, "role-caseworker", "fr")
	id, short := w.overdueCase(b, owner)
	smtp, client := w.deliveryClient(b, 10)
	ctx := policy.WithSubject(context.Background(), owner.sub)
	var enqueue, deliver time.Duration
	for b.Loop() {
		t0 := time.Now()
		require.NoError(b, w.p.Tx(ctx, "ke", func(ctx context.Context, c *tenancy.Conn) error {
			return notify.Notifier{}.Notify(ctx, c, workflow.Event{Kind: workflow.TypeAssign, ID: newUUID() + ":assign", RecipientID: to.sub.ID,
				RecordType: "case", RecordID: id, ShortID: short, ActorName: "bench"})
		}))
		enqueue += time.Since(t0)
	}
	b.StopTimer()
	t1 := time.Now()
	require.NoError(b, client.Start(context.Background()))
	defer stop(b, client)
	_, err := smtp.Wait(b.N, 10*time.Minute)
	require.NoError(b, err)
	deliver = time.Since(t1)
	b.ReportMetric(float64(b.N)/enqueue.Seconds(), "enqueued/s")
	b.ReportMetric(float64(b.N)/deliver.Seconds(), "delivered/s")
	b.ReportMetric(float64(b.N)/(enqueue+deliver).Seconds(), "end-to-end/s")
	b.Logf("%d notifications: enqueue %s (%.0f/s), deliver %s (%.0f/s)", b.N, enqueue.Round(time.Millisecond),
		float64(b.N)/enqueue.Seconds(), deliver.Round(time.Millisecond), float64(b.N)/deliver.Seconds())
}
