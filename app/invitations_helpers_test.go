package app

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

var invitationLinkRe = regexp.MustCompile(`/invitations/([A-Za-z0-9_-]{43})`)

// invitationPath is the link path of the latest invitation mail queued for
// email, read from the outbox as the mail carries it.
func invitationPath(t *testing.T, db *gorm.DB, email string) string {
	t.Helper()
	var m models.OutboxMessage
	if err := db.Where("to_addr = ? AND dedupe_key LIKE ?", email, "invitation:%").Order("id DESC").First(&m).Error; err != nil {
		t.Fatalf("no invitation mail to %s: %v", email, err)
	}
	got := invitationLinkRe.FindStringSubmatch(m.TextBody)
	if got == nil || !strings.Contains(m.HTMLBody, got[0]) {
		t.Fatalf("invitation mail to %s has no link:\n%s", email, m.TextBody)
	}
	return got[0]
}

// accountInvitationPathForTest is where a signed-in account accepts the invitation of link.
func accountInvitationPathForTest(link string) string { return "/manage" + link }

// rolesInvitation is an open invitation of orgID to email (an address no
// test person has), and its link's token.
func rolesInvitation(t *testing.T, db *gorm.DB, orgID uint, email string) (*models.Invitation, string) {
	t.Helper()
	var token string
	inv, err := models.Invite(db, models.InviteInput{OrganizationID: orgID, Email: email, Role: models.RoleManager, Now: time.Now()},
		models.AuditEntry{OrganizationID: orgID}, func(_ models.Invitation, tok string) (models.OutboxMessage, error) {
			token = tok
			return models.OutboxMessage{Subject: "Invitation", TextBody: "/invitations/" + tok}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return inv, token
}
