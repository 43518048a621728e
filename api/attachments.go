package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/cpims-hosted/cpims/attachments"
	"github.com/cpims-hosted/cpims/storage"
)

// Attachments of records (docs/records.md, "Attachments"): the file is the
// raw request body, streamed to storage; what describes it is in the query.

// streamedBodyKey marks an operation whose handler reads the request body
// itself, as a stream (inputMiddleware leaves it alone).
const streamedBodyKey = "streamedBody"

// uploadReadTimeout bounds the time a client may take to send a file.
const uploadReadTimeout = 10 * time.Minute

type uploadAttachmentInput struct {
	ID          string `path:"id" format:"uuid" doc:"The record's id."`
	FieldName   string `query:"field_name" required:"true" maxLength:"80" doc:"The upload field (photo, audio or document) the file is added to, e.g. photos."`
	FileName    string `query:"file_name" required:"true" maxLength:"255" doc:"The file's name, used when it is downloaded."`
	Description string `query:"description" maxLength:"1000" doc:"What the file shows."`
	Date        string `query:"date" format:"date" doc:"When the photo was taken or the document issued (YYYY-MM-DD)."`
	ContentType string `header:"Content-Type" doc:"The file's media type (checked against its content); application/octet-stream: taken from the content."`

	body io.Reader
	size int64
}

// Resolve takes the body as a stream and its length.
func (in *uploadAttachmentInput) Resolve(ctx huma.Context) []error {
	req, _ := humago.Unwrap(ctx)
	in.body, in.size = req.Body, req.ContentLength
	_ = ctx.SetReadDeadline(time.Now().Add(uploadReadTimeout))
	return nil
}

var _ huma.Resolver = (*uploadAttachmentInput)(nil)

type attachmentIDPath struct {
	ID           string `path:"id" format:"uuid" doc:"The record's id."`
	AttachmentID string `path:"attachment_id" format:"uuid" doc:"The attachment's id."`
}

type attachmentOutput struct {
	Location string `header:"Location"`
	Body     struct {
		Data attachments.Attachment `json:"data"`
	}
}

type attachmentListOutput struct {
	Body struct {
		Data []attachments.Attachment `json:"data"`
	}
}

type downloadOutput struct {
	Body struct {
		Data attachments.Download `json:"data"`
	}
}

// registerAttachmentOperations registers upload, list, get (with a download
// link) and delete of attachments for one record type.
func registerAttachmentOperations(api huma.API, s *Server, t recordTypeAPI) {
	base := "/api/v2/" + t.resource + "/{id}/attachments"
	tags := []string{t.tag}
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "create-" + t.singular + "-attachment", Method: http.MethodPost, Path: base, Tags: tags, Security: memberSecurity,
		Summary: "Attach a file to an upload field of a " + t.noun,
		Description: "The body is the file itself (not a form), with its media type as Content-Type and its length as " +
			"Content-Length (411 without). Its type is checked by content against the field: photo fields take images (JPEG, PNG, " +
			"HEIC/HEIF, WebP), audio fields audio recordings, document fields PDF, DOCX, XLSX and images (422 otherwise). " +
			"Files larger than the country's limit for the field's kind are refused with 413 before they are read; the field's " +
			"max_attachments and the country's attachments per record are limits too (422). The caller must write the field's " +
			"form. The " + t.noun + "'s field then lists the attachment's id (a new version; change log attachment_added).",
		DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusLengthRequired, http.StatusRequestEntityTooLarge,
			http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
		RequestBody: &huma.RequestBody{Required: true, Description: "The file.", Content: map[string]*huma.MediaType{
			"application/octet-stream": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary",
				Description: "Any accepted media type: send the file's own as Content-Type."}}}},
		Metadata: map[string]any{streamedBodyKey: true},
	}, t.perm("write")), func(ctx context.Context, in *uploadAttachmentInput) (*attachmentOutput, error) {
		if in.size < 0 {
			return nil, huma.NewError(http.StatusLengthRequired, "Send the file's length as Content-Length.")
		}
		tc, _ := tenantFrom(ctx)
		a, err := s.attachments.Add(ctx, tc.Code, t.recordType, attachments.Upload{RecordID: in.ID, Field: in.FieldName, FileName: in.FileName,
			ContentType: in.ContentType, Size: in.size, Body: in.body, Description: in.Description, Date: in.Date})
		if err != nil {
			return nil, problem(err)
		}
		out := &attachmentOutput{Location: "/api/v2/" + t.resource + "/" + in.ID + "/attachments/" + a.ID}
		out.Body.Data = a
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "list-" + t.singular + "-attachments", Method: http.MethodGet, Path: base, Tags: tags, Security: memberSecurity,
		Summary:     "List the attachments of a " + t.noun,
		Description: "Those on the upload fields of forms the caller may read, oldest first.",
		Errors:      []int{http.StatusNotFound},
	}, t.perm("read")), func(ctx context.Context, in *recordIDPath) (*attachmentListOutput, error) {
		tc, _ := tenantFrom(ctx)
		list, err := s.attachments.List(ctx, tc.Code, t.recordType, in.ID)
		if err != nil {
			return nil, problem(err)
		}
		out := &attachmentListOutput{}
		out.Body.Data = list
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "get-" + t.singular + "-attachment", Method: http.MethodGet, Path: base + "/{attachment_id}", Tags: tags,
		Security: memberSecurity, Summary: "Show an attachment of a " + t.noun + ", with a link to download it",
		Description: "download_url works without credentials until download_expires_at (a few minutes): do not store or share it. " +
			"Issuing it is audited.",
		Errors: []int{http.StatusNotFound, http.StatusServiceUnavailable},
	}, t.perm("read")), func(ctx context.Context, in *attachmentIDPath) (*downloadOutput, error) {
		tc, _ := tenantFrom(ctx)
		d, err := s.attachments.Get(ctx, tc.Code, t.recordType, in.ID, in.AttachmentID)
		if err != nil {
			return nil, problem(err)
		}
		out := &downloadOutput{}
		out.Body.Data = d
		return out, nil
	})

	huma.Register(api, withPermission(huma.Operation{
		OperationID: "delete-" + t.singular + "-attachment", Method: http.MethodDelete, Path: base + "/{attachment_id}", Tags: tags,
		Security: memberSecurity, Summary: "Remove an attachment from a " + t.noun,
		Description: "The file is deleted and the field no longer lists it (a new version; change log attachment_removed). " +
			"The caller must write the field's form.",
		DefaultStatus: http.StatusNoContent,
		Errors:        []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, t.perm("write")), func(ctx context.Context, in *attachmentIDPath) (*struct{}, error) {
		tc, _ := tenantFrom(ctx)
		if err := s.attachments.Delete(ctx, tc.Code, t.recordType, in.ID, in.AttachmentID); err != nil {
			return nil, problem(err)
		}
		return nil, nil
	})
}

// attachmentProblem maps the refusals of uploads and downloads.
func attachmentProblem(err error) (error, bool) {
	var tl *attachments.TooLargeError
	var te *storage.TypeError
	switch {
	case errors.Is(err, attachments.ErrNoStorage):
		return huma.Error503ServiceUnavailable("File storage is not configured on this server: attachments are unavailable."), true
	case errors.As(err, &tl):
		return withCode(huma.Error413RequestEntityTooLarge("The file is too large: "+tl.Error()+"."), "request_entity_too_large",
			map[string]string{"size": strconv.FormatInt(tl.Size, 10), "kind": tl.Kind, "max": strconv.FormatInt(tl.Limit, 10)}), true
	case errors.Is(err, storage.ErrTooLarge):
		return huma.Error413RequestEntityTooLarge("The file is larger than this server accepts."), true
	case errors.As(err, &te):
		msg := "is not a type this field accepts"
		if errors.Is(err, storage.ErrTypeMismatch) {
			msg = "does not match the file's content"
		}
		return huma.Error422UnprocessableEntity("The file's type is not accepted.", newDetail("file_type", "header.Content-Type",
			fmt.Sprintf("%s (declared %q, the content is %q)", msg, te.Declared, te.Detected), te.Declared,
			map[string]string{"declared": te.Declared, "detected": te.Detected})), true
	case errors.Is(err, storage.ErrEmpty):
		return huma.Error422UnprocessableEntity("The file is empty.", &huma.ErrorDetail{Location: "body", Message: "send the file's bytes"}), true
	case errors.Is(err, storage.ErrSizeMismatch):
		return huma.Error400BadRequest("The body's length differs from its Content-Length."), true
	}
	return nil, false
}
