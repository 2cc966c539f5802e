package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The API token pages (list and form, the form with errors, the token
// shown once, the revoke confirmation) and the API reference pass
// axe-core's WCAG 2.2 AA rules, and the token is made through the form in a
// real browser.
func TestBrowserAPITokensAndReferenceAccessibility(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var orgID uint
	base := startServer(t, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
		orgID = org.ID
	})
	ctx := newBrowser(t)
	submit := chromedp.CSS(`main form button[type="submit"]`)
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.org"), chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, ctx, 200, chromedp.Click(submit))

	page := fmt.Sprintf("%s/manage/orgs/%d/api-tokens", base, orgID)
	open(t, ctx, page, 200)
	checkAxe(t, ctx, axeJS, "api tokens: empty list and form")
	do(t, ctx, chromedp.Click(chromedp.CSS("#scope-events\\:read"))) // untick the one ticked: no scope
	follow(t, ctx, 422, chromedp.Click(submit))
	checkAxe(t, ctx, axeJS, "api tokens: form with errors")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-name"), "CRM sync"), chromedp.Click(chromedp.CSS("#scope-registrations\\:read")))
	follow(t, ctx, 200, chromedp.Click(submit))
	shown := eval[string](t, ctx, `document.getElementById("new-token").value`)
	if !strings.HasPrefix(shown, "agora_") {
		t.Fatalf("token shown: %q\n%s", shown, pageText(t, ctx))
	}
	checkAxe(t, ctx, axeJS, "api tokens: the token shown once")
	open(t, ctx, page, 200)
	checkAxe(t, ctx, axeJS, "api tokens: list")
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`a[href$="/revoke"]`)))
	checkAxe(t, ctx, axeJS, "api tokens: revoke confirmation")

	open(t, ctx, base+"/docs/api", 200)
	checkAxe(t, ctx, axeJS, "api reference")
}
