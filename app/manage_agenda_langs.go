package app

import (
	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// agendaItemText is the text of a room, track or speaker that is written
// per language on its edit page: the input's name, the stored field, and
// the base field's label, shape and limit.
type agendaItemText struct {
	owner, input, field, label, typ string
	rows, max                       int
}

var agendaItemTexts = map[string]agendaItemText{
	"room":    {owner: models.OwnerRoom, input: "room_name", field: "name", label: "room.name", max: maxAgendaName},
	"track":   {owner: models.OwnerTrack, input: "track_name", field: "name", label: "track.name", max: maxAgendaName},
	"speaker": {owner: models.OwnerSpeaker, input: "speaker_bio", field: "bio", label: "speaker.bio", typ: "textarea", rows: 4, max: maxSpeakerBio},
}

// storedItemTexts loads an agenda record's stored translations, keyed by
// its input's name, for the edit form.
func (a *App) storedItemTexts(e *models.Event, k agendaKind, id uint) (langTexts, error) {
	t := agendaItemTexts[k.name]
	stored, err := a.storedLangTexts(e, t.owner, id, t.field)
	if err != nil {
		return nil, err
	}
	return langTexts{t.input: stored[t.field]}, nil
}

// parseItemTexts reads and checks the posted translations of kind's text.
func parseItemTexts(c *fiber.Ctx, e *models.Event, k agendaKind, errs FieldErrors) langTexts {
	t := agendaItemTexts[k.name]
	tr := parseLangTexts(c, e.OtherLanguages(), t.input)
	tr.validate(errs, map[string]int{t.input: t.max})
	return tr
}

// saveItem updates an agenda record and its translations in one transaction.
func (a *App) saveItem(e *models.Event, k agendaKind, id uint, cols map[string]any, tr langTexts) error {
	t := agendaItemTexts[k.name]
	return a.db.Transaction(func(tx *gorm.DB) error {
		if err := models.UpdateAgendaItem(tx, e.ID, id, k.model, cols); err != nil {
			return err
		}
		return models.SaveTranslations(tx, e.ID, models.TranslatedField{Kind: t.owner, ID: id, Field: t.field, Texts: tr[t.input]})
	})
}

// itemLangData is what the edit page's "langfields" needs.
func itemLangData(e *models.Event, k agendaKind, tr langTexts) fiber.Map {
	t := agendaItemTexts[k.name]
	return fiber.Map{"Tr": tr, "TrInput": t.input, "TrLabel": t.label, "TrType": t.typ, "TrRows": t.rows, "TrMax": t.max,
		"OtherLangs": e.OtherLanguages(), "LangNames": models.ContentLanguageNames}
}
