package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
)

// sendFeedback runs one pass of the feedback job at now.
func sendFeedback(t *testing.T, w *feedbackWorld) int {
	t.Helper()
	n, err := models.QueueFeedbackRequests(w.db, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The job asks each attendee once, in their registration language, with
// the link to the questionnaire on their personal link, through the real
// mailpit; a second pass sends nothing.
func TestFeedbackJobSendsOncePerPerson(t *testing.T) {
	w := newFeedbackWorld(t)
	job := &jobs.Feedback{DB: w.db}
	if err := job.Run(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	msgs := mailpitDelivery(t, w.db)
	if len(msgs) != 4 {
		t.Fatalf("%d mails, want 4", len(msgs))
	}
	for _, m := range msgs {
		var p *models.Attendee
		for i := range w.people {
			if w.people[i].Email == m.To[0].Address {
				p = &w.people[i]
			}
		}
		if p == nil {
			t.Fatalf("mail to %v", m.To)
		}
		link := fmt.Sprintf("http://agora.test/tickets/%s/feedback/%d", p.LinkSecret, w.form.ID)
		if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
			t.Errorf("mail to %s lacks its link %s:\n%s", p.Email, link, m.Text)
		}
		want := "How was it? " + w.event.Title
		if p.Email == "person2@example.org" {
			want = "¿Qué le pareció? " + w.event.Title
		}
		if m.Subject != want {
			t.Errorf("subject to %s = %q, want %q", p.Email, m.Subject, want)
		}
	}
	if err := job.Run(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	var pending int64
	w.db.Model(&models.OutboxMessage{}).Where("status = ?", models.OutboxPending).Count(&pending)
	if n := sendFeedback(t, w); n != 0 || pending != 0 {
		t.Fatalf("a second pass queued %d, %d pending", n, pending)
	}
}

// Before the send time nothing goes; with the door kept, only those
// checked in are asked; a questionnaire switched off sends nothing.
func TestFeedbackAsksTheRightPeopleAtTheRightTime(t *testing.T) {
	w := newFeedbackWorld(t)
	if err := w.db.Model(w.form).Update("send_hours", 5).Error; err != nil {
		t.Fatal(err)
	}
	if n := sendFeedback(t, w); n != 0 {
		t.Fatalf("queued %d before the send time", n)
	}
	if err := w.db.Model(w.form).Updates(map[string]any{"send_hours": 1, "sending": false}).Error; err != nil {
		t.Fatal(err)
	}
	if n := sendFeedback(t, w); n != 0 {
		t.Fatalf("queued %d while switched off", n)
	}
	w.db.Model(w.form).Update("sending", true)
	now := time.Now().UTC()
	w.db.Model(&models.Attendee{}).Where("id IN ?", []uint{w.people[0].ID, w.people[3].ID}).Update("checked_in_at", now)
	if n := sendFeedback(t, w); n != 2 {
		t.Fatalf("queued %d, want the 2 checked in", n)
	}
	var asked []uint
	w.db.Model(&models.FeedbackRequest{}).Order("attendee_id").Pluck("attendee_id", &asked)
	if fmt.Sprint(asked) != fmt.Sprint([]uint{w.people[0].ID, w.people[3].ID}) {
		t.Fatalf("asked %v", asked)
	}
}

// Two instances' job runners at once ask each person once: one request
// row and one outbox mail per person and questionnaire.
func TestFeedbackTwoRunnersAskOnce(t *testing.T) {
	w := newFeedbackWorld(t)
	a, b := &jobs.Feedback{DB: w.db}, &jobs.Feedback{DB: w.db}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 8)
	for _, j := range []*jobs.Feedback{a, b, a, b} {
		wg.Add(1)
		go func(j *jobs.Feedback) {
			defer wg.Done()
			<-start
			errs <- j.Run(context.Background(), time.Now())
		}(j)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var requests, mails int64
	w.db.Model(&models.FeedbackRequest{}).Count(&requests)
	w.db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailFeedbackRequest).Count(&mails)
	if requests != 4 || mails != 4 {
		t.Fatalf("%d requests and %d mails, want 4 each", requests, mails)
	}
}

// An attendee answers on their link: required questions and values off the
// scale come back beside the question with what was typed (escaped); a
// good answer is stored once and can be changed while open.
func TestFeedbackAttendeeAnswers(t *testing.T) {
	w := newFeedbackWorld(t)
	c := newClient(t, w.app)
	if r := c.get(w.link(0)); r.Status != http.StatusNotFound {
		t.Fatalf("before the request: %d", r.Status)
	}
	sendFeedback(t, w)
	r := c.get(w.link(0))
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "<legend>Well-being: feeling listened to") ||
		!strings.Contains(r.Body, "0 = Not at all") || !strings.Contains(r.Body, `type="radio"`) {
		t.Fatalf("form: %d\n%s", r.Status, r.Body)
	}
	hostile := `<script>alert("x")</script>`
	q := func(id uint) string { return models.FeedbackField(id) }
	r = c.post(w.link(0), url.Values{q(w.indicator.ID): {"11"}, q(w.open.ID): {hostile}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad answers: %d", r.Status)
	}
	for _, want := range []string{
		fmt.Sprintf(`id="f-q%d-error">Please answer this question.`, w.satisfy.ID),
		fmt.Sprintf(`id="f-q%d-error">Please choose one of the answers shown.`, w.indicator.ID),
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</textarea>",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(r.Body, hostile) {
		t.Fatal("hostile text not escaped")
	}
	r = c.post(w.link(0), url.Values{q(w.satisfy.ID): {"4"}, q(w.indicator.ID): {"9"}, q(w.open.ID): {hostile}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("good answers: %d\n%s", r.Status, r.Body)
	}
	r = c.get(w.link(0))
	if !strings.Contains(r.Body, "Thank you! Your answers were saved.") || !strings.Contains(r.Body, "You have already answered") ||
		!strings.Contains(r.Body, fmt.Sprintf(`id="f-q%d-4" name="q%d" value="4" checked`, w.satisfy.ID, w.satisfy.ID)) {
		t.Fatalf("after answering:\n%s", r.Body)
	}
	c.post(w.link(0), url.Values{q(w.satisfy.ID): {"2"}})
	var rs []models.FeedbackResponse
	w.db.Preload("Answers").Find(&rs)
	if len(rs) != 1 || len(rs[0].Answers) != 1 || *rs[0].Answers[0].Value != 2 || rs[0].Category != models.CategoryPatientCitizen {
		t.Fatalf("responses %+v", rs)
	}
	// Closed: the page says so and a post stores nothing.
	w.db.Model(w.form).Update("open_days", 0)
	if r := c.get(w.link(0)); !strings.Contains(r.Body, "not open for answers") || strings.Contains(r.Body, "<textarea") {
		t.Fatalf("closed:\n%s", r.Body)
	}
	if r := c.post(w.link(0), url.Values{q(w.satisfy.ID): {"5"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("post when closed: %d", r.Status)
	}
}

// A session's questionnaire is sent after the session ends, to those who
// signed up for it; one the session's end is not yet two hours past waits.
func TestFeedbackSessionQuestionnaireGoesToItsSignUps(t *testing.T) {
	w := newFeedbackWorld(t)
	w.db.Model(w.form).Update("sending", false)
	end := time.Now().UTC().Add(-3 * time.Hour)
	s := &models.Session{EventID: w.event.ID, Title: "Ethics agora", Format: models.FormatAgora, StartsAt: end.Add(-time.Hour), EndsAt: end}
	late := &models.Session{EventID: w.event.ID, Title: "Closing", Format: models.FormatTalk, StartsAt: end, EndsAt: end.Add(2 * time.Hour)}
	for _, x := range []*models.Session{s, late} {
		if err := w.db.Create(x).Error; err != nil {
			t.Fatal(err)
		}
		f := &models.FeedbackForm{EventID: w.event.ID, SessionID: x.ID, Title: x.Title, SendHours: 2, OpenDays: 7, Sending: true}
		if err := models.SaveFeedbackForm(w.db, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.db.Create(&models.SessionSignup{AttendeeID: w.people[2].ID, SessionID: s.ID}).Error; err != nil {
		t.Fatal(err)
	}
	if n := sendFeedback(t, w); n != 1 {
		t.Fatalf("queued %d, want the one person signed up for the ended session", n)
	}
	var r models.FeedbackRequest
	if err := w.db.Take(&r).Error; err != nil || r.AttendeeID != w.people[2].ID {
		t.Fatalf("request %+v %v", r, err)
	}
}

// The request mail renders in every interface language, with no message
// missing, and each says when the questionnaire closes.
func TestFeedbackMailInEveryLanguage(t *testing.T) {
	w := newFeedbackWorld(t)
	sendFeedback(t, w)
	var m models.OutboxMessage
	if err := w.db.Where("kind = ?", models.MailFeedbackRequest).Order("id").Take(&m).Error; err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer(w.db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]bool{}
	for _, lang := range Languages {
		m.Language = lang
		out, err := r.Render(m)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if subjects[out.Subject] || !strings.Contains(out.Text, "/feedback/") {
			t.Errorf("%s: subject %q (seen before?) or no link:\n%s", lang, out.Subject, out.Text)
		}
		subjects[out.Subject] = true
	}
}
