// Command smoketool holds the few helpers smoke.sh cannot do with curl and
// jq: free TCP ports, a capturing SMTP server and TOTP codes. Standard
// library only; not part of the Kratos binary.
//
//	smoketool ports N              print N free loopback TCP ports
//	smoketool smtp ADDR DIR        accept mail on ADDR, write each message to DIR/N.eml
//	smoketool totp SECRET          print the current RFC 6238 code (SHA-1, 6 digits, 30 s)
package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "ports":
		err = ports(os.Args[2])
	case "smtp":
		if len(os.Args) != 4 {
			usage()
		}
		err = serveSMTP(os.Args[2], os.Args[3])
	case "totp":
		err = totp(os.Args[2], time.Now())
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smoketool:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: smoketool ports N | smtp ADDR DIR | totp SECRET")
	os.Exit(2)
}

// ports prints n distinct ports that were free a moment ago. Listeners stay
// open until all are chosen so the same port is not returned twice.
func ports(arg string) error {
	n, err := strconv.Atoi(arg)
	if err != nil || n < 1 {
		return fmt.Errorf("bad port count %q", arg)
	}
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("finding a free port: %w", err)
		}
		listeners = append(listeners, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	return nil
}

// serveSMTP is just enough of RFC 5321 for Kratos' courier over plain TCP:
// EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. No STARTTLS, no AUTH.
func serveSMTP(addr, dir string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening for SMTP: %w", err)
	}
	var seq atomic.Int64
	for {
		conn, err := l.Accept()
		if err != nil {
			return fmt.Errorf("accepting SMTP connection: %w", err)
		}
		go smtpSession(conn, dir, &seq)
	}
}

func smtpSession(conn net.Conn, dir string, seq *atomic.Int64) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	reply := func(s string) { fmt.Fprintf(conn, "%s\r\n", s) }
	reply("220 smoketool ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.TrimSpace(line))
		if i := strings.IndexAny(verb, " :"); i >= 0 {
			verb = verb[:i]
		}
		switch verb {
		case "EHLO":
			reply("250-smoketool")
			reply("250 8BITMIME")
		case "HELO", "MAIL", "RCPT", "RSET", "NOOP":
			reply("250 OK")
		case "DATA":
			reply("354 end with <CR><LF>.<CR><LF>")
			var msg strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if strings.TrimRight(l, "\r\n") == "." {
					break
				}
				msg.WriteString(strings.TrimPrefix(l, "."))
			}
			name := filepath.Join(dir, fmt.Sprintf("%d.eml", seq.Add(1)))
			if err := os.WriteFile(name+".tmp", []byte(msg.String()), 0o600); err != nil {
				reply("451 " + err.Error())
				continue
			}
			if err := os.Rename(name+".tmp", name); err != nil {
				reply("451 " + err.Error())
				continue
			}
			reply("250 OK")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// totp prints the RFC 6238 code for a base32 secret as Kratos issues them.
func totp(secret string, now time.Time) error {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return fmt.Errorf("decoding TOTP secret: %w", err)
	}
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(now.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	fmt.Printf("%06d\n", code%1_000_000)
	return nil
}
