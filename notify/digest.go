package notify

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/l10n"
	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/settings"
	"github.com/cpims-hosted/cpims/tenancy"
)

// DigestTasksMax is how many overdue tasks a digest lists (then "and N more").
const DigestTasksMax = 20

// DigestHour is the local hour (0-23) from which a user's daily digest is
// queued: a run of the digest job at or after it, on a local date the user
// has no digest for yet, queues it.
const DigestHour = 7

// DigestArgs is the periodic job that queues the daily digests of every
// active tenant (QueueDigests). It runs every DigestInterval (jobs; hourly
// by default); each user gets at most one digest per local date, so a run
// repeated, or several workers, queue nothing more.
type DigestArgs struct{}

// Kind implements river.JobArgs.
func (DigestArgs) Kind() string { return "notify_digests" }

// InsertOpts: one run per period even if several clients schedule it (the
// period is shorter than the shortest interval worth running, 15 minutes).
func (DigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 10 * time.Minute}}
}

// DigestWorker queues the digests due now of every active tenant as the
// named system actor notifier.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	Platform *tenancy.Platform
}

// Work queues the digests; a tenant that fails is reported after the others.
func (w *DigestWorker) Work(ctx context.Context, _ *river.Job[DigestArgs]) error {
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorNotifier))
	return w.Platform.EachActive(ctx, func(code string) error {
		n, err := QueueDigests(ctx, w.Platform, code, time.Now())
		if err != nil {
			slog.ErrorContext(ctx, "queueing digests", "tenant", code, "error", err)
			return err
		}
		if n > 0 {
			slog.InfoContext(ctx, "queued digests", "tenant", code, "count", n)
		}
		return nil
	})
}

// QueueDigests queues, in one transaction of tenant code, the digests due at
// now: for every enabled user with overdue tasks whose local time (their
// time zone, else the tenant's: settings.UserLocation) is DigestHour or
// later, and who has no digest for their local date yet, a notifications
// row (event digest:<user>:<local date>, unique, so a user gets one digest
// a local day however often this runs) and its delivery job, or a "skipped"
// row for a user who turned digests off. Overdue means due before the local
// date. A run at least hourly never skips a local day, daylight saving
// changes included (the hours from DigestHour to midnight always hold a
// run). It returns how many rows it wrote. The caller's subject is a system
// actor (the notifier).
func QueueDigests(ctx context.Context, p *tenancy.Platform, code string, now time.Time) (int, error) {
	n := 0
	err := p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		rows, err := c.Query(ctx, `select u.id::text, coalesce(u.time_zone, s.time_zone) from users u cross join system_settings s
			where not u.disabled and exists (
			select 1 from record_access a join records r on r.id = a.record_id
			where a.user_id = u.id and a.kind in ('owner', 'assigned') and r.record_type = 'case' and r.status = 'open' and r.enabled)
			order by u.id`)
		if err != nil {
			return err
		}
		type candidate struct{ id, zone string }
		users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (candidate, error) {
			var u candidate
			return u, r.Scan(&u.id, &u.zone)
		})
		if err != nil {
			return err
		}
		for _, u := range users {
			loc, err := time.LoadLocation(u.zone)
			if err != nil {
				loc = time.UTC
			}
			if now.In(loc).Hour() < DigestHour {
				continue
			}
			day := settings.LocalDate(now, loc)
			event := "digest:" + u.id + ":" + day.Format(time.DateOnly)
			var sent bool
			if err := c.QueryRow(ctx, "select exists (select 1 from notifications where event_id = $1)", event).Scan(&sent); err != nil {
				return err
			}
			if sent {
				continue
			}
			_, overdue, err := casework.OverdueTasks(ctx, c, u.id, day, 1)
			if err != nil {
				return err
			}
			if overdue == 0 {
				continue
			}
			var id, status string
			err = c.QueryRow(ctx, `insert into notifications (event_id, kind, recipient_id, status)
				values ($1, $2, $3, case when exists (select 1 from notification_opt_outs o where o.user_id = $3 and o.kind = $2)
					then 'skipped' else 'queued' end)
				on conflict (event_id) do nothing returning id::text, status`, event, KindDigest, u.id).Scan(&id, &status)
			if err == pgx.ErrNoRows {
				continue
			}
			if err != nil {
				return err
			}
			n++
			if status == "queued" {
				if err := c.Enqueue(ctx, Args{Tenant: code, ID: id}, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}

// digestDay is the local date a digest was queued for (the end of its event
// id, digest:<user>:<date>), else today in the user's time zone.
func digestDay(ctx context.Context, c *tenancy.Conn, eventID, userID string) (time.Time, error) {
	if i := strings.LastIndexByte(eventID, ':'); i >= 0 {
		if d, err := time.Parse(time.DateOnly, eventID[i+1:]); err == nil {
			return d, nil
		}
	}
	loc, err := settings.UserLocation(ctx, c, userID)
	if err != nil {
		return time.Time{}, err
	}
	return settings.LocalDate(time.Now(), loc), nil
}

// RenderDigest builds a digest email in the recipient's language (English
// if none of ours): the overdue tasks (case short id, kind of task, due
// date; never the child's data), total of them, links to each case and to
// the home page when origin (the tenant's web address) is known.
func RenderDigest(locale, tenantName, recipientName string, tasks []casework.Task, total int, origin, to string) email.Message {
	lang := cmp.Or(l10n.Supported(locale), l10n.Source)
	text := func(context string, params map[string]string) string {
		return l10n.Text(lang, "email:"+context, params)
	}
	dir := "ltr"
	if lang == "ar" {
		dir = "rtl"
	}
	subject := text("digest:subject", map[string]string{"count": strconv.Itoa(total)})
	hello := text("hello", map[string]string{"name": recipientName})
	intro := text("digest:intro", nil)
	var body strings.Builder
	fmt.Fprintf(&body, "%s\n\n%s\n\n", hello, intro)
	var h strings.Builder
	fmt.Fprintf(&h, `<!doctype html><html lang="%s" dir="%s"><body style="font-family:sans-serif" dir="%s"><p>%s</p><p>%s</p><ul>`,
		lang, dir, dir, html.EscapeString(hello), html.EscapeString(intro))
	for _, task := range tasks {
		line := text("digest:line", map[string]string{"case": task.ShortID, "task": text("task:"+task.Type, nil),
			"due": task.DueDate.Format(time.DateOnly)})
		link := ""
		if origin != "" {
			link = origin + "/cases/" + task.CaseID
		}
		fmt.Fprintf(&body, "- %s", line)
		if link != "" {
			fmt.Fprintf(&body, " %s", link)
		}
		body.WriteString("\n")
		if link != "" {
			fmt.Fprintf(&h, `<li><a href="%s">%s</a></li>`, html.EscapeString(link), html.EscapeString(line))
		} else {
			fmt.Fprintf(&h, "<li>%s</li>", html.EscapeString(line))
		}
	}
	h.WriteString("</ul>")
	if more := total - len(tasks); more > 0 {
		m := text("digest:more", map[string]string{"count": strconv.Itoa(more)})
		fmt.Fprintf(&body, "%s\n", m)
		fmt.Fprintf(&h, "<p>%s</p>", html.EscapeString(m))
	}
	if origin != "" {
		all := text("digest:all", nil)
		fmt.Fprintf(&body, "\n%s %s/\n", all, origin)
		fmt.Fprintf(&h, `<p><a href="%s/">%s</a></p>`, html.EscapeString(origin), html.EscapeString(all))
	}
	footer := text("footer", map[string]string{"instance": tenantName})
	fmt.Fprintf(&body, "\n%s\n", footer)
	fmt.Fprintf(&h, `<p style="color:#555;font-size:small">%s</p></body></html>`, html.EscapeString(footer))
	return email.Message{To: []string{to}, Subject: subject, Text: body.String(), HTML: h.String(), Locale: lang}
}
