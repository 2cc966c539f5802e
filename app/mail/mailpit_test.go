package mail_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models/modeltest"
)

// startMailpit runs a real mailpit (testenv: skipped on a laptop without
// it, a failure under CI=true).
func startMailpit(t *testing.T) (smtpAddr, apiURL string) { return testenv.StartMailpit(t) }

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestConfirmationDeliveredToMailpit places an order, runs the worker with
// the SMTP sender against a real mailpit, and reads the delivered message
// back: recipient, subject, the QR code as an inline PNG and the .ics file.
func TestConfirmationDeliveredToMailpit(t *testing.T) {
	smtpAddr, api := startMailpit(t)
	db, _ := modeltest.NewDB(t)
	o := registration(t, db, "es")
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
			ID      string
			Subject string
			To      []struct{ Address string }
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		getJSON(t, api+"/api/v1/messages", &list)
	}
	if len(list.Messages) != 1 {
		t.Fatalf("mailpit holds %d messages, want 1", len(list.Messages))
	}
	sum := list.Messages[0]
	if len(sum.To) != 1 || sum.To[0].Address != o.BuyerEmail {
		t.Fatalf("recipients %+v, want %s", sum.To, o.BuyerEmail)
	}
	if sum.Subject != "Inscripción confirmada: Event forum-es" {
		t.Fatalf("subject %q", sum.Subject)
	}
	var msg struct {
		Text, HTML  string
		Inline      []struct{ FileName, ContentType, ContentID string }
		Attachments []struct {
			FileName, ContentType string
			PartID                string
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/message/%s", api, sum.ID), &msg)
	pngs := 0
	for _, p := range msg.Inline {
		if p.ContentType == "image/png" && strings.Contains(msg.HTML, "cid:"+p.ContentID) {
			pngs++
		}
	}
	if pngs != 2 {
		t.Fatalf("inline QR PNGs shown in the HTML: %d, want 2 (inline parts %+v)", pngs, msg.Inline)
	}
	ics := false
	for _, a := range msg.Attachments {
		if strings.HasSuffix(a.FileName, ".ics") && strings.HasPrefix(a.ContentType, "text/calendar") {
			ics = true
			resp, err := http.Get(fmt.Sprintf("%s/api/v1/message/%s/part/%s", api, sum.ID, a.PartID))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			if !strings.Contains(b.String(), "BEGIN:VCALENDAR\r\n") || !strings.Contains(b.String(), "SUMMARY:Event forum-es\r\n") { // RFC 5545: CRLF
				t.Fatalf("ics part: %s", b.String())
			}
		}
	}
	if !ics {
		t.Fatalf("no .ics attachment: %+v", msg.Attachments)
	}
	if !strings.Contains(msg.Text, "/orders/"+o.Secret) {
		t.Fatal("plain text lacks the self-service link")
	}
}
