// Package notify emails people about the workflow events that concern them
// (docs/workflows.md, Notifications): an assignment, referral, transfer or
// transfer request to its receiver, the answers to the sender.
//
// Notify runs inside the event's tenant transaction: it writes one
// notifications row per event (event_id unique, so a retried request never
// notifies twice) and enqueues a River job with InsertTx (Conn.Enqueue),
// also unique by its args. The Worker renders the email in the
// recipient's language (en, fr, es, ar; Arabic right to left), plain text
// and HTML, with the case's short id and a link to it on the tenant's own
// host, and no data about the child. A recipient who opted out of the kind
// gets a "skipped" row and no email. Deliveries are retried with River's
// backoff; their state is listed for administrators (List).
package notify

import (
	"cmp"
	"context"
	"errors"
	"html"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/l10n"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
	"github.com/cpims-hosted/cpims/workflow"
)

// PermRead lists deliveries (administrators).
var PermRead = policy.Permission{Resource: "notifications", Action: "read"}

// Notifier implements workflow.Notifier.
type Notifier struct{}

var _ workflow.Notifier = Notifier{}

// Notify records the event's notification and enqueues its delivery, in
// the event's transaction.
func (Notifier) Notify(ctx context.Context, c *tenancy.Conn, e workflow.Event) error {
	var id, status string
	err := c.QueryRow(ctx, `insert into notifications (event_id, kind, recipient_id, record_id, transition_id, actor_name, status)
		values ($1, $2, $3, $4, nullif($5, '')::uuid, $6,
			case when exists (select 1 from notification_opt_outs o where o.user_id = $3 and o.kind = $2) then 'skipped' else 'queued' end)
		on conflict (event_id) do nothing returning id::text, status`, e.ID, e.Kind, e.RecipientID, e.RecordID, e.TransitionID, e.ActorName).
		Scan(&id, &status)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // notified already
	}
	if err != nil {
		return err
	}
	if status != "queued" {
		return nil
	}
	return c.Enqueue(ctx, Args{Tenant: c.Tenant(), ID: id}, nil)
}

// Args is one notification to deliver.
type Args struct {
	Tenant string `json:"tenant"`
	ID     string `json:"id"`
}

// Kind implements river.JobArgs.
func (Args) Kind() string { return "notify" }

// InsertOpts retries for about a day, and never queues one notification twice.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Worker delivers notifications.
type Worker struct {
	river.WorkerDefaults[Args]
	Platform *tenancy.Platform
	Sender   email.Sender
	// Origin gives the web address of a tenant (identity.Links.TenantOrigin).
	Origin func(code string) string
}

// Work renders and sends one notification, then marks it sent.
//
// Delivery is at most once across crashes: the row is claimed ("sending")
// in a transaction committed before the SMTP conversation starts. A job run
// again after its worker stopped mid-send (a crash, or a cancelled context)
// finds the row "sending" and does not send it again: it marks it failed
// with that reason (the message may or may not have reached the server).
// An error the sender reports (the server refused, the connection failed)
// puts the row back to "queued", and River retries with backoff.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	if w.Sender == nil {
		return errors.New("no email sender is configured (set CPIMS_EMAIL_URL)")
	}
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorNotifier))
	var msg email.Message
	var pending bool
	err := w.Platform.Tx(ctx, job.Args.Tenant, func(ctx context.Context, c *tenancy.Conn) error {
		var n note
		err := c.QueryRow(ctx, `select n.status, n.kind, n.actor_name, coalesce(n.record_id::text, ''), coalesce(r.short_id, ''),
				coalesce(r.record_type, ''), u.id::text, u.email, u.full_name, u.locale, u.disabled,
				coalesce((select s.name from system_settings s), ''), n.event_id
			from notifications n join users u on u.id = n.recipient_id left join records r on r.id = n.record_id
			where n.id = $1 for update of n`, job.Args.ID).Scan(&n.status, &n.kind, &n.actor, &n.recordID, &n.shortID, &n.recordType,
			&n.userID, &n.to, &n.name, &n.locale, &n.disabled, &n.tenantName, &n.eventID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if n.status == "sending" {
			_, err := c.Exec(ctx, `update notifications set status = 'failed', last_error = $2 where id = $1`, job.Args.ID,
				"the worker stopped while sending: it may have been delivered, so it is not sent again")
			return err
		}
		if n.status != "queued" || n.disabled {
			return nil
		}
		origin := ""
		if w.Origin != nil {
			origin = w.Origin(job.Args.Tenant)
		}
		if n.kind == KindDigest {
			day, err := digestDay(ctx, c, n.eventID, n.userID)
			if err != nil {
				return err
			}
			tasks, total, err := casework.OverdueTasks(ctx, c, n.userID, day, DigestTasksMax)
			if err != nil {
				return err
			}
			if total == 0 {
				_, err := c.Exec(ctx, `update notifications set status = 'skipped', last_error = 'nothing overdue any more' where id = $1`,
					job.Args.ID)
				return err
			}
			msg = RenderDigest(n.locale, n.tenantName, n.name, tasks, total, origin, n.to)
		} else {
			link := ""
			if origin != "" && n.recordID != "" {
				link = origin + recordPath(n.recordType) + n.recordID
			}
			msg = Render(n.locale, n.kind, n.tenantName, n.name, n.actor, n.shortID, link, n.to)
		}
		if err := msg.Validate(); err != nil {
			_, err := c.Exec(ctx, `update notifications set status = 'failed', last_error = left($2, 500) where id = $1`,
				job.Args.ID, err.Error())
			return err
		}
		pending = true
		_, err = c.Exec(ctx, `update notifications set status = 'sending', attempts = attempts + 1 where id = $1`, job.Args.ID)
		return err
	})
	if err != nil || !pending {
		return err
	}
	if sendErr := w.Sender.Send(ctx, msg); sendErr != nil {
		if ctx.Err() != nil {
			return sendErr // stopped mid-send: the row stays "sending" (see above)
		}
		final := job.Attempt >= job.MaxAttempts
		if err := w.Platform.Tx(ctx, job.Args.Tenant, func(ctx context.Context, c *tenancy.Conn) error {
			_, err := c.Exec(ctx, `update notifications set last_error = left($2, 500),
				status = case when $3 then 'failed' else 'queued' end where id = $1`, job.Args.ID, sendErr.Error(), final)
			return err
		}); err != nil {
			return errors.Join(sendErr, err)
		}
		return sendErr
	}
	return w.Platform.Tx(ctx, job.Args.Tenant, func(ctx context.Context, c *tenancy.Conn) error {
		_, err := c.Exec(ctx, `update notifications set status = 'sent', sent_at = now(), last_error = null where id = $1`, job.Args.ID)
		return err
	})
}

type note struct {
	status, kind, actor, recordID, shortID, userID, to, name, locale, tenantName string
	recordType, eventID                                                          string
	disabled                                                                     bool
}

// Render builds the email of a notification of kind (assign, referral,
// transfer, transfer_request, or <type>_<status> for an answer) in the
// recipient's language (English if it has none of ours). Its texts are the
// server catalogue's "email:..." entries (package l10n, PO files).
func Render(locale, kind, tenantName, recipientName, actor, shortID, link, to string) email.Message {
	lang := cmp.Or(l10n.Supported(locale), l10n.Source)
	text := func(context string, params map[string]string) string {
		return l10n.Text(lang, "email:"+context, params)
	}
	params := map[string]string{"actor": actor, "case": shortID}
	line := text(kind, params)
	if line == "" {
		typ, status := splitKind(kind)
		if status == workflow.StatusRevoked {
			params["type"] = strings.ReplaceAll(typ, "_", " ")
			line = text("revoked", params)
		} else {
			params["status"] = text("status:"+status, nil)
			line = text("answer", params)
		}
	}
	hello := text("hello", map[string]string{"name": recipientName})
	footer := text("footer", map[string]string{"instance": tenantName})
	body := hello + "\n\n" + line + "\n"
	open := text("open", nil)
	if strings.Contains(link, tracingRequestsPath) {
		open = text("open_tracing_request", nil)
	}
	if link != "" {
		body += "\n" + open + " " + link + "\n"
	}
	body += "\n" + footer + "\n"
	dir := "ltr"
	if lang == "ar" {
		dir = "rtl"
	}
	h := `<!doctype html><html lang="` + lang + `" dir="` + dir + `"><body style="font-family:sans-serif" dir="` + dir + `">` +
		"<p>" + html.EscapeString(hello) + "</p><p>" + html.EscapeString(line) + "</p>"
	if link != "" {
		h += `<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(open+" "+shortID) + "</a></p>"
	}
	h += `<p style="color:#555;font-size:small">` + html.EscapeString(footer) + "</p></body></html>"
	return email.Message{To: []string{to}, Subject: line, Text: body, HTML: h, Locale: lang}
}

// Paths of the web app's record pages (frontend/src/router.tsx).
const (
	casesPath           = "/cases/"
	tracingRequestsPath = "/tracing-requests/"
)

// recordPath is the web app's path of a record type's pages.
func recordPath(recordType string) string {
	if recordType == "tracing_request" {
		return tracingRequestsPath
	}
	return casesPath
}

func splitKind(kind string) (string, string) {
	for _, st := range []string{workflow.StatusAccepted, workflow.StatusRejected, workflow.StatusDone, workflow.StatusRevoked} {
		if strings.HasSuffix(kind, "_"+st) {
			return strings.TrimSuffix(kind, "_"+st), st
		}
	}
	return kind, ""
}

// Delivery is one notification as administrators see it (no message body).
type Delivery struct {
	ID        string     `json:"id" format:"uuid"`
	Kind      string     `json:"kind"`
	Recipient string     `json:"recipient" doc:"The recipient's email."`
	RecordID  string     `json:"record_id,omitempty"`
	Status    string     `json:"status" enum:"queued,sending,sent,failed,skipped"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// Service lists deliveries.
type Service struct{ p *tenancy.Platform }

// New returns a Service on p.
func New(p *tenancy.Platform) *Service { return &Service{p: p} }

// List returns deliveries newest first (status filters when not empty),
// and their total. Needs notifications:read.
func (s *Service) List(ctx context.Context, code, status string, page tenancy.Page) ([]Delivery, int, error) {
	if err := s.p.Authorize(ctx, code, PermRead); err != nil {
		return nil, 0, err
	}
	var out []Delivery
	var total int
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		if err := c.QueryRow(ctx, "select count(*) from notifications where $1 = '' or status = $1", status).Scan(&total); err != nil {
			return err
		}
		rows, err := c.Query(ctx, `select n.id::text, n.kind, u.email, coalesce(n.record_id::text, ''), n.status, n.attempts,
				coalesce(n.last_error, ''), n.created_at, n.sent_at
			from notifications n join users u on u.id = n.recipient_id where $1 = '' or n.status = $1
			order by n.created_at desc, n.id limit $2 offset $3`, status, page.Per, (page.Page-1)*page.Per)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Delivery])
		return err
	})
	if out == nil {
		out = []Delivery{}
	}
	return out, total, err
}
