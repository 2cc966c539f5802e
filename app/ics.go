package app

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/calendar"
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
	cal := newCalendar(e, a.now())
	cal.Event(e, a.cfg.BaseURL, false)
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
	cal := newCalendar(e, a.now())
	cal.Session(e, &s, a.cfg.BaseURL, "")
	return sendCalendar(c, e.Slug+"-session-"+c.Params("id")+".ics", cal)
}

// newCalendar starts a calendar of one event, named after it.
func newCalendar(e *models.Event, now time.Time) *calendar.Calendar {
	cal := calendar.New(e.Title, now)
	cal.SetTimezoneName(e.TimeZone)
	return cal
}

// eventPlace is where e happens, as calendars and feeds write it.
func eventPlace(e *models.Event) string { return calendar.Place(e) }

// hostOf is the host of the site's base URL (ids of calendar and feed entries).
func hostOf(baseURL string) string { return calendar.Host(baseURL) }

// sendCalendar sends cal as a file to download.
func sendCalendar(c *fiber.Ctx, filename string, cal *calendar.Calendar) error {
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return c.SendString(cal.String())
}
