package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// An organizer writes a message in a real browser: from the event overview
// to the messages page, a mistake shown beside its field, the count, a
// preview, a test to themselves, the confirmation and the send; each page
// passes axe-core's WCAG 2.2 AA rules.
func TestBrowserMessageWriteAndSend(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var db *gorm.DB
	var fx regFixture
	base := startServer(t, func(d *gorm.DB) {
		db = d
		org, _ := modeltest.Organizer(t, d, "Org A", "owner@example.org", models.RoleOwner)
		fx = newRegFixture(t, d, modeltest.Event(t, d, org.ID, "msg-forum", models.StatusPublished))
		placeRegistration(t, d, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Tom Carer", Email: "tom@example.org"})
	})
	ctx := newBrowser(t)
	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password))
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))

	open(t, ctx, base+eventURL(fx.Event), 200)
	follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`a[href$="/messages"]`)))
	checkAxe(t, ctx, axeJS, "messages: empty form")
	step := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`button[name="step"][value="` + name + `"]`))
	}

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-body"), "Dear {nmae},\nthe **programme** is online: {event_link}"))
	follow(t, ctx, 422, step("preview"))
	if txt := pageText(t, ctx); !strings.Contains(txt, "Unknown placeholder {nmae}") || !strings.Contains(txt, "Please fill in this field.") {
		t.Fatalf("mistakes not shown:\n%s", txt)
	}
	checkAxe(t, ctx, axeJS, "messages: errors")

	do(t, ctx, chromedp.Clear(chromedp.CSS("#f-body")),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Dear {name},\nthe **programme** is online: {event_link}"),
		chromedp.SendKeys(chromedp.CSS("#f-subject"), "News from {event_title}"))
	follow(t, ctx, 200, step("count"))
	if txt := eval[string](t, ctx, `document.querySelector("#recipient-count").innerText`); !strings.Contains(txt, "2") {
		t.Fatalf("count: %q", txt)
	}
	follow(t, ctx, 200, step("preview"))
	preview := eval[string](t, ctx, `document.querySelector("#preview").innerHTML`)
	if !strings.Contains(preview, "Dear "+fx.Attendee.Name) || !strings.Contains(preview, "<strong>programme</strong>") {
		t.Fatalf("preview:\n%s", preview)
	}
	checkAxe(t, ctx, axeJS, "messages: preview")
	follow(t, ctx, 200, step("test"))
	if !strings.Contains(pageText(t, ctx), "A test was sent to owner@example.org.") {
		t.Fatalf("no test notice:\n%s", pageText(t, ctx))
	}
	follow(t, ctx, 200, step("confirm"))
	checkAxe(t, ctx, axeJS, "messages: confirm")
	follow(t, ctx, 200, step("send"))
	if !strings.Contains(pageText(t, ctx), "Your message is being sent.") {
		t.Fatalf("not sent:\n%s", pageText(t, ctx))
	}
	if err := (&jobs.Messages{DB: db}).Run(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, currentURL(t, ctx), 200)
	txt := pageText(t, ctx)
	for _, want := range []string{"News from {event_title}", "rosa@example.org", "tom@example.org", "People: 2 · sent: 0 · waiting: 2 · failed: 0"} {
		if !strings.Contains(txt, want) {
			t.Errorf("detail page lacks %q:\n%s", want, txt)
		}
	}
	checkAxe(t, ctx, axeJS, "messages: detail")
	open(t, ctx, base+eventURL(fx.Event)+"/messages", 200)
	checkAxe(t, ctx, axeJS, "messages: history")
}
