package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// In a real browser: a participant posts, votes and answers a poll from
// their personal link while the projector, open in another browser, updates
// by itself (server-sent events, no reload); the board, the poll answering
// form, the join page, the chair's moderation page and the projector pass axe-core's WCAG 2.2 AA rules.
func TestBrowserLiveBoardAndProjector(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var w liveWorld
	var b *models.LiveBoard
	base := startServer(t, func(d *gorm.DB) {
		w = newLiveWorld(t, d)
		var err error
		if b, err = models.SaveBoard(d, w.event.ID, w.session.ID, models.BoardSettings{Open: true, Topics: "Ethics\nFinancing"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		p, err := models.CreatePoll(d, b.ID, models.NewPoll{Kind: models.PollSingle, Question: "Which first?", Options: "Standards\nMoney"})
		if err != nil {
			t.Fatal(err)
		}
		if err := models.SetPollState(d, b.ID, p.ID, models.PollOpen, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	screen := newBrowser(t)
	open(t, screen, base+"/live/p/"+b.ProjectorSecret, 200)
	checkAxe(t, screen, axeJS, "live: projector")

	phone := newBrowser(t)
	mine := fmt.Sprintf("%s/tickets/%s/live/%d", base, w.attendee.LinkSecret, w.session.ID)
	open(t, phone, mine, 200)
	checkAxe(t, phone, axeJS, "live: board with its poll")
	do(t, phone, setInput("#f-body", "Who pays for sensors at home?"), chromedp.Click(chromedp.CSS("#f-tag-0")))
	follow(t, phone, 200, chromedp.Click(chromedp.CSS(`form[action$="/posts"] button[type="submit"]`)))
	waitForText(t, screen, "Who pays for sensors at home?")

	follow(t, phone, 200, chromedp.Click(chromedp.CSS(`.live-vote button`)))
	waitForText(t, screen, "Votes: 1")
	follow(t, phone, 200, chromedp.Click(chromedp.CSS("#f-choice-1")), chromedp.Click(chromedp.CSS(`form[action$="/poll"] button[type="submit"]`)))
	waitForText(t, screen, "Answers: 1")
	checkAxe(t, screen, axeJS, "live: projector with a post and results")
	checkAxe(t, phone, axeJS, "live: board after voting")

	// Too long: the message beside the field.
	do(t, phone, setInput("#f-body", strings.Repeat("x", models.MaxPostLength+1)))
	follow(t, phone, 422, chromedp.Click(chromedp.CSS(`form[action$="/posts"] button[type="submit"]`)))
	checkAxe(t, phone, axeJS, "live: board with an error")

	join := newBrowser(t)
	open(t, join, base+"/live/WRONG1", 404)
	checkAxe(t, join, axeJS, "live: join with a wrong code")
	// The chair's moderation page (the secret moderator link), with the post and the poll.
	open(t, join, base+"/live/m/"+b.ModeratorSecret, 200)
	checkAxe(t, join, axeJS, "live: moderation")
}

// waitForText waits until the page shows want (the projector updates itself).
func waitForText(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(pageText(t, ctx), want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the page did not come to show %q:\n%s", want, pageText(t, ctx))
}
