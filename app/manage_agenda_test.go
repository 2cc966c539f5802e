package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestAgendaSessionsRoomsAndClashes(t *testing.T) {
	f, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "agenda-event", models.StatusPublished)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	base := fmt.Sprintf("/manage/events/%d", e.ID)

	page := c.get(base + "/agenda")
	mustStatus(t, page, http.StatusOK, "agenda")
	// Add a room, a track and a speaker through the small forms.
	mustStatus(t, c.post(base+"/rooms", url.Values{"room_name": {"Sala Mar"}, "room_capacity": {"80"}}), http.StatusSeeOther, "add room")
	mustStatus(t, c.post(base+"/tracks", url.Values{"track_name": {"Ageing"}}), http.StatusSeeOther, "add track")
	mustStatus(t, c.post(base+"/speakers", url.Values{"speaker_name": {"Dr Ana Ruiz"}, "speaker_organization": {"Hospital"}}), http.StatusSeeOther, "add speaker")
	r := c.post(base+"/rooms", url.Values{"room_name": {""}, "room_capacity": {"-2"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad room")
	mustContain(t, r.Body, "bad room", `id="f-room_name-error"`, "cannot be negative", `value="-2"`)

	ag, _ := models.LoadAgenda(db, e.ID)
	if len(ag.Rooms) != 1 || len(ag.Tracks) != 1 || len(ag.Speakers) != 1 {
		t.Fatalf("agenda items: %+v", ag)
	}
	room, track, speaker := ag.Rooms[0], ag.Tracks[0], ag.Speakers[0]

	// Edit the room.
	mustContain(t, c.get(fmt.Sprintf("%s/rooms/%d/edit", base, room.ID)).Body, "room edit", `value="Sala Mar"`)
	mustStatus(t, c.post(fmt.Sprintf("%s/rooms/%d/edit", base, room.ID), url.Values{"room_name": {"Sala Mar Grande"}, "room_capacity": {"90"}}), http.StatusSeeOther, "edit room")

	session := func(title string, from, to time.Duration) url.Values {
		return url.Values{"title": {title}, "format": {models.FormatTalk}, "description": {"About " + title},
			"starts_at": {localInputOf(e, e.StartsAt.Add(from))}, "ends_at": {localInputOf(e, e.StartsAt.Add(to))},
			"room_id": {fmt.Sprint(room.ID)}, "track_id": {fmt.Sprint(track.ID)}, "speaker_ids": {fmt.Sprint(speaker.ID)},
			"capacity": {"30"}, "sign_up": {"1"}}
	}
	var version int
	db.Model(&models.Event{}).Where("id = ?", e.ID).Select("version").Scan(&version)
	c.get(base + "/sessions/new")
	mustStatus(t, c.post(base+"/sessions", session("Opening talk", time.Hour, 2*time.Hour)), http.StatusSeeOther, "first session")
	var after int
	db.Model(&models.Event{}).Where("id = ?", e.ID).Select("version").Scan(&after)
	if after <= version {
		t.Fatalf("session did not bump the event version (%d → %d)", version, after)
	}

	// Outside the event: refused, input kept.
	r = c.post(base+"/sessions", session("Too early", -2*time.Hour, -time.Hour))
	mustStatus(t, r, http.StatusUnprocessableEntity, "session before the event")
	mustContain(t, r.Body, "session before the event", "within the event", `value="Too early"`, `id="f-starts_at-error"`)
	r = c.post(base+"/sessions", session("Too late", 47*time.Hour, 49*time.Hour))
	mustStatus(t, r, http.StatusUnprocessableEntity, "session after the event")
	mustContain(t, r.Body, "session after the event", "within the event", `id="f-ends_at-error"`)

	// Same room, overlapping: saved, but flagged on save and on the agenda page.
	r = c.post(base+"/sessions", session("Overlapping panel", 90*time.Minute, 150*time.Minute))
	mustStatus(t, r, http.StatusSeeOther, "clashing session")
	page = c.get(base + "/agenda")
	mustContain(t, page.Body, "agenda with clash", "same room at the same time as another session", "Same room at the same time as:",
		"«Opening talk»", "«Overlapping panel»", "Sala Mar Grande", "Dr Ana Ruiz")

	var s models.Session
	db.Where("title = ?", "Overlapping panel").First(&s)
	// Edit it out of the clash.
	c.get(fmt.Sprintf("%s/sessions/%d/edit", base, s.ID))
	mustStatus(t, c.post(fmt.Sprintf("%s/sessions/%d/edit", base, s.ID), session("Later panel", 3*time.Hour, 4*time.Hour)), http.StatusSeeOther, "edit session")
	page = c.get(base + "/agenda")
	mustContain(t, page.Body, "agenda after edit", "Later panel", "The session was saved.")
	if strings.Contains(page.Body, "Same room at the same time") {
		t.Fatal("clash still shown after moving the session")
	}
	// The public page shows the agenda.
	mustContain(t, newClient(t, f).get("/events/agenda-event").Body, "public agenda", "Opening talk", "Later panel", "Dr Ana Ruiz")

	// Deleting the speaker removes them from sessions; deleting a session removes it.
	mustStatus(t, c.post(fmt.Sprintf("%s/speakers/%d/delete", base, speaker.ID), nil), http.StatusSeeOther, "delete speaker")
	var links int64
	db.Table("session_speakers").Count(&links)
	if links != 0 {
		t.Fatalf("%d speaker links left", links)
	}
	mustStatus(t, c.post(fmt.Sprintf("%s/sessions/%d/delete", base, s.ID), nil), http.StatusSeeOther, "delete session")
	if db.First(&models.Session{}, s.ID).Error == nil {
		t.Fatal("session not deleted")
	}
	mustStatus(t, c.post(fmt.Sprintf("%s/rooms/%d/delete", base, room.ID), nil), http.StatusSeeOther, "delete room")
	var left models.Session
	db.Where("event_id = ?", e.ID).First(&left)
	if left.RoomID != nil {
		t.Fatal("session still points at a deleted room")
	}
}

func TestSessionWithAnotherEventsRecordsIsRefused(t *testing.T) {
	f, db := newTestApp(t)
	orgA, _ := modeltest.Organizer(t, db, "Org A", "owner@example.org", models.RoleOwner)
	mine := modeltest.Event(t, db, orgA.ID, "mine", models.StatusDraft)
	sibling := modeltest.Event(t, db, orgA.ID, "sibling", models.StatusDraft) // same org, other event
	orgB, _ := modeltest.Organizer(t, db, "Org B", "b@example.org", models.RoleOwner)
	foreign := modeltest.Event(t, db, orgB.ID, "foreign", models.StatusDraft)
	own := newAgendaFixture(t, db, mine)
	sib := newAgendaFixture(t, db, sibling)
	far := newAgendaFixture(t, db, foreign)
	c := newClient(t, f)
	c.signIn("owner@example.org")
	base := fmt.Sprintf("/manage/events/%d", mine.ID)

	good := url.Values{"title": {"Tampered"}, "format": {models.FormatPanel},
		"starts_at": {localInputOf(mine, mine.StartsAt.Add(3*time.Hour))}, "ends_at": {localInputOf(mine, mine.StartsAt.Add(4*time.Hour))},
		"room_id": {fmt.Sprint(own.Room.ID)}, "track_id": {fmt.Sprint(own.Track.ID)}, "speaker_ids": {fmt.Sprint(own.Speaker.ID)}}
	cases := []struct{ field, value, errID string }{
		{"room_id", fmt.Sprint(sib.Room.ID), "f-room_id-error"},
		{"room_id", fmt.Sprint(far.Room.ID), "f-room_id-error"},
		{"room_id", "999999", "f-room_id-error"},
		{"room_id", "-1", "f-room_id-error"},
		{"track_id", fmt.Sprint(far.Track.ID), "f-track_id-error"},
		{"track_id", "abc", "f-track_id-error"},
		{"speaker_ids", fmt.Sprint(far.Speaker.ID), "f-speaker_ids-error"},
		{"speaker_ids", fmt.Sprint(sib.Speaker.ID), "f-speaker_ids-error"},
	}
	before := dbSnapshot(t, db)
	for _, tc := range cases {
		for _, target := range []string{base + "/sessions", fmt.Sprintf("%s/sessions/%d/edit", base, own.Session.ID)} {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			v.Set(tc.field, tc.value)
			c.get(base + "/sessions/new")
			r := c.post(target, v)
			mustStatus(t, r, http.StatusUnprocessableEntity, "tampered "+tc.field+"="+tc.value+" at "+target)
			mustContain(t, r.Body, "tampered "+tc.field, `id="`+tc.errID+`"`, "Choose from the list for this event", `value="Tampered"`)
		}
	}
	if after := dbSnapshot(t, db); after != before {
		t.Fatalf("a tampered id changed something:\n%s\n---\n%s", before, after)
	}
	// The model refuses them too, whatever a handler does.
	s := models.Session{EventID: mine.ID, Title: "x", Format: models.FormatTalk, StartsAt: mine.StartsAt, EndsAt: mine.EndsAt, RoomID: &far.Room.ID}
	if err := models.CreateSession(db, &s, nil); err != models.ErrNotInEvent {
		t.Fatalf("model accepted another event's room: %v", err)
	}
	s.RoomID = nil
	if err := models.CreateSession(db, &s, []uint{far.Speaker.ID}); err != models.ErrNotInEvent {
		t.Fatalf("model accepted another event's speaker: %v", err)
	}
}
