package records

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/names"
)

// fieldLists is a Schema's field lists (the rest of the open schema).
type fieldLists struct {
	openSchema
	id, phone, filterable []string
}

func (f fieldLists) IDFields() []string         { return f.id }
func (f fieldLists) PhoneFields() []string      { return f.phone }
func (f fieldLists) FilterableFields() []string { return f.filterable }

func TestExtract(t *testing.T) {
	t.Parallel()
	sch := fieldLists{id: []string{"unhcr_id_no", "national_id_no"}, phone: []string{"telephone_current"},
		filterable: []string{"sex", "nationality", "protection_concerns", "urgent_protection_concern", "displacement_status"}}
	d := Data{"name_first": "Mohamed", "name_last": "Abdi Hassan", "name_nickname": "  ", "sex": "male", "age": 9.0,
		"date_of_birth": "2016-05-31", "registration_date": "2026-01-10", "risk_level": "high", "location_current": "KE01",
		"unhcr_id_no": "ke-123 456", "national_id_no": "KE123456", "telephone_current": "+254 712-345 678",
		"nationality": []any{"som"}, "protection_concerns": []any{}, "urgent_protection_concern": true, "displacement_status": "refugee"}
	x := extract(TypeCase, d, sch, nil)
	require.Equal(t, names.Fold("Mohamed")+" "+names.Fold("Abdi Hassan"), x.NameFolded)
	require.Subset(t, x.NameKeys, names.Keys("محمد"), "the Arabic spelling finds the Latin one")
	require.IsNonDecreasing(t, x.NameKeys)
	require.Equal(t, []string{"254712345678", "KE123456"}, x.IDValues, "normalised and unique")
	require.Equal(t, "male", *x.Sex)
	require.EqualValues(t, 9, *x.Age)
	require.Equal(t, time.Date(2016, 5, 31, 0, 0, 0, 0, time.UTC), *x.DateOfBirth)
	require.Equal(t, "high", *x.RiskLevel)
	require.Equal(t, "KE01", *x.Location)
	require.Equal(t, map[string]any{"nationality": []any{"som"}, "urgent_protection_concern": true, "displacement_status": "refugee"},
		x.Filters, "own columns and empty lists left out")

	empty := extract(TypeIncident, Data{"age": 7.5, "date_of_birth": "31/05/2016", "sex": ""}, sch, nil)
	require.Equal(t, []string{}, empty.NameKeys)
	require.Equal(t, []string{}, empty.IDValues)
	require.Nil(t, empty.Age)
	require.Nil(t, empty.DateOfBirth)
	require.Nil(t, empty.Sex)

	tr := extract(TypeTracingRequest, Data{"relation_name": "Halima", "name_first": "Not the inquirer"}, sch, nil)
	require.Equal(t, names.Fold("Halima"), tr.NameFolded, "a tracing request's names are the inquirer's")
	trace := extractTrace(map[string]any{"name_first": "Yusuf", "sex": "male", "location_last": "SO11"})
	require.Subset(t, trace.NameKeys, names.Keys("Youssouf"))
	require.Equal(t, "SO11", *trace.Location)
}

// TestPhoneValue: without a calling code a number is its digits, as
// written; with one, a number written the local way (trunk prefix 0) or
// with the international prefix 00 takes the international form that "+"
// gives, so local and international writings meet.
func TestPhoneValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, code, want string }{
		{"+254 712-345 678", "", "254712345678"},
		{"0712 345 678", "", "0712345678"},
		{"00254 712 345 678", "", "00254712345678"},
		{"+254 712-345 678", "254", "254712345678"},
		{"0712 345 678", "254", "254712345678"},
		{"00254 712 345 678", "254", "254712345678"},
		{"(0712) 345-678", "254", "254712345678"},
		{"254712345678", "254", "254712345678"},
		{"712 345 678", "254", "712345678"},         // no trunk prefix: as written
		{"+252 61 234 5678", "254", "252612345678"}, // another country's number, written with +
		{"0", "254", "0"},
		{"", "254", ""},
	} {
		require.Equal(t, tc.want, phoneValue(tc.in, tc.code), "%q with %q", tc.in, tc.code)
	}
	require.True(t, needsCallingCode("0712 345 678"))
	require.True(t, needsCallingCode("00254 712"))
	require.False(t, needsCallingCode("+0712"))
	require.False(t, needsCallingCode("712 345"))
	require.False(t, needsCallingCode("0"))
}
