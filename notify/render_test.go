package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cpims-hosted/cpims/casework"
	"github.com/cpims-hosted/cpims/notify"
)

// TestRenderSpeaksTheRecipientsLanguage: workflow emails in en/fr/es/ar
// (Arabic right to left), English for a language we do not have, the
// answer's status translated, the link and the case's short id only.
func TestRenderSpeaksTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	m := notify.Render("ar", "assign", "Kenya", "Amina", "Baraka", "k3x9p2q", "https://ke.example.org/cases/1", "a@example.org")
	require.Equal(t, "ar", m.Locale)
	require.Equal(t, "أسند Baraka إليك الحالة k3x9p2q", m.Subject)
	require.Contains(t, m.HTML, `dir="rtl"`)
	require.Contains(t, m.Text, "https://ke.example.org/cases/1")
	require.NoError(t, m.Validate())

	m = notify.Render("fr-CD", "referral_rejected", "RDC", "Amina", "Baraka", "k3x9p2q", "", "a@example.org")
	require.Equal(t, "fr", m.Locale)
	require.Equal(t, "Baraka a répondu au sujet du dossier k3x9p2q : refusé", m.Subject)
	require.NotContains(t, m.Text, "http", "no link without a tenant origin")
	require.Contains(t, m.HTML, `dir="ltr"`)

	m = notify.Render("sw", "transfer_revoked", "Kenya", "Amina", "<Baraka>", "k3x9p2q", "", "a@example.org")
	require.Equal(t, "en", m.Locale, "a language we do not have falls back to English")
	require.Equal(t, "<Baraka> revoked the transfer of case k3x9p2q", m.Subject)
	require.Contains(t, m.HTML, "&lt;Baraka&gt;", "names are escaped in HTML")
	require.NotContains(t, m.HTML, "<Baraka>")
}

// TestRenderDigest: the digest lists each overdue task by the case's short
// id, the kind of task and its due date, with a link per case, then "and N
// more" and a link home; right to left in Arabic.
func TestRenderDigest(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	tasks := []casework.Task{
		{Type: "service", CaseID: "c-1", ShortID: "aaa1111", Detail: "health", DueDate: due, Overdue: true},
		{Type: "assessment", CaseID: "c-2", ShortID: "bbb2222", DueDate: due.AddDate(0, 0, 1), Overdue: true},
	}
	m := notify.RenderDigest("en", "Kenya", "Amina", tasks, 5, "https://ke.example.org", "a@example.org")
	require.Equal(t, "Overdue tasks: 5", m.Subject)
	require.Contains(t, m.Text, "- Case aaa1111: service, due 2026-11-20 https://ke.example.org/cases/c-1\n")
	require.Contains(t, m.Text, "- Case bbb2222: assessment, due 2026-11-21 https://ke.example.org/cases/c-2\n")
	require.Contains(t, m.Text, "…and 3 more.")
	require.Contains(t, m.Text, "See all your tasks: https://ke.example.org/\n")
	require.NotContains(t, m.Text, "health", "the service type is not sent")
	require.Contains(t, m.HTML, `<a href="https://ke.example.org/cases/c-1">Case aaa1111: service, due 2026-11-20</a>`)
	require.NoError(t, m.Validate())

	m = notify.RenderDigest("ar", "Kenya", "أمينة", tasks[:1], 1, "", "a@example.org")
	require.Equal(t, "المهام المتأخرة: 1", m.Subject)
	require.Contains(t, m.HTML, `<html lang="ar" dir="rtl">`)
	require.Contains(t, m.Text, "الحالة aaa1111: خدمة، موعدها 2026-11-20")
	require.False(t, strings.Contains(m.Text, "http"), "no links without an origin")
	require.NotContains(t, m.Text, "أخرى", "nothing more")
}
