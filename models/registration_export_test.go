package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The export of an event bigger than SQLite's limit of variables in one
// statement (32,766) reads every attendee with their order and ticket
// type: a list of ids passed to IN made it fail at that size.
func TestExportBeyondTheVariableLimit(t *testing.T) {
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
	const n = 33000
	ids := modeltest.BulkOrders(t, db, ev, tt, n, time.Now().Add(-time.Hour))
	as, err := models.EventAttendeesForExport(db, ev.ID)
	if err != nil {
		t.Fatalf("export of %d: %v", n, err)
	}
	if len(as) != n {
		t.Fatalf("%d attendees exported, want %d", len(as), n)
	}
	for _, i := range []int{0, n / 2, n - 1} {
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
	const n = 33000
	modeltest.BulkOrders(t, db, ev, tt, n, time.Now().Add(-time.Hour))
	if _, err := models.CancelEvent(db, models.CancelEventInput{EventID: ev.ID, Subject: "Cancelled", Body: "Sorry.", BodyHTML: "<p>Sorry.</p>", Now: time.Now()}); err != nil {
		t.Fatalf("cancelling an event of %d orders: %v", n, err)
	}
	var live int64
	db.Model(&models.Order{}).Where("event_id = ? AND status IN ?", ev.ID, []string{models.OrderConfirmed, models.OrderPending}).Count(&live)
	if live != 0 {
		t.Fatalf("%d orders still live after the cancellation", live)
	}
}
