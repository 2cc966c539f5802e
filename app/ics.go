package app

import (
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// eventICS serves the whole event as one calendar entry.
func (a *App) eventICS(c *fiber.Ctx) error {
	e, err := models.PublicEventBySlug(a.db, c.Params("slug"))
	if err != nil {
		return dbErr("load event", err)
	}
	if _, err := a.eventContent(c, e); err != nil { // ?lang= or the interface's, with fallback
		return err
	}
	cal := newCalendar(e)
	vev := cal.AddEvent("event-" + strconv.FormatUint(uint64(e.ID), 10) + "@" + hostOf(a.cfg.BaseURL))
	fillCalendarEvent(vev, a.now(), e.Title, e.Summary, e.StartsAt, e.EndsAt, eventPlace(e), a.cfg.BaseURL+"/events/"+e.Slug, e.Status)
	return sendCalendar(c, e.Slug+".ics", cal)
}

// sessionICS serves one agenda session as a calendar entry.
func (a *App) sessionICS(c *fiber.Ctx) error {
	e, err := models.PublicEventBySlug(a.db, c.Params("slug"))
	if err != nil {
		return dbErr("load event", err)
	}
	id, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil {
		return errNotFound()
	}
	var s models.Session
	if err := a.db.Preload("Room").Where("id = ? AND event_id = ?", id, e.ID).First(&s).Error; err != nil {
		return dbErr("load session", err)
	}
	ct, err := a.eventContent(c, e)
	if err != nil {
		return err
	}
	ct.Session(&s)
	if s.Room != nil {
		ct.Room(s.Room)
	}
	cal := newCalendar(e)
	vev := cal.AddEvent("session-" + strconv.FormatUint(uint64(s.ID), 10) + "@" + hostOf(a.cfg.BaseURL))
	place := eventPlace(e)
	if s.Room != nil {
		place = s.Room.Name + ", " + place
	}
	fillCalendarEvent(vev, a.now(), s.Title+" — "+e.Title, s.Description, s.StartsAt, s.EndsAt, place, a.cfg.BaseURL+"/events/"+e.Slug+"#session-"+strconv.FormatUint(uint64(s.ID), 10), e.Status)
	return sendCalendar(c, e.Slug+"-session-"+c.Params("id")+".ics", cal)
}

func newCalendar(e *models.Event) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Agora//Agora events//EN")
	cal.SetName(e.Title)
	cal.SetXWRTimezone(e.TimeZone)
	return cal
}

func fillCalendarEvent(vev *ics.VEvent, now time.Time, title, desc string, start, end time.Time, place, url, status string) {
	vev.SetDtStampTime(now.UTC())
	vev.SetStartAt(start.UTC())
	vev.SetEndAt(end.UTC())
	vev.SetSummary(title)
	if desc != "" {
		vev.SetDescription(desc)
	}
	if place != "" {
		vev.SetLocation(place)
	}
	vev.SetURL(url)
	if status == models.StatusCancelled {
		vev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		vev.SetStatus(ics.ObjectStatusConfirmed)
	}
}

func eventPlace(e *models.Event) string {
	parts := []string{}
	for _, p := range []string{e.Venue, e.Address} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return e.OnlineURL
	}
	return strings.Join(parts, ", ")
}

func sendCalendar(c *fiber.Ctx, filename string, cal *ics.Calendar) error {
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.SendString(serializeICS(cal))
}

func hostOf(baseURL string) string {
	h := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	if i := strings.IndexAny(h, "/:"); i >= 0 {
		h = h[:i]
	}
	if h == "" {
		return "agora"
	}
	return h
}

// serializeICS writes cal with the CRLF line endings RFC 5545 requires
// (golang-ical ends lines with a bare LF unless told otherwise); lines are
// folded at 75 octets.
func serializeICS(cal *ics.Calendar) string {
	return cal.Serialize(ics.WithNewLine("\r\n"))
}
