package api_test

import (
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/internal/smtptest"
)

// decoded is an email received by the capture server: its recipients,
// subject and decoded parts by content type.
type decoded struct {
	to      []string
	subject string
	parts   map[string]string
}

func decodeMail(t testing.TB, m smtptest.Message) decoded {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
	require.NoError(t, err)
	subject, err := (&mime.WordDecoder{}).DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	out := decoded{to: m.To, subject: subject, parts: map[string]string{}}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	read := func(r io.Reader, enc string) string {
		if strings.EqualFold(enc, "quoted-printable") {
			r = quotedprintable.NewReader(r)
		}
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		return string(b)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		out.parts[mt] = read(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		return out
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out.parts[pt] = read(p, p.Header.Get("Content-Transfer-Encoding"))
	}
	return out
}

// waitJobCount waits until n jobs of kind have ended, and requires them completed.
func (b *testBundle) waitJobCount(t testing.TB, kind string, n int) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for n > 0 {
		select {
		case ev := <-b.events:
			if ev.Job.Kind == kind {
				require.Equal(t, river.EventKindJobCompleted, ev.Kind, "job %s ended as %s: %v", kind, ev.Kind, ev.Job.Errors)
				n--
			}
		case <-timeout:
			t.Fatalf("%d more %s jobs did not finish within 60s", n, kind)
		}
	}
}

func TestWorkflowEmailsInTheRecipientsLanguageOncePerEvent(t *testing.T) {
	t.Parallel()
	mb := setupMembers(t)
	admin := mb.member(t, "ke", "role-system-administrator", "agency-unicef")
	mgr := mb.member(t, "ke", "role-case-manager", "agency-unicef", "usergroup-nairobi")
	cwAr := mb.memberIn(t, "ar", "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	cwFr := mb.memberIn(t, "fr", "ke", "role-caseworker", "agency-unicef", "usergroup-nairobi")
	before := len(mb.smtp.Messages())

	kase := mb.createCase(t, mgr.token, nil)
	id := kase["id"].(string)
	assign := transition(cwAr.email, nil)
	require.Equal(t, http.StatusOK, mb.call(t, "POST", "/api/v2/cases/"+id+"/assigns", mgr.token, nil, assign).Code)
	// The same request again (a retry) changes nothing and sends nothing.
	require.Equal(t, http.StatusUnprocessableEntity, mb.call(t, "POST", "/api/v2/cases/"+id+"/assigns", mgr.token, nil, assign).Code)
	res := mb.call(t, "POST", "/api/v2/cases/assigns", mgr.token, nil, map[string]any{"data": map[string]any{"ids": []string{id}, "transitioned_to": cwAr.email}})
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Empty(t, res.body["data"])

	res = mb.call(t, "POST", "/api/v2/cases/"+id+"/referrals", cwAr.token, nil, transition(cwFr.email, map[string]any{"service": "health"}))
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	refPath := "/api/v2/cases/" + id + "/referrals/" + data(res)["id"].(string)
	require.Equal(t, http.StatusOK, mb.call(t, "PATCH", refPath, cwFr.token, nil, answer("accepted")).Code)

	mb.waitJobCount(t, "notify", 3)
	msgs := mb.smtp.Messages()[before:]
	require.Len(t, msgs, 3, "one email per event, no more")
	byTo := map[string][]decoded{}
	for _, m := range msgs {
		d := decodeMail(t, m)
		byTo[d.to[0]] = append(byTo[d.to[0]], d)
		for _, part := range d.parts {
			require.NotContains(t, part, "Amina", "no personal data about the child")
			require.Contains(t, part, "https://ke.cpims.example.org/cases/"+id, "a link to the case on the tenant's host")
		}
		require.Contains(t, d.parts, "text/plain")
		require.Contains(t, d.parts, "text/html")
	}
	require.Len(t, byTo[cwAr.email], 2)
	require.Len(t, byTo[cwFr.email], 1)
	subjects := []string{byTo[cwAr.email][0].subject, byTo[cwAr.email][1].subject}
	require.Contains(t, strings.Join(subjects, "|"), "أسند "+mgr.email+" إليك الحالة "+kase["short_id"].(string))
	require.Contains(t, strings.Join(subjects, "|"), "رد "+cwFr.email)
	require.Contains(t, byTo[cwAr.email][0].parts["text/html"], `dir="rtl"`)
	require.Equal(t, cwAr.email+" vous a référé le dossier "+kase["short_id"].(string), byTo[cwFr.email][0].subject)
	require.Contains(t, byTo[cwFr.email][0].parts["text/html"], `dir="ltr"`)

	// Administrators see the deliveries; others may not.
	res = mb.call(t, "GET", "/api/v2/notifications?status=sent", admin.token, nil, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body.String())
	require.Equal(t, 3, total(res))
	kinds := map[string]bool{}
	for _, x := range res.body["data"].([]any) {
		kinds[x.(map[string]any)["kind"].(string)] = true
		require.Equal(t, "sent", x.(map[string]any)["status"])
	}
	require.Equal(t, map[string]bool{"assign": true, "referral": true, "referral_accepted": true}, kinds)
	require.Equal(t, http.StatusForbidden, mb.call(t, "GET", "/api/v2/notifications", mgr.token, nil, nil).Code)
}
