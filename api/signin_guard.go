package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The sign-in guard limits guessing through /.ory/: passwords, TOTP codes,
// lookup (backup) codes, recovery and verification codes, however they are
// sent (JSON or form-encoded, API or browser flow, POST or a GET link). It
// reads each submission before Kratos does, refuses it with 429 while its
// account or its client address has no failures left, and after Kratos'
// answer spends one failure of each unless the submission succeeded: a
// session was issued (login, recovery) or the flow passed its challenge
// (verification). Kratos' status codes alone do not tell: a browser form
// post is answered 303 whether the password was right or wrong, and a wrong
// recovery code 200.
//
// The account of a password submission is its identifier; of a second
// factor, the identity of the session that submits it, known from the
// password sign-in that opened that session through this proxy (else the
// session itself); of a recovery or verification code, the address the
// flow's code was sent to (else the flow).

// submitPaths are Kratos' self-service submission endpoints that take a secret.
var submitPaths = map[string]string{
	"/self-service/login":        "login",
	"/self-service/recovery":     "recovery",
	"/self-service/verification": "verification",
}

// guardedKeys are the fields a submission is judged by. Each may appear at
// most once, in lower case, as a string, across the query and the body:
// Kratos reads some fields from both and takes the first of repeated ones,
// so any ambiguity could let a guess pass as something else.
var guardedKeys = map[string]bool{"flow": true, "method": true, "identifier": true, "password": true,
	"code": true, "email": true, "totp_code": true, "lookup_secret": true}

// maxSubmission bounds the submissions read into memory (a few hundred bytes in practice).
const maxSubmission = 64 << 10

// submission is what the guard reads of a self-service submission.
type submission struct {
	kind       string // "login", "recovery", "verification"
	flow       string
	method     string
	identifier string // login: the identifier typed, normalised as Kratos does
	email      string // recovery, verification: an address to send a code to
	code       string // recovery, verification: a code to check
	credential string // the session the caller sends (token or session cookie value), if any
	get        bool
}

// guess reports whether the submission tries a secret.
func (s submission) guess() bool {
	switch s.kind {
	case "login":
		return !s.get || s.identifier != "" || s.code != ""
	case "recovery":
		return s.email == "" && (!s.get || s.code != "")
	case "verification":
		return s.code != ""
	}
	return false
}

// submissionError is a submission the guard refuses to pass on.
type submissionError struct {
	status int
	detail string
}

func (e *submissionError) Error() string { return e.detail }

// readSubmission reads a submission to kind's endpoint, leaving r's body
// readable again for Kratos.
func readSubmission(r *http.Request, kind string) (submission, error) {
	sub := submission{kind: kind, get: r.Method == http.MethodGet, credential: sessionCredential(r.Header)}
	fields := map[string][]string{}
	for k, vs := range r.URL.Query() {
		fields[k] = append(fields[k], vs...)
	}
	if r.Method != http.MethodGet && r.Body != nil {
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxSubmission+1))
		_ = r.Body.Close()
		if err != nil {
			return sub, err
		}
		if len(raw) > maxSubmission {
			return sub, &submissionError{http.StatusRequestEntityTooLarge, "The sign-in form is too large."}
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		r.ContentLength = int64(len(raw))
		if len(bytes.TrimSpace(raw)) > 0 {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			switch mt {
			case "application/json":
				if err := jsonFields(raw, fields); err != nil {
					return sub, err
				}
			case "application/x-www-form-urlencoded":
				form, err := url.ParseQuery(string(raw))
				if err != nil {
					return sub, &submissionError{http.StatusBadRequest, "The sign-in form could not be read."}
				}
				for k, vs := range form {
					fields[k] = append(fields[k], vs...)
				}
			default:
				return sub, &submissionError{http.StatusUnsupportedMediaType,
					"Send the sign-in form as application/json or application/x-www-form-urlencoded."}
			}
		}
	}
	for k, vs := range fields {
		lower := strings.ToLower(k)
		if !guardedKeys[lower] {
			continue
		}
		if k != lower || len(vs) > 1 {
			return sub, &submissionError{http.StatusBadRequest, fmt.Sprintf("The sign-in form has a repeated or ambiguous field %q.", k)}
		}
	}
	one := func(k string) string {
		if vs := fields[k]; len(vs) == 1 {
			return vs[0]
		}
		return ""
	}
	sub.flow, sub.method, sub.email, sub.code = one("flow"), one("method"), one("email"), one("code")
	sub.identifier = strings.ToLower(strings.TrimSpace(one("identifier")))
	if sub.kind == "login" && sub.code == "" {
		sub.code = one("totp_code") + one("lookup_secret") // only whether one is there matters
	}
	return sub, nil
}

// jsonFields adds the top-level members of a JSON object to fields, keeping
// every occurrence of a repeated member; guarded members must be strings.
func jsonFields(raw []byte, fields map[string][]string) error {
	bad := &submissionError{http.StatusBadRequest, "The sign-in form is not a JSON object of the expected fields."}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return bad
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return bad
		}
		if !guardedKeys[strings.ToLower(key)] {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return bad
		}
		fields[key] = append(fields[key], s)
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return bad
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bad
	}
	return nil
}

// sessionCredential is the Kratos session a request to /.ory/ carries, in
// the order Kratos reads them: X-Session-Token, the session cookie's value,
// Authorization: Bearer.
func sessionCredential(h http.Header) string {
	if t := h.Get("X-Session-Token"); t != "" {
		return "t:" + t
	}
	if c := sessionCookieValue(h); c != "" {
		return "c:" + c
	}
	if t, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer "); ok && strings.TrimSpace(t) != "" {
		return "t:" + strings.TrimSpace(t)
	}
	return ""
}

// apiCredential is the credential a request to our APIs carries, in the
// order the APIs read them (credential): Authorization: Bearer,
// X-Session-Token, the session cookie.
func apiCredential(h http.Header) string {
	if t, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer "); ok {
		return "t:" + strings.TrimSpace(t)
	}
	if t := h.Get("X-Session-Token"); t != "" {
		return "t:" + t
	}
	if c := sessionCookieValue(h); c != "" {
		return "c:" + c
	}
	return ""
}

func sessionCookieValue(h http.Header) string {
	r := http.Request{Header: http.Header{"Cookie": h.Values("Cookie")}}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// hashed shortens a secret into a key that does not reveal it.
func hashed(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:16])
}

// sessionTTL is how long the guard remembers whose a session is: Kratos'
// absolute session lifespan.
const sessionTTL = 12 * time.Hour

// flowTTL is how long it remembers where a flow's code was sent: longer
// than Kratos' recovery and verification flows live.
const flowTTL = 2 * time.Hour

// account is the limit key of the person a guess concerns.
func (g *signInGuard) account(sub submission) string {
	switch {
	case sub.kind == "login" && sub.identifier != "":
		return accountKey(sub.identifier)
	case sub.kind == "login" && sub.credential != "":
		if a, ok := g.sessions.get(sub.credential); ok {
			return a
		}
		return "session:" + hashed(sub.credential)
	case sub.kind == "login":
		return "flow:" + sub.flow
	default:
		if a, ok := g.flows.get(sub.kind + ":" + sub.flow); ok {
			return a
		}
		return "flow:" + sub.flow
	}
}

// accountKey is the key of the account signing in with identifier (or a
// code's address), normalised as Kratos does and hashed: people sometimes
// type their password into the identifier field, and keys are kept in memory.
func accountKey(identifier string) string {
	return "id:" + hashed(strings.ToLower(strings.TrimSpace(identifier)))
}

// signInGuard holds the guard's state: per-account failures (per-address
// failures are the server's authFails), and what it learnt of sessions and flows.
type signInGuard struct {
	accounts *limiter // failed guesses per account
	sessions *memo    // session credential -> account
	flows    *memo    // "kind:flow" -> account
}

func newSignInGuard(perHour int, now func() time.Time) *signInGuard {
	accounts := &limiter{rate: float64(perHour) / 3600, burst: float64(min(perHour, accountBurstMax)), now: now,
		buckets: map[string]*bucket{}}
	return &signInGuard{accounts: accounts, sessions: newMemo(now), flows: newMemo(now)}
}

// accountBurstMax caps how many failures an account may spend at once.
const accountBurstMax = 10

// issuedSession is the session credential a response hands out: the session
// cookie Kratos sets, or a session token in a JSON answer.
func issuedSession(res *http.Response, body []byte) string {
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie && c.Value != "" && c.MaxAge >= 0 {
			return "c:" + c.Value
		}
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		return ""
	}
	var answer struct {
		SessionToken string `json:"session_token"`
		ContinueWith []struct {
			Action       string `json:"action"`
			SessionToken string `json:"ory_session_token"`
		} `json:"continue_with"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return ""
	}
	if answer.SessionToken != "" {
		return "t:" + answer.SessionToken
	}
	for _, c := range answer.ContinueWith {
		if c.Action == "set_ory_session_token" && c.SessionToken != "" {
			return "t:" + c.SessionToken
		}
	}
	return ""
}

// locationChangeRequired reports whether Kratos answered 422
// browser_location_change_required: its JSON answer to a recovery code that
// worked (the browser is to go on to the settings flow).
func locationChangeRequired(res *http.Response, body []byte) bool {
	if res.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	var answer struct {
		Error struct {
			ID string `json:"id"`
		} `json:"error"`
	}
	return json.Unmarshal(body, &answer) == nil && answer.Error.ID == "browser_location_change_required"
}

// verificationPassed reports whether a verification submission's flow
// passed its challenge: from the JSON answer, or else by reading the flow
// (browsers are redirected to the same page whether the code was right).
func (p *kratosProxy) verificationPassed(ctx context.Context, res *http.Response, body []byte, flowID string) bool {
	var f struct {
		State string `json:"state"`
	}
	if res.StatusCode == http.StatusOK && strings.Contains(res.Header.Get("Content-Type"), "json") {
		return json.Unmarshal(body, &f) == nil && f.State == "passed_challenge"
	}
	if flowID == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	u := *p.upstream
	u.Path = strings.TrimSuffix(u.Path, "/") + "/self-service/verification/flows"
	u.RawQuery = url.Values{"id": {flowID}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return false
	}
	req.Header.Set("Accept", "application/json")
	if c := res.Request.Header.Values("Cookie"); len(c) > 0 {
		req.Header["Cookie"] = c
	}
	fr, err := p.client.Do(req)
	if err != nil {
		return false
	}
	defer fr.Body.Close()
	return fr.StatusCode == http.StatusOK && json.NewDecoder(io.LimitReader(fr.Body, maxRewrittenBody)).Decode(&f) == nil &&
		f.State == "passed_challenge"
}
