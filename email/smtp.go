package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/mail"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS modes of an SMTP connection.
const (
	TLSStartTLS = "starttls" // require STARTTLS (default)
	TLSImplicit = "implicit" // TLS from the first byte (port 465)
	TLSNone     = "none"     // plain text: local capture servers only
)

// SMTP sends through an SMTP server.
type SMTP struct {
	Addr     string // host:port
	From     string // envelope and header sender, e.g. "CPIMS+ <no-reply@example.org>"
	Username string // with Password: AUTH PLAIN
	Password string
	TLS      string // TLSStartTLS (default), TLSImplicit or TLSNone
	// TLSConfig overrides the TLS settings (e.g. a private CA).
	TLSConfig *tls.Config
}

// Send delivers m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	raw, err := build(s.From, m, time.Now())
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("email: SMTP address %q: %w", s.Addr, err)
	}
	tlsCfg := s.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	d := &net.Dialer{Timeout: 15 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("email: connecting to SMTP server %s: %w", s.Addr, err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	} else {
		_ = conn.SetDeadline(time.Now().Add(time.Minute))
	}
	var c *smtp.Client
	switch s.TLS {
	case "", TLSStartTLS:
		c, err = smtp.NewClientStartTLS(conn, tlsCfg)
	case TLSImplicit:
		c = smtp.NewClient(tls.Client(conn, tlsCfg))
	case TLSNone:
		c = smtp.NewClient(conn)
	default:
		conn.Close()
		return fmt.Errorf("email: unknown SMTP TLS mode %q", s.TLS)
	}
	if err != nil {
		conn.Close()
		return fmt.Errorf("email: SMTP STARTTLS with %s: %w", s.Addr, err)
	}
	defer c.Close()
	if s.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			return fmt.Errorf("email: SMTP authentication: %w", err)
		}
	}
	from := s.From
	if a, err := mail.ParseAddress(s.From); err == nil {
		from = a.Address
	}
	if err := c.SendMail(from, m.To, bytes.NewReader(raw)); err != nil {
		return fmt.Errorf("email: sending through %s: %w", s.Addr, err)
	}
	return c.Quit()
}
