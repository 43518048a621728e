package identity

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cpims-hosted/cpims/email"
	"github.com/cpims-hosted/cpims/jobs"
	"github.com/cpims-hosted/cpims/people"
	"github.com/cpims-hosted/cpims/tenancy"
)

// InvitationTTLDefault is how long an invitation's code stays valid.
const InvitationTTLDefault = 72 * time.Hour

// Invitations adds people to a tenant: the Kratos identity (found by email
// if its address is proven, or created without credentials: see
// InvitationIdentity), the tenant's user row, and an email in the person's
// language with a one-time code to set their password. The user row and the
// email job commit together.
type Invitations struct {
	Kratos   *Kratos
	Platform *tenancy.Platform
	// TTL of the invitation code; defaults to InvitationTTLDefault.
	TTL time.Duration
	// Links, when its App origin is set, turns the link in the email into
	// one on the tenant's own host.
	Links Links
}

// Invite adds n to tenant t and queues the invitation email.
func (iv *Invitations) Invite(ctx context.Context, t tenancy.Tenant, n people.NewUser) (people.User, error) {
	ttl := iv.TTL
	if ttl == 0 {
		ttl = InvitationTTLDefault
	}
	var identityID string
	return people.New(iv.Platform).AddUser(ctx, t.Code, n,
		func(ctx context.Context) (string, error) {
			a, _, err := iv.Kratos.InvitationIdentity(ctx, n.Email, n.FullName, n.Locale)
			identityID = a.ID
			return a.ID, err
		},
		func(ctx context.Context, c *tenancy.Conn, u people.User) error {
			code, link, err := iv.Kratos.RecoveryCode(ctx, identityID, ttl)
			if err != nil {
				return err
			}
			if origin := iv.Links.TenantOrigin(t.Code); origin != "" {
				link = iv.Links.To(origin).Replace(link)
			}
			msg := invitationMessage(n.Locale, t.Name, u, code, link, ttl)
			return c.Enqueue(ctx, jobs.SendEmailArgs{Tenant: t.Code, Message: msg}, nil)
		})
}

// invitation texts by language; English is the fallback.
var invitationTexts = map[string]struct{ subject, body string }{
	"en": {"You are invited to CPIMS+ %[1]s",
		"Hello %[2]s,\n\nYou have been given an account on CPIMS+ %[1]s.\nTo choose your password, open %[4]s\nor enter this code when asked: %[3]s\n\nThe code is valid for %[5]d hours. If you did not expect this email, ignore it."},
	"fr": {"Invitation à CPIMS+ %[1]s",
		"Bonjour %[2]s,\n\nUn compte CPIMS+ %[1]s vous a été ouvert.\nPour choisir votre mot de passe, ouvrez %[4]s\nou saisissez ce code : %[3]s\n\nLe code est valable %[5]d heures. Si vous n'attendiez pas ce message, ignorez-le."},
	"es": {"Invitación a CPIMS+ %[1]s",
		"Hola %[2]s:\n\nSe le ha creado una cuenta en CPIMS+ %[1]s.\nPara elegir su contraseña, abra %[4]s\no introduzca este código: %[3]s\n\nEl código es válido durante %[5]d horas. Si no esperaba este mensaje, ignórelo."},
	"ar": {"دعوة إلى CPIMS+ %[1]s",
		"مرحبا %[2]s،\n\nتم إنشاء حساب لك في CPIMS+ %[1]s.\nلاختيار كلمة المرور، افتح %[4]s\nأو أدخل هذا الرمز: %[3]s\n\nالرمز صالح لمدة %[5]d ساعة. إذا لم تكن تتوقع هذه الرسالة فتجاهلها."},
}

func invitationMessage(locale, tenantName string, u people.User, code, link string, ttl time.Duration) email.Message {
	lang, _, _ := strings.Cut(locale, "-")
	t, ok := invitationTexts[lang]
	if !ok {
		t, lang = invitationTexts["en"], "en"
	}
	hours := int(ttl.Hours())
	return email.Message{
		To:      []string{u.Email},
		Subject: fmt.Sprintf(t.subject, tenantName),
		Text:    fmt.Sprintf(t.body, tenantName, u.FullName, code, link, hours),
		Locale:  lang,
	}
}
