package models_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkPlaceOrderWebhooks is BenchmarkPlaceOrder's separate commits with
// the organization having no webhook endpoint (the cost is the one lookup),
// and with two active endpoints subscribed to order.placed (two delivery
// rows per order, in the order's transaction).
//
//	go test -run '^$' -bench PlaceOrderWebhooks -benchtime 3000x -cpu 2 ./models/
func BenchmarkPlaceOrderWebhooks(b *testing.B) {
	for _, endpoints := range []int{0, 2} {
		b.Run(fmt.Sprintf("%d endpoints", endpoints), func(b *testing.B) {
			db, _ := modeltest.NewDB(b)
			org, _ := modeltest.Organizer(b, db, "Bench org", "bench@example.org", models.RoleOwner)
			ev := modeltest.Event(b, db, org.ID, "bench", models.StatusPublished)
			tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryPatientCitizen, MaxPerOrder: 1}
			if err := db.Create(tt).Error; err != nil {
				b.Fatal(err)
			}
			for i := 0; i < endpoints; i++ {
				if _, _, err := models.CreateWebhookEndpoint(db, nil, models.NewWebhookInput{OrganizationID: org.ID,
					URL: fmt.Sprintf("https://hooks%d.example.org/", i), EventTypes: []string{models.WebhookOrderPlaced}},
					models.AuditEntry{Action: models.AuditWebhookCreated}); err != nil {
					b.Fatal(err)
				}
			}
			var n atomic.Int64
			b.SetParallelism(32)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					email := fmt.Sprintf("b%d@example.org", i)
					if _, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: ev.ID, TicketTypeID: tt.ID, BuyerName: "Bench",
						BuyerEmail: email, Language: "en", Attendees: []models.AttendeeInput{{Name: "Bench Person", Email: email}}}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			var rows int64
			db.Model(&models.WebhookDelivery{}).Count(&rows)
			if rows != int64(endpoints)*n.Load() {
				b.Fatalf("%d deliveries for %d orders and %d endpoints", rows, n.Load(), endpoints)
			}
		})
	}
}

// BenchmarkQueueWebhooksNoEndpoint is the whole cost a change pays when its
// organization has no webhook endpoint: one indexed lookup.
//
//	go test -run '^$' -bench QueueWebhooksNoEndpoint -cpu 2 ./models/
func BenchmarkQueueWebhooksNoEndpoint(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	org, _ := modeltest.Organizer(b, db, "Bench org", "bench@example.org", models.RoleOwner)
	ev := modeltest.Event(b, db, org.ID, "bench", models.StatusPublished)
	// Other organizations' endpoints exist: the lookup must not read them.
	for i := 0; i < 50; i++ {
		other, _ := modeltest.Organizer(b, db, fmt.Sprintf("Other %d", i), fmt.Sprintf("o%d@example.org", i), models.RoleOwner)
		if _, _, err := models.CreateWebhookEndpoint(db, nil, models.NewWebhookInput{OrganizationID: other.ID,
			URL: "https://hooks.example.org/", EventTypes: models.WebhookEventTypes}, models.AuditEntry{Action: models.AuditWebhookCreated}); err != nil {
			b.Fatal(err)
		}
	}
	c := models.WebhookChange{EventID: ev.ID, Type: models.WebhookOrderPlaced, Subject: "order:1", Data: map[string]any{"order_id": 1}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := models.QueueWebhooks(db, c); err != nil {
			b.Fatal(err)
		}
	}
}
