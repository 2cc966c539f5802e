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

// TestEventMessageRendering: an organizer's message is rendered at send
// time with the people's words kept as words (no markup from a name, no
// script from the body), and someone cancelled since it was queued gets
// nothing.
func TestEventMessageRendering(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "es")
	// Luis has an address of his own (a delegate), so he is a second person.
	if err := db.Model(&models.Attendee{}).Where("id = ?", o.Attendees[1].ID).Update("email", "luis@example.org").Error; err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(db, "https://agora.example.org")
	if err != nil {
		t.Fatal(err)
	}
	m := models.Message{EventID: o.EventID, Language: "en", Subject: "News for {name}", SendKey: "k-render-test-1",
		Body:        "Dear {name}, see [your registration]({order_link}).\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
		AltLanguage: "es", AltSubject: "Noticias para {name}", AltBody: "Hola, {name}: {order_link}", Audience: models.AudienceFilter{}.JSON()}
	if _, err := models.QueueMessage(db, &m, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := models.ExpandMessage(db, m.ID, time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	var rows []models.OutboxMessage
	db.Where("kind = ?", models.MailEventMessage).Order("id").Find(&rows)
	byAddr := map[string]models.OutboxMessage{}
	for _, row := range rows {
		byAddr[row.To] = row
	}
	luis, ok := byAddr["luis@example.org"]
	if !ok || len(rows) != 2 {
		t.Fatalf("outbox rows %+v", rows)
	}
	out, err := r.Render(luis)
	if err != nil {
		t.Fatal(err)
	}
	// Luis's order is in Spanish: the Spanish version, and he is not the
	// buyer, so the event page instead of the order's link.
	if out.Subject != "Noticias para Luis <b>Pérez</b>" || strings.Contains(out.Text, "/orders/") ||
		!strings.Contains(out.Text, "https://agora.example.org/events/forum-es") {
		t.Errorf("Luis: %q\n%s", out.Subject, out.Text)
	}
	if strings.Contains(out.HTML, "<b>Pérez") || !strings.Contains(out.HTML, "Hola, Luis &lt;b&gt;Pérez&lt;/b&gt;:") {
		t.Errorf("a name became markup:\n%s", out.HTML)
	}
	// A buyer's mail links the order; in English, and the script is gone.
	var ev models.Event
	db.Take(&ev, o.EventID)
	subject, body := r.PreviewEventMessage(ev, m, models.Recipient{Name: "Ana", Language: "fr", OrderSecret: o.Secret})
	html := string(body)
	if subject != "News for Ana" || strings.Contains(html, "<script") || strings.Contains(html, "onerror") || !strings.Contains(html, `href="https://agora.example.org/orders/`+o.Secret+`"`) {
		t.Errorf("buyer's preview:\n%s", html)
	}

	if _, err := models.CancelAttendee(db, o.Attendees[1].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(luis); !errors.Is(err, mail.ErrSkip) {
		t.Errorf("cancelled attendee: %v, want ErrSkip", err)
	}
}
