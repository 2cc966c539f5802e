package demo

import (
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// demoLanguages are the demo events written in more than one language: the
// Brussels symposium in English and French, the forum in English (its
// default), Galician and Spanish.
var demoLanguages = map[string][]string{
	SymposiumSlug: {"en", "fr"},
	ForumSlug:     {"en", "gl", "es"},
}

// seedTranslations writes the demo events' other language versions, once:
// an event that already lists more than one language is left alone, so
// running the seed again changes nothing and an organizer's edits stay.
func seedTranslations(db *gorm.DB) error {
	for _, slug := range []string{SymposiumSlug, ForumSlug} {
		var e models.Event
		if err := db.Where("slug = ?", slug).Take(&e).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				continue
			}
			return err
		}
		if len(e.LanguageList()) > 1 {
			continue
		}
		if err := db.Transaction(func(tx *gorm.DB) error { return translateEvent(tx, &e, demoLanguages[slug]) }); err != nil {
			return err
		}
	}
	return nil
}

// translateEvent sets the event's languages and stores, for each of its
// texts whose English words the dictionary knows, the other languages'.
func translateEvent(tx *gorm.DB, e *models.Event, langs []string) error {
	if err := models.SetEventLanguages(tx, e, langs[0], langs); err != nil {
		return err
	}
	var fields []models.TranslatedField
	add := func(kind string, id uint, field, english string) {
		if strings.TrimSpace(english) == "" {
			return
		}
		texts := map[string]string{}
		for _, l := range langs[1:] {
			if t := demoDictionary[l][english]; t != "" {
				texts[l] = t
			}
		}
		if len(texts) > 0 {
			fields = append(fields, models.TranslatedField{Kind: kind, ID: id, Field: field, Texts: texts})
		}
	}
	add(models.OwnerEvent, e.ID, "title", e.Title)
	add(models.OwnerEvent, e.ID, "summary", e.Summary)
	add(models.OwnerEvent, e.ID, "description", e.Description)
	add(models.OwnerEvent, e.ID, "venue", e.Venue)
	add(models.OwnerEvent, e.ID, "address", e.Address)
	ag, err := models.LoadAgenda(tx, e.ID)
	if err != nil {
		return err
	}
	for _, s := range ag.Sessions {
		add(models.OwnerSession, s.ID, "title", s.Title)
		add(models.OwnerSession, s.ID, "description", s.Description)
	}
	for _, r := range ag.Rooms {
		add(models.OwnerRoom, r.ID, "name", r.Name)
	}
	for _, t := range ag.Tracks {
		add(models.OwnerTrack, t.ID, "name", t.Name)
	}
	for _, s := range ag.Speakers {
		add(models.OwnerSpeaker, s.ID, "bio", s.Bio)
	}
	var tts []models.TicketType
	if err := tx.Where("event_id = ?", e.ID).Find(&tts).Error; err != nil {
		return err
	}
	for _, t := range tts {
		add(models.OwnerTicketType, t.ID, "name", t.Name)
		add(models.OwnerTicketType, t.ID, "description", t.Description)
	}
	var qs []models.Question
	if err := tx.Where("event_id = ?", e.ID).Find(&qs).Error; err != nil {
		return err
	}
	for _, q := range qs {
		add(models.OwnerQuestion, q.ID, "label", q.Label)
		if q.Kind == models.QuestionChoice {
			if texts := choiceTranslations(q, langs[1:]); len(texts) > 0 {
				fields = append(fields, models.TranslatedField{Kind: models.OwnerQuestion, ID: q.ID, Field: "options", Texts: texts})
			}
		}
	}
	if err := models.SaveTranslations(tx, e.ID, fields...); err != nil {
		return err
	}
	// Consent texts: the language versions are part of the version, so
	// they make version 2 (nobody has agreed to anything yet in a demo).
	cts, err := models.CurrentConsentTexts(tx, e.ID)
	if err != nil {
		return err
	}
	for _, ct := range cts {
		texts := map[string]string{}
		for _, l := range langs[1:] {
			if t := demoDictionary[l][ct.Body]; t != "" {
				texts[l] = t
			}
		}
		if _, err := models.SetConsentTextVersions(tx, e.ID, ct.Kind, ct.Body, texts); err != nil {
			return err
		}
	}
	return nil
}
