package app

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Search engines: every page is marked noindex unless its handler sets
// "Indexable" (the home page, public event pages, the API reference);
// indexable pages carry a meta description ("Description") and a canonical
// link. The base layout writes them (views/partials/seo.html).

// robotsTxt keeps crawlers out of the organizer and admin areas and the API;
// attendees' personal pages are reached only through secret links and say
// noindex themselves.
func (a *App) robotsTxt(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.SendString("User-agent: *\nDisallow: /manage/\nDisallow: /admin/\nDisallow: /api/\nDisallow: /embed/\n")
}

// maxDescription is about what search results show of a description.
const maxDescription = 160

// metaDescription trims s to one line of at most maxDescription characters,
// cut at a word with an ellipsis. The template escapes it.
func metaDescription(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxDescription {
		return s
	}
	r := []rune(s)[:maxDescription-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > maxDescription/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// eventDescription is the event's summary, or a sentence made of its kind,
// organizer and date when it has none.
func eventDescription(l *Translator, e *models.Event) string {
	if strings.TrimSpace(e.Summary) != "" {
		return metaDescription(e.Summary)
	}
	return metaDescription(l.T("seo.event_description", "Kind", l.T("kind."+e.Kind), "Org", e.Organization.Name,
		"Date", l.Date(e.StartsAt.In(e.Location()))))
}

// homeSEO is the home page's description and canonical address (the kind
// filter is part of it: each kind's list is a page of its own).
func (a *App) homeSEO(c *fiber.Ctx, kind string) fiber.Map {
	canonical := a.cfg.BaseURL + "/"
	if kind != "" {
		canonical += "?kind=" + kind
	}
	return fiber.Map{"Indexable": true, "Canonical": canonical,
		"Description": metaDescription(newTranslator(a.bundle, a.lang(c)).T("seo.home_description"))}
}
