package records

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cpims-hosted/cpims/policy"
	"github.com/cpims-hosted/cpims/tenancy"
)

// Notes (docs/workflows.md, Notes): a case's notes are the rows of its
// NotesField subform, but only AddNote writes them, so that a note's
// author and date are the server's, never the client's. A note is never
// changed or deleted: a correction is a new note.

// NotesField is the case subform that holds notes (Primero's notes_section).
const NotesField = "notes_section"

// Fields of a note row.
const (
	NoteDate      = "notes_date"
	NoteSubject   = "note_subject"
	NoteText      = "field_notes_subform_fields"
	NoteCreatedBy = "note_created_by"
)

// PermAddNote adds notes to the cases the caller may see.
var PermAddNote = policy.Permission{Resource: "cases", Action: "add_note"}

// Note is one note of a case.
type Note struct {
	ID        string `json:"unique_id" format:"uuid"`
	Subject   string `json:"note_subject"`
	Text      string `json:"field_notes_subform_fields" doc:"The note."`
	Date      string `json:"notes_date" format:"date-time" doc:"When the note was added (set by the server)."`
	CreatedBy string `json:"note_created_by" doc:"Who added it: the user's email (set by the server)."`
}

// errNotesByAPI refuses a write of the notes subform through the record.
var errNotesByAPI = tenancy.FieldError{Path: "data." + NotesField,
	Reason: "notes are added one at a time with POST /api/v2/cases/{id}/notes (the server sets their author and date); they cannot be changed or removed"}

// notesWritten reports whether changes touch the notes subform.
func notesWritten(recordType string, changes []FieldChange) bool {
	if recordType != TypeCase {
		return false
	}
	for _, ch := range changes {
		if parsePath(ch.Path).field == NotesField {
			return true
		}
	}
	return false
}

// AddNote adds a note (subject and text) to case id, visible to the caller
// and enabled. The note's date is now and its author the caller; the role
// (or, for a receiver who reaches the case only through a referral, the
// referral's role) must write the notes form (else 422 naming the fields).
// The case's version is bumped with a history entry (action note) adding
// the row. Needs cases:add_note.
func (s *Service) AddNote(ctx context.Context, code, id, subject, text string) (Note, error) {
	if err := s.p.Authorize(ctx, code, PermAddNote); err != nil {
		return Note{}, err
	}
	if !isUUID(id) {
		return Note{}, tenancy.ErrNotFound
	}
	subject, text = strings.TrimSpace(subject), strings.TrimSpace(text)
	var bad []tenancy.FieldError
	if subject == "" {
		bad = append(bad, tenancy.FieldError{Path: "data." + NoteSubject, Reason: "is required"})
	}
	if text == "" {
		bad = append(bad, tenancy.FieldError{Path: "data." + NoteText, Reason: "is required"})
	}
	if len(bad) > 0 {
		return Note{}, invalid(TypeCase, bad)
	}
	var out Note
	err := s.lockedWrite(ctx, code, TypeCase, id, func(ctx context.Context, c *tenancy.Conn, cl *caller, cur stored) error {
		if !cur.Enabled {
			return fmt.Errorf("%w: the case is disabled: enable it before adding a note", tenancy.ErrConflict)
		}
		if err := cl.resolveRoles(ctx, id); err != nil {
			return err
		}
		sch, err := cl.recordSchema(ctx, id, cur.ModuleID)
		if err != nil {
			return err
		}
		var name string
		sub := c.Subject()
		if err := c.QueryRow(ctx, "select "+actorName, subjectID(sub), sub.String()).Scan(&name); err != nil {
			return err
		}
		out = Note{ID: newUUID(), Subject: subject, Text: text, Date: time.Now().UTC().Truncate(time.Second).Format(time.RFC3339), CreatedBy: name}
		row := map[string]any{"unique_id": out.ID, NoteDate: out.Date, NoteSubject: subject, NoteText: text}
		rows, _ := cur.Data[NotesField].([]any)
		rows = append(append([]any{}, rows...), row)
		// The configuration checks the row as the caller wrote it (lengths,
		// the role's form access); the author is the server's.
		checked, err := sch.Check(ctx, c, cur.Data, Data{NotesField: rows})
		if err != nil {
			return err
		}
		if len(checked) > 0 {
			prefix := fmt.Sprintf("data.%s[%d].", NotesField, len(rows)-1)
			for i, e := range checked {
				checked[i].Path = "data." + strings.TrimPrefix(e.Path, prefix)
			}
			return invalid(TypeCase, checked)
		}
		row[NoteCreatedBy] = name
		next := cloneData(cur.Data)
		next[NotesField] = rows
		if _, err := c.Exec(ctx, "update records set data = $2 where id = $1", id, next); err != nil {
			return err
		}
		_, err = AppendVersion(ctx, c, id, "note", []FieldChange{{Path: rowPath(NotesField, out.ID), Op: OpAdd, To: row}})
		return err
	})
	return out, err
}
