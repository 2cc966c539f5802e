package app

import (
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// A delegate's own pages (ticket, the edit forms, their errors, the
// cancel question) pass axe-core's WCAG 2.2 AA rules.
func TestBrowserAccessibilityDelegatePages(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var fx meetingFixture
	base := startServer(t, func(d *gorm.DB) {
		fx = newMeetingFixture(t, d, "axe-delegates", 2, models.ModeRequests)
	})
	link := base + "/tickets/" + fx.Attendees[1].LinkSecret
	ctx := newBrowser(t)
	open(t, ctx, link, 200)
	checkAxe(t, ctx, axeJS, "delegate: ticket")
	open(t, ctx, link+"/edit", 200)
	checkAxe(t, ctx, axeJS, "delegate: edit")
	do(t, ctx, setInput(`#f-name`, ""))
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`form[action$="/details"] button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "delegate: edit with errors")
	open(t, ctx, link+"/cancel", 200)
	checkAxe(t, ctx, axeJS, "delegate: cancel")
}
