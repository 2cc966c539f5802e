package app

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// checkICSLines asserts RFC 5545's line rules: CRLF after every line and no
// line longer than 75 octets.
func checkICSLines(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("calendar does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets, not folded: %q", i+1, len(line), line)
		}
	}
}

func parseICS(t *testing.T, body string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse calendar: %v\n%s", err, body)
	}
	return cal
}

func prop(c *ics.VEvent, p ics.ComponentProperty) string {
	if v := c.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestProgrammeFeed(t *testing.T) {
	r := newRegEnv(t)
	room := models.Room{EventID: r.ev.ID, Name: "Sala Mar; \"north\""}
	sp := models.Speaker{EventID: r.ev.ID, Name: "Dr. Ana <Ruiz>", Organization: "Hospital, Vallmar"}
	for _, x := range []any{&room, &sp} {
		if err := r.db.Create(x).Error; err != nil {
			t.Fatal(err)
		}
	}
	long := "Co-creación: noches en casa, cuidados y tecnología — un diálogo abierto entre pacientes y profesionales"
	r.db.Model(&r.s1).Updates(map[string]any{"room_id": room.ID, "title": long})
	if err := r.db.Model(&r.s1).Association("Speakers").Append(&sp); err != nil {
		t.Fatal(err)
	}
	r.db.Model(r.ev).Update("languages", "en,es")
	r.db.Create(&models.Translation{EventID: r.ev.ID, OwnerKind: models.OwnerSession, OwnerID: r.s2.ID, Field: "title", Lang: "es", Text: "Taller: personas cuidadoras"})

	path := "/events/" + r.ev.Slug + "/programme.ics"
	res := r.c.get(path)
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("programme: %d %q", res.Status, res.Header.Get("Content-Type"))
	}
	checkICSLines(t, res.Body)
	cal := parseICS(t, res.Body)
	if len(cal.Timezones()) != 1 || !strings.Contains(res.Body, "TZID:Europe/Madrid") {
		t.Errorf("no VTIMEZONE for the event's zone\n%s", res.Body)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d entries, want 2", len(evs))
	}
	byUID := map[string]*ics.VEvent{}
	for _, e := range evs {
		byUID[e.Id()] = e
	}
	for _, s := range []models.Session{r.s1, r.s2} {
		uid := fmt.Sprintf("session-%d@agora.test", s.ID)
		e := byUID[uid]
		if e == nil {
			t.Fatalf("no entry %s in %v", uid, byUID)
		}
		// The single-session download has the same id.
		download := r.c.get(fmt.Sprintf("/events/%s/sessions/%d.ics", r.ev.Slug, s.ID)).Body
		checkICSLines(t, download) // the single downloads follow RFC 5545 too
		single := parseICS(t, download)
		if single.Events()[0].Id() != uid {
			t.Errorf("session %d: feed id %s, download id %s", s.ID, uid, single.Events()[0].Id())
		}
		start, err := e.GetStartAt()
		if err != nil || !start.Equal(s.StartsAt) {
			t.Errorf("session %d starts %v (%v), want %v", s.ID, start, err, s.StartsAt)
		}
		if p := e.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["TZID"][0] != "Europe/Madrid" {
			t.Errorf("session %d: start not in the event's time zone: %+v", s.ID, p)
		}
	}
	e1 := byUID[fmt.Sprintf("session-%d@agora.test", r.s1.ID)]
	if got := prop(e1, ics.ComponentPropertySummary); got != long+" — "+r.ev.Title {
		t.Errorf("summary %q", got)
	}
	if got := prop(e1, ics.ComponentPropertyLocation); got != room.Name {
		t.Errorf("location %q", got)
	}
	if got := prop(e1, ics.ComponentPropertyDescription); !strings.Contains(got, "Dr. Ana <Ruiz> (Hospital, Vallmar)") {
		t.Errorf("description %q", got)
	}

	// Cached by readers: the same version answers 304.
	etag := res.Header.Get("ETag")
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", etag)
	if again := r.c.do(req); etag == "" || again.Status != http.StatusNotModified || !strings.Contains(res.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("revalidation: etag %q status %d, cache %q", etag, again.Status, res.Header.Get("Cache-Control"))
	}
	if es := r.c.get(path + "?lang=es"); !strings.Contains(es.Body, "Taller: personas cuidadoras") || es.Header.Get("ETag") == etag {
		t.Errorf("Spanish programme lacks the translation or shares the English ETag\n%s", es.Body)
	}
	// A change to the agenda is a new version.
	if err := models.BumpEventVersion(r.db, r.ev.ID); err != nil {
		t.Fatal(err)
	}
	req = httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", etag)
	if again := r.c.do(req); again.Status != 200 {
		t.Errorf("after a change: %d", again.Status)
	}
	modeltest.Event(t, r.db, r.ev.OrganizationID, "draft-forum", models.StatusDraft)
	if res := r.c.get("/events/draft-forum/programme.ics"); res.Status != 404 {
		t.Errorf("draft programme: %d", res.Status)
	}
}

// atomDoc reads an Atom feed independently of the code that writes it.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	Entries []struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

func TestUpcomingEventsFeeds(t *testing.T) {
	f, db := newTestApp(t)
	c := newClient(t, f)
	org, _ := modeltest.Organizer(t, db, "Living Lab Norte", "owner@norte.example", models.RoleOwner)
	other, _ := modeltest.Organizer(t, db, "Other Lab", "owner@other.example", models.RoleOwner)
	hostile := `<script>alert(1)</script> & "quoted" ]]> café`
	open := modeltest.Event(t, db, org.ID, "norte-forum", models.StatusPublished)
	db.Model(open).Update("title", hostile)
	modeltest.Event(t, db, org.ID, "norte-draft", models.StatusDraft)
	modeltest.Event(t, db, org.ID, "norte-cancelled", models.StatusCancelled)
	past := modeltest.Event(t, db, org.ID, "norte-past", models.StatusPublished)
	db.Model(past).Updates(map[string]any{"starts_at": time.Now().Add(-72 * time.Hour), "ends_at": time.Now().Add(-48 * time.Hour)})
	theirs := modeltest.Event(t, db, other.ID, "other-forum", models.StatusPublished)

	readAtom := func(path string) atomDoc {
		t.Helper()
		res := c.get(path)
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("%s: %d %q", path, res.Status, res.Header.Get("Content-Type"))
		}
		if strings.Contains(res.Body, "<script>") {
			t.Fatalf("%s: a title was not escaped\n%s", path, res.Body)
		}
		var d atomDoc
		if err := xml.Unmarshal([]byte(res.Body), &d); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, res.Body)
		}
		return d
	}
	site := readAtom("/events.atom")
	if len(site.Entries) != 2 || site.Entries[0].Title != hostile || site.Entries[1].Link.Href != "http://agora.test/events/other-forum" {
		t.Fatalf("site feed: %+v", site.Entries)
	}
	if site.Entries[0].ID != fmt.Sprintf("tag:agora.test,2024:event-%d", open.ID) {
		t.Errorf("entry id %q", site.Entries[0].ID)
	}
	if _, err := time.Parse(time.RFC3339, site.Entries[0].Updated); err != nil {
		t.Errorf("updated %q: %v", site.Entries[0].Updated, err)
	}
	for _, ref := range []string{org.Slug, fmt.Sprint(org.ID)} {
		d := readAtom("/orgs/" + ref + "/events.atom")
		if len(d.Entries) != 1 || d.Entries[0].Title != hostile || !strings.Contains(d.Title, "Living Lab Norte") {
			t.Errorf("org feed by %q: %+v", ref, d)
		}
		res := c.get("/orgs/" + ref + "/events.ics")
		checkICSLines(t, res.Body)
		evs := parseICS(t, res.Body).Events()
		if len(evs) != 1 || evs[0].Id() != fmt.Sprintf("event-%d@agora.test", open.ID) || prop(evs[0], ics.ComponentPropertySummary) != hostile {
			t.Fatalf("org calendar by %q:\n%s", ref, res.Body)
		}
		// The same id as the event's own download.
		download := c.get("/events/norte-forum.ics").Body
		checkICSLines(t, download)
		if one := parseICS(t, download).Events()[0].Id(); one != evs[0].Id() {
			t.Errorf("org calendar id %s, event download id %s", evs[0].Id(), one)
		}
		// The fixture lasts 48 hours, over three days: an all-day entry
		// from its first day to the day after its last (DTEND exclusive).
		loc := open.Location()
		start, end := evs[0].GetProperty(ics.ComponentPropertyDtStart), evs[0].GetProperty(ics.ComponentPropertyDtEnd)
		if start == nil || end == nil || start.Value != open.StartsAt.In(loc).Format("20060102") ||
			end.Value != open.EndsAt.In(loc).AddDate(0, 0, 1).Format("20060102") || !strings.Contains(download, "DTSTART;VALUE=DATE:") {
			t.Errorf("multi-day entry %+v – %+v, want all-day %s to %s", start, end, open.StartsAt.In(loc), open.EndsAt.In(loc))
		}
	}
	_ = theirs
	if es := c.get("/events.atom?lang=es"); !strings.Contains(es.Body, `xml:lang="es"`) || !strings.Contains(es.Body, "Próximos eventos") {
		t.Errorf("Spanish feed:\n%s", es.Body)
	}
	for _, p := range []string{"/orgs/no-such-lab/events.atom", "/orgs/999999/events.ics"} {
		if res := c.get(p); res.Status != 404 {
			t.Errorf("%s: %d", p, res.Status)
		}
	}
	home := c.get("/")
	if !strings.Contains(home.Body, `<link rel="alternate" type="application/atom+xml" href="/events.atom"`) {
		t.Error("home page does not announce its feed")
	}
	page := c.get("/events/norte-forum")
	for _, want := range []string{`type="text/calendar" href="/events/norte-forum/programme.ics"`, `href="/orgs/` + org.Slug + `/events.atom"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("event page lacks %s", want)
		}
	}
}
