package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestImportsJobCreatesConfirmedImportsOnce(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org", "o@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "ev", models.StatusDraft)
	tt := &models.TicketType{EventID: ev.ID, Name: "Guests", Currency: "EUR", Capacity: 10, Category: models.CategoryOther, MaxPerOrder: 1}
	db.Create(tt)
	now := time.Now().UTC()
	lines := []models.ImportLine{{Line: 2, Name: "Ana", Email: "ana@example.org"}, {Line: 3, Name: "Luis", Email: "luis@example.org"}}
	imp, err := models.CreateImport(db, ev.ID, models.Actor{UserID: 1, Name: "Owner"}, "g.csv", lines, []string{"en", "es"}, now)
	if err != nil {
		t.Fatal(err)
	}
	created := 0
	job := (&jobs.Imports{DB: db, Created: func() { created++ }}).Job()
	// In preview nothing happens.
	if err := job.Run(context.Background(), now); err != nil || created != 0 {
		t.Fatalf("preview swept: %v, %d", err, created)
	}
	if err := models.ConfirmImport(db, ev.ID, imp.ID, true, now); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := job.Run(context.Background(), now); err != nil {
			t.Fatal(err)
		}
	}
	got, counts, _ := models.ImportOfEvent(db, ev.ID, imp.ID)
	if got.Status != models.ImportDone || counts[models.ImportRowCreated] != 2 || created != 1 {
		t.Fatalf("status %s counts %v created %d", got.Status, counts, created)
	}
	var mails int64
	db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailOrderConfirmation).Count(&mails)
	if mails != 2 {
		t.Fatalf("%d confirmations", mails)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}
