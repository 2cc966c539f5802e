package mail

import (
	"github.com/agora-events/agora/models"
)

// InvitationPathPrefix + token is the link of a team invitation (the web
// side serves it).
const InvitationPathPrefix = "/invitations/"

// invitationData is what the invitation templates get.
type invitationData struct {
	L       *translator
	Org     string
	Inviter string
	Role    string
	Expires string
	Link    string
	// Coordinator: the invitation includes the access coordinator permission.
	Coordinator bool
}

// ComposeInvitation writes the e-mail that invites inv's address to the
// team, in inv's language, with the link carrying token. It is composed when
// the invitation is made (the token is not kept anywhere else), so the
// outbox row carries its content and has no kind.
func (r *Renderer) ComposeInvitation(inv models.Invitation, token, inviter string) (models.OutboxMessage, error) {
	L := newTranslator(r.bundle, inv.Language)
	d := invitationData{L: L, Org: inv.Organization.Name, Inviter: inviter, Role: L.T("role." + inv.Role),
		Expires: L.DateTime(inv.ExpiresAt.UTC()) + " UTC", Link: r.baseURL + InvitationPathPrefix + token, Coordinator: inv.AccessCoordinator}
	if d.Inviter == "" {
		d.Inviter = L.T("mail.invitation.someone")
	}
	m, err := r.renderWith(L, models.OutboxMessage{To: inv.Email}, L.T("mail.invitation.subject", "Org", d.Org), "invitation", d)
	if err != nil {
		return models.OutboxMessage{}, err
	}
	return models.OutboxMessage{To: inv.Email, Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML, Language: L.Lang}, nil
}
