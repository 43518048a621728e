package records

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/cpims-hosted/cpims/names"
	"github.com/cpims-hosted/cpims/tenancy"
)

// searchColumns are the values written beside data for lists and searches
// (docs/records.md, Storage), extracted by the application in the statement
// that writes data.
type searchColumns struct {
	NameKeys     []string
	NameFolded   string
	IDValues     []string
	Sex          *string
	Age          *int32
	DateOfBirth  *time.Time
	Registration *time.Time
	RiskLevel    *string
	Location     *string
	Filters      map[string]any
}

// recordNameFields are the fields whose values make a record's name search
// columns: the child's names on cases, the inquirer's on tracing requests
// (the children sought are in traces), none on incidents (perpetrators are
// described, never named).
var recordNameFields = map[string][]string{
	TypeCase:           NameFields,
	TypeTracingRequest: {"relation_name", "relation_nickname"},
}

// columnFields have a column of their own: not repeated in filters.
var columnFields = []string{"sex", "age", "date_of_birth", "registration_date", "risk_level", "location_current"}

// extract computes a record's search columns from its data (calculated
// values included) and its schema's field lists; phone numbers are stored
// as phones gives them (phoneValue with the tenant's calling code).
func extract(recordType string, d Data, sch Schema, phones *phoneRule) searchColumns {
	var c searchColumns
	c.NameFolded, c.NameKeys = nameColumns(d, recordNameFields[recordType])
	for _, f := range sch.IDFields() {
		if s, ok := d[f].(string); ok {
			if v := normaliseID(s); v != "" {
				c.IDValues = append(c.IDValues, v)
			}
		}
	}
	for _, f := range sch.PhoneFields() {
		if s, ok := d[f].(string); ok {
			if v := phones.value(s); v != "" {
				c.IDValues = append(c.IDValues, v)
			}
		}
	}
	slices.Sort(c.IDValues)
	c.IDValues = slices.Compact(c.IDValues)
	if c.IDValues == nil {
		c.IDValues = []string{}
	}
	c.Sex = text(d["sex"])
	c.Age = whole(d["age"])
	c.DateOfBirth = date(d["date_of_birth"])
	c.Registration = date(d["registration_date"])
	c.RiskLevel = text(d["risk_level"])
	c.Location = text(d["location_current"])
	c.Filters = map[string]any{}
	for _, f := range sch.FilterableFields() {
		if slices.Contains(columnFields, f) {
			continue
		}
		switch v := d[f].(type) {
		case string, bool, float64:
			c.Filters[f] = v
		case []any:
			if len(v) > 0 {
				c.Filters[f] = v
			}
		}
	}
	return c
}

// traceColumns are a trace's search columns.
type traceColumns struct {
	NameKeys    []string
	NameFolded  string
	Sex         *string
	Age         *int32
	DateOfBirth *time.Time
	Location    *string
}

func extractTrace(row map[string]any) traceColumns {
	var c traceColumns
	c.NameFolded, c.NameKeys = nameColumns(row, NameFields)
	c.Sex = text(row["sex"])
	c.Age = whole(row["age"])
	c.DateOfBirth = date(row["date_of_birth"])
	c.Location = text(row["location_last"])
	return c
}

// nameColumns returns the folded text of the name fields (names.Fold,
// space-separated, for free text) and their phonetic keys (names.Keys of
// each name as entered, sorted and unique; never nil).
func nameColumns(d map[string]any, fields []string) (string, []string) {
	var parts []string
	keys := []string{}
	for _, f := range fields {
		if s, ok := d[f].(string); ok && strings.TrimSpace(s) != "" {
			if folded := names.Fold(s); folded != "" {
				parts = append(parts, folded)
			}
			keys = append(keys, names.Keys(s)...)
		}
	}
	slices.Sort(keys)
	return strings.Join(parts, " "), slices.Compact(keys)
}

// normaliseID keeps the letters and digits of an identifier, upper case:
// "ke-123 456" and "KE123456" are one value.
func normaliseID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// normalisePhone keeps the digits of a phone number, with a "+" prefix
// dropped: "+254 712-345 678" is "254712345678".
func normalisePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// phoneValue is the form in which a phone number is stored (id_values) and
// searched, given the tenant's country calling code (digits, e.g. "254";
// "" for none): its digits, except that a number written the local way,
// with the trunk prefix 0 and without "+" or "00", becomes international
// when the tenant has a calling code: "0712 345 678" is "254712345678",
// as "+254 712 345 678" is. A number written with "00" drops it ("00254..."
// is "254..."). Without a calling code: all digits, as written.
func phoneValue(s, callingCode string) string {
	digits := normalisePhone(s)
	if callingCode == "" || digits == "" {
		return digits
	}
	if strings.HasPrefix(strings.TrimSpace(s), "+") {
		return digits
	}
	if rest, ok := strings.CutPrefix(digits, "00"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(digits, "0"); ok && rest != "" {
		return callingCode + rest
	}
	return digits
}

// needsCallingCode reports whether the stored form of phone number s
// depends on the tenant's calling code: written without "+" and starting
// with 0 (the trunk prefix, or the international prefix 00).
func needsCallingCode(s string) bool {
	digits := normalisePhone(s)
	return !strings.HasPrefix(strings.TrimSpace(s), "+") && strings.HasPrefix(digits, "0") && len(digits) > 1
}

// phoneRule gives phone numbers their stored form in one tenant
// transaction, reading the tenant's calling code (system_settings) only
// when a number needs it (needsCallingCode), and once.
type phoneRule struct {
	ctx    context.Context
	c      *tenancy.Conn
	code   string
	loaded bool
	err    error
}

// phoneRuleOf returns the rule of the tenant of c.
func phoneRuleOf(ctx context.Context, c *tenancy.Conn) *phoneRule { return &phoneRule{ctx: ctx, c: c} }

// value is phoneValue with the tenant's calling code. A failure to read it
// is kept (Err) and the number stored as its digits.
func (p *phoneRule) value(s string) string {
	if p == nil || !needsCallingCode(s) {
		return phoneValue(s, "")
	}
	if !p.loaded {
		p.loaded = true
		p.err = p.c.QueryRow(p.ctx, "select coalesce(phone_calling_code, '') from system_settings").Scan(&p.code)
	}
	return phoneValue(s, p.code)
}

// Err is the failure to read the calling code, if any.
func (p *phoneRule) Err() error {
	if p == nil {
		return nil
	}
	return p.err
}

func text(v any) *string {
	if s, ok := v.(string); ok && s != "" {
		return &s
	}
	return nil
}

func whole(v any) *int32 {
	if x, ok := v.(float64); ok && x == math.Trunc(x) && x >= 0 && x <= 200 {
		n := int32(x)
		return &n
	}
	return nil
}

func date(v any) *time.Time {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return &t
		}
	}
	return nil
}
