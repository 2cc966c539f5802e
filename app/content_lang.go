package app

import (
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"github.com/agora-events/agora/models"
)

// contentLang is the language a visitor asks the event's content in: an
// explicit ?lang= (hreflang alternates, calendar links, the registration
// form carrying it on), else the interface language they chose (cookie),
// else the first of their browser's languages that content may be written
// in (so a Greek reader gets Greek content even where the interface is not
// offered in Greek), else the interface language. The value is a models
// constant, safe to keep in cache keys and rows.
func (a *App) contentLang(c *fiber.Ctx) string {
	if l := models.CanonicalContentLanguage(c.Query("lang")); l != "" {
		return l
	}
	ui := a.lang(c)
	if c.Cookies(langCookie) == "" {
		if tags, _, err := language.ParseAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)); err == nil {
			for _, tag := range tags {
				base, _ := tag.Base()
				if l := models.CanonicalContentLanguage(base.String()); l != "" {
					return l
				}
			}
		}
	}
	if l := models.CanonicalContentLanguage(ui); l != "" {
		return l
	}
	return models.ContentLanguages[0]
}

// askedLang is the ?lang= the visitor chose explicitly, or "": links on
// the page carry it on so the next page keeps the content language.
func askedLang(c *fiber.Ctx) string { return models.CanonicalContentLanguage(c.Query("lang")) }

// langSuffix is "?lang=xx" for links that carry an explicit choice on.
func langSuffix(c *fiber.Ctx) string {
	if l := askedLang(c); l != "" {
		return "?lang=" + l
	}
	return ""
}

// eventContent loads the event's translations for the visitor's content
// language and resolves the event's own texts in place.
func (a *App) eventContent(c *fiber.Ctx, e *models.Event) (*models.Content, error) {
	ct, err := models.LoadContent(a.db, e, a.contentLang(c))
	if err != nil {
		return nil, errInternal("load content", err)
	}
	ct.Event(e)
	return ct, nil
}

// contentData is what every page showing an event's content needs for the
// fallback note, lang="…" marks and the list of the event's languages.
func contentData(c *fiber.Ctx, ct *models.Content, e *models.Event) fiber.Map {
	return fiber.Map{"C": ct, "EventLangs": e.LanguageList(), "LangNames": models.ContentLanguageNames,
		"LangQ": langSuffix(c)}
}

// withContent adds contentData to a page's data.
func withContent(m fiber.Map, c *fiber.Ctx, ct *models.Content, e *models.Event) fiber.Map {
	for k, v := range contentData(c, ct, e) {
		m[k] = v
	}
	return m
}

// withMap adds extra's entries to m.
func withMap(m, extra fiber.Map) fiber.Map {
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// cardMarks are the lang="…" an event card's title and summary need when
// their language differs from the page's.
type cardMarks struct{ Title, Summary string }

// localiseListing shows each listed event's title and summary in the
// visitor's content language (one query for all) and returns each card's
// marks.
func (a *App) localiseListing(c *fiber.Ctx, lists ...[]models.Event) (map[uint]cardMarks, error) {
	var all []models.Event
	for _, l := range lists {
		all = append(all, l...)
	}
	cts, err := models.LoadContents(a.db, all, a.contentLang(c))
	if err != nil {
		return nil, errInternal("load content", err)
	}
	marks := map[uint]cardMarks{}
	for _, l := range lists {
		for i := range l {
			ct := cts[l[i].ID]
			ct.Event(&l[i])
			marks[l[i].ID] = cardMarks{Title: ct.Mark(models.OwnerEvent, l[i].ID, "title", a.lang(c)),
				Summary: ct.Mark(models.OwnerEvent, l[i].ID, "summary", a.lang(c))}
		}
	}
	return marks, nil
}
