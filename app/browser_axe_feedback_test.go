package app

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// The feedback questionnaire on an attendee's link passes axe-core's WCAG
// 2.2 AA rules, empty, with errors beside its questions, and answered; so
// does the organizer's report.
func TestBrowserAccessibilityFeedback(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var w *feedbackWorld
	base := startServer(t, func(db *gorm.DB) {
		w = seedFeedbackWorld(t, db)
		if _, err := models.QueueFeedbackRequests(db, w.event.EndsAt.Add(3*3600e9)); err != nil {
			t.Fatal(err)
		}
	})
	ctx := newBrowser(t)
	open(t, ctx, base+w.link(0), 200)
	checkAxe(t, ctx, axeJS, "feedback: the questionnaire")
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "feedback: with errors")
	do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#f-q%d-4", w.satisfy.ID))),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("#f-q%d", w.open.ID)), "More chairs, please."))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "feedback: answered")

	org := newBrowser(t)
	open(t, org, base+"/manage/login", 200)
	do(t, org, chromedp.SendKeys(chromedp.CSS("#f-email"), feedbackOwner), chromedp.SendKeys(chromedp.CSS("#f-password"), "correct-horse-battery"))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	open(t, org, base+w.manage(), 200)
	checkAxe(t, org, axeJS, "feedback: the builder")
	open(t, org, base+w.manage()+"/results", 200)
	checkAxe(t, org, axeJS, "feedback: the report")
}
