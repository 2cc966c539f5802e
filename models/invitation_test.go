package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// testInvitationMail keeps the token the rule hands over, as the app's mail
// would carry it.
func testInvitationMail(tokens *[]string) models.InvitationMail {
	return func(inv models.Invitation, token string) (models.OutboxMessage, error) {
		*tokens = append(*tokens, token)
		return models.OutboxMessage{Subject: "Join " + inv.Organization.Name, TextBody: "/invitations/" + token}, nil
	}
}

func inviteForTest(t *testing.T, db *gorm.DB, orgID uint, email, role string, now time.Time) (*models.Invitation, string) {
	t.Helper()
	var toks []string
	inv, err := models.Invite(db, models.InviteInput{OrganizationID: orgID, Email: email, Role: role, Now: now},
		models.AuditEntry{OrganizationID: orgID}, testInvitationMail(&toks))
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return inv, toks[0]
}

func auditCount(t *testing.T, db *gorm.DB, orgID uint, action string) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.AuditEntry{}).Where("organization_id = ? AND action = ?", orgID, action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The token is stored only as its SHA-256 hash, the database allows one open
// invitation per organization and address, and resending, withdrawing and
// expiry each end the older link.
func TestInvitationRules(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org Inv", "owner-inv@example.org", models.RoleOwner)
	now := time.Now()
	inv, tok := inviteForTest(t, db, org.ID, " Ana@Example.org ", models.RoleManager, now)
	if inv.Email != "ana@example.org" || strings.Contains(inv.TokenHash, tok) || len(inv.TokenHash) != 64 {
		t.Fatalf("stored %+v for token %s", inv, tok)
	}
	var stored int64
	db.Model(&models.Invitation{}).Where("token_hash = ?", tok).Count(&stored)
	if stored != 0 {
		t.Fatal("the raw token is stored")
	}
	var toks []string
	_, err := models.Invite(db, models.InviteInput{OrganizationID: org.ID, Email: "ana@example.org", Role: models.RoleCheckin, Now: now},
		models.AuditEntry{OrganizationID: org.ID}, testInvitationMail(&toks))
	if !errors.Is(err, models.ErrAlreadyInvited) {
		t.Fatalf("second invitation: %v", err)
	}
	// The database itself refuses a second open row.
	dup := *inv
	dup.ID, dup.TokenHash = 0, strings.Repeat("0", 64)
	if err := db.Create(&dup).Error; err == nil {
		t.Fatal("the database accepted a second open invitation for the same address")
	}
	if _, err := models.Invite(db, models.InviteInput{OrganizationID: org.ID, Email: "owner-inv@example.org", Role: models.RoleOwner, Now: now},
		models.AuditEntry{OrganizationID: org.ID}, testInvitationMail(&toks)); !errors.Is(err, models.ErrAlreadyMember) {
		t.Fatalf("inviting a member: %v", err)
	}

	// Resend: a new link, the old one is unknown.
	toks = nil
	if _, err := models.ResendInvitation(db, org.ID, inv.ID, now, models.AuditEntry{OrganizationID: org.ID}, testInvitationMail(&toks)); err != nil {
		t.Fatal(err)
	}
	if _, err := models.InvitationByToken(db, tok, now); !errors.Is(err, models.ErrInvitationUnknown) {
		t.Fatalf("old link after resend: %v", err)
	}
	if got, err := models.InvitationByToken(db, toks[0], now); err != nil || got.SentCount != 2 || got.Organization.Name != "Org Inv" {
		t.Fatalf("new link: %+v %v", got, err)
	}
	// A resent invitation's earlier mail, not yet sent, is not sent.
	var pending int64
	db.Model(&models.OutboxMessage{}).Where("dedupe_key LIKE ? AND status = ?", fmt.Sprintf("invitation:%d:%%", inv.ID), models.OutboxPending).Count(&pending)
	if pending != 1 {
		t.Fatalf("%d pending invitation mails after resend, want 1", pending)
	}
	// Once withdrawn (or accepted), no mail in the outbox holds its link.
	defer func() {
		var bodies []string
		db.Model(&models.OutboxMessage{}).Where("dedupe_key LIKE ?", fmt.Sprintf("invitation:%d:%%", inv.ID)).Pluck("text_body", &bodies)
		for _, b := range bodies {
			if strings.Contains(b, "/invitations/") {
				t.Errorf("a closed invitation's link is still in the outbox: %q", b)
			}
		}
	}()
	if err := models.MarkSent(db, lastInvitationMailID(t, db, inv.ID), now); err != nil {
		t.Fatal(err)
	}
	// Expired: refused, then a new invitation may replace it.
	later := now.Add(models.InvitationTTL + time.Minute)
	if _, err := models.InvitationByToken(db, toks[0], later); !errors.Is(err, models.ErrInvitationExpired) {
		t.Fatalf("expired: %v", err)
	}
	u, err := models.CreateUser(db, "ana@example.org", "Ana", modeltest.Password, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.AcceptInvitation(db, toks[0], u, later, models.AuditEntry{OrganizationID: org.ID}); !errors.Is(err, models.ErrInvitationExpired) {
		t.Fatalf("accepting an expired invitation: %v", err)
	}
	inv2, tok2 := inviteForTest(t, db, org.ID, "ana@example.org", models.RoleCheckin, later)
	if err := models.WithdrawInvitation(db, org.ID, inv2.ID, later, models.AuditEntry{OrganizationID: org.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.InvitationByToken(db, tok2, later); !errors.Is(err, models.ErrInvitationWithdrawn) {
		t.Fatalf("withdrawn: %v", err)
	}
	if err := models.WithdrawInvitation(db, org.ID, inv2.ID, later, models.AuditEntry{OrganizationID: org.ID}); !errors.Is(err, models.ErrInvitationNotOpen) {
		t.Fatalf("withdrawing twice: %v", err)
	}
	// Another organization's invitation is not found by id.
	other, _ := modeltest.Organizer(t, db, "Org Other Inv", "owner-other-inv@example.org", models.RoleOwner)
	inv3, _ := inviteForTest(t, db, org.ID, "ben@example.org", models.RoleCheckin, later)
	if err := models.WithdrawInvitation(db, other.ID, inv3.ID, later, models.AuditEntry{OrganizationID: other.ID}); !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Fatalf("withdrawing another organization's invitation: %v", err)
	}
	if n := auditCount(t, db, org.ID, models.AuditInvited); n != 3 {
		t.Fatalf("%d invited entries, want 3", n)
	}
	if auditCount(t, db, org.ID, models.AuditInviteResent) != 1 || auditCount(t, db, org.ID, models.AuditInviteWithdrawn) != 1 {
		t.Fatal("resent or withdrawn not audited")
	}
	if n := auditCount(t, db, other.ID, models.AuditInviteWithdrawn); n != 0 {
		t.Fatalf("a refused withdrawal was audited: %d", n)
	}
	if _, err := models.InvitationByToken(db, "not-a-token", now); !errors.Is(err, models.ErrInvitationUnknown) {
		t.Fatalf("malformed token: %v", err)
	}
}

// Two (or more) accepts of one link at the same moment, from separate
// connection pools, make one account and one membership; the others are
// told the link was used. Raced for a new account and for an existing one.
func TestInvitationAcceptRaceMakesOneMembership(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org Race", "owner-race@example.org", models.RoleOwner)
	existing, err := models.CreateUser(db, "old@example.org", "Old Hand", modeltest.Password, false)
	if err != nil {
		t.Fatal(err)
	}
	pools := []*gorm.DB{db}
	for i := 0; i < 2; i++ {
		p, err := models.Open(dsn, models.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if s, err := p.DB(); err == nil {
				_ = s.Close()
			}
		})
		pools = append(pools, p)
	}
	now := time.Now()
	_, newTok := inviteForTest(t, db, org.ID, "fresh@example.org", models.RoleManager, now)
	_, oldTok := inviteForTest(t, db, org.ID, "old@example.org", models.RoleCheckin, now)
	const racers = 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := map[string]int{}
	start := make(chan struct{})
	for i := 0; i < racers; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			<-start
			_, err := models.AcceptInvitationNewAccount(pools[i%3], newTok, "Fresh Person", "quiet-lantern-orbit", time.Now(), models.AuditEntry{OrganizationID: org.ID})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins["new"]++
			case errors.Is(err, models.ErrInvitationUsed), errors.Is(err, models.ErrPasswordBusy):
			default:
				t.Errorf("new account accept %d: %v", i, err)
			}
		}(i)
		go func(i int) {
			defer wg.Done()
			<-start
			_, err := models.AcceptInvitation(pools[(i+1)%3], oldTok, existing, time.Now(), models.AuditEntry{OrganizationID: org.ID})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins["existing"]++
			case errors.Is(err, models.ErrInvitationUsed):
			default:
				t.Errorf("existing account accept %d: %v", i, err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	if wins["new"] != 1 || wins["existing"] != 1 {
		t.Fatalf("wins %v, want one of each", wins)
	}
	var users, members int64
	db.Model(&models.User{}).Where("email = ?", "fresh@example.org").Count(&users)
	db.Model(&models.Membership{}).Where("organization_id = ?", org.ID).Count(&members)
	if users != 1 || members != 3 {
		t.Fatalf("%d accounts for the address, %d members (want 1 and 3)", users, members)
	}
	if n := auditCount(t, db, org.ID, models.AuditInviteAccepted); n != 2 {
		t.Fatalf("%d accepted entries, want 2", n)
	}
	fresh, _ := models.UserByEmail(db, "fresh@example.org")
	var e models.AuditEntry
	if err := db.Where("organization_id = ? AND action = ? AND actor_user_id = ?", org.ID, models.AuditInviteAccepted, fresh.ID).Take(&e).Error; err != nil {
		t.Fatalf("the new account is not the accept's actor: %v", err)
	}
	if e.Subject != "fresh@example.org" || !strings.Contains(e.Detail, "role: manager") {
		t.Fatalf("entry %+v", e)
	}
	if _, err := models.Authenticate(db, "fresh@example.org", "quiet-lantern-orbit"); err != nil {
		t.Fatalf("the new account cannot sign in: %v", err)
	}
}

// Role changes, removals and the access coordinator permission are
// written to the audit log with the member's address and old → new.
func TestTeamChangesAreAudited(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, owner := modeltest.Organizer(t, db, "Org Audit Team", "owner-at@example.org", models.RoleOwner)
	_, m := modeltest.Organizer(t, db, "Org Audit Team", "member-at@example.org", models.RoleManager)
	e := models.AuditEntry{OrganizationID: org.ID}
	if err := models.ChangeMemberRole(db, org.ID, m.ID, models.RoleOwner, e); err != nil {
		t.Fatal(err)
	}
	if err := models.SetAccessCoordinator(db, org.ID, m.ID, true, e); err != nil {
		t.Fatal(err)
	}
	if err := models.SetAccessCoordinator(db, org.ID, m.ID, true, e); err != nil { // no change, no entry
		t.Fatal(err)
	}
	if err := models.SetAccessCoordinator(db, org.ID, m.ID, false, e); err != nil {
		t.Fatal(err)
	}
	if err := models.RemoveMember(db, org.ID, owner.ID, e); err != nil {
		t.Fatal(err)
	}
	if err := models.RemoveMember(db, org.ID, m.ID, e); !errors.Is(err, models.ErrLastOwner) {
		t.Fatalf("removing the last owner: %v", err)
	}
	var got []models.AuditEntry
	db.Where("organization_id = ?", org.ID).Order("id").Find(&got)
	var lines []string
	for _, g := range got {
		lines = append(lines, g.Action+" "+g.Subject+" "+g.Detail)
	}
	want := []string{
		"team.role_changed member-at@example.org manager → owner",
		"team.permission_changed member-at@example.org access coordinator: granted (role owner)",
		"team.permission_changed member-at@example.org access coordinator: revoked (role owner)",
		"team.member_removed owner-at@example.org role: owner",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// The operator's command line adds a member without an invitation; it is
// in the audit log all the same.
func TestOperatorAddedMemberIsAudited(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, err := models.FindOrCreateOrganization(db, "Org Operator")
	if err != nil {
		t.Fatal(err)
	}
	u, err := models.CreateUser(db, "first@example.org", "First", modeltest.Password, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.AddMemberByOperator(db, org.ID, u.ID, models.RoleOwner); err != nil {
		t.Fatal(err)
	}
	var e models.AuditEntry
	if err := db.Where("organization_id = ? AND action = ?", org.ID, models.AuditMemberAdded).Take(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.Subject != "first@example.org" || e.ActorUserID != nil || !strings.Contains(e.Detail, "role: owner") {
		t.Fatalf("entry %+v", e)
	}
	if m, err := models.MembershipFor(db, u.ID, org.ID); err != nil || m.Role != models.RoleOwner {
		t.Fatalf("membership %+v %v", m, err)
	}
}

func lastInvitationMailID(t *testing.T, db *gorm.DB, invID uint) uint {
	t.Helper()
	var m models.OutboxMessage
	if err := db.Where("dedupe_key LIKE ?", fmt.Sprintf("invitation:%d:%%", invID)).Order("id DESC").Take(&m).Error; err != nil {
		t.Fatal(err)
	}
	return m.ID
}
