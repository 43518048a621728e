package records

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// PhoneCallingCode is the tenant's country calling code and the progress of
// the rewrite of stored phone numbers that its latest change started.
type PhoneCallingCode struct {
	CallingCode string        `json:"phone_calling_code" doc:"The country calling code, digits without +; empty: none (numbers match on all their digits as written)." example:"254"`
	Rewrite     *PhoneRewrite `json:"rewrite,omitempty" doc:"The rewrite of the stored phone numbers after the latest change; absent if the code never changed through the API."`
}

// PhoneRewrite is the progress of one rewrite of stored phone numbers.
type PhoneRewrite struct {
	CallingCode    string     `json:"phone_calling_code" doc:"The code this change set."`
	RequestedBy    string     `json:"requested_by"`
	RequestedAt    time.Time  `json:"requested_at"`
	RecordsTotal   int        `json:"records_total" doc:"Records to look at (0 until the job starts)."`
	RecordsDone    int        `json:"records_done" doc:"Records looked at: records_done of records_total is the progress."`
	RecordsChanged int        `json:"records_changed" doc:"Records whose stored phone numbers changed."`
	FinishedAt     *time.Time `json:"finished_at,omitempty" doc:"When every record had its numbers in the form this code gives."`
}

// RewritePhonesArgs is the River job rewriting a tenant's stored phone
// numbers after its calling code changed. Unique per tenant while queued
// or running; a change committed while it runs is picked up by the same
// run (RewritePhones).
type RewritePhonesArgs struct {
	Tenant string `json:"tenant"`
}

// Kind implements river.JobArgs.
func (RewritePhonesArgs) Kind() string { return "rewrite_phone_numbers" }

// InsertOpts makes the job unique per tenant among the jobs not finished.
func (RewritePhonesArgs) InsertOpts() river.InsertOpts { return uniqueUnfinished() }

// uniqueUnfinished is the insert options of a tenant-wide job: five
// attempts, unique by its arguments among the jobs not finished.
func uniqueUnfinished() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

var (
	permSettingsWrite = policy.Permission{Resource: "system_settings", Action: "write"}
	// callingCodeRE: an E.164 country code, 1 to 3 digits, or 4 for the
	// codes written with their area (1 684), never starting with 0.
	callingCodeRE = regexp.MustCompile(`^[1-9][0-9]{0,3}$`)
)

func readPhoneCallingCode(ctx context.Context, c *tenancy.Conn) (PhoneCallingCode, error) {
	var out PhoneCallingCode
	if err := c.QueryRow(ctx, "select coalesce(phone_calling_code, '') from system_settings").Scan(&out.CallingCode); err != nil {
		return out, err
	}
	var r PhoneRewrite
	err := c.QueryRow(ctx, `select coalesce(calling_code, ''), requested_by, requested_at, records_total, records_done,
		records_changed, finished_at from phone_rewrites order by id desc limit 1`).
		Scan(&r.CallingCode, &r.RequestedBy, &r.RequestedAt, &r.RecordsTotal, &r.RecordsDone, &r.RecordsChanged, &r.FinishedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return out, nil
	case err != nil:
		return out, err
	}
	out.Rewrite = &r
	return out, nil
}

// PhoneCallingCode returns the tenant's calling code and the progress of
// the rewrite its latest change started. Permission system_settings:write
// (the administrators who change it follow the rewrite).
func (s *Service) PhoneCallingCode(ctx context.Context, code string) (PhoneCallingCode, error) {
	if err := s.p.Authorize(ctx, code, permSettingsWrite); err != nil {
		return PhoneCallingCode{}, err
	}
	var out PhoneCallingCode
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var err error
		out, err = readPhoneCallingCode(ctx, c)
		return err
	})
	return out, err
}

// SetPhoneCallingCode sets the tenant's country calling code (digits
// without "+", e.g. "254"; "" for none) and, in the same transaction,
// queues the job that rewrites the stored form of every record's phone
// numbers (RewritePhones), so that searches and duplicates find records
// written before the change. Setting the code it has already changes
// nothing and queues nothing. Bad code: InvalidError (phone_calling_code).
func (s *Service) SetPhoneCallingCode(ctx context.Context, code, callingCode string) (PhoneCallingCode, error) {
	if err := s.p.Authorize(ctx, code, permSettingsWrite); err != nil {
		return PhoneCallingCode{}, err
	}
	if callingCode != "" && !callingCodeRE.MatchString(callingCode) {
		return PhoneCallingCode{}, &tenancy.InvalidError{Field: "phone_calling_code", Value: callingCode, Code: "calling_code",
			Reason: "must be a country calling code: 1 to 4 digits without + and not starting with 0 (e.g. 254), or empty for none"}
	}
	var out PhoneCallingCode
	err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
		var old string
		if err := c.QueryRow(ctx, "select coalesce(phone_calling_code, '') from system_settings for update").Scan(&old); err != nil {
			return err
		}
		if old != callingCode {
			if _, err := c.Exec(ctx, "update system_settings set phone_calling_code = nullif($1, ''), updated_at = now()", callingCode); err != nil {
				return err
			}
			if _, err := c.Exec(ctx, "insert into phone_rewrites (calling_code, requested_by) values (nullif($1, ''), $2)",
				callingCode, c.Subject().String()); err != nil {
				return err
			}
			if err := c.AuditChange(ctx, permSettingsWrite.String(), map[string]any{"phone_calling_code": map[string]string{"from": old, "to": callingCode}}); err != nil {
				return err
			}
			if err := c.Enqueue(ctx, RewritePhonesArgs{Tenant: code}, nil); err != nil {
				return err
			}
		}
		var err error
		out, err = readPhoneCallingCode(ctx, c)
		return err
	})
	return out, err
}

// rewriteBatch is how many records one transaction of RewritePhones looks at.
const rewriteBatch = 500

// RewritePhones gives every record's stored phone numbers (id_values) the
// form the tenant's current calling code gives them, a batch of records per
// transaction, each batch recording its progress in the latest
// phone_rewrites row. Each batch reads the code afresh; when the code
// changed during the run, the run starts again, so that it ends with every
// record in the latest code's form. A record written meanwhile is left as
// its writer stored it (that write used the current code). It acts as the
// named system actor phone_rewriter.
func (s *Service) RewritePhones(ctx context.Context, code string) error {
	if err := s.p.Authorize(ctx, code, policy.PermPhonesRewrite); err != nil {
		return err
	}
	for {
		var target int64
		err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
			err := c.QueryRow(ctx, "select coalesce(max(id), 0) from phone_rewrites").Scan(&target)
			if err != nil || target == 0 {
				return err
			}
			_, err = c.Exec(ctx, `update phone_rewrites set records_total = (select count(*) from records), records_done = 0,
				records_changed = 0 where id = $1`, target)
			return err
		})
		if err != nil || target == 0 {
			return err
		}
		after := "00000000-0000-0000-0000-000000000000"
		for done := false; !done; {
			err := s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
				var err error
				after, done, err = s.rewriteBatch(ctx, c, after, target)
				return err
			})
			if err != nil {
				return err
			}
		}
		var again bool
		err = s.p.Tx(ctx, code, func(ctx context.Context, c *tenancy.Conn) error {
			if err := c.QueryRow(ctx, "select exists (select from phone_rewrites where id > $1)", target).Scan(&again); err != nil || again {
				return err
			}
			_, err := c.Exec(ctx, "update phone_rewrites set finished_at = now() where id <= $1 and finished_at is null", target)
			return err
		})
		if err != nil || !again {
			return err
		}
	}
}

// phoneRewriteSelect reads a batch of records after an id ($1; $2 the
// batch's size) in the order of the column r.id, which the primary key
// reads in order (not the selected id::text: rekeySelect).
const phoneRewriteSelect = `select r.id::text, r.record_type, r.module_id, r.data, r.id_values, r.version from records r
	where r.id > $1::uuid order by r.id limit $2`

// rewriteBatch rewrites the records after id after (in id order), up to
// rewriteBatch of them, and adds them to rewrite target's progress. It
// returns the last id looked at and whether it was the last batch.
func (s *Service) rewriteBatch(ctx context.Context, c *tenancy.Conn, after string, target int64) (string, bool, error) {
	rows, err := c.Query(ctx, phoneRewriteSelect, after, rewriteBatch)
	if err != nil {
		return after, false, err
	}
	type rec struct {
		id, recordType, module string
		data                   Data
		idValues               []string
		version                int64
	}
	recs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (rec, error) {
		var x rec
		return x, r.Scan(&x.id, &x.recordType, &x.module, &x.data, &x.idValues, &x.version)
	})
	if err != nil {
		return after, false, err
	}
	if len(recs) == 0 {
		return after, true, nil
	}
	schemas := map[string]Schema{}
	phones := phoneRuleOf(ctx, c)
	var ids, values []string
	var versions []int64
	for _, r := range recs {
		sch := schemas[r.recordType+"/"+r.module]
		if sch == nil {
			if sch, err = s.schemas.Schema(ctx, c, r.recordType, r.module); err != nil {
				return after, false, err
			}
			schemas[r.recordType+"/"+r.module] = sch
		}
		if len(sch.PhoneFields()) == 0 {
			continue
		}
		x := extract(r.recordType, sch.Calculate(r.data), sch, phones)
		if err := phones.Err(); err != nil {
			return after, false, err
		}
		if !slices.Equal(x.IDValues, r.idValues) {
			ids, versions = append(ids, r.id), append(versions, r.version)
			values = append(values, strings.Join(x.IDValues, " ")) // letters and digits: no spaces
		}
	}
	changed := 0
	if len(ids) > 0 {
		// Only records not written since they were read: a write meanwhile
		// stored its numbers with the code of its own time.
		tag, err := c.Exec(ctx, `update records r set id_values = string_to_array(x.v, ' ')
			from unnest($1::uuid[], $2::text[], $3::bigint[]) as x (id, v, version)
			where r.id = x.id and r.version = x.version`, ids, values, versions)
		if err != nil {
			return after, false, err
		}
		changed = int(tag.RowsAffected())
	}
	if _, err := c.Exec(ctx, `update phone_rewrites set records_done = records_done + $2, records_changed = records_changed + $3
		where id = $1`, target, len(recs), changed); err != nil {
		return after, false, err
	}
	return recs[len(recs)-1].id, len(recs) < rewriteBatch, nil
}
