package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// TestOwnerResetsALostSecondFactor: a manager who lost phone and recovery
// codes asks their owner; the owner resets it from the organization's
// two-factor page; the manager's open sessions end, and at the next sign-in
// the password is enough to reach the setup page again. A manager cannot
// reset anyone, an owner cannot reset a site admin or someone outside the
// organization, and the reset is in the audit log with the owner's name.
func TestOwnerResetsALostSecondFactor(t *testing.T) {
	clock := newTestClock()
	f, db := twoFactorApp(t, nil, clock, newSecretKeyValue(t), "")
	org, _ := modeltest.Organizer(t, db, "Reset org", "owner-reset@example.org", models.RoleOwner)
	_, mgrUser := modeltest.Organizer(t, db, "Reset org", "manager-reset@example.org", models.RoleManager)
	_, adminUser := modeltest.Organizer(t, db, "Reset org", "admin-reset@example.org", models.RoleManager)
	db.Model(adminUser).Update("is_admin", true)
	_, stranger := modeltest.Organizer(t, db, "Other org", "stranger-reset@example.org", models.RoleOwner)

	mgr := newClient(t, f)
	mgr.signIn("manager-reset@example.org")
	setUpTwoFactor(t, mgr, clock)
	admin := newClient(t, f)
	admin.signIn("admin-reset@example.org")
	setUpTwoFactor(t, admin, clock)
	other := newClient(t, f)
	other.signIn("stranger-reset@example.org")
	setUpTwoFactor(t, other, clock)

	page := fmt.Sprintf("/manage/orgs/%d/two-factor", org.ID)
	reset := func(uid uint) string { return fmt.Sprintf("%s/reset/%d", page, uid) }

	// A manager may not.
	mgr.get(twoFactorSetupURL)
	if r := mgr.post(reset(adminUser.ID), nil); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Fatalf("a manager resetting: %d", r.Status)
	}
	owner := newClient(t, f)
	owner.signIn("owner-reset@example.org")
	r := owner.get(page)
	if !strings.Contains(r.Body, `action="`+reset(mgrUser.ID)+`"`) || strings.Contains(r.Body, `action="`+reset(adminUser.ID)+`"`) {
		t.Fatalf("the page offers the wrong resets:\n%s", r.Body)
	}
	for _, uid := range []uint{adminUser.ID, stranger.ID} {
		if r := owner.post(reset(uid), nil); r.Status != http.StatusNotFound {
			t.Fatalf("resetting user %d: %d, want 404", uid, r.Status)
		}
	}
	if r := owner.post(reset(mgrUser.ID), url.Values{"_csrf": {"forged"}}); r.Status != http.StatusForbidden {
		t.Fatalf("forged reset: %d", r.Status)
	}
	if on, _ := models.TwoFactorConfirmed(db, mgrUser.ID); !on {
		t.Fatal("a refused reset removed the second factor")
	}
	owner.get(page)
	if r := owner.post(reset(mgrUser.ID), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", r.Status, r.Body)
	}
	for id, want := range map[uint]bool{mgrUser.ID: false, adminUser.ID: true, stranger.ID: true} {
		if on, _ := models.TwoFactorConfirmed(db, id); on != want {
			t.Errorf("user %d two-factor on = %v after the reset, want %v", id, on, want)
		}
	}
	// The manager's session (opened with the lost phone) is over; the
	// password now leads to the setup page.
	if r := mgr.get("/manage"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/manage/login") {
		t.Fatalf("the manager's session after the reset: %d %s", r.Status, r.Location)
	}
	mgr.signIn("manager-reset@example.org")
	if r := mgr.get("/manage"); r.Status != http.StatusOK {
		t.Fatalf("signing in after the reset: %d %s", r.Status, r.Location)
	}
	var e models.AuditEntry
	if err := db.Where("organization_id = ? AND action = ? AND subject = ?", org.ID, models.AuditTwoFactorOff, mgrUser.Email).First(&e).Error; err != nil ||
		e.ActorEmail != "owner-reset@example.org" {
		t.Fatalf("audit entry of the reset: %+v, %v", e, err)
	}
	if r := owner.post(reset(mgrUser.ID), nil); r.Status != http.StatusSeeOther {
		t.Fatalf("resetting again: %d", r.Status)
	}
	if n := auditCount(t, db, models.AuditTwoFactorOff); n != 1 {
		t.Fatalf("%d reset entries, want 1 (the second reset had nothing to reset)", n)
	}
}
