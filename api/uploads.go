package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/tenancy"
)

// upload is a file sent to an import operation (locations CSV, translations
// PO): the request body itself, or the part "file" of a multipart form.
type upload struct {
	content  []byte
	filename string
	// fields are the form's other parts, as trimmed text (e.g. "locale").
	fields map[string]string
}

// uploadedFile takes the file from a body of one of the direct media types,
// or from the part "file" of a multipart/form-data body; any other body is a
// 415 that names want (the file's usual media type).
func uploadedFile(contentType string, body []byte, direct []string, want string) (upload, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = ""
	}
	switch {
	case slices.Contains(direct, mt):
		return upload{content: body}, nil
	case mt == "multipart/form-data":
		up := upload{fields: map[string]string{}}
		r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := r.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return upload{}, unreadableForm(err)
			}
			b, err := io.ReadAll(part)
			if err != nil {
				return upload{}, unreadableForm(err)
			}
			if name := part.FormName(); name == "file" {
				if up.content == nil {
					up.content, up.filename = b, part.FileName()
				}
			} else {
				up.fields[name] = strings.TrimSpace(string(b))
			}
		}
		if up.content == nil {
			return upload{}, problem(&tenancy.InvalidError{Field: "file", Reason: "the form has no part named file"})
		}
		return up, nil
	}
	return upload{}, huma.NewError(http.StatusUnsupportedMediaType,
		"Send the file as "+want+", or as multipart/form-data with a part named file.")
}

// unreadableForm is the problem of a multipart body that cannot be read,
// worded by what went wrong (no boundary, or a body cut short or badly
// formed); the reader's own error, technical and English, is only the
// problem's reason parameter, never inside the sentence.
func unreadableForm(err error) error {
	p := huma.Error400BadRequest("The multipart form cannot be read: it is cut short or badly formed.")
	if errors.Is(err, http.ErrMissingBoundary) || errors.Is(err, http.ErrNotMultipart) {
		p = huma.Error400BadRequest("The body is not a multipart form: send Content-Type: multipart/form-data with its boundary.")
	}
	return withCode(p, "bad_request", map[string]string{"reason": err.Error()})
}
