package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Participant A asks B for a meeting, B accepts, and both agendas show it.
// Both sign in through the e-mailed link (the token read from the outbox's
// notice row), fill their profile, and use only the site's forms.
func TestBrowserMeetingRequestAccept(t *testing.T) {
	requireChromium(t)
	var db *gorm.DB
	var fx meetingFixture
	base := startServer(t, func(d *gorm.DB) {
		db = d
		fx = newMeetingFixture(t, d, "brussels", 2, models.ModeRequests)
	})
	area := base + "/events/" + fx.Event.Slug + "/meetings"
	submit := chromedp.CSS(`main form button[type="submit"]`)

	signIn := func(ctx context.Context, a models.Attendee, org string) {
		open(t, ctx, area+"/signin", 200)
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-email"), a.Email))
		follow(t, ctx, 200, chromedp.Click(submit))
		var n models.MeetingNotice
		if err := db.Where("kind = ? AND participant_id = ? AND reason <> ''", models.NoticeSignIn, a.ID).Order("id DESC").Take(&n).Error; err != nil {
			t.Fatalf("no sign-in link for %s: %v", a.Email, err)
		}
		open(t, ctx, area+"/signin/"+n.Reason, 200)
		follow(t, ctx, 200, chromedp.Click(chromedp.CSS("#use-link")))
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-organization"), org), chromedp.Click(chromedp.CSS("#f-opt_in")))
		follow(t, ctx, 200, chromedp.Click(chromedp.CSS(`form[action$="/profile"] button[type="submit"]`)))
		if !strings.Contains(pageText(t, ctx), "Your profile is saved") {
			t.Fatalf("%s: profile not saved:\n%s", a.Name, pageText(t, ctx))
		}
	}
	ctxA, ctxB := newBrowser(t), newBrowser(t)
	signIn(ctxA, fx.Attendees[0], "Leuven Living Lab")
	signIn(ctxB, fx.Attendees[1], "Vallmar Hospital")
	pb := participantOf(t, db, fx.Event, fx.Attendees[1])

	// A finds B in the directory and asks for the first free time.
	open(t, ctxA, area+"/directory", 200)
	follow(t, ctxA, 200, chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href$="/people/%d"]`, pb.ID))))
	do(t, ctxA, chromedp.Click(chromedp.CSS(`input[name="slot"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-message"), "Shall we plan the adoption?"))
	follow(t, ctxA, 200, chromedp.Click(chromedp.CSS("#send-request")))
	if !strings.Contains(pageText(t, ctxA), "Your request is sent") {
		t.Fatalf("request not sent:\n%s", pageText(t, ctxA))
	}

	// B accepts from the requests page.
	open(t, ctxB, area+"/requests", 200)
	if !strings.Contains(pageText(t, ctxB), "Shall we plan the adoption?") {
		t.Fatalf("B does not see the request:\n%s", pageText(t, ctxB))
	}
	follow(t, ctxB, 200, chromedp.Click(chromedp.CSS(`button[id^="accept-"]`)))
	if !strings.Contains(pageText(t, ctxB), "The meeting is booked") {
		t.Fatalf("accept failed:\n%s", pageText(t, ctxB))
	}

	for _, side := range []struct {
		ctx         context.Context
		other, name string
	}{{ctxA, "Person B", "A"}, {ctxB, "Person A", "B"}} {
		open(t, side.ctx, area+"/agenda", 200)
		text := eval[string](t, side.ctx, `document.querySelector("#agenda-meetings") ? document.querySelector("#agenda-meetings").innerText : ""`)
		if !strings.Contains(text, side.other) || !strings.Contains(text, "Table 1") {
			t.Fatalf("%s's agenda lacks the meeting:\n%s", side.name, pageText(t, side.ctx))
		}
	}
}
