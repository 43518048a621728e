package email_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/internal/smtptest"
)

func smtpServer(t *testing.T) *smtptest.Server {
	t.Helper()
	s, err := smtptest.Start("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

var arabic = email.Message{
	To:      []string{"amina@example.org"},
	Subject: "دعوة إلى CPIMS+",
	Text:    "مرحبا أمينة، رمزك هو 123456",
	HTML:    "<p dir=\"rtl\">مرحبا أمينة، رمزك هو <b>123456</b></p>",
	Locale:  "ar",
}

func TestSMTPSendsLocalisedMultipartMessage(t *testing.T) {
	t.Parallel()
	srv := smtpServer(t)
	s := &email.SMTP{Addr: srv.Addr, From: "CPIMS+ <no-reply@ke.example.org>", TLS: email.TLSNone}
	require.NoError(t, s.Send(context.Background(), arabic))
	msgs, err := srv.Wait(1, 10*time.Second)
	require.NoError(t, err)
	require.Equal(t, "no-reply@ke.example.org", msgs[0].From)
	require.Equal(t, []string{"amina@example.org"}, msgs[0].To)

	m, err := mail.ReadMessage(strings.NewReader(string(msgs[0].Data)))
	require.NoError(t, err)
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	require.NoError(t, err)
	require.Equal(t, arabic.Subject, subject)
	require.Equal(t, "ar", m.Header.Get("Content-Language"))
	require.NotEmpty(t, m.Header.Get("Message-Id"))
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mt)
	mr := multipart.NewReader(m.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		b, err := io.ReadAll(p)
		require.NoError(t, err)
		parts = append(parts, string(b))
	}
	require.Equal(t, []string{arabic.Text, arabic.HTML}, parts)
}

func TestSMTPRefusesBadMessagesAndSendsNothing(t *testing.T) {
	t.Parallel()
	srv := smtpServer(t)
	s := &email.SMTP{Addr: srv.Addr, From: "no-reply@example.org", TLS: email.TLSNone}
	for name, m := range map[string]email.Message{
		"NoRecipient":     {Subject: "x", Text: "x"},
		"BadRecipient":    {To: []string{"not an address"}, Subject: "x", Text: "x"},
		"HeaderInjection": {To: []string{"a@example.org"}, Subject: "hi\r\nBcc: victim@example.org", Text: "x"},
		"NoBody":          {To: []string{"a@example.org"}, Subject: "x"},
	} {
		require.Error(t, s.Send(context.Background(), m), name)
	}
	require.Empty(t, srv.Messages())
}

func TestSMTPRequiresStartTLSByDefault(t *testing.T) {
	t.Parallel()
	srv := smtpServer(t) // offers no STARTTLS
	s := &email.SMTP{Addr: srv.Addr, From: "no-reply@example.org"}
	require.ErrorContains(t, s.Send(context.Background(), arabic), "STARTTLS")
	require.Empty(t, srv.Messages(), "nothing may travel in clear text when TLS is required")
}

// TestSESSendsThroughSESv2API runs the real aws-sdk-go-v2 client against a FAKE
// SES endpoint (an httptest server standing in for the remote AWS API, which
// tests cannot reach). It checks what the SDK sends: a SigV4-signed SendEmail
// call with UTF-8 content and the country's configuration set.
func TestSESSendsThroughSESv2API(t *testing.T) {
	t.Parallel()
	var got struct {
		path, auth string
		body       map[string]any
	}
	fakeSES := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.path, got.auth = r.URL.Path, r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&got.body)
		if got.body["FromEmailAddress"] == "rejected@example.org" {
			w.Header().Set("X-Amzn-Errortype", "MessageRejected")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"message":"Email address is not verified."}`))
			return
		}
		_, _ = w.Write([]byte(`{"MessageId":"fake-1"}`))
	}))
	defer fakeSES.Close()
	client := sesv2.New(sesv2.Options{Region: "eu-west-1", BaseEndpoint: aws.String(fakeSES.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})

	s := &email.SES{Client: client, From: "no-reply@ke.example.org", ConfigurationSet: "cpims-ke"}
	require.NoError(t, s.Send(context.Background(), arabic))
	require.Equal(t, "/v2/email/outbound-emails", got.path)
	require.True(t, strings.HasPrefix(got.auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), got.auth)
	require.Equal(t, "cpims-ke", got.body["ConfigurationSetName"])
	require.Equal(t, map[string]any{"ToAddresses": []any{"amina@example.org"}}, got.body["Destination"])
	simple := got.body["Content"].(map[string]any)["Simple"].(map[string]any)
	require.Equal(t, map[string]any{"Data": arabic.Subject, "Charset": "UTF-8"}, simple["Subject"])
	require.Equal(t, arabic.HTML, simple["Body"].(map[string]any)["Html"].(map[string]any)["Data"])

	rejected := &email.SES{Client: client, From: "rejected@example.org"}
	require.ErrorContains(t, rejected.Send(context.Background(), arabic), "MessageRejected")
}

func TestFromURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := email.FromURL(ctx, "smtp://user:p%40ss@mail.example.org:587?from=no-reply@example.org")
	require.NoError(t, err)
	require.Equal(t, &email.SMTP{Addr: "mail.example.org:587", From: "no-reply@example.org", Username: "user", Password: "p@ss"}, s)
	ses, err := email.FromURL(ctx, "ses://?region=eu-west-1&from=no-reply@example.org&configuration_set=cpims-ke")
	require.NoError(t, err)
	require.Equal(t, "cpims-ke", ses.(*email.SES).ConfigurationSet)
	for _, bad := range []string{
		"smtp://mail.example.org:587",                   // no from
		"smtp://mail.example.org?from=a@example.org",    // no port
		"smtp://m:25?from=a@example.org&tls=maybe",      // bad tls
		"http://mail.example.org:25?from=a@example.org", // bad scheme
	} {
		_, err := email.FromURL(ctx, bad)
		require.Error(t, err, bad)
	}
}
