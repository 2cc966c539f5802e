// Package calendar writes Agora's iCalendar (RFC 5545) files: the public
// feeds, the single-event and session downloads, an order's calendar, the
// meeting agenda and the files attached to e-mails. Everything that writes
// one goes through here, so a thing has one UID wherever it comes from
// (adding the feed and the e-mail's file does not duplicate it), lines end
// in CRLF, and a multi-day event reads as all-day entries.
package calendar

import (
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/agora-events/agora/models"
)

// EventUID, SessionUID and MeetingUID are the one id of each thing, in
// every calendar that holds it.
func EventUID(id uint, host string) string   { return uid("event", id, host) }
func SessionUID(id uint, host string) string { return uid("session", id, host) }
func MeetingUID(id uint, host string) string { return uid("meeting", id, host) }

func uid(kind string, id uint, host string) string {
	return kind + "-" + strconv.FormatUint(uint64(id), 10) + "@" + host
}

// Host is the host name of the site's base URL, the right-hand part of UIDs.
func Host(baseURL string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	if i := strings.IndexAny(h, "/:"); i >= 0 {
		h = h[:i]
	}
	if h == "" {
		return "agora"
	}
	return h
}

// Place is where an event happens, as a LOCATION: venue and address, else
// its online link.
func Place(e *models.Event) string {
	if p := e.Place(); p != "" {
		return p
	}
	return e.OnlineURL
}

// Within names a spot inside the event's place ("Room 2, Venue, Address").
func Within(spot, place string) string {
	switch {
	case spot == "":
		return place
	case place == "":
		return spot
	}
	return spot + ", " + place
}

// Calendar is one .ics file being built.
type Calendar struct {
	cal   *ics.Calendar
	now   time.Time
	zones map[string]bool // TZIDs with a VTIMEZONE: their entries are written in local time
}

// New starts a calendar named name, published (not an invitation).
func New(name string, now time.Time) *Calendar {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Agora//Agora events//EN")
	cal.SetName(name)
	return &Calendar{cal: cal, now: now.UTC(), zones: map[string]bool{}}
}

// SetTimezoneName announces the calendar's usual zone (X-WR-TIMEZONE).
func (c *Calendar) SetTimezoneName(tz string) { c.cal.SetXWRTimezone(tz) }

// AddTimezone adds loc's VTIMEZONE covering [from, to]; timed entries in
// loc are then written in its wall-clock time with a TZID.
func (c *Calendar) AddTimezone(loc *time.Location, from, to time.Time) {
	if c.zones[loc.String()] {
		return
	}
	c.zones[loc.String()] = true
	addTimezone(c.cal, loc, from, to)
}

// Entry is one thing in a calendar.
type Entry struct {
	UID, Title, Description, Location, URL string
	Start, End                             time.Time
	// Zone is the place's time zone: it decides the days of a multi-day
	// entry and, when the calendar has its VTIMEZONE, the wall-clock times.
	Zone      *time.Location
	Cancelled bool
}

// Add puts e in the calendar. An entry over more than one day (in its
// zone) is an all-day entry from its first day to its last, DTEND being
// the day after (exclusive, RFC 5545); a shorter one keeps its times.
func (c *Calendar) Add(e Entry) {
	v := c.cal.AddEvent(e.UID)
	v.SetDtStampTime(c.now)
	loc := e.Zone
	if loc == nil {
		loc = time.UTC
	}
	first, last := day(e.Start.In(loc)), day(e.End.In(loc).Add(-time.Nanosecond))
	switch {
	case last.After(first):
		v.SetProperty(ics.ComponentPropertyDtStart, first.Format(icalDate), ics.WithValue(string(ics.ValueDataTypeDate)))
		v.SetProperty(ics.ComponentPropertyDtEnd, last.AddDate(0, 0, 1).Format(icalDate), ics.WithValue(string(ics.ValueDataTypeDate)))
	case c.zones[loc.String()] && loc != time.UTC:
		tzid := ics.WithTZID(loc.String())
		v.SetProperty(ics.ComponentPropertyDtStart, e.Start.In(loc).Format(icalLocal), tzid)
		v.SetProperty(ics.ComponentPropertyDtEnd, e.End.In(loc).Format(icalLocal), tzid)
	default:
		v.SetStartAt(e.Start.UTC())
		v.SetEndAt(e.End.UTC())
	}
	v.SetSummary(e.Title)
	if e.Description != "" {
		v.SetDescription(e.Description)
	}
	if e.Location != "" {
		v.SetLocation(e.Location)
	}
	if e.URL != "" {
		v.SetURL(e.URL)
	}
	if e.Cancelled {
		v.SetStatus(ics.ObjectStatusCancelled)
	} else {
		v.SetStatus(ics.ObjectStatusConfirmed)
	}
}

// Event adds the event itself: title, summary, place, page.
func (c *Calendar) Event(e *models.Event, baseURL string, cancelled bool) {
	c.Add(Entry{UID: EventUID(e.ID, Host(baseURL)), Title: e.Title, Description: e.Summary, Location: Place(e),
		URL: baseURL + "/events/" + e.Slug, Start: e.StartsAt, End: e.EndsAt, Zone: e.Location(),
		Cancelled: cancelled || e.Status == models.StatusCancelled})
}

// Session adds one agenda session of e (its Room, when loaded, named in
// the location); desc replaces the session's description when not empty.
func (c *Calendar) Session(e *models.Event, s *models.Session, baseURL, desc string) {
	where := Place(e)
	if s.Room != nil {
		where = Within(s.Room.Name, where)
	}
	if desc == "" {
		desc = s.Description
	}
	c.Add(Entry{UID: SessionUID(s.ID, Host(baseURL)), Title: s.Title + " — " + e.Title, Description: desc, Location: where,
		URL: baseURL + "/events/" + e.Slug + "#session-" + strconv.FormatUint(uint64(s.ID), 10), Start: s.StartsAt, End: s.EndsAt,
		Zone: e.Location(), Cancelled: e.Status == models.StatusCancelled})
}

// String is the calendar as RFC 5545 text: CRLF line ends, lines folded
// at 75 octets.
func (c *Calendar) String() string { return c.cal.Serialize(ics.WithNewLine("\r\n")) }

const (
	icalLocal = "20060102T150405" // a DATE-TIME in local time, with a TZID
	icalDate  = "20060102"        // a DATE
)

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// MeetingPlace is where a one-to-one meeting happens: its table or room
// within the event's venue ("Table 7, Venue, Address"), or the online link.
func MeetingPlace(e *models.Event, l models.MeetingLocation, set *models.NetworkingSetting, roomCode string) string {
	if l.Online {
		if set != nil && set.OnlineLinkTemplate != "" {
			return set.OnlineLink(roomCode)
		}
		return l.Name
	}
	return Within(l.Name, Place(e))
}

// Meeting adds a meeting of e at place, titled for the person whose
// calendar it is.
func (c *Calendar) Meeting(e *models.Event, m *models.Meeting, baseURL, title, desc, place, url string) {
	c.Add(Entry{UID: MeetingUID(m.ID, Host(baseURL)), Title: title, Description: desc, Location: place, URL: url,
		Start: m.Slot.StartsAt, End: m.Slot.EndsAt, Zone: e.Location(),
		Cancelled: e.Status == models.StatusCancelled || m.Status != models.MeetingActive})
}
