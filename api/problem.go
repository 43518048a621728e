package api

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cpims-hosted/cpims/l10n"
)

// Problem is the RFC 9457 problem every operation answers with when it
// refuses or fails: Huma's model plus a stable machine code for the problem
// and for each of its errors, so that clients translate by code
// (docs/errors.md). The server writes title, detail and messages in the
// caller's language (localiseProblem).
type Problem struct {
	Type     string           `json:"type,omitempty" format:"uri" default:"about:blank" doc:"A URI reference to human-readable documentation for the error."`
	Title    string           `json:"title,omitempty" example:"Unprocessable Entity" doc:"A short summary of the problem type, in the caller's language."`
	Status   int              `json:"status,omitempty" example:"422" doc:"HTTP status code"`
	Detail   string           `json:"detail,omitempty" example:"Resource not found or you do not have access to it." doc:"What happened this time, in the caller's language."`
	Instance string           `json:"instance,omitempty" format:"uri" doc:"A URI reference that identifies the specific occurrence of the problem."`
	Code     string           `json:"code" required:"false" example:"not_found" doc:"The problem's stable machine code, to translate or act on (docs/errors.md; always sent): e.g. not_found, invalid, forbidden, unauthenticated, conflict, stale, precondition_required, consent_required, sharing_protocol, locale_in_use, already_exists, record_disabled, record_enabled, case_status, transition_state, in_use, beyond_role, transition_forbidden; else the HTTP status in snake case (bad_request, unsupported_media_type...)."`
	Errors   []*ProblemDetail `json:"errors,omitempty" doc:"The bad values, one per location."`

	params map[string]string // fill the detail's placeholders when translating it
	// words, if set, writes the detail and the messages in a language
	// itself: a problem composed of parts (location_in_use).
	words func(lang string)
}

// ProblemDetail is one bad value of a request.
type ProblemDetail struct {
	Code     string `json:"code" required:"false" example:"max_length" doc:"The error's stable machine code (docs/errors.md; always sent): e.g. required, max_length, min_length, type, pattern, one_of, unknown_field, unknown_property, not_an_option, option_disabled, not_writable, date_format, future_date, duplicate, json_syntax, encoding; invalid when it has no more specific one."`
	Message  string `json:"message,omitempty" doc:"Why the value is refused, in the caller's language."`
	Location string `json:"location,omitempty" doc:"Where the error occurred, e.g. 'body.items[3].tags' or 'path.thing-id'"`
	Value    any    `json:"value,omitempty" doc:"The value at the location, echoed back (shortened)."`
	// Params are the values the message is worded with, by placeholder name.
	Params map[string]string `json:"params,omitempty" doc:"The values the message is worded with, by the placeholder names of its code's wording (docs/errors.md), e.g. {\"max\": \"200\"}: to word the reason in another language from its code."`
}

// newDetail is one error of a problem: a detail without a specific code
// (code "" or invalid) gets the code and parameters of its English message
// from the server catalogue (l10n.Classify), where reasons are given their
// codes (docs/errors.md "Reason codes").
func newDetail(code, location, message string, value any, params map[string]string) *ProblemDetail {
	if code == "" || code == "invalid" {
		code = "invalid"
		if c, ps, ok := l10n.Classify(message); ok {
			code = c
			if params == nil {
				params = ps
			}
		}
	}
	return &ProblemDetail{Code: code, Location: location, Message: message, Value: value, Params: params}
}

func (p *Problem) Error() string { return p.Detail }

// GetStatus is the HTTP status (huma.StatusError).
func (p *Problem) GetStatus() int { return p.Status }

// ContentType serves problems as application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// Add appends an error's detail.
func (p *Problem) Add(err error) {
	if err == nil {
		return
	}
	var pd *ProblemDetail
	var hd huma.ErrorDetailer
	switch {
	case errors.As(err, &pd):
		p.Errors = append(p.Errors, pd)
	case errors.As(err, &hd):
		d := hd.ErrorDetail()
		code, params, msg := humaCode(d.Message)
		p.Errors = append(p.Errors, newDetail(code, d.Location, msg, d.Value, params))
	default:
		p.Errors = append(p.Errors, newDetail("", "", err.Error(), nil, nil))
	}
}

func (d *ProblemDetail) Error() string { return d.Message }

// newProblem replaces huma.NewError: every problem Huma or this package
// writes is a Problem with a code (by default, its status's).
func newProblem(status int, msg string, errs ...error) huma.StatusError {
	var params map[string]string
	msg, params = humaDetail(status, msg)
	p := &Problem{Status: status, Title: http.StatusText(status), Detail: msg, Code: statusCode(status), params: params}
	if code, params, ok := l10n.ClassifyDetail(msg); ok && detailFamilies[code] == status {
		p.Code, p.params = code, params
	}
	for _, err := range errs {
		p.Add(err)
	}
	return p
}

// humaDetail words Huma's own problem details (its request reading) as
// sentences of the server catalogue, with their parameters; other details
// are returned as they are.
func humaDetail(status int, msg string) (string, map[string]string) {
	switch {
	case msg == "validation failed" && status == http.StatusBadRequest: // the body could not be decoded
		return "The body is not valid JSON.", nil
	case msg == "validation failed" && status == http.StatusUnprocessableEntity:
		return "The request is not valid.", nil
	case msg == "request body is required":
		return "The request needs a body.", nil
	}
	if limit, ok := strings.CutPrefix(msg, "request body is too large limit="); ok {
		limit = strings.TrimSuffix(limit, " bytes")
		return "The body is larger than " + limit + " bytes.", map[string]string{"max": limit}
	}
	return msg, nil
}

// detailFamilies are the codes a 403 or 409 problem gets from its detail
// (newProblem): the code of the catalogue's problem:<code> entry that words
// it (l10n.ClassifyDetail), when that code is one of these with the
// problem's status. So a refusal raised as an English error (tenancy.
// ErrConflict or DeniedError with its text) has its family's code and is
// worded in the caller's language from the catalogue (docs/errors.md
// "Conflicts and refusals"). An explicit code (withCode) still wins.
var detailFamilies = map[string]int{
	"forbidden":            http.StatusForbidden,
	"beyond_role":          http.StatusForbidden,
	"transition_forbidden": http.StatusForbidden,
	"conflict":             http.StatusConflict,
	"already_exists":       http.StatusConflict,
	"record_disabled":      http.StatusConflict,
	"record_enabled":       http.StatusConflict,
	"case_status":          http.StatusConflict,
	"approval_required":    http.StatusConflict,
	"transition_state":     http.StatusConflict,
	"in_use":               http.StatusConflict,
	"last_administrator":   http.StatusConflict,
	"device_limit":         http.StatusConflict,
}

func init() {
	// Huma derives the error schema of every operation from NewError's
	// result, so this must be set before any operation is registered.
	huma.NewError = newProblem
}

// statusCode is the default code of a problem: its status in snake case
// (404 not_found, 415 unsupported_media_type), with a few names of ours.
func statusCode(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusUnprocessableEntity:
		return "invalid"
	case http.StatusPreconditionFailed:
		return "stale"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusInternalServerError:
		return "internal"
	case 499:
		return "client_closed"
	}
	if t := http.StatusText(status); t != "" {
		return strings.ReplaceAll(strings.ToLower(strings.NewReplacer("-", " ", "'", "").Replace(t)), " ", "_")
	}
	return "error"
}

// withCode sets the code and detail parameters of a problem built by a
// Huma helper (huma.Error404NotFound...).
func withCode(err error, code string, params map[string]string) error {
	if p, ok := err.(*Problem); ok {
		p.Code, p.params = code, params
	}
	return err
}

// humaMessages are the messages of Huma's request validation
// (huma/validation's Msg* formats), as patterns with their code and the
// names of their parameters. Also this package's own input checks, and the
// JSON decoder's errors: those are worded anew (message, a source of the
// server catalogue, filled with the parameters) so that the sentence is
// whole in the caller's language rather than Go's English inside it.
var humaMessages = []struct {
	re      *regexp.Regexp
	code    string
	params  []string
	message string
}{
	{regexp.MustCompile(`^unexpected end of JSON input$`), "json_syntax", nil, "is not valid JSON: it ends too early"},
	{regexp.MustCompile(`^invalid character '(.+)' (?:looking for|after|in) `), "json_syntax", []string{"character"},
		"is not valid JSON: unexpected character {character}"},
	{regexp.MustCompile(`^json: cannot unmarshal (\w+) into Go (?:struct field|value)`), "type", []string{"found"},
		"has the wrong type ({found} given)"},
	{regexp.MustCompile(`^the same key appears twice in one object$`), "duplicate", nil, ""},
	{regexp.MustCompile(`^is not valid UTF-8`), "encoding", nil, ""},
	{regexp.MustCompile(`^expected length <= (\d+)$`), "max_length", []string{"max"}, ""},
	{regexp.MustCompile(`^expected length >= (\d+)$`), "min_length", []string{"min"}, ""},
	{regexp.MustCompile(`^expected required property (.+) to be present$`), "required", []string{"name"}, ""},
	{regexp.MustCompile(`^unexpected property$`), "unknown_property", nil, ""},
	{regexp.MustCompile(`^expected (string|number|integer|boolean|array|object)$`), "type", []string{"type"}, ""},
	{regexp.MustCompile(`^expected value to be one of "(.*)"$`), "one_of", []string{"values"}, ""},
	{regexp.MustCompile(`^expected string to match pattern (.*)$`), "pattern", []string{"pattern"}, ""},
	{regexp.MustCompile(`^expected number >= (.+)$`), "min_value", []string{"min"}, ""},
	{regexp.MustCompile(`^expected number <= (.+)$`), "max_value", []string{"max"}, ""},
	{regexp.MustCompile(`^expected array length <= (\d+)$`), "max_items", []string{"max"}, ""},
	{regexp.MustCompile(`^expected array length >= (\d+)$`), "min_items", []string{"min"}, ""},
	{regexp.MustCompile(`^expected array items to be unique$`), "duplicate", nil, ""},
	{regexp.MustCompile(`^expected string to be (RFC \d+ [a-z-]+)(: .*)?$`), "format", []string{"format", "reason"}, ""},
	{regexp.MustCompile(`^contains a NUL character`), "nul_character", nil, ""},
}

// humaCode is the code and parameters of a Huma validation message, and the
// message as the server words it.
func humaCode(msg string) (string, map[string]string, string) {
	for _, m := range humaMessages {
		sub := m.re.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		params := make(map[string]string, len(m.params))
		for i, name := range m.params {
			params[name] = sub[i+1]
		}
		if m.message != "" {
			msg = l10n.Fill(m.message, params)
		}
		return m.code, params, msg
	}
	return "invalid", nil, msg
}

// localiseProblem is a Huma transformer: it writes a problem's title, detail
// and messages in the caller's language (l10n.Negotiate: the member's own
// language, else Accept-Language, else the tenant's default, else English)
// and says which in Content-Language. Codes and values stay as they are. It
// runs before shortenProblem, which may cut the English it matches.
func localiseProblem(ctx huma.Context, _ string, v any) (any, error) {
	p := problemOf(v)
	if p == nil {
		return v, nil
	}
	own, def := "", ""
	if info := infoFrom(ctx.Context()); info != nil {
		own = info.locale
	}
	if t, ok := tenantFrom(ctx.Context()); ok && len(t.Locales) > 0 {
		def = t.Locales[0]
	}
	lang := l10n.Negotiate(own, ctx.Header("Accept-Language"), def)
	ctx.SetHeader("Content-Language", lang)
	p.localise(lang)
	return v, nil
}

// localise writes p's title, detail and messages in language lang, each
// translated by its code's context (title, problem:<code>, error:<code>).
func (p *Problem) localise(lang string) {
	if lang == l10n.Source {
		return
	}
	p.Title = l10n.Translate(lang, "title", p.Title, nil)
	if p.words != nil {
		p.words(lang)
		return
	}
	p.Detail = l10n.Translate(lang, "problem:"+p.Code, p.Detail, p.params)
	for _, d := range p.Errors {
		if d != nil {
			d.Message = l10n.Translate(lang, "error:"+d.Code, d.Message, d.Params)
		}
	}
}

// problemOf finds the Problem in a response body, if it is one.
func problemOf(v any) *Problem {
	switch x := v.(type) {
	case *Problem:
		return x
	case *conflictProblem:
		return &x.Problem
	case error:
		var p *Problem
		if errors.As(x, &p) {
			return p
		}
	}
	return nil
}
