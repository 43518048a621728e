package tenancy

import (
	"errors"
	"fmt"
)

// Sentinel errors, mapped to HTTP problems once in package api.
var (
	// ErrNotFound: no such tenant (or not visible to the caller).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the tenant code is already taken.
	ErrConflict = errors.New("conflict")
	// ErrSuspended: the tenant exists but is suspended or being deleted.
	ErrSuspended = errors.New("tenant suspended")
)

// InvalidError reports bad input: which field and why.
type InvalidError struct {
	// In is where the field was sent: "body" (the default) or "query".
	In     string
	Field  string
	Reason string
	Value  any
	// Code is the reason's machine code (e.g. "required"); Params fill its
	// message's placeholders (docs/errors.md). Optional.
	Code   string
	Params map[string]string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason) }

// StateError reports an operation not allowed in the tenant's current status.
type StateError struct {
	Code   string
	Status Status
	Op     string
}

func (e *StateError) Error() string {
	return fmt.Sprintf("cannot %s tenant %q while it is %s", e.Op, e.Code, e.Status)
}

// FieldError is one bad value of a request: where it is and why it is refused.
type FieldError struct {
	// Path locates the value from the request body's root, e.g.
	// "fields[3].display_conditions" or "data.family_details_section[0].age".
	Path   string
	Reason string
	Value  any
	// Code is the reason's machine code (e.g. "max_length"); Params fill
	// its message's placeholders (docs/errors.md). Optional.
	Code   string
	Params map[string]string
}

// ValidationError lists every bad value of a request at once (the API
// answers 422 with one detail per entry); nothing was written.
type ValidationError struct {
	// Title summarises the problem, e.g. "The case is not valid.".
	Title  string
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	if len(e.Errors) == 0 {
		return "invalid: " + e.Title
	}
	return fmt.Sprintf("invalid %s: %s (and %d more)", e.Errors[0].Path, e.Errors[0].Reason, len(e.Errors)-1)
}

// DeniedError refuses a change the acting subject's permission covers in
// general but not for this target: e.g. changing a member whose role reaches
// beyond the actor's own (docs/authorization.md, the hierarchy rule). It
// matches ErrForbidden; the API answers 403 with its reason.
type DeniedError struct {
	Reason string
}

func (e *DeniedError) Error() string { return "forbidden: " + e.Reason }

// Unwrap makes errors.Is(err, ErrForbidden) hold.
func (e *DeniedError) Unwrap() error { return ErrForbidden }
