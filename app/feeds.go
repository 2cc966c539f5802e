package app

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/calendar"
	"github.com/agora-events/agora/models"
)

// Feeds anyone may subscribe to, without signing in: an event's whole
// programme and an organization's upcoming events as calendars (.ics), and
// upcoming events as Atom news feeds, site-wide and per organization. Their
// text is in the event's default language, or in ?lang= when it names a
// content language. Entries keep the ids of the single-entry calendars
// (ics.go), so a subscribed programme and a downloaded session coincide.
func (a *App) feedRoutes(f *fiber.App) {
	f.Get("/events.atom", a.eventsAtom)
	f.Get("/events/:slug/programme.ics", a.programmeICS)
	f.Get("/orgs/:org/events.ics", a.orgEventsICS)
	f.Get("/orgs/:org/events.atom", a.orgEventsAtom)
}

// feedMaxAge is how long a feed reader may keep a feed without asking.
const feedMaxAge = "public, max-age=300"

// feedFresh sets the feed's caching headers from tag (what the feed is made
// of, with its version) and reports whether the reader's copy is current,
// in which case a 304 has been set and nothing more is to be sent.
func feedFresh(c *fiber.Ctx, tag string) bool {
	sum := sha256.Sum256([]byte(tag))
	etag := `W/"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, feedMaxAge)
	c.Set(fiber.HeaderVary, "Accept-Encoding")
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, etag) {
		c.Status(fiber.StatusNotModified)
		return true
	}
	return false
}

// feedLang is the content language a feed is written in: ?lang= when it
// names a content language, else "" (each event's default language).
func feedLang(c *fiber.Ctx) string { return askedLang(c) }

// programmeICS serves every session of an event, in the event's time zone.
func (a *App) programmeICS(c *fiber.Ctx) error {
	slug := c.Params("slug")
	stamp, err := a.eventStamp(slug)
	if err != nil {
		return dbErr("event stamp", err)
	}
	if feedFresh(c, "programme:"+slug+":"+stamp+":"+feedLang(c)) {
		return nil
	}
	e, err := models.PublicEventBySlug(a.db, slug)
	if err != nil {
		return dbErr("load event", err)
	}
	agenda, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return errInternal("load agenda", err)
	}
	lang := feedLang(c)
	if lang == "" {
		lang = e.DefaultLang()
	}
	ct, err := models.LoadContent(a.db, e, lang)
	if err != nil {
		return errInternal("load content", err)
	}
	ct.Event(e)
	ct.Agenda(agenda)
	L := a.feedTranslator(lang)
	cal := newCalendar(e, a.now())
	from, to := e.StartsAt, e.EndsAt
	for _, s := range agenda.Sessions {
		from, to = minTime(from, s.StartsAt), maxTime(to, s.EndsAt)
	}
	cal.AddTimezone(e.Location(), from.Add(-24*time.Hour), to.Add(24*time.Hour))
	for i := range agenda.Sessions {
		s := &agenda.Sessions[i]
		desc := ""
		if len(s.Speakers) > 0 {
			names := make([]string, len(s.Speakers))
			for i, sp := range s.Speakers {
				names[i] = sp.Name
				if sp.Organization != "" {
					names[i] += " (" + sp.Organization + ")"
				}
			}
			desc = strings.TrimSpace(L.T("event.speakers") + ": " + strings.Join(names, ", ") + "\n\n" + s.Description)
		}
		cal.Session(e, s, a.cfg.BaseURL, desc)
	}
	if len(agenda.Sessions) == 0 { // nothing planned yet: the event itself
		cal.Event(e, a.cfg.BaseURL, false)
	}
	return sendFeedCalendar(c, cal)
}

// feedOrganization is the organization named in the address.
func (a *App) feedOrganization(c *fiber.Ctx) (*models.Organization, error) {
	o, err := models.OrganizationByRef(a.db, c.Params("org"))
	if err != nil {
		return nil, dbErr("organization", err)
	}
	return o, nil
}

// feedEvents loads the upcoming events of orgID (0: all) in the feed's
// language, unless the reader's copy is current (nil, true).
func (a *App) feedEvents(c *fiber.Ctx, kind string, orgID uint) ([]models.Event, bool, error) {
	now := a.now()
	stamp, err := models.PublicListingStamp(a.db, now)
	if err != nil {
		return nil, false, errInternal("listing stamp", err)
	}
	if feedFresh(c, kind+":"+strconv.FormatUint(uint64(orgID), 10)+":"+stamp+":"+feedLang(c)) {
		return nil, true, nil
	}
	events, err := models.FeedEvents(a.db, now, orgID)
	if err != nil {
		return nil, false, errInternal("feed events", err)
	}
	if lang := feedLang(c); lang != "" {
		cts, err := models.LoadContents(a.db, events, lang)
		if err != nil {
			return nil, false, errInternal("load content", err)
		}
		for i := range events {
			cts[events[i].ID].Event(&events[i])
		}
	}
	return events, false, nil
}

// orgEventsICS serves an organization's upcoming events, one entry each,
// in each event's own time zone.
func (a *App) orgEventsICS(c *fiber.Ctx) error {
	org, err := a.feedOrganization(c)
	if err != nil {
		return err
	}
	events, fresh, err := a.feedEvents(c, "org-ics", org.ID)
	if err != nil || fresh {
		return err
	}
	cal := calendar.New(org.Name, a.now())
	// Each zone once, covering all its events: one pass for the spans.
	type span struct {
		loc         *time.Location
		first, last time.Time
	}
	var zones []string
	spans := map[string]*span{}
	for _, e := range events {
		loc := e.Location()
		if s := spans[loc.String()]; s != nil {
			s.first, s.last = minTime(s.first, e.StartsAt), maxTime(s.last, e.EndsAt)
			continue
		}
		zones = append(zones, loc.String())
		spans[loc.String()] = &span{loc, e.StartsAt, e.EndsAt}
	}
	for _, z := range zones {
		s := spans[z]
		cal.AddTimezone(s.loc, s.first.Add(-24*time.Hour), s.last.Add(24*time.Hour))
	}
	for i := range events {
		cal.Event(&events[i], a.cfg.BaseURL, false)
	}
	return sendFeedCalendar(c, cal)
}

// sendFeedCalendar sends a calendar meant to be subscribed to (shown, not
// downloaded as an attachment).
func sendFeedCalendar(c *fiber.Ctx, cal *calendar.Calendar) error {
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.SendString(cal.String())
}

// feedTranslator writes a feed's few words (labels, dates) in lang when the
// interface speaks it, else in English.
func (a *App) feedTranslator(lang string) *Translator {
	if !a.langs.offers(lang) {
		lang = "en"
	}
	return newTranslator(a.bundle, lang)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
