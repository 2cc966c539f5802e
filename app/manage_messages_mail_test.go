package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// TestMessageDeliveredToMailpit sends a message through the form to three
// people (one of them registered twice, one registered in Spanish), runs the
// messages job twice and the mail worker against a real mailpit, and reads
// back what arrived: each person once, in their language, placeholders
// filled, the registration link only for its buyer.
func TestMessageDeliveredToMailpit(t *testing.T) {
	smtpAddr, api := testenv.StartMailpit(t)
	c, db, fx := regAdminSetup(t)
	placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Rosa Twice", Email: "Rosa@Example.org"})
	es := placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Lucía", Email: "lucia@example.org"})
	if err := db.Model(&models.Order{}).Where("id = ?", es.ID).Update("language", "es").Error; err != nil {
		t.Fatal(err)
	}
	placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Tom Buyer", Email: "tom@example.org"},
		models.AttendeeInput{Name: "Tim Delegate", Email: "tim@example.org"})

	if err := models.SetEventLanguages(db, fx.Event, "en", []string{"en", "es"}); err != nil {
		t.Fatal(err)
	}
	path := messagesPath(fx.Event)
	c.get(path)
	v := messageValues("confirm")
	v.Set("body", "Dear {name}, your link: {order_link}")
	v.Set("subject.es", "Nos vemos en {event_title}")
	v.Set("body.es", "Hola, {name}: {order_link}")
	r := c.post(path, v)
	mustContain(t, r.Body, "confirm", "Send now (people: 4)")
	v.Set("step", "send")
	v.Set("send_key", regexp.MustCompile(`name="send_key" value="([^"]+)"`).FindStringSubmatch(r.Body)[1])
	mustStatus(t, c.post(path, v), http.StatusSeeOther, "send")

	job := &jobs.Messages{DB: db}
	for i := 0; i < 2; i++ { // a second run finds nothing new to do
		if err := job.Run(context.Background(), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := mail.NewRenderer(db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{DB: db, Sender: sender, Renderer: renderer, InstanceID: "mailpit", Batch: 50, Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}

	type summary struct {
		ID      string
		Subject string
		To      []struct{ Address string }
	}
	var list struct{ Messages []summary }
	for deadline := time.Now().Add(10 * time.Second); len(list.Messages) < 8 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(api + "/api/v1/messages")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
	}
	time.Sleep(200 * time.Millisecond) // nothing more should arrive
	resp, err := http.Get(api + "/api/v1/messages")
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	got := map[string]summary{}
	var addrs []string
	for _, m := range list.Messages {
		if !strings.HasPrefix(m.Subject, "See you at") && !strings.HasPrefix(m.Subject, "Nos vemos en") {
			continue // the registrations' confirmations
		}
		for _, to := range m.To {
			addrs = append(addrs, to.Address)
			got[to.Address] = m
		}
	}
	sort.Strings(addrs)
	if strings.Join(addrs, " ") != "lucia@example.org rosa@example.org tim@example.org tom@example.org" {
		t.Fatalf("delivered to %v, want each of the four once", addrs)
	}
	text := func(addr string) string {
		var m struct{ Text string }
		resp, err := http.Get(fmt.Sprintf("%s/api/v1/message/%s", api, got[addr].ID))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return m.Text
	}
	if s := got["lucia@example.org"].Subject; s != "Nos vemos en "+fx.Event.Title {
		t.Errorf("Spanish subject %q", s)
	}
	if s := got["rosa@example.org"].Subject; s != "See you at "+fx.Event.Title {
		t.Errorf("English subject %q", s)
	}
	if body := text("lucia@example.org"); !strings.Contains(body, "Hola, Lucía: http://agora.test/orders/"+es.Secret) {
		t.Errorf("Lucía's text:\n%s", body)
	}
	if body := text("rosa@example.org"); !strings.Contains(body, "Dear "+fx.Attendee.Name+", your link: http://agora.test/orders/"+fx.Order.Secret) {
		t.Errorf("Rosa's text (her first registration):\n%s", body)
	}
	if body := text("tim@example.org"); strings.Contains(body, "/orders/") || !strings.Contains(body, "http://agora.test/events/"+fx.Event.Slug) {
		t.Errorf("the delegate's text should link the event, not the buyer's order:\n%s", body)
	}
	var m models.MessageSummary
	ms, err := models.MessagesOf(db, fx.Event.ID)
	if err != nil || len(ms) != 1 {
		t.Fatal(ms, err)
	}
	m = ms[0]
	if m.Recipients != 4 || m.Counts.Sent != 4 || m.Counts.Queued != 0 || m.Counts.Failed != 0 {
		t.Errorf("counts %+v recipients %d", m.Counts, m.Recipients)
	}
}
