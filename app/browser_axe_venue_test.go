package app

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The badges and certificates pages, the order page offering a
// certificate and the public verification page pass WCAG 2.2 AA (axe).
func TestBrowserAccessibilityBadgesAndCertificates(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var w certWorld
	base := startServer(t, func(d *gorm.DB) { w = seedCertWorld(t, d, true) })
	ctx := newBrowser(t)

	open(t, ctx, base+"/orders/"+w.orders[0].Secret, 200)
	checkAxe(t, ctx, axeJS, "order page with a certificate")
	cert, err := models.IssueCertificate(w.db, w.orders[0].Attendees[0].ID, w.event.EndsAt.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	open(t, ctx, base+"/certificates/"+cert.Code, 200)
	checkAxe(t, ctx, axeJS, "certificate verification")

	org := newBrowser(t)
	open(t, org, base+"/manage/login", 200)
	do(t, org, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner-cert@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	mbase := fmt.Sprintf("%s/manage/events/%d", base, w.event.ID)
	for _, p := range []string{"/badges", "/certificates", "/badges.pdf?who=ids&ids=x"} {
		want := 200
		if p == "/badges.pdf?who=ids&ids=x" {
			want = 422
		}
		open(t, org, mbase+p, want)
		checkAxe(t, org, axeJS, "manage"+p)
	}
}
