package notify_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"encoding/base64"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/internal/smtptest"
	"github.com/cpims-hosted/cpims/internal/testdb"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/notify"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/records"
	"github.com/cpims-hosted/cpims/tenancy"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func sys(actor string) context.Context {
	return policy.WithSubject(context.Background(), policy.System(actor))
}

type world struct {
	db  *testdb.DB
	p   *tenancy.Platform
	rs  *records.Service
	su  *pgx.Conn
	svc *notify.Service
}

func setup(t testing.TB) *world {
	t.Helper()
	db := testdb.New(t)
	enf, err := policy.NewEnforcer()
	require.NoError(t, err)
	p := db.Platform(t, tenancy.Config{Authorizer: enf})
	_, err = p.Create(sys(policy.ActorProvisioner), tenancy.CreateParams{Code: "ke", Name: "Kenya", Locales: []string{"en", "ar"}})
	require.NoError(t, err)
	require.NoError(t, p.Provision(sys(policy.ActorProvisioner), "ke"))
	version, roles, err := p.TenantPolicy(sys(policy.ActorAuthenticator), "ke")
	require.NoError(t, err)
	require.NoError(t, enf.SetTenantPolicy("ke", version, roles))
	require.NoError(t, people.New(p).AddAgency(sys(policy.ActorSeeder), "ke", "agency-unicef", "UNICEF", map[string]string{"en": "UNICEF"}))
	return &world{db: db, p: p, rs: records.New(p, records.Config{Schemas: records.FormsSchemas(forms.New(p, forms.Config{}))}),
		su: db.Superuser(t), svc: notify.New(p)}
}

type person struct {
	sub   policy.Subject
	email string
}

func (w *world) user(t testing.TB, role, locale string) person {
	t.Helper()
	identity := newUUID()
	mail := "u" + identity[:8] + "@example.org"
	_, err := people.New(w.p).AddUser(sys(policy.ActorSeeder), "ke", people.NewUser{Email: mail, FullName: "User " + identity[:4], Locale: locale,
		Role: role, Agency: "agency-unicef"}, func(context.Context) (string, error) { return identity, nil }, nil)
	require.NoError(t, err)
	pr, err := w.p.PrincipalByIdentity(sys(policy.ActorAuthenticator), "ke", identity)
	require.NoError(t, err)
	return person{pr.Subject(), mail}
}

// overdueCase gives owner an open case registered 30 days ago (its
// assessment is overdue) with a child's name, and returns its id and short id.
func (w *world) overdueCase(t testing.TB, owner person) (string, string) {
	t.Helper()
	id := newUUID()
	_, err := w.rs.CreateBatch(sys(policy.ActorDemoSeeder), "ke", []records.BatchRecord{{ID: id, RecordType: "case",
		ModuleID: "primeromodule-cp", Status: "open", Workflow: "new", OwnerID: owner.sub.ID, CreatedAt: time.Now(),
		UpdatedAt: time.Now(), Data: records.Data{"name_first": "Zawadi", "registration_date": time.Now().AddDate(0, 0, -30).Format(time.DateOnly)}}})
	require.NoError(t, err)
	var short string
	require.NoError(t, w.su.QueryRow(context.Background(), "select short_id from tenant_ke.records where id = $1", id).Scan(&short))
	return id, short
}

func (w *world) statuses(t *testing.T) map[string]string {
	t.Helper()
	rows, err := w.su.Query(context.Background(), `select u.email, n.status || coalesce(':' || n.last_error, '')
		from tenant_ke.notifications n join tenant_ke.users u on u.id = n.recipient_id`)
	require.NoError(t, err)
	out := map[string]string{}
	for rows.Next() {
		var e, s string
		require.NoError(t, rows.Scan(&e, &s))
		out[e] = s
	}
	require.NoError(t, rows.Err())
	return out
}

type decoded struct{ to, subject, text, html, lang string }

func decode(t *testing.T, m smtptest.Message) decoded {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	require.NoError(t, err)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	d := decoded{to: m.To[0], subject: subject, lang: msg.Header.Get("Content-Language")}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		var r io.Reader = part
		switch strings.ToLower(part.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			r = quotedprintable.NewReader(part)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, part)
		}
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			d.html = string(b)
		} else {
			d.text = string(b)
		}
	}
	return d
}

// TestNotificationSettings: every kind is on until the user turns it off;
// an unknown kind is refused with its path and changes nothing.
func TestNotificationSettings(t *testing.T) {
	t.Parallel()
	w := setup(t)
	cw := w.user(t, "role-caseworker", "en")
	ctx := policy.WithSubject(context.Background(), cw.sub)
	asMap := func(ss []notify.Setting, err error) map[string]bool {
		t.Helper()
		require.NoError(t, err)
		m := map[string]bool{}
		for _, s := range ss {
			m[s.Kind] = s.Email
		}
		return m
	}
	s := asMap(w.svc.Settings(ctx, "ke"))
	require.Len(t, s, len(notify.Kinds))
	for _, k := range notify.Kinds {
		require.True(t, s[k], k)
	}
	s = asMap(w.svc.UpdateSettings(ctx, "ke", []notify.Setting{{Kind: "digest"}, {Kind: "referral"}}))
	require.False(t, s["digest"])
	require.False(t, s["referral"])
	require.True(t, s["assign"])
	_, err := w.svc.UpdateSettings(ctx, "ke", []notify.Setting{{Kind: "referral", Email: true}, {Kind: "birthday"}, {Kind: "referral"}})
	var ve *tenancy.ValidationError
	require.True(t, errors.As(err, &ve), err)
	require.Equal(t, []string{"data[1].kind", "data[2].kind"}, []string{ve.Errors[0].Path, ve.Errors[1].Path})
	s = asMap(w.svc.UpdateSettings(ctx, "ke", []notify.Setting{{Kind: "referral", Email: true}}))
	require.True(t, s["referral"])
	require.False(t, s["digest"], "the refused change changed nothing, this one only referral")

	_, err = w.svc.Settings(policy.WithSubject(context.Background(), policy.Subject{Kind: policy.KindService, ID: newUUID(),
		Roles: []string{"role-caseworker"}}), "ke")
	require.Error(t, err, "a service account has no settings")
}

// TestDailyDigest: QueueDigests queues one digest per user with overdue
// tasks per day (a second run queues nothing), a skipped row for one who
// turned digests off, none for a user with nothing overdue; the River
// client delivers them through a real SMTP server in each recipient's
// language, with links to the tenant's host and the cases' short ids,
// never the child's name.
func TestDailyDigest(t *testing.T) {
	t.Parallel()
	w := setup(t)
	en := w.user(t, "role-caseworker", "en")
	ar := w.user(t, "role-caseworker", "ar")
	off := w.user(t, "role-caseworker", "fr")
	idle := w.user(t, "role-caseworker", "en")
	id1, short1 := w.overdueCase(t, en)
	w.overdueCase(t, en)
	_, shortAr := w.overdueCase(t, ar)
	w.overdueCase(t, off)
	_ = idle
	_, err := w.svc.UpdateSettings(policy.WithSubject(context.Background(), off.sub), "ke", []notify.Setting{{Kind: "digest"}})
	require.NoError(t, err)

	ctx := sys(policy.ActorNotifier)
	n, err := notify.QueueDigests(ctx, w.p, "ke", middayUTC())
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = notify.QueueDigests(ctx, w.p, "ke", middayUTC())
	require.NoError(t, err)
	require.Zero(t, n, "one digest per user per day")
	require.Equal(t, "skipped", w.statuses(t)[off.email])

	smtp, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	defer smtp.Close()
	client, err := jobs.NewClient(w.db.Pool, w.p, jobs.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Email:  &email.SMTP{Addr: smtp.Addr, From: "no-reply@ke.example.org", TLS: email.TLSNone},
		Origin: func(code string) string { return "https://" + code + ".example.org" }})
	require.NoError(t, err)
	require.NoError(t, client.Start(context.Background()))
	defer stop(t, client)
	msgs, err := smtp.Wait(2, 30*time.Second)
	require.NoError(t, err)
	require.Eventually(t, func() bool { s := w.statuses(t); return s[en.email] == "sent" && s[ar.email] == "sent" },
		30*time.Second, 50*time.Millisecond)
	require.Len(t, smtp.Messages(), 2, "the opted-out and the idle user get nothing; the digest job run on start queued nothing more")
	got := map[string]decoded{}
	for _, m := range msgs {
		d := decode(t, m)
		got[d.to] = d
	}
	e := got[en.email]
	require.Equal(t, "Overdue tasks: 2", e.subject)
	require.Contains(t, e.text, "Case "+short1+": assessment, due ")
	require.Contains(t, e.text, "https://ke.example.org/cases/"+id1)
	require.NotContains(t, e.text, "Zawadi")
	require.NotContains(t, e.html, "Zawadi")
	a := got[ar.email]
	require.Equal(t, "ar", a.lang)
	require.Equal(t, "المهام المتأخرة: 1", a.subject)
	require.Contains(t, a.html, `dir="rtl"`)
	require.Contains(t, a.text, "الحالة "+shortAr)
}

// middayUTC is noon (UTC) today: past notify.DigestHour in the tenant's
// default time zone (UTC), so that the day's digests are due; a digest run
// at the real time later today queues nothing more.
func middayUTC() time.Time { return time.Now().UTC().Truncate(24 * time.Hour).Add(12 * time.Hour) }

// deliveryClient starts an SMTP capture (closed when t ends) and returns it
// with a River client, not started, that runs only the delivery worker
// (notify.Worker, maxWorkers at a time) into it: without the periodic
// digest job that jobs.NewClient adds.
func (w *world) deliveryClient(t testing.TB, maxWorkers int) (*smtptest.Server, *river.Client[pgx.Tx]) {
	t.Helper()
	smtp, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = smtp.Close() })
	workers := river.NewWorkers()
	river.AddWorker(workers, &notify.Worker{Platform: w.p, Sender: &email.SMTP{Addr: smtp.Addr, From: "no-reply@ke.example.org", TLS: email.TLSNone},
		Origin: func(code string) string { return "https://" + code + ".example.org" }})
	client, err := river.NewClient(riverpgxv5.New(w.db.Pool), &river.Config{Schema: tenancy.RiverSchema,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: maxWorkers}},
		Workers: workers})
	require.NoError(t, err)
	return smtp, client
}

func stop(t testing.TB, c *river.Client[pgx.Tx]) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.Stop(ctx))
}

// dyingSender sends through a real SMTP server, then, the first time,
// reports that the message reached the server and blocks until its worker
// is stopped: the process "dies" after the server accepted the message and
// before the notification was marked sent.
type dyingSender struct {
	real    email.Sender
	once    sync.Once
	reached chan string
}

func (d *dyingSender) Send(ctx context.Context, m email.Message) error {
	if err := d.real.Send(ctx, m); err != nil {
		return err
	}
	died := false
	d.once.Do(func() { died = true })
	if !died {
		return nil
	}
	d.reached <- m.To[0]
	<-ctx.Done()
	return ctx.Err()
}

// TestWorkerKilledMidSendSendsEachMessageOnce: three digests are queued; the
// first worker is stopped (its jobs' contexts cancelled) after the SMTP
// server accepted one message and before it was marked sent. A new worker
// then delivers the other two, and does not send the interrupted one again:
// it marks it failed, saying why. The server receives each message exactly
// once (delivery is at most once across a crash: docs/workflows.md).
func TestWorkerKilledMidSendSendsEachMessageOnce(t *testing.T) {
	t.Parallel()
	w := setup(t)
	people := []person{w.user(t, "role-caseworker", "en"), w.user(t, "role-caseworker", "es"), w.user(t, "role-caseworker", "ar")}
	for _, p := range people {
		w.overdueCase(t, p)
	}
	n, err := notify.QueueDigests(sys(policy.ActorNotifier), w.p, "ke", middayUTC())
	require.NoError(t, err)
	require.Equal(t, 3, n)

	smtp, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	defer smtp.Close()
	sender := &email.SMTP{Addr: smtp.Addr, From: "no-reply@ke.example.org", TLS: email.TLSNone}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	// The first worker: one job at a time, dies after the first message reached the server.
	dying := &dyingSender{real: sender, reached: make(chan string, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, &notify.Worker{Platform: w.p, Sender: dying})
	first, err := river.NewClient(riverpgxv5.New(w.db.Pool), &river.Config{Schema: tenancy.RiverSchema, Logger: log,
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}}, Workers: workers})
	require.NoError(t, err)
	require.NoError(t, first.Start(context.Background()))
	var interrupted string
	select {
	case interrupted = <-dying.reached:
	case <-time.After(30 * time.Second):
		t.Fatal("no message reached the SMTP server within 30s")
	}
	require.Equal(t, "sending", w.statuses(t)[interrupted], "accepted by the server, not yet marked sent")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	require.NoError(t, first.StopAndCancel(sctx))
	cancel()
	require.Len(t, smtp.Messages(), 1)

	// After the restart: everything settles, each message once.
	second, err := jobs.NewClient(w.db.Pool, w.p, jobs.Config{Logger: log, Email: sender})
	require.NoError(t, err)
	require.NoError(t, second.Start(context.Background()))
	defer stop(t, second)
	require.Eventually(t, func() bool {
		s := w.statuses(t)
		for _, p := range people {
			if st := s[p.email]; st == "queued" || st == "sending" {
				return false
			}
		}
		return true
	}, 60*time.Second, 100*time.Millisecond)
	s := w.statuses(t)
	for _, p := range people {
		if p.email == interrupted {
			require.Equal(t, "failed:the worker stopped while sending: it may have been delivered, so it is not sent again", s[p.email])
		} else {
			require.Equal(t, "sent", s[p.email])
		}
	}
	count := map[string]int{}
	for _, m := range smtp.Messages() {
		count[m.To[0]]++
	}
	require.Equal(t, map[string]int{people[0].email: 1, people[1].email: 1, people[2].email: 1}, count, "each message exactly once")
}
