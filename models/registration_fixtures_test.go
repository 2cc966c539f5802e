package models_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// regDB returns a fresh database and checks, when the test ends, that every
// places_taken counter agrees with the rows.
func regDB(t *testing.T) (*gorm.DB, string) {
	t.Helper()
	db, dsn := modeltest.NewDB(t)
	t.Cleanup(func() {
		if err := models.CheckCounters(db); err != nil {
			t.Errorf("CheckCounters: %v", err)
		}
	})
	return db, dsn
}

var slugSeq atomic.Int64

// openEvent creates a published event with open registration and the given
// overall capacity, with a privacy consent text.
func openEvent(t *testing.T, db *gorm.DB, capacity int) *models.Event {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Org", fmt.Sprintf("o%d@example.org", slugSeq.Add(1)), models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, fmt.Sprintf("ev-%d", slugSeq.Add(1)), models.StatusPublished)
	if err := db.Model(ev).Update("capacity", capacity).Error; err != nil {
		t.Fatal(err)
	}
	ev.Capacity = capacity
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
		t.Fatal(err)
	}
	return ev
}

func ticketType(t *testing.T, db *gorm.DB, eventID uint, capacity int, price int64, maxPerOrder int) *models.TicketType {
	t.Helper()
	tt := &models.TicketType{EventID: eventID, Name: "General", Price: price, Currency: "EUR", Capacity: capacity,
		Category: models.CategoryPatientCitizen, MaxPerOrder: maxPerOrder}
	if err := db.Create(tt).Error; err != nil {
		t.Fatal(err)
	}
	return tt
}

func signupSession(t *testing.T, db *gorm.DB, eventID uint, capacity int) *models.Session {
	t.Helper()
	s := &models.Session{EventID: eventID, Title: "Co-creation", Format: models.FormatAgora, Capacity: capacity, SignUp: true,
		StartsAt: time.Now().Add(250 * time.Hour), EndsAt: time.Now().Add(251 * time.Hour)}
	if err := db.Create(s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func privacyID(t *testing.T, db *gorm.DB, eventID uint) uint {
	t.Helper()
	cts, err := models.CurrentConsentTexts(db, eventID)
	if err != nil || len(cts) == 0 || cts[0].Kind != models.ConsentPrivacy {
		t.Fatalf("no privacy text: %v", err)
	}
	return cts[0].ID
}

// orderInput is a valid registration of n attendees.
func orderInput(t *testing.T, db *gorm.DB, ev *models.Event, tt *models.TicketType, n int, sessions ...uint) models.PlaceOrderInput {
	t.Helper()
	pid := privacyID(t, db, ev.ID)
	in := models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Ana Buyer", BuyerEmail: "ana@example.org", Language: "es"}
	for i := 0; i < n; i++ {
		in.Attendees = append(in.Attendees, models.AttendeeInput{Name: fmt.Sprintf("Person %d", i+1), Email: fmt.Sprintf("p%d@example.org", i+1),
			ConsentTextIDs: []uint{pid}, SessionIDs: sessions})
	}
	return in
}

func place(t *testing.T, db *gorm.DB, in models.PlaceOrderInput) *models.Order {
	t.Helper()
	o, err := models.PlaceOrder(db, in)
	if err != nil {
		t.Fatalf("PlaceOrder: %v", err)
	}
	return o
}

func placesTaken(t *testing.T, db *gorm.DB, table string, id uint) int {
	t.Helper()
	var n int
	if err := db.Raw("SELECT places_taken FROM "+table+" WHERE id = ?", id).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// extraPools opens n more connection pools on the same database, as n more
// instances of the app would.
func extraPools(t *testing.T, dsn string, n int) []*gorm.DB {
	t.Helper()
	var out []*gorm.DB
	for i := 0; i < n; i++ {
		db, err := models.Open(dsn, models.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if s, err := db.DB(); err == nil {
				_ = s.Close()
			}
		})
		out = append(out, db)
	}
	return out
}

func outboxCount(t *testing.T, db *gorm.DB, kind string) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.OutboxMessage{}).Where("kind = ?", kind).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n uint) string { return fmt.Sprint(n) }

func lower(s string) string { return strings.ToLower(s) }
