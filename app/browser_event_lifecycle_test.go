package app

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The copy form (also with an error), the preview and the delete page pass
// axe-core's WCAG 2.2 AA rules.
func TestBrowserAccessibilityCopyPreviewDelete(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var fx meetingFixture
	base := startServer(t, func(d *gorm.DB) {
		fx = newMeetingFixture(t, d, "axe-copy", 1, models.ModeRequests)
		if err := d.Model(fx.Event).Update("status", models.StatusDraft).Error; err != nil {
			t.Fatal(err)
		}
	})
	ctx := newBrowser(t)
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner-axe-copy@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	mbase := fmt.Sprintf("%s/manage/events/%d", base, fx.Event.ID)
	for _, p := range []string{"/copy", "/preview", "/delete"} {
		open(t, ctx, mbase+p, 200)
		checkAxe(t, ctx, axeJS, "manage"+p)
	}
	open(t, ctx, mbase+"/copy", 200)
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#f-slug"), "axe-copy"))
	follow(t, ctx, 422, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, ctx, axeJS, "manage/copy with an error")
}
