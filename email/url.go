package email

import (
	"context"
	"fmt"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

// FromURL builds a Sender from a URL (CPIMS_EMAIL_URL):
//
//	smtp://user:password@host:587?from=no-reply@example.org            STARTTLS required
//	smtp://host:465?from=...&tls=implicit                               TLS from the start
//	smtp://127.0.0.1:1025?from=...&tls=none                             local capture only
//	ses://?region=eu-west-1&from=no-reply@example.org&configuration_set=cpims
//
// SES credentials come from the usual AWS chain (task role, environment).
func FromURL(ctx context.Context, raw string) (Sender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("email URL: %w", err)
	}
	q := u.Query()
	from := q.Get("from")
	if from == "" {
		return nil, fmt.Errorf("email URL %q needs a from= parameter (the sender address)", u.Redacted())
	}
	switch u.Scheme {
	case "smtp":
		if u.Port() == "" {
			return nil, fmt.Errorf("email URL %q needs a port", u.Redacted())
		}
		s := &SMTP{Addr: u.Host, From: from, TLS: q.Get("tls")}
		if u.User != nil {
			s.Username = u.User.Username()
			s.Password, _ = u.User.Password()
		}
		switch s.TLS {
		case "", TLSStartTLS, TLSImplicit, TLSNone:
		default:
			return nil, fmt.Errorf("email URL: tls must be starttls, implicit or none, not %q", s.TLS)
		}
		return s, nil
	case "ses":
		opts := []func(*config.LoadOptions) error{}
		if r := q.Get("region"); r != "" {
			opts = append(opts, config.WithRegion(r))
		}
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("loading AWS configuration for SES: %w", err)
		}
		return &SES{Client: sesv2.NewFromConfig(cfg), From: from, ConfigurationSet: q.Get("configuration_set")}, nil
	default:
		return nil, fmt.Errorf("email URL scheme must be smtp or ses, not %q", u.Scheme)
	}
}
