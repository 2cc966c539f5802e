package calendar_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/agora-events/agora/app/calendar"
	"github.com/agora-events/agora/models"
)

// strictLines fails unless every line of body ends in CRLF and is folded
// at 75 octets (RFC 5545 section 3.1).
func strictLines(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatal("the calendar does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") || len(line) > 75 {
			t.Fatalf("line %d is not a folded CRLF line: %q", i+1, line)
		}
	}
}

func parse(t *testing.T, body string) []*ics.VEvent {
	t.Helper()
	strictLines(t, body)
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	return cal.Events()
}

func value(v *ics.VEvent, p ics.ComponentProperty) (string, map[string][]string) {
	if x := v.GetProperty(p); x != nil {
		return x.Value, x.ICalParameters
	}
	return "", nil
}

// A multi-day event is one all-day entry from its first local day to the
// day after its last; a session within a day keeps its times; the UIDs
// follow the one rule; a meeting names its table within the venue.
func TestCalendarShapes(t *testing.T) {
	madrid, _ := time.LoadLocation("Europe/Madrid")
	// 23:30 UTC is already the next day in Madrid: days are the place's.
	start := time.Date(2026, 5, 11, 23, 30, 0, 0, time.UTC)
	e := &models.Event{ID: 7, Slug: "forum", Title: "Forum " + strings.Repeat("long title ", 10), TimeZone: "Europe/Madrid",
		Venue: "Palacio de Congresos", Address: "Rúa do Mar 1, Vigo", StartsAt: start, EndsAt: start.Add(49 * time.Hour)}
	s := &models.Session{ID: 3, Title: "Workshop", StartsAt: start.Add(10 * time.Hour), EndsAt: start.Add(11 * time.Hour), Room: &models.Room{Name: "Sala 2"}}
	m := &models.Meeting{ID: 9, Status: models.MeetingActive, Slot: models.MeetingSlot{StartsAt: start.Add(12 * time.Hour), EndsAt: start.Add(12*time.Hour + 20*time.Minute)}}

	cal := calendar.New(e.Title, time.Now())
	cal.AddTimezone(madrid, start.Add(-24*time.Hour), e.EndsAt.Add(24*time.Hour))
	cal.Event(e, "https://agora.example.org/", false)
	cal.Session(e, s, "https://agora.example.org", "")
	cal.Meeting(e, m, "https://agora.example.org", "Meeting with Ana", "", calendar.MeetingPlace(e, models.MeetingLocation{Name: "Mesa 7"}, nil, ""), "")
	evs := parse(t, cal.String())
	if len(evs) != 3 {
		t.Fatalf("%d entries", len(evs))
	}
	for i, want := range []string{"event-7@agora.example.org", "session-3@agora.example.org", "meeting-9@agora.example.org"} {
		if evs[i].Id() != want {
			t.Errorf("entry %d UID %q, want %q", i, evs[i].Id(), want)
		}
	}
	ds, dsp := value(evs[0], ics.ComponentPropertyDtStart)
	de, dep := value(evs[0], ics.ComponentPropertyDtEnd)
	if ds != "20260512" || de != "20260515" || dsp["VALUE"][0] != "DATE" || dep["VALUE"][0] != "DATE" {
		t.Errorf("multi-day event DTSTART %s %v DTEND %s %v, want all-day 20260512 to 20260515", ds, dsp, de, dep)
	}
	ss, ssp := value(evs[1], ics.ComponentPropertyDtStart)
	if ss != start.Add(10*time.Hour).In(madrid).Format("20060102T150405") || ssp["TZID"][0] != "Europe/Madrid" {
		t.Errorf("session DTSTART %s %v, want local time with TZID", ss, ssp)
	}
	if loc, _ := value(evs[1], ics.ComponentPropertyLocation); loc != "Sala 2, Palacio de Congresos, Rúa do Mar 1, Vigo" {
		t.Errorf("session location %q", loc)
	}
	if loc, _ := value(evs[2], ics.ComponentPropertyLocation); loc != "Mesa 7, Palacio de Congresos, Rúa do Mar 1, Vigo" {
		t.Errorf("meeting location %q", loc)
	}

	// Without a VTIMEZONE, a timed entry is in UTC; an event within one day stays timed.
	short := *e
	short.EndsAt = start.Add(3 * time.Hour)
	one := calendar.New("x", time.Now())
	one.Event(&short, "http://localhost:3000", true)
	ev := parse(t, one.String())[0]
	if v, _ := value(ev, ics.ComponentPropertyDtStart); v != "20260511T233000Z" {
		t.Errorf("one-day event DTSTART %q, want the UTC time", v)
	}
	if ev.Id() != "event-7@localhost" {
		t.Errorf("UID %q", ev.Id())
	}
	if st, _ := value(ev, ics.ComponentPropertyStatus); st != string(ics.ObjectStatusCancelled) {
		t.Errorf("status %q, want cancelled", st)
	}
	online := calendar.MeetingPlace(e, models.MeetingLocation{Name: "Online", Online: true}, &models.NetworkingSetting{OnlineLinkTemplate: "https://meet.example/{code}"}, "abc")
	if !strings.HasPrefix(online, "https://meet.example/") {
		t.Errorf("online meeting place %q", online)
	}
}
