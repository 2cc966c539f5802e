package api

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// BenchmarkPublicEventDetail reads a forum's whole public programme (60
// sessions, 30 speakers, 8 rooms, 5 ticket types, in English and French)
// the way a website's script does, without a token and without any cache.
func BenchmarkPublicEventDetail(b *testing.B) {
	db, _ := modeltest.NewDB(b)
	app := fiber.New()
	Mount(app, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://agora.test"})
	org, _ := modeltest.Organizer(b, db, "Cluster", "owner@example.org", models.RoleOwner)
	ev := modeltest.Event(b, db, org.ID, "forum", models.StatusPublished)
	if err := models.SetEventLanguages(db, ev, "en", []string{"en", "fr"}); err != nil {
		b.Fatal(err)
	}
	var rooms []models.Room
	for i := 0; i < 8; i++ {
		rooms = append(rooms, models.Room{EventID: ev.ID, Name: fmt.Sprintf("Room %d", i+1)})
	}
	var speakers []models.Speaker
	for i := 0; i < 30; i++ {
		speakers = append(speakers, models.Speaker{EventID: ev.ID, Name: fmt.Sprintf("Speaker %d", i+1), Bio: "Works on integrated care at home."})
	}
	if db.Create(&rooms).Error != nil || db.Create(&speakers).Error != nil {
		b.Fatal("rooms or speakers")
	}
	var fields []models.TranslatedField
	for i := 0; i < 60; i++ {
		start := ev.StartsAt.Add(time.Duration(i%20) * 30 * time.Minute)
		s := models.Session{EventID: ev.ID, Title: fmt.Sprintf("Session %d", i+1), Description: "What we learnt from three years of telecare.",
			Format: models.FormatTalk, StartsAt: start, EndsAt: start.Add(25 * time.Minute), RoomID: &rooms[i%8].ID,
			Speakers: []models.Speaker{speakers[i%30], speakers[(i+7)%30]}}
		if err := db.Create(&s).Error; err != nil {
			b.Fatal(err)
		}
		fields = append(fields, models.TranslatedField{Kind: models.OwnerSession, ID: s.ID, Field: "title", Texts: map[string]string{"fr": fmt.Sprintf("Séance %d", i+1)}})
	}
	for i := 0; i < 5; i++ {
		if err := models.CreateTicketType(db, &models.TicketType{EventID: ev.ID, Name: fmt.Sprintf("Ticket %d", i+1), Currency: "EUR", Capacity: 100,
			Category: models.CategoryOther, MaxPerOrder: 2, Position: i}); err != nil {
			b.Fatal(err)
		}
	}
	if err := models.SaveTranslations(db, ev.ID, fields...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		resp, err := app.Test(httptest.NewRequest(http.MethodGet, "/api/v1/public/events/forum", nil), -1)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%v %v", resp, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
