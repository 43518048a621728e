package records

import (
	"context"
	"errors"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/tenancy"
)

// FormsSchemas gives records the configuration of package forms: each call
// gets the validator of its record type, module and caller's role, cached
// by forms per configuration version.
func FormsSchemas(s *forms.Service) Schemas { return formsSchemas{s} }

type formsSchemas struct{ s *forms.Service }

func (f formsSchemas) Schema(ctx context.Context, c *tenancy.Conn, recordType, module string) (Schema, error) {
	v, err := f.s.Validator(ctx, c, recordType, module)
	var ie *tenancy.InvalidError
	if errors.As(err, &ie) && ie.Field == "module_id" {
		ie.Field = "data.module_id"
	}
	if err != nil {
		return nil, err
	}
	return formsSchema{v}, nil
}

// SchemaForRole implements RoleSchemas.
func (f formsSchemas) SchemaForRole(ctx context.Context, c *tenancy.Conn, recordType, module, role string) (Schema, error) {
	v, err := f.s.ValidatorForRole(ctx, c, recordType, module, role)
	if err != nil {
		return nil, err
	}
	return formsSchema{v}, nil
}

// formsSchema is a forms.Validator as a Schema.
type formsSchema struct{ v *forms.Validator }

func (s formsSchema) Check(ctx context.Context, c *tenancy.Conn, current, written Data) ([]tenancy.FieldError, error) {
	return s.v.ValidateTx(ctx, c, current, written)
}

func (s formsSchema) Readable(d Data) Data  { return s.v.Readable(d) }
func (s formsSchema) Calculate(d Data) Data { return s.v.Calculate(d) }

func (s formsSchema) Subform(field string) bool {
	f := s.v.Field(field)
	return f != nil && f.Type == forms.TypeSubform
}

// Calculated reports whether field is calculated by the server.
func (s formsSchema) Calculated(field string) bool {
	f := s.v.Field(field)
	return f != nil && f.Type == forms.TypeCalculated
}

func (s formsSchema) IDFields() []string         { return s.v.IDFields() }
func (s formsSchema) PhoneFields() []string      { return s.v.PhoneFields() }
func (s formsSchema) FilterableFields() []string { return s.v.FilterableFields() }

// valueColumn implements valueTyped: numeric fields' values are numbers,
// date fields' dates (or date-times).
func (s formsSchema) valueColumn(field string) string {
	switch f := s.v.Field(field); {
	case f == nil:
		return ""
	case f.Type == forms.TypeNumeric:
		return "num"
	case f.Type == forms.TypeDate:
		return "day"
	}
	return ""
}
