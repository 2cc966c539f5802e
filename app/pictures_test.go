package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// picturesEvent is a published event with a paid type of 12 places, a free
// type of 100, a one-place type, a hidden type and a sign-up session of 5.
type picturesEvent struct {
	Event                       *models.Event
	Paid, Free, Single, Speaker *models.TicketType
	Session                     *models.Session
}

func newPicturesEvent(t *testing.T, db *gorm.DB, orgID uint, slug string) picturesEvent {
	t.Helper()
	e := modeltest.Event(t, db, orgID, slug, models.StatusPublished)
	if _, err := models.SetConsentText(db, e.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
		t.Fatal(err)
	}
	tt := func(name string, price int64, capacity int, hidden bool) *models.TicketType {
		x := &models.TicketType{EventID: e.ID, Name: name, Price: price, Currency: "EUR", Capacity: capacity, Hidden: hidden,
			Category: models.CategoryOther, MaxPerOrder: 3}
		if err := models.CreateTicketType(db, x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	p := picturesEvent{Event: e, Paid: tt("Company pass", 4500, 12, false), Free: tt("Citizen pass", 0, 100, false),
		Single: tt("Last seat", 2000, 1, false), Speaker: tt("Speaker pass", 0, 5, true)}
	p.Session = &models.Session{EventID: e.ID, Title: "Co-design workshop", Format: models.FormatWorkshop, Capacity: 5, SignUp: true,
		StartsAt: e.StartsAt.Add(time.Hour), EndsAt: e.StartsAt.Add(2 * time.Hour)}
	if err := db.Create(p.Session).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

func people(slug string, n int) []models.AttendeeInput {
	var as []models.AttendeeInput
	for i := 0; i < n; i++ {
		as = append(as, models.AttendeeInput{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d-%s@example.org", i, slug)})
	}
	return as
}

var ldRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// The event page lists the tickets on sale with their prices and draws
// bars for those nearly full; "places left" is right straight after a
// registration although the page is cached.
func TestEventPageDrawsPlacesLeftAndStaysRightAfterRegistering(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Lab", "lab@example.org", models.RoleOwner)
	p := newPicturesEvent(t, db, org.ID, "bars-forum")
	c := newClient(t, f)
	page := "/events/" + p.Event.Slug

	r := c.get(page)
	mustStatus(t, r, http.StatusOK, "event page")
	mustContain(t, r.Body, "tickets", `id="tickets-h"`, "Company pass", formatMoney("en", 4500, "EUR"), "Citizen pass",
		"Free, or from "+formatMoney("en", 2000, "EUR"), "Places left: 5 of 5", `aria-label="Places taken: 0 of 5"`)
	if strings.Contains(r.Body, "Speaker pass") {
		t.Error("the page lists a hidden ticket type")
	}
	if strings.Contains(r.Body, "of 12") {
		t.Error("a ticket type with 12 of 12 places left is drawn as nearly full")
	}
	if again := c.get(page); again.Body != r.Body {
		t.Fatal("the second view is not the cached first")
	}

	placeRegistration(t, db, p.Event, p.Paid, people("paid", 2)...)
	placeRegistration(t, db, p.Event, p.Single, people("single", 1)...)
	r = c.get(page)
	mustContain(t, r.Body, "after registering", "Places left: 10 of 12", `aria-label="Places taken: 2 of 12"`, "Sold out")
	for _, want := range []string{`<rect class="chart-fill" x="0" y="0" width="16" height="10"/>`, `role="img"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the bar for 2 of 12 lacks %q", want)
		}
	}

	// JSON-LD: an Offer for each ticket type on sale (not the hidden one).
	m := ldRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var doc struct {
		Organizer struct{ Name, URL string }
		Offers    []struct {
			Type          string `json:"@type"`
			Name, Price   string
			PriceCurrency string
			Availability  string
			ValidFrom     string
			URL           string
		}
	}
	if err := json.Unmarshal([]byte(m[1]), &doc); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, m[1])
	}
	if doc.Organizer.Name != "Lab" || doc.Organizer.URL != "http://agora.test/" {
		t.Errorf("organizer %+v", doc.Organizer)
	}
	want := map[string][2]string{"Company pass": {"45.00", "InStock"}, "Citizen pass": {"0.00", "InStock"}, "Last seat": {"20.00", "SoldOut"}}
	if len(doc.Offers) != len(want) {
		t.Fatalf("offers %+v", doc.Offers)
	}
	for _, o := range doc.Offers {
		w, ok := want[o.Name]
		if !ok || o.Type != "Offer" || o.Price != w[0] || o.PriceCurrency != "EUR" || o.Availability != "https://schema.org/"+w[1] ||
			o.URL != "http://agora.test"+page+"/register" {
			t.Errorf("offer %+v, want %v", o, w)
		}
		if _, err := time.Parse(time.RFC3339, o.ValidFrom); err != nil {
			t.Errorf("offer %s validFrom %q: %v", o.Name, o.ValidFrom, err)
		}
	}
	checkCounters(t, db)

	// Nothing is on sale once the event is cancelled: no tickets, no offers.
	db.Model(p.Event).Updates(map[string]any{"status": models.StatusCancelled, "version": gorm.Expr("version + 1")})
	r = c.get(page)
	if m := ldRe.FindStringSubmatch(r.Body); m == nil || strings.Contains(m[1], `"offers"`) || strings.Contains(r.Body, `id="tickets-h"`) {
		t.Error("a cancelled event still offers tickets")
	}
}

// The home page's cards give the time in the event's zone, the place, the
// price, the places left when few, and a register link.
func TestHomeCardsShowPricePlacesAndRegister(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Lab", "lab@example.org", models.RoleOwner)
	p := newPicturesEvent(t, db, org.ID, "cards-forum")
	small := modeltest.Event(t, db, org.ID, "small-agora", models.StatusPublished)
	db.Model(small).Updates(map[string]any{"venue": "Casa do Saber", "capacity": 30})
	if err := models.CreateTicketType(db, &models.TicketType{EventID: small.ID, Name: "Seat", Currency: "EUR", Capacity: 8, Category: models.CategoryOther, MaxPerOrder: 1}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f)
	r := c.get("/")
	mustStatus(t, r, http.StatusOK, "home")
	loc := p.Event.Location()
	mustContain(t, r.Body, "cards", "Free, or from "+formatMoney("en", 2000, "EUR"), `href="/events/cards-forum/register"`,
		`href="/events/small-agora/register"`, "Casa do Saber", "Places left: 8", "(Europe/Madrid)",
		clockOf(p.Event.StartsAt.In(loc)))
	if strings.Count(r.Body, "Places left:") != 1 {
		t.Error("a card with plenty of places says how many are left")
	}
}

func clockOf(t time.Time) string { return t.Format("15:04") }

// The organizer overview draws places per event and ticket type; the
// event's page draws registrations per day with its figures as a table.
func TestOrganizerPagesDrawPlacesAndRegistrationsPerDay(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Lab", "lab@example.org", models.RoleOwner)
	p := newPicturesEvent(t, db, org.ID, "org-forum")
	placeRegistration(t, db, p.Event, p.Paid, people("a", 3)...)
	placeRegistration(t, db, p.Event, p.Free, people("b", 1)...)
	c := newClient(t, f)
	c.signIn("lab@example.org")

	r := c.get("/manage")
	mustStatus(t, r, http.StatusOK, "overview")
	mustContain(t, r.Body, "places", `id="places-h"`, "<figcaption>"+p.Event.Title+"</figcaption>", "Whole event",
		"Taken: 3 of 12, left: 9 · nearly full", `aria-label="Company pass: Taken: 3 of 12, left: 9 · nearly full"`,
		"Taken: 1 of 100, left: 99", "Speaker pass (hidden)", "Taken: 4 (no limit)")

	r = c.get(fmt.Sprintf("/manage/events/%d", p.Event.ID))
	mustStatus(t, r, http.StatusOK, "event overview")
	L := newTranslator(mustBundle(t), "en")
	today := L.ShortDate(time.Now().In(p.Event.Location()))
	mustContain(t, r.Body, "per day", `aria-label="Registrations per day"`, `role="region" tabindex="0"`,
		`<th scope="row">`+today+`</th><td>4</td>`, "People registered: 4. Most in one day: 4 ("+today+").")
	checkCounters(t, db)
}

// The meetings grid shows every slot at 22 tables as coloured cells with a
// symbol and words per state, and the time of each row on one line.
func TestMeetingsGridIsABlockGridWithStates(t *testing.T) {
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "grid", 4, models.ModeRequests)
	if err := models.AddTables(db, fx.Event.ID, "Table", 20); err != nil {
		t.Fatal(err)
	}
	set, _ := models.NetworkingFor(db, fx.Event.ID)
	var ps []*models.MeetingParticipant
	for _, a := range fx.Attendees {
		pp, err := models.SaveProfile(db, set, a.ID, models.ProfileInput{Organization: "Org"}, fx.Event.StartsAt)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, pp)
	}
	locs, _ := models.EventLocations(db, fx.Event.ID)
	if len(locs) < 20 {
		t.Fatalf("%d tables", len(locs))
	}
	book := func(slot, loc int, a, b *models.MeetingParticipant) *models.Meeting {
		m, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: fx.Event.ID, SlotID: fx.Slots[slot].ID,
			A: a.ID, B: b.ID, LocationID: locs[loc].ID, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	book(0, 0, ps[0], ps[1])
	missed := book(1, 5, ps[2], ps[3])
	if err := models.SetNoShow(db, fx.Event.ID, missed.ID, ps[3].ID, true); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f)
	c.signIn("owner-grid@example.org")
	r := c.get(fmt.Sprintf("/manage/events/%d/meetings", fx.Event.ID))
	mustStatus(t, r, http.StatusOK, "grid")
	cells := len(fx.Slots) * len(locs)
	if n := strings.Count(r.Body, `<td class="cell-booked">`); n != 1 {
		t.Errorf("%d booked cells", n)
	}
	if n := strings.Count(r.Body, `<td class="cell-noshow">`); n != 1 {
		t.Errorf("%d no-show cells", n)
	}
	if n := strings.Count(r.Body, `<td class="cell-free">`); n != cells-2 {
		t.Errorf("%d free cells, want %d", n, cells-2)
	}
	loc := fx.Event.Location()
	mustContain(t, r.Body, "grid", `class="grid-legend"`, "Booked: Person A · Person B", "No-show: Person C · Person D",
		fmt.Sprintf(`href="#meeting-%d"`, missed.ID),
		`<th scope="row" class="grid-time">`+fx.Slots[1].StartsAt.In(loc).Format("15:04")+`</th>`)
}
