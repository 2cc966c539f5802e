package mail_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// A delegate's mails (ticket, link, cancellation) render in both languages
// with every message present, name only the delegate, and are dropped once
// they no longer make sense.
func TestDelegateMailsRenderInBothLanguages(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
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
