package mail_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// TestEventDeletedNoticesDeliveredToMailpit deletes an event with a group
// registration and delivers the notices to a real mailpit: one per address,
// in the order's language, and none again on the next run.
func TestEventDeletedNoticesDeliveredToMailpit(t *testing.T) {
	smtpAddr, api := startMailpit(t)
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "es")
	// Ana and Luis have addresses of their own (delegates): three people.
	for i, addr := range []string{"ana@example.org", "luis@example.org"} {
		if err := db.Model(&models.Attendee{}).Where("id = ?", o.Attendees[i].ID).Update("email", addr).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := models.DeleteEvent(db, o.EventID, time.Now()); err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, db, "mailpit", sender)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var list struct {
		Messages []struct {
			Subject string
			To      []struct{ Address string }
			Snippet string
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) < 3 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		getJSON(t, api+"/api/v1/messages", &list)
	}
	var to []string
	for _, m := range list.Messages {
		if m.Subject != "Suspendido: Event forum-es" {
			t.Errorf("subject %q (the confirmation of a cancelled order must not go out)", m.Subject)
		}
		to = append(to, m.To[0].Address)
	}
	sort.Strings(to)
	if len(to) != 3 || to[0] != "ana-es@example.org" || to[1] != "ana@example.org" || to[2] != "luis@example.org" {
		t.Fatalf("delivered to %v", to)
	}
	var pending int64
	db.Model(&models.OutboxMessage{}).Where("status = ?", models.OutboxPending).Count(&pending)
	if pending != 0 {
		t.Fatalf("%d messages still pending", pending)
	}
}
