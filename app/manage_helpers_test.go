package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// eventValues is a valid event form; edit it to make a bad one.
func eventValues(title, slug string) url.Values {
	start := time.Now().AddDate(0, 1, 0)
	day := start.Format("2006-01-02")
	next := start.AddDate(0, 0, 1).Format("2006-01-02")
	return url.Values{
		"title": {title}, "slug": {slug}, "kind": {models.KindForum}, "summary": {"A forum for everyone"},
		"description": {"**Welcome** to the forum."}, "venue": {"Main hall"}, "address": {"1 Example Square"},
		"online_url": {"https://example.org/live"}, "time_zone": {"Europe/Madrid"},
		"starts_at": {day + "T09:00"}, "ends_at": {next + "T18:00"}, "capacity": {"150"},
		"registration_opens_at": {""}, "registration_closes_at": {""},
	}
}

// localInputOf formats t as a datetime-local value in the event's zone.
func localInputOf(e *models.Event, t time.Time) string {
	return t.In(e.Location()).Format("2006-01-02T15:04")
}

// mustStatus fails the test unless r has the status.
func mustStatus(t *testing.T, r response, status int, what string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, r.Body)
	}
}

// mustContain fails unless body contains every string.
func mustContain(t *testing.T, body, what string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Fatalf("%s: missing %q in\n%s", what, w, body)
		}
	}
}

// createEventVia posts the new event form and returns the stored event.
func createEventVia(t *testing.T, c *client, db *gorm.DB, v url.Values) *models.Event {
	t.Helper()
	c.get("/manage/events/new")
	r := c.post("/manage/events", v)
	mustStatus(t, r, http.StatusSeeOther, "create event")
	var e models.Event
	if err := db.Where("slug = ?", v.Get("slug")).First(&e).Error; err != nil {
		t.Fatalf("created event not found: %v", err)
	}
	if r.Location != fmt.Sprintf("/manage/events/%d", e.ID) {
		t.Fatalf("redirect to %q", r.Location)
	}
	return &e
}

// dbSnapshot summarises every organizer-editable row, to prove a refused
// request changed nothing.
func dbSnapshot(t *testing.T, db *gorm.DB) string {
	t.Helper()
	var b strings.Builder
	dump := func(q string) {
		rows, err := db.Raw(q).Rows()
		if err != nil {
			t.Fatalf("snapshot %s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v\n", vals)
		}
	}
	dump("SELECT id, slug, title, status, version, starts_at, capacity FROM events ORDER BY id")
	dump("SELECT id, event_id, name, capacity FROM rooms ORDER BY id")
	dump("SELECT id, event_id, name FROM tracks ORDER BY id")
	dump("SELECT id, event_id, name, bio FROM speakers ORDER BY id")
	dump("SELECT id, event_id, title, starts_at, room_id, track_id FROM sessions ORDER BY id")
	dump("SELECT session_id, speaker_id FROM session_speakers ORDER BY session_id, speaker_id")
	dump("SELECT organization_id, user_id, role FROM memberships ORDER BY organization_id, user_id")
	dump("SELECT organization_id, user_id, access_coordinator FROM memberships ORDER BY organization_id, user_id") // issue 11
	dump("SELECT id, organization_id, email, role, token_hash, sent_count, accepted_at, withdrawn_at FROM invitations ORDER BY id")
	dump("SELECT id, email FROM users ORDER BY id")
	dump("SELECT id, name, slug FROM organizations ORDER BY id")
	dump("SELECT id, event_id, name, price, capacity, places_taken FROM ticket_types ORDER BY id")
	dump("SELECT id, event_id, label, kind FROM questions ORDER BY id")
	dump("SELECT id, event_id, kind, version FROM consent_texts ORDER BY id")
	dump("SELECT id, name, email, status, checked_in_at, check_in_count FROM attendees ORDER BY id")
	dump("SELECT id, event_id, code, kind, value, max_uses, uses, ticket_type_ids, unlock_hidden FROM vouchers ORDER BY id")
	dump("SELECT id, allow_invoice, invoice_days, invoice_notice, vat_rate_bp FROM events ORDER BY id")
	dump("SELECT id, status, total FROM orders ORDER BY id")
	dump("SELECT id, order_id, provider, state, amount, refunded_amount FROM payments ORDER BY id")
	dump("SELECT id, order_id, amount FROM refunds ORDER BY id")
	return b.String()
}

// agendaFixture gives an event a room, a track, a speaker and a session.
type agendaFixture struct {
	Room    models.Room
	Track   models.Track
	Speaker models.Speaker
	Session models.Session
}

func newAgendaFixture(t *testing.T, db *gorm.DB, e *models.Event) agendaFixture {
	t.Helper()
	f := agendaFixture{
		Room:    models.Room{EventID: e.ID, Name: "Room of " + e.Slug, Capacity: 50},
		Track:   models.Track{EventID: e.ID, Name: "Track of " + e.Slug},
		Speaker: models.Speaker{EventID: e.ID, Name: "Speaker of " + e.Slug},
	}
	for _, rec := range []any{&f.Room, &f.Track, &f.Speaker} {
		if err := models.CreateAgendaItem(db, e.ID, rec); err != nil {
			t.Fatal(err)
		}
	}
	f.Session = models.Session{EventID: e.ID, Title: "Session of " + e.Slug, Format: models.FormatTalk,
		StartsAt: e.StartsAt.Add(time.Hour), EndsAt: e.StartsAt.Add(2 * time.Hour), RoomID: &f.Room.ID, TrackID: &f.Track.ID}
	if err := models.CreateSession(db, &f.Session, []uint{f.Speaker.ID}); err != nil {
		t.Fatal(err)
	}
	return f
}
