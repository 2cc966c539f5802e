package demo

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// demoFeedbackPerson is a demo participant of the agora and what they
// answered: satisfaction, usefulness, the well-being indicator (0–10), yes/no
// ("would you come again"), and an open text.
type demoFeedbackPerson struct {
	name, category           string
	research                 bool
	satisfied, useful, wellb int
	again                    int
	text                     string
}

var demoFeedbackPeople = []demoFeedbackPerson{
	{"Rosa Martí", models.CategoryPatientCitizen, true, 5, 4, 9, 1, "For the first time I felt the makers listened to what older people actually need at night."},
	{"Joan Puig", models.CategoryPatientCitizen, false, 4, 4, 7, 1, "More time in the small groups, please."},
	{"Elena Vidal", models.CategoryCarer, true, 4, 5, 8, 1, "The carers' session should be a regular meeting, not once a year."},
	{"Pau Serra", models.CategoryCarer, false, 3, 3, 5, 0, "It was hard to hear in Room B."},
	{"Dr. Marc Roig", models.CategoryClinician, true, 5, 4, 8, 1, "Hearing carers describe night-time alarms changed how I will prescribe them."},
	{"Núria Costa", models.CategoryResearcher, true, 4, 5, 7, 1, "Good material for the co-creation protocol; please share the notes."},
	{"Albert Font", models.CategoryIndustry, false, 4, 3, 6, 1, "Useful feedback on our tablet prototype."},
	{"Laura Pons", models.CategoryPublicAuth, true, 5, 5, 8, 1, "We will take the safe-home ideas to the regional ageing plan."},
}

// seedFeedback gives the demo agora a questionnaire and a few answers from
// participants of different categories, some with the research consent and
// some without, so its report shows numbers, charts and the consent rule.
// It does nothing once the agora has a questionnaire.
func seedFeedback(db *gorm.DB) error {
	var e models.Event
	err := db.Where("slug = ?", AgoraSlug).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var n int64
	if err := db.Model(&models.FeedbackForm{}).Where("event_id = ?", e.ID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	var tts []models.TicketType
	if err := db.Where("event_id = ?", e.ID).Order("position, id").Find(&tts).Error; err != nil || len(tts) == 0 {
		return err
	}
	texts, err := models.CurrentConsentTexts(db, e.ID)
	if err != nil {
		return err
	}
	var privacy, research uint
	for _, t := range texts {
		switch t.Kind {
		case models.ConsentPrivacy:
			privacy = t.ID
		case models.ConsentResearch:
			research = t.ID
		}
	}
	form := &models.FeedbackForm{EventID: e.ID, Title: "How was the agora?", SendHours: 2, OpenDays: 14, Sending: true,
		Intro: "Your answers help the Living Lab write up what we learnt together. It takes three minutes."}
	if err := models.SaveFeedbackForm(db, form); err != nil {
		return err
	}
	questions := []models.FeedbackQuestion{
		{Kind: models.FeedbackSatisfaction, Text: "Overall, how satisfied are you?", ScaleMin: 1, ScaleMax: 5, Required: true},
		{Kind: models.FeedbackUsefulness, Text: "How useful was it for you?", ScaleMin: 1, ScaleMax: 5, Required: true},
		{Kind: models.FeedbackIndicator, Text: "Well-being: feeling listened to", ScaleMin: 0, ScaleMax: 10, LowLabel: "Not at all", HighLabel: "Completely"},
		{Kind: models.FeedbackYesNo, Text: "Would you take part in another agora?"},
		{Kind: models.FeedbackOpen, Text: "What should we keep or change?"},
	}
	for i := range questions {
		questions[i].FormID, questions[i].EventID = form.ID, e.ID
		if err := models.SaveFeedbackQuestion(db, &questions[i]); err != nil {
			return err
		}
	}
	var qs []models.Question
	if err := db.Where("event_id = ?", e.ID).Find(&qs).Error; err != nil {
		return err
	}
	describes := map[string]string{models.CategoryPatientCitizen: "Patient or citizen", models.CategoryCarer: "Carer",
		models.CategoryClinician: "Health or care professional", models.CategoryResearcher: "Researcher",
		models.CategoryIndustry: "Company", models.CategoryPublicAuth: "Public authority"}
	for i, p := range demoFeedbackPeople {
		answers := map[uint]string{}
		for _, q := range qs {
			if q.Kind == models.QuestionChoice {
				answers[q.ID] = describes[p.category]
			}
		}
		tt := tts[0]
		if p.category != models.CategoryPatientCitizen && p.category != models.CategoryCarer && len(tts) > 1 {
			tt = tts[1]
		}
		consents := []uint{privacy}
		if p.research && research != 0 {
			consents = append(consents, research)
		}
		email := fmt.Sprintf("agora-participant-%d@example.org", i+1)
		o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: e.ID, TicketTypeID: tt.ID, BuyerName: p.name, BuyerEmail: email, Language: "en",
			Attendees: []models.AttendeeInput{{Name: p.name, Email: email, Category: p.category, ConsentTextIDs: consents, Answers: answers}}})
		if err != nil {
			return fmt.Errorf("feedback demo order: %w", err)
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			// The demo's addresses are not real: their confirmations count as sent.
			if err := tx.Model(&models.OutboxMessage{}).Where("to_addr = ?", email).Update("status", models.OutboxSent).Error; err != nil {
				return err
			}
			var at models.Attendee
			if err := tx.Where("order_id = ?", o.ID).Take(&at).Error; err != nil {
				return err
			}
			if err := tx.Create(&models.FeedbackRequest{FormID: form.ID, AttendeeID: at.ID, EventID: e.ID}).Error; err != nil {
				return err
			}
			now := time.Now().UTC()
			r := models.FeedbackResponse{FormID: form.ID, AttendeeID: at.ID, EventID: e.ID, Category: p.category, SubmittedAt: now, UpdatedAt: now}
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
			values := []int{p.satisfied, p.useful, p.wellb, p.again}
			for j, v := range values {
				v := v
				if err := tx.Create(&models.FeedbackAnswer{ResponseID: r.ID, QuestionID: questions[j].ID, FormID: form.ID, Value: &v}).Error; err != nil {
					return err
				}
			}
			return tx.Create(&models.FeedbackAnswer{ResponseID: r.ID, QuestionID: questions[4].ID, FormID: form.ID, Text: p.text}).Error
		})
		if err != nil {
			return err
		}
	}
	return nil
}
