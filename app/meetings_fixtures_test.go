package app

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// meetingFixture is a published event with networking on (one block of 4
// slots, 2 tables) and attendees of one confirmed order.
type meetingFixture struct {
	Event     *models.Event
	Org       *models.Organization
	Attendees []models.Attendee
	Slots     []models.MeetingSlot
}

func newMeetingFixture(t testing.TB, db *gorm.DB, slug string, people int, mode string) meetingFixture {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Org "+slug, "owner-"+slug+"@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, slug, models.StatusPublished)
	ct, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event.")
	if err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryClinician, MaxPerOrder: 10}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	in := models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Buyer", BuyerEmail: "buyer-" + slug + "@example.org", Language: "en"}
	for i := 0; i < people; i++ {
		in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %c", 'A'+i),
			Email: fmt.Sprintf("%c-%s@example.org", 'a'+i, slug), ConsentTextIDs: []uint{ct.ID}})
	}
	o, err := models.PlaceOrder(db, in)
	if err != nil {
		t.Fatal(err)
	}
	set := &models.NetworkingSetting{EventID: ev.ID, Enabled: true, Mode: mode, RequestExpiryHours: 48, Topics: "Telecare\nDementia"}
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	start := ev.StartsAt.Add(5 * time.Hour)
	if err := models.AddMeetingBlock(db, &models.MeetingBlock{EventID: ev.ID, StartsAt: start, EndsAt: start.Add(100 * time.Minute), SlotMinutes: 20, BreakMinutes: 5}); err != nil {
		t.Fatal(err)
	}
	if err := models.AddTables(db, ev.ID, "Table", 2); err != nil {
		t.Fatal(err)
	}
	slots, _ := models.EventSlots(db, ev.ID)
	return meetingFixture{Event: ev, Org: org, Attendees: o.Attendees, Slots: slots}
}

// signInToMeetings goes through the e-mail link flow: ask for a link, read
// the token from the outbox's notice row, open the link and press the button.
func signInToMeetings(t testing.TB, c *client, db *gorm.DB, ev *models.Event, a models.Attendee) {
	t.Helper()
	base := "/events/" + ev.Slug + "/meetings"
	c.get(base + "/signin")
	r := c.post(base+"/signin", url.Values{"email": {a.Email}})
	if r.Status != http.StatusOK {
		t.Fatalf("ask for link: %d\n%s", r.Status, r.Body)
	}
	var n models.MeetingNotice
	if err := db.Where("kind = ? AND participant_id = ? AND reason <> ''", models.NoticeSignIn, a.ID).Order("id DESC").Take(&n).Error; err != nil {
		t.Fatalf("no sign-in notice for %s: %v", a.Email, err)
	}
	c.get(base + "/signin/" + n.Reason)
	r = c.post(base+"/signin/"+n.Reason, nil)
	if r.Status != http.StatusSeeOther || r.Location != base {
		t.Fatalf("use link: %d %s\n%s", r.Status, r.Location, r.Body)
	}
}

// optIn fills the profile form.
func optIn(t testing.TB, c *client, ev *models.Event, org, offers, needs string) {
	t.Helper()
	base := "/events/" + ev.Slug + "/meetings"
	c.get(base)
	r := c.post(base+"/profile", url.Values{"organization": {org}, "offers": {offers}, "needs": {needs}, "interests": {"Telecare"}, "opt_in": {"yes"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("opt in: %d\n%s", r.Status, r.Body)
	}
}

func participantOf(t testing.TB, db *gorm.DB, ev *models.Event, a models.Attendee) *models.MeetingParticipant {
	t.Helper()
	p, err := models.ParticipantOf(db, ev.ID, a.ID)
	if err != nil || p == nil {
		t.Fatalf("participant of %s: %v", a.Name, err)
	}
	return p
}
