package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// langTexts is what a form holds of its fields' other language versions:
// field → language → text, as typed. The inputs are named "<field>.<lang>".
type langTexts map[string]map[string]string

// parseLangTexts reads fields in each of langs from the posted form.
// Multi-line fields (textareas) keep their inner line breaks.
func parseLangTexts(c *fiber.Ctx, langs []string, fields ...string) langTexts {
	t := langTexts{}
	for _, f := range fields {
		t[f] = map[string]string{}
		for _, l := range langs {
			t[f][l] = strings.TrimSpace(c.FormValue(f + "." + l))
		}
	}
	return t
}

// langTextsOf fills the form from stored translations.
func langTextsOf(ct *models.Content, kind string, id uint, langs []string, fields ...string) langTexts {
	t := langTexts{}
	for _, f := range fields {
		t[f] = map[string]string{}
		for _, l := range langs {
			t[f][l] = ct.Translation(kind, id, f, l)
		}
	}
	return t
}

// validate applies each field's length limit (the base field's) to every
// language version; the message sits beside that version's input.
func (t langTexts) validate(errs FieldErrors, limits map[string]int) {
	for f, byLang := range t {
		for l, v := range byLang {
			checkLen(errs, f+"."+l, v, limits[f])
		}
	}
}

// fields returns the translations to store for owner (kind, id).
func (t langTexts) fields(kind string, id uint) []models.TranslatedField {
	var out []models.TranslatedField
	for f, byLang := range t {
		out = append(out, models.TranslatedField{Kind: kind, ID: id, Field: f, Texts: byLang})
	}
	return out
}

// storedLangTexts loads an owner's stored translations in the event's
// other languages, for its edit form (id 0: a new owner, nothing stored).
func (a *App) storedLangTexts(e *models.Event, kind string, id uint, fields ...string) (langTexts, error) {
	if id == 0 {
		return parseLangTexts(nil, nil, fields...), nil
	}
	ct, err := models.LoadContent(a.db, e, e.DefaultLang())
	if err != nil {
		return nil, errInternal("load content", err)
	}
	return langTextsOf(ct, kind, id, e.OtherLanguages(), fields...), nil
}
