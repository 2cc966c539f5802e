package app

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// TestBrowserInvitationToTwoFactorSignIn is the whole way in for a new team
// member, in a real browser: the owner invites them from the team page; they
// follow the e-mailed link, choose their own password (no one else ever
// types it) and are signed in; they set up two-factor sign-in, sign out, and
// sign in again with password and code. Each page passes axe.
func TestBrowserInvitationToTwoFactorSignIn(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	const owner, invitee, password = "owner-invites@example.org", "new-colleague@example.org", "Lighthouse-keeper-42"
	clock := newTestClock()
	var db *gorm.DB
	var org *models.Organization
	base := startTwoFactorServer(t, clock, func(d *gorm.DB) {
		db = d
		org, _ = modeltest.Organizer(t, d, "Invitation Lab", owner, models.RoleOwner)
	})
	ctx := newBrowser(t)

	browserPasswordSignIn(t, ctx, base, owner, modeltest.Password)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main a[href="/manage/orgs/`+itoa(int(org.ID))+`/team"]`)))
	checkAxe(t, ctx, axeJS, "team page")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), invitee), chromedp.SetValue(chromedp.CSS("#f-role"), models.RoleManager))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form[action$="/team"] button[type="submit"]`)))
	if !strings.Contains(pageText(t, ctx), "The invitation was sent.") {
		t.Fatalf("after inviting:\n%s", pageText(t, ctx))
	}
	browserSignOut(t, ctx)

	open(t, ctx, base+invitationPath(t, db, invitee), 200)
	checkAxe(t, ctx, axeJS, "invitation")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-name"), "Nuria Colleague"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password), chromedp.SendKeys(chromedp.CSS("#f-password_confirm"), password))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	if !strings.HasSuffix(currentURL(t, ctx), "/manage") || !strings.Contains(pageText(t, ctx), "Invitation Lab") {
		t.Fatalf("after choosing a password: %s\n%s", currentURL(t, ctx), pageText(t, ctx))
	}

	secret := browserSetUpTwoFactor(t, ctx, axeJS, clock)
	browserSignOut(t, ctx)
	browserPasswordSignIn(t, ctx, base, invitee, password)
	if !strings.HasSuffix(currentURL(t, ctx), signInCodeURL) {
		t.Fatalf("the password alone led to %s, want the code step", currentURL(t, ctx))
	}
	clock.nextStep()
	browserSignInCode(t, ctx, totpCode(t, secret, clock.Now()))
	if !strings.HasSuffix(currentURL(t, ctx), "/manage") || !strings.Contains(pageText(t, ctx), "Invitation Lab") {
		t.Fatalf("after the code: %s\n%s", currentURL(t, ctx), pageText(t, ctx))
	}
	var m models.Membership
	if err := db.Where("organization_id = ?", org.ID).Joins("JOIN users ON users.id = memberships.user_id AND users.email = ?", invitee).First(&m).Error; err != nil || m.Role != models.RoleManager {
		t.Fatalf("membership of the invitee: %+v, %v", m, err)
	}
}
