package app

import (
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// atomFeed is an Atom (RFC 4287) feed of upcoming events. encoding/xml
// escapes every text and attribute, so an event's title cannot break out.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID        string        `xml:"id"`
	Title     atomText      `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published,omitempty"`
	Links     []atomLink    `xml:"link"`
	Author    atomPerson    `xml:"author"`
	Category  *atomCategory `xml:"category,omitempty"`
	Summary   atomText      `xml:"summary"`
}

// eventsAtom is the site's feed of upcoming events.
func (a *App) eventsAtom(c *fiber.Ctx) error {
	events, fresh, err := a.feedEvents(c, "atom", 0)
	if err != nil || fresh {
		return err
	}
	L := a.feedTranslator(feedLang(c))
	return a.sendAtom(c, events, L.T("feeds.site_title"), "/events.atom", "/")
}

// orgEventsAtom is one organization's feed of upcoming events.
func (a *App) orgEventsAtom(c *fiber.Ctx) error {
	org, err := a.feedOrganization(c)
	if err != nil {
		return err
	}
	events, fresh, err := a.feedEvents(c, "org-atom", org.ID)
	if err != nil || fresh {
		return err
	}
	L := a.feedTranslator(feedLang(c))
	return a.sendAtom(c, events, L.T("feeds.org_title", "Org", org.Name), "/orgs/"+org.Slug+"/events.atom", "/")
}

// sendAtom writes events as an Atom feed found at self.
func (a *App) sendAtom(c *fiber.Ctx, events []models.Event, title, self, alternate string) error {
	lang := feedLang(c)
	L := a.feedTranslator(lang)
	q := ""
	if lang != "" {
		q = "?lang=" + lang
	}
	host := hostOf(a.cfg.BaseURL)
	f := atomFeed{Lang: lang, ID: a.cfg.BaseURL + self, Title: title,
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: a.cfg.BaseURL + self + q},
			{Rel: "alternate", Type: "text/html", Href: a.cfg.BaseURL + alternate + q}},
		Author: atomPerson{Name: "Agora"}}
	var updated time.Time
	for i := range events {
		e := &events[i]
		updated = maxTime(updated, e.UpdatedAt)
		f.Entries = append(f.Entries, atomEntry{
			// A tag URI by id, not the address: it stays when the slug changes.
			ID:        "tag:" + host + ",2024:event-" + strconv.FormatUint(uint64(e.ID), 10),
			Title:     atomText{Type: "text", Text: e.Title},
			Updated:   e.UpdatedAt.UTC().Format(time.RFC3339),
			Published: e.CreatedAt.UTC().Format(time.RFC3339),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: a.cfg.BaseURL + "/events/" + e.Slug + q}},
			Author:    atomPerson{Name: e.Organization.Name},
			Category:  &atomCategory{Term: e.Kind, Label: L.T("kind." + e.Kind)},
			Summary:   atomText{Type: "text", Text: atomSummary(L, e)},
		})
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return errInternal("atom feed", err)
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}

// atomSummary says when and where, then the organizers' summary.
func atomSummary(L *Translator, e *models.Event) string {
	loc := e.Location()
	when := L.Date(e.StartsAt.In(loc)) + ", " + L.Clock(e.StartsAt.In(loc)) + " (" + e.TimeZone + ")"
	parts := []string{when}
	if p := eventPlace(e); p != "" {
		parts = append(parts, p)
	}
	s := strings.Join(parts, " · ")
	if e.Summary != "" {
		s += "\n\n" + e.Summary
	}
	return s
}
