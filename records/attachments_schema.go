package records

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cpims-hosted/cpims/forms"
	"github.com/cpims-hosted/cpims/tenancy"
)

// UploadFieldsKept wraps schemas so that record writes (create, PATCH, PUT,
// merges) keep upload fields as the attachment operations left them: a
// write may reorder the ids an upload field lists (the first photo is the
// one shown), not add, drop or invent one (422), since each id names an
// attachment of the record on that field. Which fields are upload fields
// comes from f. Records without a configuration (nil or the open schemas)
// are left as they are.
func UploadFieldsKept(schemas Schemas, f *forms.Service) Schemas {
	if schemas == nil || f == nil {
		return schemas
	}
	if _, open := schemas.(openSchemas); open {
		return schemas
	}
	return uploadSchemas{inner: schemas, forms: f}
}

type uploadSchemas struct {
	inner Schemas
	forms *forms.Service
}

func (u uploadSchemas) Schema(ctx context.Context, c *tenancy.Conn, recordType, module string) (Schema, error) {
	sch, err := u.inner.Schema(ctx, c, recordType, module)
	if err != nil {
		return nil, err
	}
	if _, open := sch.(openSchema); open {
		return sch, nil
	}
	// The forms schema's own validator when it is one: asking forms again
	// would read the configuration version once more (a round trip).
	if fs, ok := sch.(formsSchema); ok {
		return uploadSchema{Schema: sch, v: fs.v}, nil
	}
	v, err := u.forms.Validator(ctx, c, recordType, module)
	if err != nil {
		return nil, err
	}
	return uploadSchema{Schema: sch, v: v}, nil
}

// uploadSchema is a Schema whose Check also keeps upload fields.
type uploadSchema struct {
	Schema
	v *forms.Validator
}

// Calculated forwards the wrapped schema's (dropCalculated asks for it).
func (s uploadSchema) Calculated(field string) bool {
	cs, ok := s.Schema.(interface{ Calculated(string) bool })
	return ok && cs.Calculated(field)
}

func (s uploadSchema) Check(ctx context.Context, c *tenancy.Conn, current, written Data) ([]tenancy.FieldError, error) {
	errs, err := s.Schema.Check(ctx, c, current, written)
	if err != nil {
		return nil, err
	}
	for k, val := range written {
		f := s.v.Field(k)
		if f == nil || !isUploadType(f.Type) {
			continue
		}
		now, _ := current[k].([]any)
		next, isList := val.([]any)
		if val != nil && !isList {
			continue // the shape is the validator's to report
		}
		if !sameIDs(now, next) {
			errs = append(errs, tenancy.FieldError{Path: "data." + k, Value: val,
				Reason: "lists the record's attachments: add and remove them with the attachment operations (here only their order may change)"})
		}
	}
	return errs, nil
}

// isUploadType reports whether fields of type t hold attachments' ids
// (package attachments adds and removes them).
func isUploadType(t string) bool {
	return t == forms.TypePhoto || t == forms.TypeAudio || t == forms.TypeDocument
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	str := func(l []any) []string {
		out := make([]string, len(l))
		for i, x := range l {
			s, _ := x.(string)
			out[i] = strings.ToLower(s)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(str(a), str(b))
}

// SchemaForRole implements RoleSchemas when the wrapped Schemas does (a
// referral's receiver reads through the referral's access role), keeping
// upload fields in that role's schema too.
func (u uploadSchemas) SchemaForRole(ctx context.Context, c *tenancy.Conn, recordType, module, role string) (Schema, error) {
	rs, ok := u.inner.(RoleSchemas)
	if !ok {
		return nil, fmt.Errorf("records: %T cannot give another role's schema", u.inner)
	}
	sch, err := rs.SchemaForRole(ctx, c, recordType, module, role)
	if err != nil {
		return nil, err
	}
	v, err := u.forms.ValidatorForRole(ctx, c, recordType, module, role)
	if err != nil {
		return nil, err
	}
	return uploadSchema{Schema: sch, v: v}, nil
}
