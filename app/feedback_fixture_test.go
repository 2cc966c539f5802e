package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// feedbackWorld is a Living Lab agora that ended three hours ago, with four
// people of different categories (two gave the research consent), and a
// questionnaire switched on, sent two hours after the end.
type feedbackWorld struct {
	app       *fiber.App
	db        *gorm.DB
	event     *models.Event
	form      *models.FeedbackForm
	people    []models.Attendee // patient (research), carer (no), clinician (research), industry (no)
	satisfy   *models.FeedbackQuestion
	indicator *models.FeedbackQuestion
	open      *models.FeedbackQuestion
}

const feedbackOwner = "owner-lab@example.org"

func newFeedbackWorld(t *testing.T) *feedbackWorld {
	t.Helper()
	app, db := newTestApp(t)
	w := seedFeedbackWorld(t, db)
	w.app = app
	return w
}

// seedFeedbackWorld writes the world's rows into db.
func seedFeedbackWorld(t *testing.T, db *gorm.DB) *feedbackWorld {
	t.Helper()
	w := &feedbackWorld{db: db}
	org, _ := modeltest.Organizer(t, db, "Living Lab", feedbackOwner, models.RoleOwner)
	w.event = modeltest.Event(t, db, org.ID, "lab-agora", models.StatusPublished)
	privacy, err := models.SetConsentText(db, w.event.ID, models.ConsentPrivacy, "Privacy")
	if err != nil {
		t.Fatal(err)
	}
	research, err := models.SetConsentText(db, w.event.ID, models.ConsentResearch, "Research use")
	if err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: w.event.ID, Name: "Participant", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 4}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	cats := []string{models.CategoryPatientCitizen, models.CategoryCarer, models.CategoryClinician, models.CategoryIndustry}
	for i, cat := range cats {
		consents := []uint{privacy.ID}
		if i%2 == 0 {
			consents = append(consents, research.ID)
		}
		email := fmt.Sprintf("person%d@example.org", i+1)
		lang := "en"
		if i == 1 {
			lang = "es"
		}
		o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: w.event.ID, TicketTypeID: tt.ID, BuyerName: "Person " + cat,
			BuyerEmail: email, Language: lang, Attendees: []models.AttendeeInput{{Name: "Person " + cat, Email: email, Category: cat, ConsentTextIDs: consents}}})
		if err != nil {
			t.Fatalf("PlaceOrder: %v", err)
		}
		var at models.Attendee
		if err := db.Where("order_id = ?", o.ID).Take(&at).Error; err != nil {
			t.Fatal(err)
		}
		w.people = append(w.people, at)
	}
	// The agora is over: it ended three hours ago.
	end := time.Now().UTC().Add(-3 * time.Hour)
	if err := db.Model(w.event).Updates(map[string]any{"starts_at": end.Add(-4 * time.Hour), "ends_at": end}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Take(w.event, w.event.ID).Error; err != nil {
		t.Fatal(err)
	}
	// Registering queued confirmations: mark them sent, so the outbox holds only feedback.
	if err := db.Model(&models.OutboxMessage{}).Where("1 = 1").Update("status", models.OutboxSent).Error; err != nil {
		t.Fatal(err)
	}
	w.form = &models.FeedbackForm{EventID: w.event.ID, Title: "How was the agora?", SendHours: 2, OpenDays: 14, Sending: true}
	if err := models.SaveFeedbackForm(db, w.form); err != nil {
		t.Fatal(err)
	}
	w.satisfy = w.question(t, models.FeedbackQuestion{Kind: models.FeedbackSatisfaction, Text: "Overall, how satisfied are you?", ScaleMin: 1, ScaleMax: 5, Required: true})
	w.indicator = w.question(t, models.FeedbackQuestion{Kind: models.FeedbackIndicator, Text: "Well-being: feeling listened to", ScaleMin: 0, ScaleMax: 10,
		LowLabel: "Not at all", HighLabel: "Completely"})
	w.open = w.question(t, models.FeedbackQuestion{Kind: models.FeedbackOpen, Text: "What should we change?"})
	return w
}

func (w *feedbackWorld) question(t *testing.T, q models.FeedbackQuestion) *models.FeedbackQuestion {
	t.Helper()
	q.FormID, q.EventID = w.form.ID, w.event.ID
	if err := models.SaveFeedbackQuestion(w.db, &q); err != nil {
		t.Fatal(err)
	}
	return &q
}

// loadForm is the questionnaire with its questions, as the rules take it.
func (w *feedbackWorld) loadForm(t *testing.T) *models.FeedbackForm {
	t.Helper()
	f, err := models.FeedbackFormOf(w.db, w.event.ID, w.form.ID)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (w *feedbackWorld) link(i int) string {
	return fmt.Sprintf("/tickets/%s/feedback/%d", w.people[i].LinkSecret, w.form.ID)
}

func (w *feedbackWorld) manage() string {
	return fmt.Sprintf("/manage/events/%d/feedback/%d", w.event.ID, w.form.ID)
}

// rolesFeedbackForm gives the roles walk a questionnaire with one question
// on the event.
func rolesFeedbackForm(t *testing.T, db *gorm.DB, eventID uint) (formID, questionID uint) {
	t.Helper()
	f := &models.FeedbackForm{EventID: eventID, Title: "Roles feedback", SendHours: 2, OpenDays: 14}
	if err := models.SaveFeedbackForm(db, f); err != nil {
		t.Fatal(err)
	}
	q := &models.FeedbackQuestion{FormID: f.ID, EventID: eventID, Kind: models.FeedbackOpen, Text: "Anything else?"}
	if err := models.SaveFeedbackQuestion(db, q); err != nil {
		t.Fatal(err)
	}
	return f.ID, q.ID
}
