package mail_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// A confirmation delivered to mailpit carries the event's contact as
// Reply-To, falling back to the organization's, and its footer names it.
func TestConfirmationReplyToDeliveredToMailpit(t *testing.T) {
	smtpAddr, api := startMailpit(t)
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "en")
	var ev models.Event
	if err := db.Take(&ev, o.EventID).Error; err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, db, "mailpit", sender)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	type replyTo struct{ Name, Address string }
	deliver := func(key string) (replyTo, string) {
		t.Helper()
		if err := models.Enqueue(db, &models.OutboxMessage{To: o.BuyerEmail, Kind: models.MailOrderConfirmation, RefID: o.ID,
			Language: "en", DedupeKey: key}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Messages []struct {
				ID      string
				ReplyTo []replyTo
			}
		}
		getJSON(t, api+"/api/v1/messages", &list)
		if len(list.Messages) == 0 {
			t.Fatal("nothing delivered")
		}
		latest := list.Messages[0] // newest first
		var msg struct{ Text string }
		getJSON(t, fmt.Sprintf("%s/api/v1/message/%s", api, latest.ID), &msg)
		if len(latest.ReplyTo) != 1 {
			return replyTo{}, msg.Text
		}
		return latest.ReplyTo[0], msg.Text
	}

	// The registration's own confirmation: no contact anywhere yet, no Reply-To.
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveOrganizationContact(db, ev.OrganizationID, "Cluster office", "office@cluster.example.org"); err != nil {
		t.Fatal(err)
	}
	got, text := deliver("again-org")
	if got != (replyTo{"Cluster office", "office@cluster.example.org"}) {
		t.Fatalf("Reply-To %+v, want the organization's contact", got)
	}
	if !strings.Contains(text, "Cluster office") || !strings.Contains(text, "office@cluster.example.org") {
		t.Fatalf("the footer does not name the organization's contact:\n%s", text)
	}
	if err := models.SaveEventMailSetting(db, &models.EventMailSetting{EventID: ev.ID, RemindersEnabled: true, ReminderHours: 48,
		ContactName: "Forum desk, Valencia", ContactEmail: "desk@forum.example.org"}); err != nil {
		t.Fatal(err)
	}
	got, text = deliver("again-event")
	if got != (replyTo{"Forum desk, Valencia", "desk@forum.example.org"}) {
		t.Fatalf("Reply-To %+v, want the event's contact", got)
	}
	if !strings.Contains(text, "desk@forum.example.org") {
		t.Fatalf("the footer does not name the event's contact:\n%s", text)
	}
}

// Every kind of event mail gets the Reply-To in one place (Render), so a
// waitlist offer or a cancellation carries it too.
func TestEveryEventMailKindHasTheReplyTo(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "es")
	if err := db.Model(&models.Organization{}).Where("id = (SELECT organization_id FROM events WHERE id = ?)", o.EventID).
		Updates(map[string]any{"contact_name": "Oficina", "contact_email": "oficina@example.org"}).Error; err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	// A message to registrants: rendered from its recipient row.
	msg := &models.Message{EventID: o.EventID, Language: "es", Subject: "Aviso", Body: "Hola {name}", SendKey: "reply-to-test-key",
		Audience: models.AudienceFilter{}.JSON(), SentByID: 1, SentByName: "Org", SentByEmail: "org@example.org"}
	if _, err := models.QueueMessage(db, msg, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := models.ExpandMessage(db, msg.ID, time.Now(), 50); err != nil {
		t.Fatal(err)
	}
	var row models.OutboxMessage
	if err := db.Where("kind = ?", models.MailEventMessage).Order("id").Take(&row).Error; err != nil {
		t.Fatalf("no message outbox row: %v", err)
	}
	m, err := r.Render(row)
	if err != nil {
		t.Fatalf("message: %v", err)
	}
	if m.ReplyTo != `"Oficina" <oficina@example.org>` {
		t.Errorf("message to registrants: Reply-To %q", m.ReplyTo)
	}

	for _, kind := range []string{models.MailOrderConfirmation, models.MailOrderLink, models.MailOrderCancelled} {
		if kind == models.MailOrderCancelled {
			if _, err := models.CancelOrder(db, o.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		m, err := r.Render(models.OutboxMessage{To: o.BuyerEmail, Kind: kind, RefID: o.ID, Language: "es"})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if m.ReplyTo != `"Oficina" <oficina@example.org>` {
			t.Errorf("%s: Reply-To %q", kind, m.ReplyTo)
		}
		if !strings.Contains(m.HTML, `href="mailto:oficina@example.org"`) || !strings.Contains(m.Text, "oficina@example.org") {
			t.Errorf("%s: the footer lacks the contact", kind)
		}
	}

}

// A template that writes the footer as {{.L.T "mail.footer"}} (as mails
// written before the contact existed do) names the contact as well.
func TestPlainFooterMessageNamesTheContact(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "en")
	if err := db.Model(&models.Organization{}).Where("id = (SELECT organization_id FROM events WHERE id = ?)", o.EventID).
		Updates(map[string]any{"contact_name": "Office", "contact_email": "office@example.org"}).Error; err != nil {
		t.Fatal(err)
	}
	if got := mail.FooterForTest(db, o.EventID, "en"); !strings.Contains(got, "office@example.org") {
		t.Fatalf("footer %q", got)
	}
}
