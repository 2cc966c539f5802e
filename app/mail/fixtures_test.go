package mail_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// recorder is a Sender that keeps what it was given, and fails while fail is set.
type recorder struct {
	mu   sync.Mutex
	sent []mail.Message
	fail error
}

func (r *recorder) Send(_ context.Context, m mail.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// registration makes an open event with a session and places a free order
// of two attendees in lang; it returns the order.
func registration(t *testing.T, db *gorm.DB, lang string) *models.Order {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Org", "owner-"+lang+"@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "forum-"+lang, models.StatusPublished)
	db.Model(ev).Updates(map[string]any{"venue": "Palacio de Congresos", "address": "Calle Mayor 1, Valencia"})
	privacy, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "Privacy text")
	if err != nil {
		t.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "Citizen", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 2}
	db.Create(tt)
	s := &models.Session{EventID: ev.ID, Title: "Agora on home care", Format: models.FormatAgora, SignUp: true, Capacity: 20,
		StartsAt: ev.StartsAt.Add(time.Hour), EndsAt: ev.StartsAt.Add(2 * time.Hour)}
	db.Create(s)
	o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Ana García",
		BuyerEmail: "ana-" + lang + "@example.org", Language: lang, Attendees: []models.AttendeeInput{
			// Both attendees use the buyer's address: the buyer's mail is
			// the only one (delegates with their own are tested apart).
			{Name: "Ana García", Email: "ana-" + lang + "@example.org", ConsentTextIDs: []uint{privacy.ID}, SessionIDs: []uint{s.ID},
				Needs: models.AccessNeeds{StepFree: true}},
			{Name: "Luis <b>Pérez</b>", Email: "ana-" + lang + "@example.org", ConsentTextIDs: []uint{privacy.ID}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func enqueuePlain(t *testing.T, db *gorm.DB, n int, at time.Time) {
	enqueueKeyed(t, db, "plain-", n, at)
}

func enqueueKeyed(t *testing.T, db *gorm.DB, prefix string, n int, at time.Time) {
	t.Helper()
	err := db.Transaction(func(tx *gorm.DB) error {
		for i := 0; i < n; i++ {
			m := &models.OutboxMessage{To: "x@example.org", Subject: "s", TextBody: "t", DedupeKey: prefix + itoa(i), NextAttemptAt: at}
			if err := models.Enqueue(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }

func status(t *testing.T, db *gorm.DB, id uint) models.OutboxMessage {
	t.Helper()
	var m models.OutboxMessage
	if err := db.Take(&m, id).Error; err != nil {
		t.Fatal(err)
	}
	return m
}

var errDown = errors.New("server down")
