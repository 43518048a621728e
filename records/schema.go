package records

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cpims-hosted/cpims/tenancy"
)

// Schema is the configuration of one record type in one module, as one
// caller may read and write it: what records need from package forms. A
// Schema is immutable and safe for concurrent use.
type Schema interface {
	// Check validates a change of a record's data by the caller: current is
	// the stored data (nil for a new record), written the fields the change
	// sets (top-level keys replace current ones, null removes; a subform's
	// value is its whole list of rows). It returns every bad value, with
	// paths from the body's root ("data.sex",
	// "data.family_details_section[2].age", indexes into written's rows).
	Check(ctx context.Context, c *tenancy.Conn, current, written Data) ([]tenancy.FieldError, error)
	// Readable returns the part of data the caller may read (a copy).
	Readable(data Data) Data
	// Calculate returns data with its calculated fields computed (a copy).
	Calculate(data Data) Data
	// Subform reports whether field holds subform rows.
	Subform(field string) bool
	// IDFields, PhoneFields and FilterableFields list the fields of those
	// kinds, for the search columns.
	IDFields() []string
	PhoneFields() []string
	FilterableFields() []string
}

// Schemas gives the Schema of a record type in a module for the subject of
// c, at the tenant's current configuration. Unknown module: a
// *tenancy.InvalidError.
type Schemas interface {
	Schema(ctx context.Context, c *tenancy.Conn, recordType, module string) (Schema, error)
}

// openSchemas knows no configuration: it accepts any field with any JSON
// value (strings without NUL, at most openMaxText characters) and treats an
// array of objects as subform rows. It stands in until a configuration is
// given (Config.Schemas) and in the tests of the merge code.
type openSchemas struct{}

func (openSchemas) Schema(context.Context, *tenancy.Conn, string, string) (Schema, error) {
	return openSchema{}, nil
}

type openSchema struct{}

// openMaxText bounds a text value of the open schema.
const openMaxText = 10000

var fieldNameRE = func(s string) bool {
	if s == "" || len(s) > 80 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func (openSchema) Check(_ context.Context, _ *tenancy.Conn, _, written Data) ([]tenancy.FieldError, error) {
	var errs []tenancy.FieldError
	for _, k := range slices.Sorted(maps.Keys(written)) {
		if !fieldNameRE(k) {
			errs = append(errs, tenancy.FieldError{Path: "data." + k, Reason: "is not a field name (lower case letters, digits, _)"})
			continue
		}
		checkOpenValue("data."+k, written[k], 0, &errs)
	}
	return errs, nil
}

func checkOpenValue(at string, v any, depth int, errs *[]tenancy.FieldError) {
	if depth > 4 {
		*errs = append(*errs, tenancy.FieldError{Path: at, Reason: "is nested too deeply"})
		return
	}
	switch x := v.(type) {
	case string:
		if strings.ContainsRune(x, 0) || !utf8.ValidString(x) || utf8.RuneCountInString(x) > openMaxText {
			*errs = append(*errs, tenancy.FieldError{Path: at, Reason: fmt.Sprintf("must be valid text without NUL, at most %d characters", openMaxText)})
		}
	case []any:
		for i, e := range x {
			checkOpenValue(fmt.Sprintf("%s[%d]", at, i), e, depth+1, errs)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if strings.ContainsRune(k, 0) || !utf8.ValidString(k) {
				*errs = append(*errs, tenancy.FieldError{Path: at, Reason: "keys must be valid text without NUL"})
				continue
			}
			checkOpenValue(at+"."+k, x[k], depth+1, errs)
		}
	}
}

func (openSchema) Readable(d Data) Data  { return cloneData(d) }
func (openSchema) Calculate(d Data) Data { return cloneData(d) }
func (openSchema) Subform(string) bool   { return false }
func (openSchema) IDFields() []string    { return nil }
func (openSchema) PhoneFields() []string { return nil }
func (openSchema) FilterableFields() []string {
	return nil
}
