package jobs_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestSweepExpiresHoldsAndNudges(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "ev", models.StatusPublished)
	tt := &models.TicketType{EventID: ev.ID, Name: "Paid", Price: 1000, Currency: "EUR", Capacity: 1, Category: models.CategoryOther, MaxPerOrder: 1}
	db.Create(tt)
	now := time.Now().UTC()
	if _, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "A", BuyerEmail: "a@example.org",
		Attendees: []models.AttendeeInput{{Name: "A", Email: "a@example.org"}}, Hold: time.Minute, Now: now}); err != nil {
		t.Fatal(err)
	}
	nudged := 0
	e := &jobs.Expiry{DB: db, Now: func() time.Time { return now.Add(2 * time.Minute) }, Released: func() { nudged++ }}
	if h, o := e.Sweep(); h != 1 || o != 0 || nudged != 1 {
		t.Fatalf("sweep: holds %d offers %d nudged %d", h, o, nudged)
	}
	if h, _ := e.Sweep(); h != 0 || nudged != 1 {
		t.Fatal("second sweep expired again")
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}
