package tenancy

import (
	"context"
	"strconv"
)

// AttachmentLimits are a tenant's limits on attachments (columns of
// system_settings): the largest photo, audio and document file in bytes, and
// how many attachments one record may hold.
type AttachmentLimits struct {
	MaxPhotoBytes    int64 `json:"attachment_max_photo_bytes" doc:"The largest photo file accepted, in bytes." example:"10485760"`
	MaxAudioBytes    int64 `json:"attachment_max_audio_bytes" doc:"The largest audio file accepted, in bytes." example:"26214400"`
	MaxDocumentBytes int64 `json:"attachment_max_document_bytes" doc:"The largest document file accepted, in bytes." example:"20971520"`
	PerRecord        int   `json:"attachments_per_record" doc:"How many attachments one record may hold, all fields together." example:"50"`
}

// AttachmentLimitsChange names the limits to change; nil fields stay.
type AttachmentLimitsChange struct {
	MaxPhotoBytes    *int64
	MaxAudioBytes    *int64
	MaxDocumentBytes *int64
	PerRecord        *int64
}

// MaxAttachmentsPerRecord is the highest attachments_per_record a tenant may
// set.
const MaxAttachmentsPerRecord = 10000

// Empty says whether ch changes nothing.
func (ch AttachmentLimitsChange) Empty() bool {
	return ch.MaxPhotoBytes == nil && ch.MaxAudioBytes == nil && ch.MaxDocumentBytes == nil && ch.PerRecord == nil
}

// Validate checks ch against ceiling, the server-wide largest file
// (storage.Config.MaxSize): each size must be between 1 and ceiling, the
// count between 1 and MaxAttachmentsPerRecord. Every bad value is a
// *ValidationError entry at its body field.
func (ch AttachmentLimitsChange) Validate(ceiling int64) error {
	var errs []FieldError
	check := func(path string, v *int64, max int64) {
		switch {
		case v == nil:
		case *v < 1:
			errs = append(errs, FieldError{Path: path, Value: *v, Reason: "must be at least 1"})
		case *v > max:
			errs = append(errs, FieldError{Path: path, Value: *v, Reason: "must be at most " + strconv.FormatInt(max, 10)})
		}
	}
	check("attachment_max_photo_bytes", ch.MaxPhotoBytes, ceiling)
	check("attachment_max_audio_bytes", ch.MaxAudioBytes, ceiling)
	check("attachment_max_document_bytes", ch.MaxDocumentBytes, ceiling)
	check("attachments_per_record", ch.PerRecord, MaxAttachmentsPerRecord)
	if len(errs) > 0 {
		return &ValidationError{Title: "The attachment limits are not valid.", Errors: errs}
	}
	return nil
}

// SetAttachmentLimits changes the tenant's attachment limits named in ch,
// each checked against ceiling (AttachmentLimitsChange.Validate), in one
// transaction with its audit row. Needs system_settings:write.
func (p *Platform) SetAttachmentLimits(ctx context.Context, code string, ch AttachmentLimitsChange, ceiling int64) (SystemSettings, error) {
	if err := p.authorize(ctx, code, permSettingsWrite); err != nil {
		return SystemSettings{}, err
	}
	if err := ch.Validate(ceiling); err != nil {
		return SystemSettings{}, err
	}
	var s SystemSettings
	err := p.Tx(ctx, code, func(ctx context.Context, c *Conn) error {
		if _, err := c.Exec(ctx, `update system_settings set
			attachment_max_photo_bytes = coalesce($1, attachment_max_photo_bytes),
			attachment_max_audio_bytes = coalesce($2, attachment_max_audio_bytes),
			attachment_max_document_bytes = coalesce($3, attachment_max_document_bytes),
			attachments_per_record = coalesce($4::int, attachments_per_record)`,
			ch.MaxPhotoBytes, ch.MaxAudioBytes, ch.MaxDocumentBytes, ch.PerRecord); err != nil {
			return err
		}
		changed := map[string]any{}
		for k, v := range map[string]*int64{"attachment_max_photo_bytes": ch.MaxPhotoBytes, "attachment_max_audio_bytes": ch.MaxAudioBytes,
			"attachment_max_document_bytes": ch.MaxDocumentBytes, "attachments_per_record": ch.PerRecord} {
			if v != nil {
				changed[k] = *v
			}
		}
		if err := c.AuditChange(ctx, "system_settings:write", changed); err != nil {
			return err
		}
		var err error
		s, err = readSystemSettings(ctx, c)
		return err
	})
	return s, err
}
