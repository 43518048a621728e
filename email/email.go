// Package email sends messages through SMTP (on-premises, and the local
// capture server in development) or Amazon SES v2 (cloud). Callers hand a
// rendered Message to a Sender; the send_email River job (package jobs) adds
// retries, and templates are localised to the recipient before that.
package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one email, already rendered in the recipient's language.
type Message struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html,omitempty"`
	// Locale of the content (e.g. "ar"), sent as Content-Language.
	Locale string `json:"locale,omitempty"`
}

// Validate checks addresses and content.
func (m Message) Validate() error {
	if len(m.To) == 0 {
		return errors.New("email: no recipient")
	}
	for _, to := range m.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return fmt.Errorf("email: recipient %q: %w", to, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" || strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("email: the subject must be one non-empty line")
	}
	if m.Text == "" {
		return errors.New("email: a plain-text body is required")
	}
	return nil
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// build renders m as an RFC 5322 message from from: UTF-8, quoted-printable,
// multipart/alternative when there is an HTML part.
func build(from string, m Message, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	h := textproto.MIMEHeader{}
	h.Set("From", from)
	h.Set("To", strings.Join(m.To, ", "))
	h.Set("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h.Set("Date", now.UTC().Format(time.RFC1123Z))
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	domain := "cpims.local"
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndex(a.Address, "@"); i >= 0 {
			domain = a.Address[i+1:]
		}
	}
	h.Set("Message-Id", "<"+hex.EncodeToString(id)+"@"+domain+">")
	h.Set("Mime-Version", "1.0")
	if m.Locale != "" {
		h.Set("Content-Language", m.Locale)
	}
	part := func(w *bytes.Buffer, body string) error {
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(body)); err != nil {
			return err
		}
		return qp.Close()
	}
	if m.HTML == "" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		writeHeader(&buf, h)
		if err := part(&buf, m.Text); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range []struct{ ct, content string }{{"text/plain; charset=utf-8", m.Text}, {"text/html; charset=utf-8", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ct}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		var pb bytes.Buffer
		if err := part(&pb, p.content); err != nil {
			return nil, err
		}
		if _, err := w.Write(pb.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	h.Set("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	writeHeader(&buf, h)
	buf.Write(body.Bytes())
	return buf.Bytes(), nil
}

func writeHeader(buf *bytes.Buffer, h textproto.MIMEHeader) {
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-Id", "Mime-Version", "Content-Language", "Content-Type", "Content-Transfer-Encoding"} {
		if v := h.Get(k); v != "" {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	buf.WriteString("\r\n")
}
