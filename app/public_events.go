package app

import (
	"encoding/json"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

func pingDB(a *App) error { return models.Ping(a.db) }

// home lists upcoming events, filterable by kind, with past events apart.
func (a *App) home(c *fiber.Ctx) error {
	kind := c.Query("kind")
	if !models.ValidKind(kind) {
		kind = ""
	}
	now := a.now()
	stamp, err := models.PublicListingStamp(a.db, now)
	if err != nil {
		return errInternal("listing stamp", err)
	}
	return a.serveCached(c, "home:"+kind+":"+a.lang(c)+":"+a.contentLang(c), stamp, func() ([]byte, error) {
		upcoming, past, err := models.PublicEvents(a.db, now, kind)
		if err != nil {
			return nil, errInternal("list events", err)
		}
		marks, err := a.localiseListing(c, upcoming, past)
		if err != nil {
			return nil, err
		}
		if err := a.attachCardPictures(upcoming, past); err != nil {
			return nil, err
		}
		tickets, err := a.cardTickets(upcoming, now)
		if err != nil {
			return nil, err
		}
		return a.renderBytes(c, "public/home", withMap(fiber.Map{
			"Public": true, "Kind": kind, "Kinds": models.EventKinds, "Upcoming": upcoming, "Past": past, "Marks": marks, "Tickets": tickets,
		}, a.homeSEO(c, kind)))
	})
}

// eventPage shows an event with its agenda grouped by day in the event's time zone.
// The page is rendered once per version and language, then served from the cache.
func (a *App) eventPage(c *fiber.Ctx) error {
	slug := c.Params("slug")
	stamp, err := a.eventStamp(slug)
	if err != nil {
		return dbErr("event stamp", err)
	}
	// Keyed by interface and content language: a page whose text fell back
	// to the default language and a translated one never share a slot.
	return a.serveCached(c, "event:"+slug+":"+a.lang(c)+":"+a.contentLang(c), stamp, func() ([]byte, error) { return a.renderEventPage(c, slug) })
}

func (a *App) renderEventPage(c *fiber.Ctx, slug string) ([]byte, error) {
	e, err := models.PublicEventBySlug(a.db, slug)
	if err != nil {
		return nil, dbErr("load event", err)
	}
	data, err := a.eventPageData(c, e)
	if err != nil {
		return nil, err
	}
	data["Indexable"] = true // not the organizers' preview (app/seo.go)
	return a.renderBytes(c, "public/event", data)
}

// eventPageData is what the public event page shows (also in the organizers' preview).
func (a *App) eventPageData(c *fiber.Ctx, e *models.Event) (fiber.Map, error) {
	agenda, err := models.LoadAgenda(a.db, e.ID)
	if err != nil {
		return nil, errInternal("load agenda", err)
	}
	ct, err := a.eventContent(c, e)
	if err != nil {
		return nil, err
	}
	ct.Agenda(agenda)
	set, err := models.NetworkingFor(a.db, e.ID)
	if err != nil {
		return nil, errInternal("load networking", err)
	}
	if err := models.AttachEventPicture(a.db, e); err != nil { // cover and logo (app/images.go)
		return nil, errInternal("load event image", err)
	}
	byEvent, err := models.PublicTicketTypes(a.db, []uint{e.ID})
	if err != nil {
		return nil, errInternal("load ticket types", err)
	}
	visible := byEvent[e.ID]
	for i := range visible {
		ct.TicketType(&visible[i])
	}
	// Nothing is on sale for a cancelled or past event: no price, no offers.
	var tickets models.TicketSummary
	if e.Status == models.StatusPublished && !e.IsPast(a.now()) {
		tickets = models.SummariseTickets(*e, visible, a.now())
	}
	loc := e.Location()
	data := withContent(fiber.Map{
		"Public":     true,
		"Networking": set.Enabled,
		"Event":      e,
		"Loc":        loc,
		"Days":       models.GroupByDay(agenda.Sessions, loc),
		"Speakers":   agenda.Speakers,
		"Past":       e.IsPast(a.now()),
		"Tickets":    tickets,
		"URL":        a.cfg.BaseURL + "/events/" + e.Slug,
		"JSONLD":     eventJSONLD(a.cfg.BaseURL, e, agenda, tickets, ct.ShownLang(models.OwnerEvent, e.ID, "title")),
	}, c, ct, e)
	data["Description"] = eventDescription(newTranslator(a.bundle, a.lang(c)), e) // app/seo.go
	return data, nil
}

// eventJSONLD describes the event for search engines (schema.org Event).
// inLanguage is the language the event's text is shown in.
func eventJSONLD(baseURL string, e *models.Event, agenda *models.Agenda, tickets models.TicketSummary, inLanguage string) template.JS {
	status := "https://schema.org/EventScheduled"
	if e.Status == models.StatusCancelled {
		status = "https://schema.org/EventCancelled"
	}
	mode := "https://schema.org/OfflineEventAttendanceMode"
	var location []any
	if e.Venue != "" || e.Address != "" {
		location = append(location, map[string]any{"@type": "Place", "name": e.Venue, "address": postalAddress(e)})
	}
	if e.OnlineURL != "" {
		location = append(location, map[string]any{"@type": "VirtualLocation", "url": e.OnlineURL})
		mode = "https://schema.org/OnlineEventAttendanceMode"
		if len(location) > 1 {
			mode = "https://schema.org/MixedEventAttendanceMode"
		}
	}
	var performers []any
	for _, s := range agenda.Speakers {
		performers = append(performers, map[string]any{"@type": "Person", "name": s.Name})
	}
	doc := map[string]any{
		"@context":            "https://schema.org",
		"@type":               "Event",
		"name":                e.Title,
		"description":         e.Summary,
		"startDate":           e.StartsAt.In(e.Location()).Format(time.RFC3339),
		"endDate":             e.EndsAt.In(e.Location()).Format(time.RFC3339),
		"eventStatus":         status,
		"eventAttendanceMode": mode,
		"url":                 baseURL + "/events/" + e.Slug,
		"inLanguage":          inLanguage,
		// The site is the organizer's own (organizations have no web
		// address of their own in Agora), so its home page stands for them.
		"organizer": map[string]any{"@type": "Organization", "name": e.Organization.Name, "url": baseURL + "/"},
	}
	if offers := eventOffers(baseURL, e, tickets); len(offers) > 0 {
		doc["offers"] = offers
	}
	if len(location) == 1 {
		doc["location"] = location[0]
	} else if len(location) > 1 {
		doc["location"] = location
	}
	if len(performers) > 0 {
		doc["performer"] = performers
	}
	if e.Image != nil { // the cover's sizes (app/images.go)
		doc["image"] = pictureURLs(baseURL, e.Image)
	}
	b, _ := json.Marshal(doc) // json.Marshal escapes <, > and & so the block cannot close the script
	return template.JS(b)
}

// postalAddress is the venue's address as schema.org reads it: the parts
// the organizer gave, and no empty ones.
func postalAddress(e *models.Event) map[string]any {
	addr := map[string]any{"@type": "PostalAddress"}
	for k, v := range map[string]string{"streetAddress": e.Address, "addressLocality": e.Locality,
		"postalCode": e.PostalCode, "addressCountry": e.Country} {
		if v != "" {
			addr[k] = v
		}
	}
	return addr
}
