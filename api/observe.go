package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/cpims-hosted/cpims/tenancy"
)

// requestInfo collects what the inner layers learn about a request (tenant,
// operation) for the outer layer's log line and metrics.
type requestInfo struct {
	id        string
	tenant    string
	operation string
	locale    string             // the signed-in member's own language, for problems (localiseProblem)
	guard     *tenancy.CallGuard // what the call's tenant transactions check first (tenant calls)
	browser   bool               // signed in with the browser's session cookie (not a token or API key)
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(infoKey{}).(*requestInfo)
	return i
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// observe assigns a request id, sets security headers, and logs and measures every request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !requestIDRE.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		h := w.Header()
		h.Set("X-Request-Id", id)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", defaultCSP) // HTML pages set their own
		if r.TLS != nil || (s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		info := &requestInfo{id: id}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		elapsed := time.Since(start)
		op := info.operation
		if op == "" {
			op = "none"
		}
		status, level := rec.status, slog.LevelInfo
		switch {
		case r.Context().Err() != nil:
			// The client went away before the answer: what failed after that is
			// a consequence, not a server fault (499, as nginx counts it).
			status = 499
		case status >= 500:
			level = slog.LevelError
		}
		s.latency.WithLabelValues(op, r.Method, strconv.Itoa(status)).Observe(elapsed.Seconds())
		s.cfg.Logger.LogAttrs(r.Context(), level, "request",
			slog.String("request_id", id), slog.String("tenant", info.tenant), slog.String("operation", info.operation),
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
			slog.Duration("duration", elapsed))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logFailure logs an unexpected error at error level, unless the client has
// already gone away: then the error is only the cancellation's echo.
func (s *Server) logFailure(ctx context.Context, msg string, args ...any) {
	level := slog.LevelError
	if ctx.Err() != nil {
		level = slog.LevelInfo
	}
	s.cfg.Logger.Log(ctx, level, msg, args...)
}
