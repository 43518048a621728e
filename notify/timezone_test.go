package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

// TestDigestOnEachUsersLocalMorning: two users in different time zones (one
// by the tenant's default, Asia/Tokyo; one by their own, America/New_York,
// set in their account settings) own a case whose assessment was due on
// 2026-03-06. The digest job, run every hour across New York's change to
// daylight saving time (2026-03-08), queues exactly one digest per user and
// local date from the first local date it is overdue (2026-03-07), each at
// the first run after 07:00 local time, none twice and no day skipped; the
// River client then delivers each through the SMTP capture.
func TestDigestOnEachUsersLocalMorning(t *testing.T) {
	t.Parallel()
	w := setup(t)
	admin := w.user(t, "role-system-administrator", "en")
	_, err := settings.New(w.p).SetDefaultTimeZone(policy.WithSubject(context.Background(), admin.sub), "ke", "Asia/Tokyo")
	require.NoError(t, err)
	tokyo := w.user(t, "role-caseworker", "en")
	ny := w.user(t, "role-caseworker", "fr")
	zone := "America/New_York"
	u, err := people.New(w.p).UpdateOwnAccount(policy.WithSubject(context.Background(), ny.sub), "ke", people.OwnAccountPatch{TimeZone: &zone})
	require.NoError(t, err)
	require.Equal(t, zone, u.TimeZone)
	for _, p := range []person{tokyo, ny} {
		_, err := w.rs.CreateBatch(sys(policy.ActorDemoSeeder), "ke", []records.BatchRecord{{ID: newUUID(), RecordType: "case",
			ModuleID: "primeromodule-cp", Status: "open", Workflow: "new", OwnerID: p.sub.ID, CreatedAt: time.Now(), UpdatedAt: time.Now(),
			Data: records.Data{"registration_date": "2026-02-27"}}}) // assessment due 2026-03-06
		require.NoError(t, err)
	}

	ctx := sys(policy.ActorNotifier)
	queuedAt := map[string]string{} // event id -> the run (UTC) that queued it
	for at := time.Date(2026, 3, 5, 0, 30, 0, 0, time.UTC); !at.After(time.Date(2026, 3, 12, 0, 30, 0, 0, time.UTC)); at = at.Add(time.Hour) {
		n, err := notify.QueueDigests(ctx, w.p, "ke", at)
		require.NoError(t, err)
		rows, err := w.su.Query(context.Background(), "select event_id from tenant_ke.notifications where kind = 'digest'")
		require.NoError(t, err)
		fresh := 0
		for rows.Next() {
			var e string
			require.NoError(t, rows.Scan(&e))
			if _, ok := queuedAt[e]; !ok {
				queuedAt[e] = at.Format("2006-01-02T15:04")
				fresh++
			}
		}
		require.NoError(t, rows.Err())
		require.Equal(t, n, fresh, "at %s", at)
	}
	want := map[string]string{
		// Tokyo (UTC+9): 07:30 local is 22:30 UTC the day before.
		"digest:" + tokyo.sub.ID + ":2026-03-07": "2026-03-06T22:30",
		"digest:" + tokyo.sub.ID + ":2026-03-08": "2026-03-07T22:30",
		"digest:" + tokyo.sub.ID + ":2026-03-09": "2026-03-08T22:30",
		"digest:" + tokyo.sub.ID + ":2026-03-10": "2026-03-09T22:30",
		"digest:" + tokyo.sub.ID + ":2026-03-11": "2026-03-10T22:30",
		"digest:" + tokyo.sub.ID + ":2026-03-12": "2026-03-11T22:30",
		// New York: 07:30 EST (UTC-5) until 2026-03-08 02:00, then EDT (UTC-4).
		"digest:" + ny.sub.ID + ":2026-03-07": "2026-03-07T12:30",
		"digest:" + ny.sub.ID + ":2026-03-08": "2026-03-08T11:30",
		"digest:" + ny.sub.ID + ":2026-03-09": "2026-03-09T11:30",
		"digest:" + ny.sub.ID + ":2026-03-10": "2026-03-10T11:30",
		"digest:" + ny.sub.ID + ":2026-03-11": "2026-03-11T11:30",
	}
	require.Equal(t, want, queuedAt, "one digest per user and local date, on the local morning; nothing before it was overdue")

	// Only the delivery worker: the periodic digest job (jobs.NewClient)
	// would queue today's real digests too.
	smtp, client := w.deliveryClient(t, 4)
	require.NoError(t, client.Start(context.Background()))
	defer stop(t, client)
	msgs, err := smtp.Wait(len(want), 60*time.Second)
	require.NoError(t, err)
	perUser := map[string]int{}
	for _, m := range msgs {
		d := decode(t, m)
		perUser[d.to]++
		require.Contains(t, d.text, "2026-03-06", "the overdue assessment")
	}
	require.Equal(t, map[string]int{tokyo.email: 6, ny.email: 5}, perUser)
	require.Eventually(t, func() bool {
		var sent int
		require.NoError(t, w.su.QueryRow(context.Background(), "select count(*) from tenant_ke.notifications where status = 'sent'").Scan(&sent))
		return sent == len(want)
	}, 30*time.Second, 50*time.Millisecond)
	require.Len(t, smtp.Messages(), len(want))
}

// TestTimeZoneSettingsRefuseUnknownZones: a user's and the tenant's time
// zone must be IANA names Go knows; anything else is a ValidationError at
// time_zone and changes nothing; "" puts a user back on the tenant's default.
func TestTimeZoneSettingsRefuseUnknownZones(t *testing.T) {
	t.Parallel()
	w := setup(t)
	admin := w.user(t, "role-system-administrator", "en")
	me := w.user(t, "role-caseworker", "en")
	for _, bad := range []string{"Mars/Olympus", "Local", "", "Europe/../etc", "UTC; drop table users", strings.Repeat("A", 70)} {
		_, err := settings.New(w.p).SetDefaultTimeZone(policy.WithSubject(context.Background(), admin.sub), "ke", bad)
		var tz *tenancy.ValidationError
		require.ErrorAs(t, err, &tz, bad)
		require.Equal(t, "time_zone", tz.Errors[0].Path)
		_, err = people.New(w.p).UpdateOwnAccount(policy.WithSubject(context.Background(), me.sub), "ke", people.OwnAccountPatch{TimeZone: &bad})
		if bad != "" {
			var ve *tenancy.ValidationError
			require.ErrorAs(t, err, &ve, bad)
			require.Equal(t, "time_zone", ve.Errors[0].Path)
			_, err = people.New(w.p).UpdateUser(policy.WithSubject(context.Background(), admin.sub), "ke", me.sub.ID, people.UserPatch{TimeZone: &bad})
			var ie *tenancy.InvalidError
			require.ErrorAs(t, err, &ie, bad)
		}
	}
	s, err := settings.New(w.p).GetSystemSettings(sys(policy.ActorNotifier), "ke")
	require.NoError(t, err)
	require.Equal(t, "UTC", s.TimeZone)
	zone := "Africa/Nairobi"
	u, err := people.New(w.p).UpdateUser(policy.WithSubject(context.Background(), admin.sub), "ke", me.sub.ID, people.UserPatch{TimeZone: &zone})
	require.NoError(t, err)
	require.Equal(t, zone, u.TimeZone)
	clear := ""
	u, err = people.New(w.p).UpdateOwnAccount(policy.WithSubject(context.Background(), me.sub), "ke", people.OwnAccountPatch{TimeZone: &clear})
	require.NoError(t, err)
	require.Empty(t, u.TimeZone, "back on the tenant's default")
}
