package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The pages with pictures pass WCAG 2.2 AA (axe) with their charts drawn:
// the event page's bars, the home cards, the organizer overview's bars, the
// registrations chart with its figures open, the meetings grid at 22
// tables with blocked cells and its close-a-table form showing an error, and the check-in progress bar, which follows a check-in made by
// the page's script.
func TestBrowserAccessibilityPictures(t *testing.T) {
	requireChromium(t)
	axeJS := axeSource(t)
	var fx meetingFixture
	var code string // the first attendee's ticket code
	base := startServer(t, func(d *gorm.DB) {
		fx = seedPicturesWorld(t, d)
		d.Model(&models.Order{}).Where("id = ?", fx.Attendees[0].OrderID).Pluck("code", &code)
		code += "-1"
	})
	ctx := newBrowser(t)
	open(t, ctx, base+"/events/pics", 200)
	checkAxe(t, ctx, axeJS, "event page with bars")
	open(t, ctx, base+"/", 200)
	checkAxe(t, ctx, axeJS, "home cards")

	org := newBrowser(t)
	open(t, org, base+"/manage/login", 200)
	do(t, org, setInput("#f-email", "owner-pics@example.org"), setInput("#f-password", modeltest.Password))
	follow(t, org, 200, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	checkAxe(t, org, axeJS, "organizer overview with bars")
	mbase := fmt.Sprintf("%s/manage/events/%d", base, fx.Event.ID)
	open(t, org, mbase, 200)
	do(t, org, chromedp.Click(chromedp.CSS(".chart-figures summary")))
	checkAxe(t, org, axeJS, "event's registrations chart, figures open")
	open(t, org, mbase+"/meetings", 200)
	if n := eval[int](t, org, `document.querySelectorAll("td.cell-blocked").length`); n != 2 {
		t.Errorf("%d blocked cells in the grid, want 2", n)
	}
	checkAxe(t, org, axeJS, "meetings grid with blocked cells")
	// The form's first choices name the booked meeting's cell (first table,
	// first slot): refused, with the message beside the field.
	follow(t, org, 422, chromedp.Click(chromedp.CSS(`#closures button[type="submit"]`)))
	if msg := eval[string](t, org, `document.getElementById("f-close_location-error").textContent`); !strings.Contains(msg, "move or cancel the meeting first") {
		t.Errorf("close form error: %q", msg)
	}
	checkAxe(t, org, axeJS, "close-a-table form with an error")
	// The grid of 22 tables fits a 1280 px laptop screen without scrolling sideways.
	do(t, org, chromedp.EmulateViewport(1280, 800))
	open(t, org, mbase+"/meetings", 200)
	if over := eval[bool](t, org, `(() => { const b = document.querySelector(".meeting-grid-box"); return b.scrollWidth > b.clientWidth + 1; })()`); over {
		t.Error("the meetings grid scrolls sideways at 1280 px")
	}
	open(t, org, mbase+"/checkin", 200)
	checkAxe(t, org, axeJS, "check-in with its progress bar")
	// The script checks in without reloading; the bar follows the count.
	const bar = `(() => { const b = document.getElementById("checkin-bar"); return b.value + "/" + b.max; })()`
	before := eval[string](t, org, bar)
	do(t, org, setInput("#f-code", code), chromedp.Click(chromedp.CSS(".checkin-submit")))
	after := before
	for end := time.Now().Add(10 * time.Second); after == before && time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		after = eval[string](t, org, bar)
	}
	if before != "0/4" || after != "1/4" { // 4 confirmed; the 2 paid ones wait for payment
		t.Errorf("check-in bar %s before and %s after one check-in, want 0/4 then 1/4", before, after)
	}
}

// seedPicturesWorld is the meetings fixture with 22 tables, a booked and a
// missed meeting, two closed cells, a nearly full paid ticket type and a sign-up session.
func seedPicturesWorld(t *testing.T, d *gorm.DB) meetingFixture {
	fx := newMeetingFixture(t, d, "pics", 4, models.ModeRequests)
	if err := models.AddTables(d, fx.Event.ID, "Table", 20); err != nil {
		t.Fatal(err)
	}
	set, _ := models.NetworkingFor(d, fx.Event.ID)
	var ps []*models.MeetingParticipant
	for _, a := range fx.Attendees {
		p, err := models.SaveProfile(d, set, a.ID, models.ProfileInput{Organization: "Org"}, fx.Event.StartsAt)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	locs, _ := models.EventLocations(d, fx.Event.ID)
	for i, pair := range [][2]int{{0, 1}, {2, 3}} {
		m, err := models.OrganizerBookMeeting(d, models.OrganizerBookInput{EventID: fx.Event.ID, SlotID: fx.Slots[i].ID,
			A: ps[pair[0]].ID, B: ps[pair[1]].ID, LocationID: locs[3*i].ID, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := models.SetNoShow(d, fx.Event.ID, m.ID, ps[3].ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Two tables closed for a slot: blocked cells in the grid.
	for _, cell := range [][2]int{{1, 0}, {5, 2}} {
		if err := models.CloseTable(d, fx.Event.ID, locs[cell[0]].ID, fx.Slots[cell[1]].ID); err != nil {
			t.Fatal(err)
		}
	}
	paid := &models.TicketType{EventID: fx.Event.ID, Name: "Company pass", Price: 4500, Currency: "EUR", Capacity: 6,
		Category: models.CategoryIndustry, MaxPerOrder: 3}
	if err := models.CreateTicketType(d, paid); err != nil {
		t.Fatal(err)
	}
	placeRegistration(t, d, fx.Event, paid, people("pics", 2)...)
	s := &models.Session{EventID: fx.Event.ID, Title: "Co-design workshop", Format: models.FormatWorkshop, Capacity: 5, SignUp: true,
		StartsAt: fx.Event.StartsAt.Add(time.Hour), EndsAt: fx.Event.StartsAt.Add(2 * time.Hour)}
	if err := d.Create(s).Error; err != nil {
		t.Fatal(err)
	}
	return fx
}
