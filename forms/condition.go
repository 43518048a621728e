package forms

import (
	"fmt"
	"slices"
	"strings"
)

// Display conditions (docs/configuration.md): JSON expressions over other
// fields, e.g. {"and": [{"eq": {"sex": "female"}}, {"gt": {"age": 12}}]}.

// Condition operators.
const (
	opEq     = "eq"
	opIn     = "in"
	opGt     = "gt"
	opGe     = "ge"
	opLt     = "lt"
	opLe     = "le"
	opAnd    = "and"
	opOr     = "or"
	opNot    = "not"
	opExists = "exists"
)

// Limits on one field's display conditions.
const (
	conditionMaxDepth = 16
	conditionMaxNodes = 200
)

// condition is a parsed display condition.
type condition struct {
	op    string
	field string       // eq, in, gt, ge, lt, le, exists
	value any          // eq: a scalar; gt..le: a number or a string
	list  []any        // in: scalars
	args  []*condition // and, or, not
}

// parseCondition parses raw (decoded JSON). Problems are returned as
// reasons keyed by a path below the condition ("" for the condition itself,
// ".and[1].eq" ...); with problems, the condition returned has nil in
// place of each bad part (enough to check the rest, never to evaluate).
func parseCondition(raw any) (*condition, []condProblem) {
	p := &condParser{}
	c := p.parse(raw, "", 0)
	return c, p.problems
}

type condProblem struct {
	path   string
	reason string
	value  any
}

type condParser struct {
	nodes    int
	problems []condProblem
}

func (p *condParser) fail(path, reason string, value any) *condition {
	p.problems = append(p.problems, condProblem{path, reason, value})
	return nil
}

const condHelp = `must be an object with one operator: eq, in, gt, ge, lt, le, and, or, not, exists (e.g. {"eq": {"sex": "female"}})`

func (p *condParser) parse(raw any, path string, depth int) *condition {
	p.nodes++
	if depth > conditionMaxDepth || p.nodes > conditionMaxNodes {
		return p.fail(path, fmt.Sprintf("is too complex (at most %d levels and %d operators)", conditionMaxDepth, conditionMaxNodes), nil)
	}
	obj, ok := raw.(map[string]any)
	if !ok || len(obj) != 1 {
		return p.fail(path, condHelp, raw)
	}
	var op string
	var arg any
	for k, v := range obj {
		op, arg = k, v
	}
	at := path + "." + op
	switch op {
	case opEq, opIn, opGt, opGe, opLt, opLe:
		operand, ok := arg.(map[string]any)
		if !ok || len(operand) != 1 {
			return p.fail(at, `must name one field and its value, e.g. {"`+op+`": {"age": 12}}`, arg)
		}
		c := &condition{op: op}
		for k, v := range operand {
			c.field, c.value = k, v
		}
		switch op {
		case opEq:
			if !isScalar(c.value) {
				return p.fail(at+"."+c.field, "must be a string, number or boolean", c.value)
			}
		case opIn:
			list, ok := c.value.([]any)
			if !ok || len(list) == 0 || !all(list, isScalar) {
				return p.fail(at+"."+c.field, "must be a non-empty array of strings, numbers or booleans", c.value)
			}
			c.list, c.value = list, nil
		default:
			switch c.value.(type) {
			case float64, string:
			default:
				return p.fail(at+"."+c.field, "must be a number or a date", c.value)
			}
		}
		return c
	case opAnd, opOr:
		list, ok := arg.([]any)
		if !ok || len(list) == 0 {
			return p.fail(at, "must be a non-empty array of conditions", arg)
		}
		c := &condition{op: op}
		for i, x := range list {
			c.args = append(c.args, p.parse(x, fmt.Sprintf("%s[%d]", at, i), depth+1))
		}
		return c
	case opNot:
		return &condition{op: op, args: []*condition{p.parse(arg, at, depth+1)}}
	case opExists:
		name, ok := arg.(string)
		if !ok {
			return p.fail(at, "must name a field", arg)
		}
		return &condition{op: op, field: name}
	}
	return p.fail(path, condHelp, raw)
}

func isScalar(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

func all[T any](xs []T, pred func(T) bool) bool {
	for _, x := range xs {
		if !pred(x) {
			return false
		}
	}
	return true
}

// walk calls fn for every comparison (eq, in, gt..le, exists) with its path.
func (c *condition) walk(path string, fn func(c *condition, path string)) {
	if c == nil {
		return
	}
	switch c.op {
	case opAnd, opOr:
		for i, a := range c.args {
			a.walk(fmt.Sprintf("%s.%s[%d]", path, c.op, i), fn)
		}
	case opNot:
		c.args[0].walk(path+".not", fn)
	default:
		fn(c, path+"."+c.op)
	}
}

// fields lists the field names the condition reads.
func (c *condition) fields() []string {
	var out []string
	c.walk("", func(c *condition, _ string) {
		if !slices.Contains(out, c.field) {
			out = append(out, c.field)
		}
	})
	return out
}

// eval evaluates the condition; get returns a field's value (row fields
// first, then the record's, for fields of subform rows).
func (c *condition) eval(get func(string) (any, bool)) bool {
	switch c.op {
	case opAnd:
		for _, a := range c.args {
			if !a.eval(get) {
				return false
			}
		}
		return true
	case opOr:
		for _, a := range c.args {
			if a.eval(get) {
				return true
			}
		}
		return false
	case opNot:
		return !c.args[0].eval(get)
	}
	v, ok := get(c.field)
	if !ok || isEmpty(v) {
		return false
	}
	switch c.op {
	case opExists:
		return true
	case opEq:
		return matches(v, c.value)
	case opIn:
		return slices.ContainsFunc(c.list, func(x any) bool { return matches(v, x) })
	}
	cmp, ok := compare(v, c.value)
	if !ok {
		return false
	}
	switch c.op {
	case opGt:
		return cmp > 0
	case opGe:
		return cmp >= 0
	case opLt:
		return cmp < 0
	default:
		return cmp <= 0
	}
}

// matches reports whether value v equals want; an array value (multi
// select) matches when it contains want.
func matches(v, want any) bool {
	if list, ok := v.([]any); ok {
		return slices.ContainsFunc(list, func(x any) bool { return x == want })
	}
	return v == want
}

// compare orders two numbers or two strings (dates compare as text: ISO 8601).
func compare(a, b any) (int, bool) {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(x, y), true
	}
	return 0, false
}

// isEmpty reports whether a record value counts as no value: null, "", [] or {}.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
