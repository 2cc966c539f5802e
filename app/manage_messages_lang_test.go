package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// TestMessageVersionPerRegistrationLanguage writes a message in English
// (the default), French and Greek through the form to three people
// registered in French, Greek and Dutch, and an old-style message (main +
// one second version, as stored before per-language versions) to the same
// people; a real mailpit receives French, Greek and the English fallback
// for the Dutch registrant, and the old message still goes out.
func TestMessageVersionPerRegistrationLanguage(t *testing.T) {
	smtpAddr, api := testenv.StartMailpit(t)
	c, db, fx := regAdminSetup(t)
	if err := models.SetEventLanguages(db, fx.Event, "en", []string{"en", "fr", "el", "nl"}); err != nil {
		t.Fatal(err)
	}
	tt := models.TicketType{EventID: fx.Event.ID, Name: "Lang ticket", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := models.CreateTicketType(db, &tt); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, email, lang string }{
		{"Chloé", "chloe@example.org", "fr"}, {"Eleni", "eleni@example.org", "el"}, {"Daan", "daan@example.org", "nl"}} {
		o := placeRegistration(t, db, fx.Event, &tt, models.AttendeeInput{Name: p.name, Email: p.email})
		if err := db.Model(&models.Order{}).Where("id = ?", o.ID).Update("language", p.lang).Error; err != nil {
			t.Fatal(err)
		}
	}

	path := messagesPath(fx.Event)
	r := c.get(path)
	mustContain(t, r.Body, "form", `name="subject.fr"`, `name="body.el"`, `name="subject.nl"`, `name="test_language"`)
	v := messageValues("preview")
	v.Set("ticket_type", fmt.Sprint(tt.ID))
	v.Set("subject", "News: {event_title}")
	v.Set("body", "Hello {name}")
	v.Set("subject.fr", "Nouvelles : {event_title}")
	v.Set("body.fr", "Bonjour {name}")
	v.Set("subject.el", "Νέα: {event_title}")
	v.Set("body.el", "Γεια σας {name}")
	r = c.post(path, v)
	mustStatus(t, r, http.StatusOK, "preview")
	mustContain(t, r.Body, "preview per language", `id="preview-en"`, `id="preview-fr"`, `id="preview-el"`, "Bonjour Chloé", "Γεια σας Chloé")
	if strings.Contains(r.Body, `id="preview-nl"`) {
		t.Error("a preview of the Dutch version, which was not written")
	}
	v.Set("step", "test")
	v.Set("test_language", "el")
	mustStatus(t, c.post(path, v), http.StatusOK, "test in Greek")
	v.Set("step", "confirm")
	r = c.post(path, v)
	v.Set("step", "send")
	v.Set("send_key", regexp.MustCompile(`name="send_key" value="([^"]+)"`).FindStringSubmatch(r.Body)[1])
	mustStatus(t, c.post(path, v), http.StatusSeeOther, "send")

	old := models.Message{EventID: fx.Event.ID, Language: "en", Subject: "Old: {event_title}", Body: "Old hello {name}",
		AltLanguage: "fr", AltSubject: "Ancien : {event_title}", AltBody: "Ancien bonjour {name}",
		Audience: models.AudienceFilter{TicketTypeID: tt.ID}.JSON(), SendKey: "old-" + randomToken(12), SentByName: "Before"}
	if _, err := models.QueueMessage(db, &old, time.Now()); err != nil {
		t.Fatal(err)
	}
	deliverAll(t, db, smtpAddr)

	got := mailpitSubjects(t, api)
	title := fx.Event.Title
	want := map[string][]string{
		"chloe@example.org": {"Nouvelles : " + title, "Ancien : " + title},
		"eleni@example.org": {"Νέα: " + title, "Old: " + title},
		"daan@example.org":  {"News: " + title, "Old: " + title},
		"owner@example.org": {"[Test] Νέα: " + title},
	}
	for addr, subjects := range want {
		for _, s := range subjects {
			if !got[addr][s] {
				t.Errorf("%s did not get %q; got %v", addr, s, got[addr])
			}
		}
		// Besides the registration's confirmation, nothing else.
		if n := len(got[addr]); n != len(subjects)+1 && addr != "owner@example.org" {
			t.Errorf("%s got %d messages %v, want %d", addr, n, got[addr], len(subjects)+1)
		}
	}

	// The history names the languages written; the detail shows each version.
	r = c.get(path)
	mustContain(t, r.Body, "history", `<span lang="en">English</span>, <span lang="el">Ελληνικά</span>, <span lang="fr">Français</span></td>`,
		`<span lang="en">English</span>, <span lang="fr">Français</span></td>`)
	ms, err := models.MessagesOf(db, fx.Event.ID)
	if err != nil || len(ms) != 2 {
		t.Fatal(ms, err)
	}
	r = c.get(fmt.Sprintf("%s/%d", path, ms[1].ID))
	mustContain(t, r.Body, "detail", "Nouvelles : {event_title}", "Νέα: {event_title}", `lang="el"`)
	r = c.get(fmt.Sprintf("%s/%d", path, ms[0].ID))
	mustContain(t, r.Body, "old detail", "Ancien : {event_title}", "Old hello {name}")
}

// deliverAll runs the messages job and the mail worker to a real SMTP server
// until nothing is left.
func deliverAll(t *testing.T, gdb *gorm.DB, smtpAddr string) {
	t.Helper()
	if err := (&jobs.Messages{DB: gdb}).Run(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+smtpAddr, "Agora Test <agora@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := mail.NewRenderer(gdb, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{DB: gdb, Sender: sender, Renderer: renderer, InstanceID: "mailpit", Batch: 50, Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// mailpitSubjects is every subject mailpit holds, by recipient address,
// once the count stops growing.
func mailpitSubjects(t *testing.T, api string) map[string]map[string]bool {
	t.Helper()
	var list struct {
		Messages []struct {
			Subject string
			To      []struct{ Address string }
		}
	}
	last := -1
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(api + "/api/v1/messages?limit=500")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if len(list.Messages) == last {
			break
		}
		last = len(list.Messages)
	}
	out := map[string]map[string]bool{}
	for _, m := range list.Messages {
		for _, to := range m.To {
			if out[to.Address] == nil {
				out[to.Address] = map[string]bool{}
			}
			out[to.Address][m.Subject] = true
		}
	}
	return out
}
