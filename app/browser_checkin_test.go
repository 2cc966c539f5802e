package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// At the door without JavaScript: a check-in staff member signs in on a phone-sized window,
// opens the check-in page, types an attendee's code and sees the name and
// the needs flag; the same code again shows the "already checked in"
// warning. The page passes axe's WCAG 2.2 AA rules with and without a result.
func TestBrowserDoorCheckIn(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var fx regFixture
	base := startServer(t, func(db *gorm.DB) {
		org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
		modeltest.Organizer(t, db, "Org A", "door@example.org", models.RoleCheckin)
		e := modeltest.Event(t, db, org.ID, "door-forum", models.StatusPublished)
		fx = newRegFixture(t, db, e)
	})
	ctx := newBrowser(t)
	do(t, ctx, chromedp.EmulateViewport(390, 844))
	submit := chromedp.CSS(`main form button[type="submit"]`)

	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-email"), "door@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password),
	)
	follow(t, ctx, 200, chromedp.Click(submit))

	// The forms alone, as without JavaScript (browser_door_test.go covers the script).
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
		URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/static/js/checkin.*", Block: true}}}); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("%s/manage/events/%d/checkin", base, fx.Event.ID)
	open(t, ctx, page, 200)
	checkAxe(t, ctx, axeJS, "check-in page")
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "f-code" {
		t.Errorf("the code field is not focused on arrival (focus on %q)", got)
	}

	code := fx.Order.Code + "-1"
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), code))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(".checkin-submit")))
	text := pageText(t, ctx)
	for _, want := range []string{"Checked in", fx.Attendee.Name, "Step-free access", "Dietary needs"} {
		if !strings.Contains(text, want) {
			t.Fatalf("first check-in lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Already checked in") || strings.Contains(text, "no gluten") {
		t.Fatalf("first check-in shows a repeat warning or a need's details:\n%s", text)
	}
	checkAxe(t, ctx, axeJS, "check-in result")

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), code))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(".checkin-submit")))
	text = pageText(t, ctx)
	if !strings.Contains(text, "Already checked in at") || !strings.Contains(text, fx.Attendee.Name) {
		t.Fatalf("second check-in does not warn:\n%s", text)
	}
	checkAxe(t, ctx, axeJS, "check-in repeat warning")

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), "NOSUCHCODE"))
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(".checkin-submit")))
	if text := pageText(t, ctx); !strings.Contains(text, "No ticket for this event has this code.") {
		t.Fatalf("unknown code:\n%s", text)
	}
	checkAxe(t, ctx, axeJS, "check-in unknown code")

	// Check-in staff do not reach the registrations list.
	open(t, ctx, fmt.Sprintf("%s/manage/events/%d/registrations", base, fx.Event.ID), 403)
}
