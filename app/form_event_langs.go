package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// eventTextFields are the event's texts written per language, with the
// base field's limit.
var eventTextFields = map[string]int{"title": maxEventTitle, "summary": maxEventSummary, "description": maxEventDescription,
	"venue": maxEventVenue, "address": maxEventAddress}

// EventLangForm is the event form's language part: which languages the
// event's texts are written in, the default, and the other languages'
// versions of the title, summary, description, venue and address.
type EventLangForm struct {
	Languages       []string
	DefaultLanguage string
	Tr              langTexts
	// Present is false for a post without the language part, which then
	// leaves the event's languages as they are.
	Present bool
}

// parseEventLangForm reads the ticked languages (kept as typed, for the
// form) and the texts of each ticked language but the default.
func parseEventLangForm(c *fiber.Ctx) EventLangForm {
	f := EventLangForm{DefaultLanguage: c.FormValue("default_language"),
		Present: c.Request().PostArgs().Has("default_language")}
	for _, v := range c.Request().PostArgs().PeekMulti("languages") {
		f.Languages = append(f.Languages, string(v))
	}
	if len(f.Languages) == 0 && f.DefaultLanguage == "" {
		f.DefaultLanguage = models.ContentLanguages[0]
	}
	f.Tr = parseLangTexts(c, f.Others(), "title", "summary", "description", "venue", "address")
	return f
}

// eventLangFormFrom fills the language part from the stored event.
func eventLangFormFrom(e *models.Event, ct *models.Content) EventLangForm {
	f := EventLangForm{Languages: e.LanguageList(), DefaultLanguage: e.DefaultLang(), Present: true}
	f.Tr = langTextsOf(ct, models.OwnerEvent, e.ID, f.Others(), "title", "summary", "description", "venue", "address")
	return f
}

// Others are the ticked languages besides the default: one set of
// fields each. Unknown codes are left out (Validate reports them).
func (f EventLangForm) Others() []string {
	var out []string
	for _, l := range f.Languages {
		if c := models.CanonicalContentLanguage(l); c != "" && c != f.DefaultLanguage {
			out = append(out, c)
		}
	}
	return out
}

// Ticked reports whether l is ticked (for the checkboxes).
func (f EventLangForm) Ticked(l string) bool {
	for _, x := range f.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// Validate checks the languages and each text's length.
func (f EventLangForm) Validate() FieldErrors {
	errs := FieldErrors{}
	if !f.Present {
		return errs
	}
	def := models.CanonicalContentLanguage(f.DefaultLanguage)
	if def == "" {
		errs.Add("default_language", "content.unknown_language")
	}
	for _, l := range f.Languages {
		if !models.ValidContentLanguage(l) {
			errs.Add("languages", "content.unknown_language")
		}
	}
	if def != "" && len(f.Languages) > 0 && !f.Ticked(def) {
		errs.Add("languages", "content.default_not_listed")
	}
	f.Tr.validate(errs, eventTextFields)
	return errs
}

// langs is the validated list to store, default first.
func (f EventLangForm) langs() (string, []string) {
	def := models.CanonicalContentLanguage(f.DefaultLanguage)
	return def, append([]string{def}, f.Others()...)
}

// saveEventLangs stores a validated language part with the event, in the
// event's own transaction.
func saveEventLangs(tx *gorm.DB, e *models.Event, f EventLangForm) error {
	if !f.Present {
		return nil
	}
	def, langs := f.langs()
	if err := models.SetEventLanguages(tx, e, def, langs); err != nil {
		return err
	}
	return models.SaveTranslations(tx, e.ID, f.Tr.fields(models.OwnerEvent, e.ID)...)
}
