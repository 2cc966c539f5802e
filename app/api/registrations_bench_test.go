package api

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkListOrdersPage500 reads one page of 500 orders (with their
// attendees) out of 10,000, as a CRM's full sync does 20 times.
func BenchmarkListOrdersPage500(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	org, _ := modeltest.Organizer(b, db, "Bench", "bench@example.org", models.RoleOwner)
	ev := modeltest.Event(b, db, org.ID, "bench", models.StatusPublished)
	tt := &models.TicketType{EventID: ev.ID, Name: "General", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := models.CreateTicketType(db, tt); err != nil {
		b.Fatal(err)
	}
	modeltest.BulkOrders(b, db, ev, tt, 10_000, time.Now().Add(-time.Hour))
	raw, _, err := models.CreateAPIToken(db, models.NewAPITokenInput{OrganizationID: org.ID, Name: "bench", Scopes: []string{models.ScopeRegistrationsRead}},
		models.AuditEntry{Action: "api.token_created"})
	if err != nil {
		b.Fatal(err)
	}
	app := fiber.New()
	Mount(app, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	path := "/api/v1/events/" + itoa(ev.ID) + "/orders?limit=500"
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+raw)
		resp, err := app.Test(req, 60_000)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("page: %v %v", err, resp)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
