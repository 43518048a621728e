package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/go-json-experiment/json/jsontext"
)

// Input hygiene, once for every operation of both APIs (docs/architecture.md).
// Some input is refused before Huma decodes it, because it would otherwise
// fail deep inside (PostgreSQL refuses a NUL byte in text: a 500) or be
// silently changed (invalid UTF-8 becomes U+FFFD; of two equal keys the last
// one wins): a NUL byte or invalid UTF-8 in a path or query parameter or in
// any JSON string (object names included), and an object with the same key
// twice. The answer is a 422 naming every location.

// Bounds of what problems echo back.
const (
	// echoedValueMax is how many characters of a refused value a problem
	// shows; longer ones are cut and end with "…".
	echoedValueMax = 100
	// echoedTextMax bounds a problem's detail and messages, which may quote input.
	echoedTextMax = 1000
)

// Defaults Huma applies to operations that set none (huma.go).
const (
	humaMaxBodyBytes    = 1 << 20
	humaBodyReadTimeout = 5 * time.Second
)

// inputMiddleware refuses the input described above with a 422 and logs why.
func (s *Server) inputMiddleware(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		var details []*huma.ErrorDetail
		for _, p := range op.Parameters {
			if p.In != "path" {
				continue
			}
			if v := ctx.Param(p.Name); badText(v) != "" {
				details = append(details, &huma.ErrorDetail{Location: "path." + p.Name, Message: badText(v), Value: v})
			}
		}
		u := ctx.URL()
		query := u.Query()
		names := make([]string, 0, len(query))
		for name := range query {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if why := badName(name); why != "" {
				details = append(details, &huma.ErrorDetail{Location: "query", Message: why, Value: name})
				continue
			}
			for _, v := range query[name] {
				if why := badText(v); why != "" {
					details = append(details, &huma.ErrorDetail{Location: "query." + name, Message: why, Value: v})
				}
			}
		}
		if req, _ := humago.Unwrap(ctx); op.RequestBody != nil && req.Body != nil && req.Body != http.NoBody && op.Metadata[streamedBodyKey] != true {
			limit := cmpOr(op.MaxBodyBytes, humaMaxBodyBytes)
			_ = ctx.SetReadDeadline(time.Now().Add(max(op.BodyReadTimeout, humaBodyReadTimeout)))
			b, err := io.ReadAll(io.LimitReader(req.Body, limit+1))
			// Huma reads the body again (and enforces its size limit and read errors itself).
			req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), req.Body))
			if err == nil && int64(len(b)) <= limit {
				details = append(details, checkJSON(b)...)
			}
		}
		if len(details) == 0 {
			next(ctx)
			return
		}
		locations := make([]string, len(details))
		errs := make([]error, len(details))
		for i, d := range details {
			locations[i] = d.Location + ": " + d.Message
			errs[i] = d
		}
		s.cfg.Logger.InfoContext(ctx.Context(), "refused input", "operation", op.OperationID, "problems", locations)
		_ = huma.WriteErr(api, ctx, http.StatusUnprocessableEntity, "The request is not valid.", errs...)
	}
}

func cmpOr(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

// badName is badText for a query parameter's name.
func badName(v string) string {
	switch {
	case !utf8.ValidString(v):
		return "parameter name is not valid UTF-8"
	case strings.ContainsRune(v, 0):
		return "parameter name contains a NUL character (U+0000), which is not accepted"
	}
	return ""
}

// badText says why a decoded string is refused, or "".
func badText(v string) string {
	switch {
	case !utf8.ValidString(v):
		return "is not valid UTF-8"
	case strings.ContainsRune(v, 0):
		return "contains a NUL character (U+0000), which is not accepted"
	}
	return ""
}

// checkJSON walks a JSON body and reports NUL characters in strings (names
// and values), invalid UTF-8 (raw, or as an unpaired surrogate escape) and
// duplicate object names. Other syntax errors are left to Huma's decoder.
func checkJSON(body []byte) []*huma.ErrorDetail {
	// Fast path: the decoder validates a whole value (names, UTF-8) at once;
	// a NUL can only come as the escape \u0000 (raw control characters are
	// invalid JSON). Only a body that fails is walked token by token, to say where.
	if _, err := jsontext.NewDecoder(bytes.NewReader(body)).ReadValue(); err == nil && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	return walkJSON(body)
}

// walkJSON reports each problem checkJSON looks for with its location.
func walkJSON(body []byte) []*huma.ErrorDetail {
	var out []*huma.ErrorDetail
	d := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.ReadToken()
		if errors.Is(err, io.EOF) {
			return out
		}
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			switch msg := se.Err.Error(); {
			case se.Err == jsontext.ErrDuplicateName:
				out = append(out, &huma.ErrorDetail{Location: jsonLocation(d, se.JSONPointer),
					Message: "the same key appears twice in one object"})
			case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "surrogate"):
				out = append(out, &huma.ErrorDetail{Location: jsonLocation(d, se.JSONPointer),
					Message: "is not valid UTF-8 (or holds an unpaired surrogate escape)"})
			}
			return out
		}
		if err != nil {
			return out
		}
		if tok.Kind() != '"' {
			continue
		}
		if v := tok.String(); strings.ContainsRune(v, 0) {
			out = append(out, &huma.ErrorDetail{Location: jsonLocation(d, d.StackPointer()),
				Message: "contains a NUL character (U+0000), which is not accepted", Value: v})
		}
	}
}

// jsonLocation renders a JSON pointer within the body as Huma locations do:
// body.data.items[2].name.
func jsonLocation(d *jsontext.Decoder, ptr jsontext.Pointer) string {
	var b strings.Builder
	b.WriteString("body")
	level := 1
	for tok := range ptr.Tokens() {
		if level <= d.StackDepth() {
			if k, _ := d.StackIndex(level); k == '[' {
				fmt.Fprintf(&b, "[%s]", tok)
				level++
				continue
			}
		}
		b.WriteString("." + tok)
		level++
	}
	return b.String()
}

// shortenProblem is a Huma transformer: it cuts the values, messages and
// detail a problem echoes back, so that a refused 900 KB value is not sent
// back whole.
func shortenProblem(_ huma.Context, _ string, v any) (any, error) {
	em := problemOf(v)
	if em == nil {
		return v, nil
	}
	em.Detail = cut(em.Detail, echoedTextMax)
	for _, d := range em.Errors {
		if d == nil {
			continue
		}
		d.Message = cut(d.Message, echoedTextMax)
		d.Value = cutValue(d.Value)
	}
	return v, nil
}

// cut shortens s to at most n characters, marking the cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// cutValue shortens an echoed value: a string to echoedValueMax characters;
// anything else whose JSON is longer becomes that JSON, cut.
func cutValue(v any) any {
	switch x := v.(type) {
	case nil, bool, int, int64, float64:
		return v
	case string:
		return cut(x, echoedValueMax)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	if utf8.RuneCount(b) <= echoedValueMax {
		return v
	}
	return cut(string(b), echoedValueMax)
}
