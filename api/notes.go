package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/records"
)

// Notes on cases (docs/workflows.md, Notes): the server sets a note's
// author and date. Thin handler over records.Service.AddNote.

type noteData struct {
	Subject string `json:"note_subject" minLength:"1" maxLength:"200" doc:"The note's subject."`
	Text    string `json:"field_notes_subform_fields" minLength:"1" maxLength:"10000" doc:"The note."`
}

type addNoteInput struct {
	ID   string `path:"id" format:"uuid" doc:"The case's id."`
	Body struct {
		Data noteData `json:"data"`
	}
}

type noteOutput struct {
	Body struct {
		Data records.Note `json:"data"`
	}
}

func registerNotes(api huma.API, s *Server) {
	huma.Register(api, withPermission(huma.Operation{
		OperationID: "add-case-note", Method: http.MethodPost, Path: "/api/v2/cases/{id}/notes", Tags: []string{"Cases"},
		Security: memberSecurity, Summary: "Add a note to a case", DefaultStatus: http.StatusCreated,
		Description: "The note becomes a row of the case's notes_section, dated now and written by the caller (both set by " +
			"the server; the case's own PATCH cannot write notes). Notes are never changed or removed: a correction is a new note. " +
			"The role (or a referral's access role) must write the notes form.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, records.PermAddNote), func(ctx context.Context, in *addNoteInput) (*noteOutput, error) {
		tc, _ := tenantFrom(ctx)
		n, err := s.records.AddNote(ctx, tc.Code, in.ID, in.Body.Data.Subject, in.Body.Data.Text)
		if err != nil {
			return nil, problem(err)
		}
		out := &noteOutput{}
		out.Body.Data = n
		return out, nil
	})
}
