// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// loopback that keeps every message it receives, for tests and the local
// development stack.
package smtptest

import (
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one received message.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Server is a running capture server.
type Server struct {
	Addr     string
	srv      *smtp.Server
	mu       sync.Mutex
	messages []Message
	notify   chan struct{}

	onMessage []func(Message)
}

// Start listens on addr ("127.0.0.1:0" for any free port). onMessage, if
// given, is called with each message as it arrives.
func Start(addr string, onMessage ...func(Message)) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: l.Addr().String(), notify: make(chan struct{}), onMessage: onMessage}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait returns once at least n messages were received, or errors after timeout.
func (s *Server) Wait(n int, timeout time.Duration) ([]Message, error) {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		msgs, ch := append([]Message(nil), s.messages...), s.notify
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-ch:
		case <-deadline:
			return msgs, errors.New("smtptest: timed out waiting for messages")
		}
	}
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) AuthMechanisms() []string { return nil }
func (x *session) Reset()                   { x.from, x.to = "", nil }
func (x *session) Logout() error            { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg := Message{From: x.from, To: x.to, Data: b}
	for _, f := range x.s.onMessage {
		f(msg)
	}
	x.s.mu.Lock()
	x.s.messages = append(x.s.messages, msg)
	close(x.s.notify)
	x.s.notify = make(chan struct{})
	x.s.mu.Unlock()
	return nil
}
