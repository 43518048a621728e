package locations

import (
	"context"
	"strconv"
	"strings"

	"github.com/cpims-hosted/cpims/tenancy"
)

// InUseListed is how many locations an InUseError names; it counts the
// others (More).
const InUseListed = 10

// InUseError refuses removing locations that records use: deleting one
// (Delete), or a whole hierarchy that leaves some out (Replace, Diff). It
// matches tenancy.ErrConflict; the API answers 409 with code
// location_in_use, one errors[] entry per location named and the detail in
// the caller's language (docs/errors.md).
type InUseError struct {
	// Delete: the refusal of deleting one location (the advice is to
	// disable it), else of removing locations (keep them, disabled).
	Delete bool
	// Uses are the first InUseListed locations records use, in the order
	// they were to be removed.
	Uses []Use
	// More counts the other locations records use.
	More int
}

// Use is a location records use, and how many records use it.
type Use struct {
	Code string
	// Records is how many records use it, counted up to UseCountLimit;
	// Beyond says more than UseCountLimit do (Records is then the limit).
	Records int
	Beyond  bool
}

// UseCountLimit bounds the records a refusal counts per location (as
// forms.UseCountLimit): beyond it, "more than 10000 records".
const UseCountLimit = 10000

// Error is the refusal in English for logs; the API words it in the
// caller's language from the catalogue (api: locationInUseProblem).
func (e *InUseError) Error() string {
	codes := make([]string, len(e.Uses))
	for i, u := range e.Uses {
		codes[i] = u.Code
	}
	s := tenancy.ErrConflict.Error() + ": records use " + strings.Join(codes, ", ")
	if e.More > 0 {
		s += " and " + strconv.Itoa(e.More) + " more locations"
	}
	return s
}

// Unwrap makes the error match tenancy.ErrConflict.
func (e *InUseError) Unwrap() error { return tenancy.ErrConflict }

// Count is how many locations records use (named or not).
func (e *InUseError) Count() int { return len(e.Uses) + e.More }

// refuseUsed refuses removing codes that records use (an *InUseError naming
// the first InUseListed in the order given, with how many records use
// each). deleting: the refusal of Delete.
func refuseUsed(ctx context.Context, c *tenancy.Conn, removed []string, deleting bool) error {
	used, err := inUse(ctx, c, removed)
	if err != nil || len(used) == 0 {
		return err
	}
	e := &InUseError{Delete: deleting}
	for _, code := range removed {
		n, ok := used[code]
		if !ok {
			continue
		}
		if len(e.Uses) == InUseListed {
			e.More = len(used) - InUseListed
			break
		}
		e.Uses = append(e.Uses, Use{Code: code, Records: min(n, UseCountLimit), Beyond: n > UseCountLimit})
	}
	return e
}
