package mail_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models/modeltest"
)

// mailpitBinary is where the CI image installs mailpit.
const mailpitBinary = "/root/go/bin/mailpit"

// startMailpit runs a real mailpit on free loopback ports and returns its
// SMTP address and HTTP API base URL. Without mailpit the test is skipped,
// except under CI=true, where a missing component is a failure.
func startMailpit(t *testing.T) (smtpAddr, apiURL string) {
	t.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		bin = mailpitBinary
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mailpit is required in CI but was not found (%s)", mailpitBinary)
		}
		t.Skipf("mailpit not installed (looked in PATH and %s); skipping the SMTP delivery test", mailpitBinary)
	}
	smtpAddr, httpAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, "--smtp", smtpAddr, "--listen", httpAddr, "--database", t.TempDir()+"/mailpit.db")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	apiURL = "http://" + httpAddr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(apiURL + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", smtpAddr); err == nil {
				c.Close()
				return smtpAddr, apiURL
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

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
			if !strings.Contains(b.String(), "BEGIN:VCALENDAR") || !strings.Contains(b.String(), "SUMMARY:Event forum-es") {
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
