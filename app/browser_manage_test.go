package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// manageEventURL matches the organizer's page of one event.
var manageEventURL = regexp.MustCompile(`/manage/events/(\d+)/?(?:[?#].*)?$`)

// An organizer signs in, creates an event, adds two sessions, publishes it,
// and a visitor then sees both sessions on the public page. Everything goes
// through the forms in a real browser, without JavaScript of the site's own.
func TestBrowserOrganizerJourney(t *testing.T) {
	requireChromium(t)
	base := startServer(t, func(db *gorm.DB) {
		modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	})
	ctx := newBrowser(t)
	// The form's own submit button: the header holds a sign-out form too.
	submit := chromedp.CSS(`main form button[type="submit"]`)

	open(t, ctx, base+"/manage/login", 200)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), modeltest.Password),
	)
	follow(t, ctx, 200, chromedp.Click(submit))
	if u := currentURL(t, ctx); strings.Contains(u, "/manage/login") {
		t.Fatalf("still on the sign-in page after signing in: %s\n%s", u, pageText(t, ctx))
	}

	open(t, ctx, base+"/manage/events/new", 200)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Spring Care Forum"),
		chromedp.Clear(chromedp.CSS("#f-slug")),
		chromedp.SendKeys(chromedp.CSS("#f-slug"), "spring-care-forum"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "forum"),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "A day on care at home, with patients and carers."),
		chromedp.SetValue(chromedp.CSS("#f-time_zone"), "Europe/Madrid"),
		setInput("#f-starts_at", "2027-03-10T09:00"),
		setInput("#f-ends_at", "2027-03-11T17:00"),
	)
	follow(t, ctx, 200, chromedp.Click(submit))
	m := manageEventURL.FindStringSubmatch(currentURL(t, ctx))
	if m == nil {
		t.Fatalf("creating the event led to %s, want /manage/events/{id}\n%s", currentURL(t, ctx), pageText(t, ctx))
	}
	eventPath := "/manage/events/" + m[1]

	sessions := []struct{ title, start, end string }{
		{"Keynote: care that follows the person home", "2027-03-10T10:00", "2027-03-10T11:00"},
		{"Carers' round table", "2027-03-11T11:30", "2027-03-11T12:30"},
	}
	for _, s := range sessions {
		open(t, ctx, base+eventPath+"/sessions/new", 200)
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#f-title"), s.title),
			chromedp.SetValue(chromedp.CSS("#f-format"), "talk"),
			setInput("#f-starts_at", s.start),
			setInput("#f-ends_at", s.end),
		)
		follow(t, ctx, 200, chromedp.Click(submit))
		if strings.HasSuffix(currentURL(t, ctx), "/sessions/new") || strings.Contains(pageText(t, ctx), "Please correct the fields") {
			t.Fatalf("adding session %q did not save:\n%s", s.title, pageText(t, ctx))
		}
	}

	// A draft is not public yet.
	if code := statusOf(t, base+"/events/spring-care-forum"); code != 404 {
		t.Fatalf("draft event is public before publishing: status %d", code)
	}

	open(t, ctx, base+eventPath, 200)
	follow(t, ctx, 200, chromedp.Click(`//main//button[normalize-space()="Publish"]`))

	open(t, ctx, base+"/events/spring-care-forum", 200)
	page := pageText(t, ctx)
	for _, want := range []string{"Spring Care Forum", sessions[0].title, sessions[1].title} {
		if !strings.Contains(page, want) {
			t.Fatalf("public page lacks %q after publishing:\n%s", want, page)
		}
	}
}
