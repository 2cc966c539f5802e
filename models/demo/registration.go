package demo

import (
	"errors"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// demoConsents are the consent texts of every demo event.
var demoConsents = map[string]string{
	models.ConsentPrivacy: consentPrivacy, models.ConsentPhotos: consentPhotos,
	models.ConsentResearch: consentResearch, models.ConsentDirectory: consentDirectory,
}

// The consent texts in English, which the translations are keyed by.
const (
	consentPrivacy = "Vallmar Health & Care Cluster keeps your name, e-mail, organization, answers and access needs " +
		"to run this event and to plan access. Only the organizers see them; access and health needs only those who plan access. " +
		"We delete them one year after the event. You can download or correct your data, or cancel, from your registration link."
	consentPhotos = "We take photos and short videos during the event for our website and reports. " +
		"If you do not agree, you get a coloured lanyard and we will not photograph you."
	consentResearch = "The Living Lab researchers take notes of what is said in co-creation sessions, without names, " +
		"to write up the results. You can withdraw this consent at any time."
	consentDirectory = "Show your name and organization in the list of participants that other attendees see, " +
		"so they can contact you for meetings."
)

type demoTicket struct {
	name, desc, category  string
	capacity, maxPerOrder int
}

// seedRegistration gives the published demo events free ticket types, a few
// questions and consent texts, so `agora serve --demo` takes registrations.
// It adds them only to events that have no ticket types yet, so running it
// again changes nothing.
func seedRegistration(db *gorm.DB) (bool, error) {
	plans := map[string][]demoTicket{
		ForumSlug: {
			{"General admission", "Both days, lunch and coffee included.", models.CategoryOther, 0, 1},
			{"Partner delegation", "For partner organizations registering several people at once.", models.CategoryIndustry, 120, 6},
		},
		SymposiumSlug: {{"Participant", "The whole day, including the partner meetings.", models.CategoryOther, 0, 3}},
		AgoraSlug: {
			{"Citizens, patients and carers", "Free. Travel costs can be refunded: ask us.", models.CategoryPatientCitizen, 40, 2},
			{"Professionals and researchers", "Free.", models.CategoryClinician, 20, 3},
		},
	}
	added := false
	for _, slug := range []string{ForumSlug, SymposiumSlug, AgoraSlug} {
		var e models.Event
		if err := db.Where("slug = ?", slug).Take(&e).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				continue
			}
			return added, err
		}
		var n int64
		if err := db.Model(&models.TicketType{}).Where("event_id = ?", e.ID).Count(&n).Error; err != nil {
			return added, err
		}
		if n > 0 {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			for i, t := range plans[slug] {
				tt := models.TicketType{EventID: e.ID, Name: t.name, Description: t.desc, Category: t.category, Currency: "EUR",
					Capacity: t.capacity, MaxPerOrder: t.maxPerOrder, Position: i}
				if err := tx.Create(&tt).Error; err != nil {
					return err
				}
			}
			role := models.Question{EventID: e.ID, Kind: models.QuestionChoice, Label: "Which best describes you?", Required: true, Position: 1}
			role.SetOptions([]string{"Patient or citizen", "Carer", "Health or care professional", "Researcher", "Company", "Public authority"})
			qs := []models.Question{
				role,
				{EventID: e.ID, Kind: models.QuestionText, Label: "What would you like to take home from this event?", Position: 2},
				{EventID: e.ID, Kind: models.QuestionCheckbox, Label: "Send me the Living Lab newsletter", Position: 3},
			}
			for i := range qs {
				if err := tx.Create(&qs[i]).Error; err != nil {
					return err
				}
			}
			for _, kind := range models.ConsentKinds {
				if _, err := models.SetConsentText(tx, e.ID, kind, demoConsents[kind]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return added, err
		}
		added = true
	}
	return added, nil
}
