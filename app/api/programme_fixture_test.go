package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// progFixture is an organization with a published event in English and
// French: a room, a track, two speakers, two sessions (one with sign-up),
// a visible ticket type with room for three, a hidden one, and an order of
// two confirmed attendees.
type progFixture struct {
	org      *models.Organization
	ev       *models.Event
	room     models.Room
	track    models.Track
	speakers []models.Speaker
	sessions []models.Session
	general  *models.TicketType
	hidden   *models.TicketType
	order    *models.Order
}

func (ta *testAPI) progFixture(orgName, slug string) *progFixture {
	t := ta.t
	t.Helper()
	db := ta.db
	f := &progFixture{}
	f.org, _ = modeltest.Organizer(t, db, orgName, slug+"-owner@example.org", models.RoleOwner)
	f.ev = modeltest.Event(t, db, f.org.ID, slug, models.StatusPublished)
	progMust(t, models.SetEventLanguages(db, f.ev, "en", []string{"en", "fr"}))
	f.room = models.Room{EventID: f.ev.ID, Name: "Main hall", Capacity: 200}
	f.track = models.Track{EventID: f.ev.ID, Name: "Care at home"}
	progMust(t, db.Create(&f.room).Error)
	progMust(t, db.Create(&f.track).Error)
	f.speakers = []models.Speaker{{EventID: f.ev.ID, Name: "Dr Ana Ruiz", Role: "Geriatrician", Bio: "Works on falls."},
		{EventID: f.ev.ID, Name: "Bram de Vries", Organization: "Zorg Lab"}}
	progMust(t, db.Create(&f.speakers).Error)
	start := f.ev.StartsAt
	f.sessions = []models.Session{
		{EventID: f.ev.ID, Title: "Opening", Description: "Welcome.", Format: models.FormatTalk, StartsAt: start, EndsAt: start.Add(time.Hour),
			RoomID: &f.room.ID, TrackID: &f.track.ID, Speakers: []models.Speaker{f.speakers[0], f.speakers[1]}},
		{EventID: f.ev.ID, Title: "Co-creation lab", Format: models.FormatAgora, StartsAt: start.Add(2 * time.Hour), EndsAt: start.Add(3 * time.Hour),
			SignUp: true, Capacity: 10, Speakers: []models.Speaker{f.speakers[1]}},
	}
	progMust(t, db.Create(&f.sessions).Error)
	f.general = &models.TicketType{EventID: f.ev.ID, Name: "General", Description: "Both days.", Currency: "EUR", Capacity: 3,
		Category: models.CategoryPatientCitizen, MaxPerOrder: 5}
	f.hidden = &models.TicketType{EventID: f.ev.ID, Name: "Speakers", Currency: "EUR", Hidden: true, Category: models.CategoryOther, MaxPerOrder: 1, Position: 1}
	progMust(t, models.CreateTicketType(db, f.general))
	progMust(t, models.CreateTicketType(db, f.hidden))
	progMust(t, models.SaveTranslations(db, f.ev.ID,
		models.TranslatedField{Kind: models.OwnerEvent, ID: f.ev.ID, Field: "title", Texts: map[string]string{"fr": "Événement " + slug}},
		models.TranslatedField{Kind: models.OwnerSession, ID: f.sessions[0].ID, Field: "title", Texts: map[string]string{"fr": "Ouverture"}},
		models.TranslatedField{Kind: models.OwnerRoom, ID: f.room.ID, Field: "name", Texts: map[string]string{"fr": "Grande salle"}},
		models.TranslatedField{Kind: models.OwnerTrack, ID: f.track.ID, Field: "name", Texts: map[string]string{"fr": "Soins à domicile"}},
		models.TranslatedField{Kind: models.OwnerSpeaker, ID: f.speakers[0].ID, Field: "bio", Texts: map[string]string{"fr": "Travaille sur les chutes."}},
		models.TranslatedField{Kind: models.OwnerTicketType, ID: f.general.ID, Field: "name", Texts: map[string]string{"fr": "Général"}}))
	f.order = ta.register(f.ev, f.general, 2, slug)
	return f
}

// register places a free order of n attendees (confirmed at once) the way
// the site does.
func (ta *testAPI) register(ev *models.Event, tt *models.TicketType, n int, tag string) *models.Order {
	ta.t.Helper()
	in := models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Ana Buyer", BuyerEmail: tag + "-buyer@example.org", Language: "en", Now: ta.now}
	for i := 0; i < n; i++ {
		in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %d of %s", i+1, tag), Email: fmt.Sprintf("p%d-%s@example.org", i+1, tag)})
	}
	o, err := models.PlaceOrder(ta.db, in)
	if err != nil {
		ta.t.Fatalf("PlaceOrder: %v", err)
	}
	if err := ta.db.Preload("Attendees").Take(o, o.ID).Error; err != nil {
		ta.t.Fatal(err)
	}
	return o
}

// progFixtureEvent is another published event of f's organization with an
// order of one attendee.
func (ta *testAPI) progFixtureEvent(f *progFixture, slug string) *models.Order {
	ta.t.Helper()
	ev := modeltest.Event(ta.t, ta.db, f.org.ID, slug, models.StatusPublished)
	tt := &models.TicketType{EventID: ev.ID, Name: "Day", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	progMust(ta.t, models.CreateTicketType(ta.db, tt))
	return ta.register(ev, tt, 1, slug)
}

func progMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// progTexts returns a Texts field of a JSON item.
func progTexts(item map[string]any, field string) map[string]any {
	m, _ := item[field].(map[string]any)
	return m
}
