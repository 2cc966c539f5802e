package mail_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The "meeting booked" e-mail, as a real mailpit receives it, carries the
// meeting as an .ics: CRLF lines, the meeting's one UID, and the table
// named within the venue.
func TestMeetingBookedMailCarriesCalendar(t *testing.T) {
	smtpAddr, api := startMailpit(t)
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "en")
	a, b, slot := meetingPair(t, db, o)
	m, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: o.EventID, SlotID: slot.ID, A: a.ID, B: b.ID, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	db.Where("kind <> ?", models.MailMeetingNotice).Delete(&models.OutboxMessage{})
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(t, db, "mailpit-meeting", sender)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if n, err := w.RunOnce(ctx); err != nil || n != 2 {
		t.Fatalf("worker: %d %v", n, err)
	}
	var list struct {
		Messages []struct{ ID, Subject string }
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) < 2 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		getJSON(t, api+"/api/v1/messages", &list)
	}
	if len(list.Messages) != 2 {
		t.Fatalf("mailpit holds %d messages, want 2", len(list.Messages))
	}
	for _, sum := range list.Messages {
		var msg struct {
			Attachments []struct{ FileName, ContentType, PartID string }
		}
		getJSON(t, fmt.Sprintf("%s/api/v1/message/%s", api, sum.ID), &msg)
		var body string
		for _, att := range msg.Attachments {
			if strings.HasSuffix(att.FileName, ".ics") && strings.HasPrefix(att.ContentType, "text/calendar") {
				resp, err := http.Get(fmt.Sprintf("%s/api/v1/message/%s/part/%s", api, sum.ID, att.PartID))
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				body = string(raw)
			}
		}
		if body == "" {
			t.Fatalf("%q has no .ics attachment: %+v", sum.Subject, msg.Attachments)
		}
		for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
			if strings.ContainsAny(line, "\r\n") {
				t.Fatalf("line %d is not CRLF-terminated: %q", i+1, line)
			}
		}
		cal, err := ics.ParseCalendar(strings.NewReader(body))
		if err != nil || len(cal.Events()) != 1 {
			t.Fatalf("calendar: %v\n%s", err, body)
		}
		ev := cal.Events()[0]
		if want := fmt.Sprintf("meeting-%d@agora.example.org", m.ID); ev.Id() != want {
			t.Errorf("UID %q, want %q", ev.Id(), want)
		}
		if loc := ev.GetProperty(ics.ComponentPropertyLocation); loc == nil || loc.Value != "Mesa 7, Palacio de Congresos, Calle Mayor 1, Valencia" {
			t.Errorf("LOCATION %+v, want the table within the venue", loc)
		}
		if start, err := ev.GetStartAt(); err != nil || !start.Equal(slot.StartsAt) {
			t.Errorf("start %v %v, want %v", start, err, slot.StartsAt)
		}
	}
}
