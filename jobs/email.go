package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/policy"
)

// SendEmailArgs is one email to send, already rendered in the recipient's language.
type SendEmailArgs struct {
	// Tenant the email is sent for (logs, per-country sending settings).
	Tenant  string        `json:"tenant"`
	Message email.Message `json:"message"`
}

// Kind implements river.JobArgs.
func (SendEmailArgs) Kind() string { return "send_email" }

// InsertOpts retries for about a day and drops an identical email queued
// again within an hour (a double click must not mail twice).
func (SendEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
}

// SendEmailWorker delivers emails through the configured sender.
type SendEmailWorker struct {
	river.WorkerDefaults[SendEmailArgs]
	Sender email.Sender
}

// Work sends the email; errors are retried with River's backoff.
func (w *SendEmailWorker) Work(ctx context.Context, job *river.Job[SendEmailArgs]) error {
	if w.Sender == nil {
		return errors.New("no email sender is configured (set CPIMS_EMAIL_URL)")
	}
	ctx = policy.WithSubject(ctx, policy.System(policy.ActorMailer))
	if err := job.Args.Message.Validate(); err != nil {
		return river.JobCancel(err) // retrying cannot fix a bad message
	}
	return w.Sender.Send(ctx, job.Args.Message)
}
