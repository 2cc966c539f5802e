package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// meetingPair turns networking on for the order's event and opts both
// attendees in; it returns their participant rows and the first slot.
func meetingPair(t *testing.T, db *gorm.DB, o *models.Order) (a, b *models.MeetingParticipant, slot models.MeetingSlot) {
	t.Helper()
	set := &models.NetworkingSetting{EventID: o.EventID, Enabled: true, Mode: models.ModeRequests, RequestExpiryHours: 48}
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	var ev models.Event
	db.Take(&ev, o.EventID)
	if err := models.AddMeetingBlock(db, &models.MeetingBlock{EventID: ev.ID, StartsAt: ev.StartsAt.Add(5 * time.Hour), EndsAt: ev.StartsAt.Add(6 * time.Hour), SlotMinutes: 20}); err != nil {
		t.Fatal(err)
	}
	if err := models.AddLocation(db, &models.MeetingLocation{EventID: ev.ID, Name: "Mesa 7"}); err != nil {
		t.Fatal(err)
	}
	var ps []*models.MeetingParticipant
	for _, at := range o.Attendees {
		p, err := models.SaveProfile(db, set, at.ID, models.ProfileInput{Organization: "Org of " + at.Name}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	slots, _ := models.EventSlots(db, ev.ID)
	return ps[0], ps[1], slots[0]
}

// Every networking mail renders in English and Spanish with no missing
// message, escapes names, and links where it should.
func TestMeetingNoticesRender(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		db, _ := modeltest.NewDB(t)
		o := registration(t, db, lang)
		a, b, slot := meetingPair(t, db, o)
		now := time.Now()
		req, err := models.SendRequest(db, models.RequestInput{EventID: o.EventID, From: b.ID, To: a.ID, SlotID: slot.ID, Message: "Hola <script>", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		m, err := models.AcceptRequest(db, o.EventID, a.ID, req.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := models.MoveMeeting(db, o.EventID, m.ID, slot.ID+1, 0); err != nil {
			t.Fatal(err)
		}
		if err := models.CancelMeeting(db, o.EventID, a.ID, m.ID, "Lo siento", now); err != nil {
			t.Fatal(err)
		}
		if _, err := models.IssueSignIn(db, o.EventID, o.Attendees[0].ID, now); err != nil {
			t.Fatal(err)
		}
		r, err := mail.NewRenderer(db, "https://agora.example.org")
		if err != nil {
			t.Fatal(err)
		}
		var msgs []models.OutboxMessage
		db.Where("kind = ?", models.MailMeetingNotice).Order("id").Find(&msgs)
		if len(msgs) != 6 { // request, accepted, moved ×2, cancelled, signin
			t.Fatalf("%s: %d meeting mails", lang, len(msgs))
		}
		for _, msg := range msgs {
			out, err := r.Render(msg)
			if err != nil {
				t.Fatalf("%s: render %d: %v", lang, msg.ID, err)
			}
			if strings.Contains(out.HTML, "<script>") || strings.Contains(out.HTML, "<b>Pérez") {
				t.Fatalf("%s: unescaped input in HTML:\n%s", lang, out.HTML)
			}
			if !strings.Contains(out.Text, "https://agora.example.org/events/") {
				t.Fatalf("%s: no link in %q", lang, out.Text)
			}
		}
		first, _ := r.Render(msgs[0])
		if lang == "es" && !strings.Contains(first.Subject, "Solicitud de reunión") {
			t.Fatalf("es subject: %q", first.Subject)
		}
	}
}

// A meeting request goes all the way to a real mailpit.
func TestMeetingRequestDeliveredToMailpit(t *testing.T) {
	smtpAddr, api := startMailpit(t)
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "en")
	a, b, slot := meetingPair(t, db, o)
	db.Model(&models.OutboxMessage{}).Where("1 = 1").Update("status", models.OutboxSent) // the order's confirmation is not this test's
	if _, err := models.SendRequest(db, models.RequestInput{EventID: o.EventID, From: b.ID, To: a.ID, SlotID: slot.ID, Message: "Let us talk", Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, db, "mailpit", sender)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("worker: %d %v", n, err)
	}
	var list struct {
		Messages []struct {
			Subject string
			To      []struct{ Address string }
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		getJSON(t, api+"/api/v1/messages", &list)
	}
	if len(list.Messages) != 1 || !strings.Contains(list.Messages[0].Subject, "Meeting request from") || list.Messages[0].To[0].Address != o.Attendees[0].Email {
		t.Fatalf("mailpit holds %+v", list.Messages)
	}
}
