package mail_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
	"github.com/agora-events/agora/views"
)

// A delegate's mails (ticket, link, cancellation) render in both languages
// with every message present, name only the delegate, and are dropped once
// they no longer make sense.
func TestDelegateMailsRenderInEveryLanguage(t *testing.T) {
	for _, lang := range views.Languages {
		t.Run(lang, func(t *testing.T) {
			db, _ := modeltest.NewDB(t)
			o := registration(t, db, lang)
			// Luis gets an address of his own: he becomes a delegate.
			luis := o.Attendees[1]
			if err := db.Model(&luis).Update("email", "luis@example.org").Error; err != nil {
				t.Fatal(err)
			}
			luis.Email = "luis@example.org"
			r, err := mail.NewRenderer(db, "https://agora.example.org")
			if err != nil {
				t.Fatal(err)
			}
			render := func(kind string) (mail.Message, error) {
				return r.Render(models.OutboxMessage{To: luis.Email, Language: lang, Kind: kind, RefID: luis.ID})
			}
			for _, kind := range []string{models.MailAttendeeConfirmation, models.MailAttendeeLink} {
				m, err := render(kind)
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				if !strings.Contains(m.Text, "https://agora.example.org/tickets/"+luis.LinkSecret) || strings.Contains(m.Text, o.Secret) ||
					strings.Contains(m.Text, "* Ana García") || !strings.Contains(m.HTML, "Luis &lt;b&gt;Pérez&lt;/b&gt;") {
					t.Fatalf("%s:\n%s", kind, m.Text)
				}
			}
			if _, err := render(models.MailAttendeeCancelled); !errors.Is(err, mail.ErrSkip) {
				t.Fatalf("cancellation of an active delegate: %v", err)
			}
			if _, err := models.CancelOwnPlace(db, luis.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
			if m, err := render(models.MailAttendeeCancelled); err != nil || m.Subject == "" {
				t.Fatalf("cancellation: %v", err)
			}
			if _, err := render(models.MailAttendeeConfirmation); !errors.Is(err, mail.ErrSkip) {
				t.Fatalf("ticket of a cancelled delegate: %v", err)
			}
		})
	}
}

// A message to registrants gives each person the link that is theirs: the
// buyer their order, a delegate their own ticket page, never someone else's.
func TestMessageOrderLinkOfADelegateIsTheirTicket(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "en")
	luis := o.Attendees[1]
	if err := db.Model(&luis).Update("email", "luis@example.org").Error; err != nil {
		t.Fatal(err)
	}
	msg := &models.Message{EventID: o.EventID, Language: "en", Subject: "News", Body: "Your link: {order_link}", SendKey: "delegate-link-test",
		Audience: models.AudienceFilter{}.JSON(), SentByID: 1, SentByName: "Org", SentByEmail: "org@example.org"}
	if _, err := models.QueueMessage(db, msg, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := models.ExpandMessage(db, msg.ID, time.Now(), 50); err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	var rows []models.OutboxMessage
	db.Where("kind = ?", models.MailEventMessage).Find(&rows)
	got := map[string]string{}
	for _, row := range rows {
		m, err := r.Render(row)
		if err != nil {
			t.Fatalf("%s: %v", row.To, err)
		}
		got[row.To] = m.Text
	}
	if !strings.Contains(got["luis@example.org"], "/tickets/"+luis.LinkSecret) || strings.Contains(got["luis@example.org"], o.Secret) {
		t.Errorf("delegate's message:\n%s", got["luis@example.org"])
	}
	if !strings.Contains(got[models.NormalizeEmail(o.BuyerEmail)], "/orders/"+o.Secret) {
		t.Errorf("buyer's message (%d rows):\n%s", len(rows), got[models.NormalizeEmail(o.BuyerEmail)])
	}
}
