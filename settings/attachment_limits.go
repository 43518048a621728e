package settings

import (
	"errors"
	"strconv"

	"github.com/cpims-hosted/cpims/tenancy"
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
// *tenancy.ValidationError entry at its body field.
func (ch AttachmentLimitsChange) Validate(ceiling int64) error {
	var errs []tenancy.FieldError
	check := func(path string, v *int64, max int64) {
		switch {
		case v == nil:
		case *v < 1:
			errs = append(errs, tenancy.FieldError{Path: path, Value: *v, Reason: "must be at least 1"})
		case *v > max:
			errs = append(errs, tenancy.FieldError{Path: path, Value: *v, Reason: "must be at most " + strconv.FormatInt(max, 10)})
		}
	}
	check("attachment_max_photo_bytes", ch.MaxPhotoBytes, ceiling)
	check("attachment_max_audio_bytes", ch.MaxAudioBytes, ceiling)
	check("attachment_max_document_bytes", ch.MaxDocumentBytes, ceiling)
	check("attachments_per_record", ch.PerRecord, MaxAttachmentsPerRecord)
	if len(errs) > 0 {
		return &tenancy.ValidationError{Title: "The attachment limits are not valid.", Errors: errs}
	}
	return nil
}

// validationErrors returns the field errors of err: a *tenancy.ValidationError's
// entries, a *tenancy.InvalidError as one entry (nil for nil).
func validationErrors(err error) []tenancy.FieldError {
	var v *tenancy.ValidationError
	var one *tenancy.InvalidError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &v):
		return v.Errors
	case errors.As(err, &one):
		return []tenancy.FieldError{{Path: one.Field, Value: one.Value, Reason: one.Reason, Code: one.Code, Params: one.Params}}
	}
	return nil
}
