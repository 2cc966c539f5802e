package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkPlaceOrder measures the registration transaction (capacity taken
// on event and ticket type, order, attendee, consent, outbox row) with many
// goroutines at once, on the suite's engine with default durability.
//
//	go test -run '^$' -bench PlaceOrder -benchtime 5000x -cpu 2 ./models/
func BenchmarkPlaceOrder(b *testing.B) {
	b.Run("separate commits", func(b *testing.B) { benchmarkPlaceOrder(b, false) })
	b.Run("grouped commits", func(b *testing.B) { benchmarkPlaceOrder(b, true) })
}

func benchmarkPlaceOrder(b *testing.B, batched bool) {
	db, _ := modeltest.NewDB(b)
	batcher := models.NewOrderBatcher(db)
	placeOrder := models.PlaceOrder
	if batched {
		placeOrder = func(_ *gorm.DB, in models.PlaceOrderInput) (*models.Order, error) { return batcher.PlaceOrder(in) }
	}
	org, _ := modeltest.Organizer(b, db, "Bench org", "bench@example.org", models.RoleOwner)
	ev := modeltest.Event(b, db, org.ID, "bench", models.StatusPublished)
	if _, err := models.SetConsentText(db, ev.ID, models.ConsentPrivacy, "Privacy"); err != nil {
		b.Fatal(err)
	}
	tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 1}
	if err := db.Create(tt).Error; err != nil {
		b.Fatal(err)
	}
	cts, _ := models.CurrentConsentTexts(db, ev.ID)
	var n atomic.Int64
	b.SetParallelism(32) // 32 × GOMAXPROCS goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			_, err := placeOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Bench",
				BuyerEmail: fmt.Sprintf("b%d@example.org", i), Language: "en", IdempotencyKey: fmt.Sprintf("k%d", i),
				Attendees: []models.AttendeeInput{{Name: "Bench Person", Email: fmt.Sprintf("b%d@example.org", i), ConsentTextIDs: []uint{cts[0].ID}}}})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}
