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
