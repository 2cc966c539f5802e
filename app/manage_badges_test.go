package app

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// badgeNames are the people of badgeWorld: every European script, and a
// name too long for one line.
var badgeNames = []string{"Παναγιώτης Οικονόμου", "Анастасия Кузнецова", "José Núñez", "Zoë Ødegård", "Łukasz Żółć",
	"Maria de los Ángeles Fernández-Villaverde y Quiñones Sotomayor", "Ana Pérez", "Björn Ängström", "Chloé Lefèvre",
	"Dmitrij Wołodźko", "Eleni Papadopoulou", "François Dupré", "Gülşen Yılmaz", "Hélène Müller", "Ioana Știrbu",
	"Jiří Dvořák", "Kateřina Nováková"}

type badgeWorld struct {
	app       *fiber.App
	db        *gorm.DB
	event     *models.Event
	citizen   *models.TicketType
	industry  *models.TicketType
	attendees []models.Attendee // in badgeNames order
	noPhotos  map[string]bool
	cancelled models.Attendee
}

// newBadgeWorld registers the badgeNames people (every third an industry
// ticket; every fourth without photo consent) and one cancelled person.
func newBadgeWorld(t *testing.T) badgeWorld {
	t.Helper()
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Badge Org", "owner-badges@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Badge Org", "door-badges@example.org", models.RoleCheckin)
	e := modeltest.Event(t, db, org.ID, "badge-forum", models.StatusPublished)
	w := badgeWorld{app: f, db: db, event: e, noPhotos: map[string]bool{}}
	w.citizen = &models.TicketType{EventID: e.ID, Name: "Citizen", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 3}
	w.industry = &models.TicketType{EventID: e.ID, Name: "Industry", Currency: "EUR", Category: models.CategoryIndustry, MaxPerOrder: 3}
	for _, tt := range []*models.TicketType{w.citizen, w.industry} {
		if err := models.CreateTicketType(db, tt); err != nil {
			t.Fatal(err)
		}
	}
	privacy, err := models.SetConsentText(db, e.ID, models.ConsentPrivacy, "We keep your data for the event.")
	if err != nil {
		t.Fatal(err)
	}
	photos, err := models.SetConsentText(db, e.ID, models.ConsentPhotos, "You may appear in photos.")
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range badgeNames {
		tt := w.citizen
		if i%3 == 2 {
			tt = w.industry
		}
		consents := []uint{privacy.ID, photos.ID}
		if i%4 == 1 {
			consents = consents[:1]
			w.noPhotos[name] = true
		}
		o := placeRegistration(t, db, e, tt, models.AttendeeInput{Name: name, Email: fmt.Sprintf("p%d@example.org", i),
			Organization: fmt.Sprintf("Organización %d", i), ConsentTextIDs: consents})
		w.attendees = append(w.attendees, o.Attendees[0])
	}
	o := placeRegistration(t, db, e, w.citizen, models.AttendeeInput{Name: "Cancelled Person", Email: "gone@example.org",
		ConsentTextIDs: []uint{privacy.ID}})
	if _, err := models.CancelAttendee(db, o.Attendees[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.cancelled = o.Attendees[0]
	return w
}

func (w badgeWorld) owner(t *testing.T) *client {
	c := newClient(t, w.app)
	c.signIn("owner-badges@example.org")
	return c
}

func (w badgeWorld) url(path string, q url.Values) string {
	u := fmt.Sprintf("/manage/events/%d%s", w.event.ID, path)
	if q != nil {
		u += "?" + q.Encode()
	}
	return u
}

func mustPDF(t *testing.T, r response, what string) []byte {
	t.Helper()
	mustStatus(t, r, 200, what)
	if !strings.HasPrefix(r.Body, "%PDF") || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("%s: not a PDF: %.200q", what, r.Body)
	}
	return []byte(r.Body)
}

// Each layout holds its number of badges per page, every name prints in
// its script (read back by pdftotext), and cancelled people have none.
func TestBadgesPrintEveryNameInEveryLayout(t *testing.T) {
	w := newBadgeWorld(t)
	c := w.owner(t)
	n := len(badgeNames) // 17
	want := map[string]int{"a4-8": 3, "a4-10": 2, "a6": n, "label-4x3": n}
	for _, l := range badgeLayouts {
		doc := mustPDF(t, c.get(w.url("/badges.pdf", url.Values{"layout": {l.Key}, "who": {"all"}})), l.Key)
		if got := testenv.PDFPages(t, doc); got != want[l.Key] {
			t.Errorf("%s: %d pages for %d people, want %d", l.Key, got, n, want[l.Key])
		}
		text := testenv.PDFText(t, doc)
		flat := strings.Join(strings.Fields(text), " ")
		for _, name := range badgeNames {
			if !strings.Contains(flat, name) && !strings.Contains(strings.ReplaceAll(flat, " ", ""), strings.ReplaceAll(name, " ", "")) {
				t.Errorf("%s: %q not found by pdftotext", l.Key, name)
			}
		}
		if strings.Contains(text, "Cancelled Person") {
			t.Errorf("%s: a cancelled attendee has a badge", l.Key)
		}
		mustContain(t, text, l.Key, "Patient or citizen", "Industry", "Event badge-forum")
	}
}

// One badge per page shows who declined photos: the mark is on their page
// and on no one else's.
func TestBadgesMarkPeopleWithoutPhotoConsent(t *testing.T) {
	w := newBadgeWorld(t)
	doc := mustPDF(t, w.owner(t).get(w.url("/badges.pdf", url.Values{"layout": {"a6"}})), "a6")
	pages := strings.Split(testenv.PDFText(t, doc), "\f")
	found := 0
	for _, p := range pages {
		flat := strings.Join(strings.Fields(p), " ")
		for _, name := range badgeNames {
			if !strings.Contains(flat, strings.Fields(name)[0]) || !strings.Contains(flat, strings.Fields(name)[1]) {
				continue
			}
			found++
			if marked := strings.Contains(p, "No photos"); marked != w.noPhotos[name] {
				t.Errorf("%s: no-photos mark %v, want %v", name, marked, w.noPhotos[name])
			}
		}
	}
	if found != len(badgeNames) {
		t.Errorf("found %d people on the pages, want %d", found, len(badgeNames))
	}
}

// A ticket type, a category or a list of ids narrows the badges.
func TestBadgesSelection(t *testing.T) {
	w := newBadgeWorld(t)
	c := w.owner(t)
	count := func(q url.Values) int {
		q.Set("layout", "a6")
		return testenv.PDFPages(t, mustPDF(t, c.get(w.url("/badges.pdf", q)), q.Encode()))
	}
	industry := 0
	for i := range badgeNames {
		if i%3 == 2 {
			industry++
		}
	}
	if got := count(url.Values{"who": {"ticket"}, "ticket": {fmt.Sprint(w.industry.ID)}}); got != industry {
		t.Errorf("industry ticket: %d badges, want %d", got, industry)
	}
	if got := count(url.Values{"who": {"category"}, "category": {models.CategoryPatientCitizen}}); got != len(badgeNames)-industry {
		t.Errorf("citizens: %d badges, want %d", got, len(badgeNames)-industry)
	}
	ids := fmt.Sprintf("%d, %d %d", w.attendees[0].ID, w.attendees[4].ID, w.cancelled.ID)
	if got := count(url.Values{"who": {"ids"}, "ids": {ids}}); got != 2 {
		t.Errorf("ids %s: %d badges, want 2 (the cancelled one has none)", ids, got)
	}
	// Checkboxes on a list post repeated id= values.
	if got := count(url.Values{"id": {fmt.Sprint(w.attendees[1].ID), fmt.Sprint(w.attendees[2].ID)}}); got != 2 {
		t.Errorf("repeated id: %d badges, want 2", got)
	}
}

// A bad choice shows the form again with the reason beside the field and
// what was typed.
func TestBadgesBadChoiceShowsTheForm(t *testing.T) {
	w := newBadgeWorld(t)
	c := w.owner(t)
	page := c.get(w.url("/badges", nil))
	mustStatus(t, page, 200, "badges page")
	mustContain(t, page.Body, "badges page", "A4 sheet of 8 badges", "4 × 3 inch label printer", "Citizen", `action="/manage/events/`)
	for _, tc := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"layout": {"a3-100"}}, "Choose one of the paper formats."},
		{url.Values{"who": {"ids"}, "ids": {"12, abc"}}, "Give attendee ids as numbers"},
		{url.Values{"who": {"ticket"}, "ticket": {"999999"}}, "Choose a ticket type of this event."},
		{url.Values{"who": {"category"}, "category": {"aliens"}}, "Choose a participant category."},
		{url.Values{"who": {"everyone"}}, "Choose whose badges to print."},
		{url.Values{"who": {"ids"}, "ids": {"999999"}}, "No one with a confirmed ticket matches"},
	} {
		r := c.get(w.url("/badges.pdf", tc.q))
		mustStatus(t, r, 422, tc.q.Encode())
		mustContain(t, r.Body, tc.q.Encode(), tc.want)
	}
	r := c.get(w.url("/badges.pdf", url.Values{"who": {"ids"}, "ids": {"12, abc"}}))
	mustContain(t, r.Body, "kept input", "12, abc")
}

// Check-in staff print one badge at the door; only a confirmed ticket of
// this event has one.
func TestSingleBadgeAtTheDoor(t *testing.T) {
	w := newBadgeWorld(t)
	door := newClient(t, w.app)
	door.signIn("door-badges@example.org")
	at := w.attendees[0]
	doc := mustPDF(t, door.get(w.url(fmt.Sprintf("/registrations/%d/badge.pdf", at.ID), nil)), "single badge")
	if n := testenv.PDFPages(t, doc); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	mustContain(t, testenv.PDFText(t, doc), "single badge", "Παναγιώτης Οικονόμου")
	doc = mustPDF(t, door.get(w.url(fmt.Sprintf("/registrations/%d/badge.pdf?layout=label-4x3", at.ID), nil)), "label")
	if n := testenv.PDFPages(t, doc); n != 1 {
		t.Errorf("label: %d pages, want 1", n)
	}
	for _, id := range []uint{w.cancelled.ID, 999999} {
		mustStatus(t, door.get(w.url(fmt.Sprintf("/registrations/%d/badge.pdf", id), nil)), 404, "no badge")
	}
	// Check-in staff do not get the sheets.
	if r := door.get(w.url("/badges", nil)); r.Status != 403 && r.Status != 404 {
		t.Errorf("door staff open the badges page: %d", r.Status)
	}
}

// The badge holders of the model: the QR value is the ticket's QR secret
// (what the door's scanner reads), the code is the one staff type.
func TestBadgeHoldersCarryTheTicketQRValue(t *testing.T) {
	w := newBadgeWorld(t)
	hs, err := models.BadgeHolders(w.db, w.event.ID, models.BadgeSelection{AttendeeIDs: []uint{w.attendees[3].ID}})
	if err != nil || len(hs) != 1 {
		t.Fatalf("holders %v, %v", hs, err)
	}
	var o models.Order
	w.db.Take(&o, w.attendees[3].OrderID)
	if hs[0].QRSecret != w.attendees[3].QRSecret || hs[0].Code != o.Code || hs[0].Name != badgeNames[3] {
		t.Errorf("holder %+v, want QR %s code %s", hs[0], w.attendees[3].QRSecret, o.Code)
	}
	if at, _, err := models.CheckIn(w.db, w.event.ID, hs[0].QRSecret, time.Now()); err != nil || at.ID != w.attendees[3].ID {
		t.Errorf("the badge's QR value does not check its holder in: %v", err)
	}
	// Withdrawing the photo consent puts the mark on the badge.
	rs, _ := models.AttendeeConsents(w.db, w.attendees[3].ID)
	for _, r := range rs {
		if r.ConsentText.Kind == models.ConsentPhotos {
			if err := models.Withdraw(w.db, w.attendees[3].ID, r.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	hs, _ = models.BadgeHolders(w.db, w.event.ID, models.BadgeSelection{AttendeeIDs: []uint{w.attendees[3].ID, w.attendees[0].ID}})
	marks := map[string]bool{}
	for _, h := range hs {
		marks[h.Name] = h.NoPhotos
	}
	if len(hs) != 2 || marks[badgeNames[0]] || !marks[badgeNames[3]] {
		t.Errorf("after withdrawing: %+v, want the mark on %s only", hs, badgeNames[3])
	}
}
