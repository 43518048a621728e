package api

import (
	"context"
	"net"
	"strconv"
	"strings"
)

// requestHost is a validated Host header: a DNS name, an IPv4 address or a
// bracketed IPv6 address, lower case, with an optional numeric port. Only
// such hosts reach the routes, and origins are built from its parts, so a
// header such as "ke.localhost:evil.example" is never echoed back.
type requestHost struct {
	// Name is the host without port or trailing dot ("ke.localhost").
	Name string
	// Port is "" or a port number between 1 and 65535.
	Port string
	// trailingDot records an absolute name as the browser sent it ("ke.localhost.").
	trailingDot bool
}

// parseHost validates a Host header. ok is false for anything but a
// host name or IP literal with an optional numeric port.
func parseHost(header string) (h requestHost, ok bool) {
	hostPart, port := strings.ToLower(header), ""
	if strings.HasPrefix(hostPart, "[") {
		end := strings.IndexByte(hostPart, ']')
		if end < 0 {
			return h, false
		}
		literal, rest := hostPart[1:end], hostPart[end+1:]
		if ip := net.ParseIP(literal); ip == nil || !strings.Contains(literal, ":") {
			return h, false
		}
		if rest != "" {
			if rest[0] != ':' {
				return h, false
			}
			port = rest[1:]
			if !validPort(port) {
				return h, false
			}
		}
		return requestHost{Name: hostPart[:end+1], Port: port}, true
	}
	if i := strings.LastIndexByte(hostPart, ':'); i >= 0 {
		hostPart, port = hostPart[:i], hostPart[i+1:]
		if !validPort(port) {
			return h, false
		}
	}
	name, dot := strings.CutSuffix(hostPart, ".")
	if !validName(name) {
		return h, false
	}
	return requestHost{Name: name, Port: port, trailingDot: dot}, true
}

// String is the host as a browser addresses it: name (with its trailing dot
// if it had one) and port.
func (h requestHost) String() string {
	name := h.Name
	if h.trailingDot {
		name += "."
	}
	if h.Port == "" {
		return name
	}
	return name + ":" + h.Port
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// validName accepts DNS names (letters, digits, hyphens, labels of 1 to 63
// characters, at most 253 in all) and dotted IPv4 addresses.
func validName(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

type hostKey struct{}

func withHost(ctx context.Context, h requestHost) context.Context {
	return context.WithValue(ctx, hostKey{}, h)
}

// hostFrom returns the request's validated Host (set by route).
func hostFrom(ctx context.Context) (requestHost, bool) {
	h, ok := ctx.Value(hostKey{}).(requestHost)
	return h, ok
}
