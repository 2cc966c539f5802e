package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// beyondLimit orders are more than SQLite's variables in one statement.
const beyondLimit = 33000

// eventBeyondTheVariableLimit is an event and ticket type for beyondLimit orders; on
// SQLite only, whose limit it is (PostgreSQL's is 65,535 parameters).
func eventBeyondTheVariableLimit(t *testing.T) (*gorm.DB, *models.Event, *models.TicketType) {
	t.Helper()
	if modeltest.Engine() != "sqlite" {
		t.Skip("the limit is SQLite's (PostgreSQL's is 65,535 parameters)")
	}
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Big network", "owner@big.example", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "big-forum", models.StatusPublished)
	tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	return db, ev, tt
}

// The export of an event bigger than SQLite's limit of variables in one
// statement (32,766) reads every attendee with their order and ticket
// type: a list of ids passed to IN made it fail at that size.
func TestExportBeyondTheVariableLimit(t *testing.T) {
	db, ev, tt := eventBeyondTheVariableLimit(t)
	ids := modeltest.BulkOrders(t, db, ev, tt, beyondLimit, time.Now().Add(-time.Hour))
	as, err := models.EventAttendeesForExport(db, ev.ID)
	if err != nil {
		t.Fatalf("export of %d: %v", beyondLimit, err)
	}
	if len(as) != beyondLimit {
		t.Fatalf("%d attendees exported, want %d", len(as), beyondLimit)
	}
	for _, i := range []int{0, beyondLimit / 2, beyondLimit - 1} {
		a := as[i]
		if a.Order == nil || a.Order.ID != ids[i] || a.TicketType.ID != tt.ID || a.Order.BuyerEmail != a.Email {
			t.Errorf("attendee %d: order %+v, ticket type %d", i, a.Order, a.TicketType.ID)
		}
	}
}

// Cancelling an event of more orders than SQLite's variables in one
// statement cancels every one of them (their attendees were read through a
// list of order ids, which failed at that size).
func TestCancelBeyondTheVariableLimit(t *testing.T) {
	db, ev, tt := eventBeyondTheVariableLimit(t)
	modeltest.BulkOrders(t, db, ev, tt, beyondLimit, time.Now().Add(-time.Hour))
	if _, err := models.CancelEvent(db, models.CancelEventInput{EventID: ev.ID, Subject: "Cancelled", Body: "Sorry.", BodyHTML: "<p>Sorry.</p>", Now: time.Now()}); err != nil {
		t.Fatalf("cancelling an event of %d orders: %v", beyondLimit, err)
	}
	var live int64
	db.Model(&models.Order{}).Where("event_id = ? AND status IN ?", ev.ID, []string{models.OrderConfirmed, models.OrderPending}).Count(&live)
	if live != 0 {
		t.Fatalf("%d orders still live after the cancellation", live)
	}
}
