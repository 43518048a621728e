package email

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
)

// SES sends through Amazon SES v2.
type SES struct {
	Client *sesv2.Client
	From   string
	// ConfigurationSet, if set, names the SES configuration set (per country:
	// bounces, complaints and sending metrics per tenant).
	ConfigurationSet string
}

// Send delivers m.
func (s *SES) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	utf8 := aws.String("UTF-8")
	body := &types.Body{Text: &types.Content{Data: aws.String(m.Text), Charset: utf8}}
	if m.HTML != "" {
		body.Html = &types.Content{Data: aws.String(m.HTML), Charset: utf8}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.From),
		Destination:      &types.Destination{ToAddresses: m.To},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: utf8},
			Body:    body,
		}},
	}
	if s.ConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.ConfigurationSet)
	}
	if _, err := s.Client.SendEmail(ctx, in); err != nil {
		return fmt.Errorf("email: SES SendEmail: %w", err)
	}
	return nil
}
