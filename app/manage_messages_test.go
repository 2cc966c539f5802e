package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func messageValues(step string) url.Values {
	return url.Values{"step": {step}, "audience": {"attendees"}, "language": {"en"},
		"subject": {"See you at {event_title}"}, "body": {"Dear {name},\n\nThe **programme** is ready: [your registration]({order_link})."}}
}

func messagesPath(e *models.Event) string { return fmt.Sprintf("/manage/events/%d/messages", e.ID) }

func countRows(t *testing.T, db *gorm.DB, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMessageFormBadInput: every bad input comes back with a message beside
// its field, the text typed kept, nothing queued and no 500.
func TestMessageFormBadInput(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	path := messagesPath(fx.Event)
	r := c.get(path)
	mustStatus(t, r, http.StatusOK, "messages page")
	mustContain(t, r.Body, "page", "{order_link}", "{event_date}", "Update count", "No messages sent yet.")

	if err := models.SetEventLanguages(db, fx.Event, "en", []string{"en", "fr", "el"}); err != nil {
		t.Fatal(err)
	}
	empty := models.TicketType{EventID: fx.Event.ID, Name: "Nobody's ticket", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := models.CreateTicketType(db, &empty); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a", models.MaxMessageBody+1)
	cases := []struct {
		name  string
		set   map[string]string
		wants []string
	}{
		{"empty subject and body", map[string]string{"subject": " ", "body": ""}, []string{`id="f-subject-error"`, `id="f-body-error"`, "Please fill in this field."}},
		{"nobody matches", map[string]string{"ticket_type": fmt.Sprint(empty.ID)}, []string{`id="f-audience-error"`, "Nobody matches these filters", "See you at {event_title}"}},
		{"nobody matches, counting", map[string]string{"step": "count", "ticket_type": fmt.Sprint(empty.ID)}, []string{"Nobody matches these filters"}},
		{"unknown ticket type", map[string]string{"ticket_type": "999999"}, []string{`id="f-ticket_type-error"`, "Please choose one of the options offered."}},
		{"unknown audience", map[string]string{"audience": "everyone-ever"}, []string{`id="f-audience-error"`}},
		{"waitlist with ticket-only filters", map[string]string{"audience": "waitlist", "checked_in": "yes"}, []string{"People on the waiting list have no ticket yet"}},
		{"unknown placeholder", map[string]string{"body": "Dear {nmae}"}, []string{`id="f-body-error"`, "Unknown placeholder {nmae}", "Dear {nmae}"}},
		{"too long", map[string]string{"body": long}, []string{`id="f-body-error"`, "the limit is 50000"}},
		{"a megabyte", map[string]string{"body": strings.Repeat("x", 1<<20)}, []string{`id="f-body-error"`}},
		{"French version half written", map[string]string{"subject.fr": "Bonjour à tous"}, []string{`id="f-body.fr-error"`, "Bonjour à tous"}},
		{"Greek body without subject", map[string]string{"body.el": "Γεια σας {name}"}, []string{`id="f-subject.el-error"`, "Γεια σας {name}"}},
		{"French unknown placeholder", map[string]string{"subject.fr": "Salut", "body.fr": "Cher {nom}"}, []string{`id="f-body.fr-error"`, "Unknown placeholder {nom}", "Cher {nom}"}},
		{"Greek subject too long", map[string]string{"subject.el": strings.Repeat("α", models.MaxMessageSubject+1), "body.el": "Γεια"}, []string{`id="f-subject.el-error"`, "Γεια"}},
		{"hostile bytes", map[string]string{"subject": "Hi\x00 \xff\xfe {name}", "body": "<script>alert(1)</script>\x01"}, nil},
	}
	for _, step := range []string{"preview", "test", "confirm", "send"} {
		for _, tc := range cases {
			v := messageValues(step)
			for k, val := range tc.set {
				v.Set(k, val)
			}
			if step == "send" {
				v.Set("send_key", "k-"+strings.Repeat("x", 20))
			}
			r := c.post(path, v)
			if tc.wants == nil {
				if r.Status >= 500 {
					t.Errorf("%s/%s: status %d", step, tc.name, r.Status)
				}
				continue
			}
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s/%s: status %d, want 422", step, tc.name, r.Status)
			}
			mustContain(t, r.Body, step+"/"+tc.name, tc.wants...)
		}
	}
	// A test in a language not written: told beside the language chooser.
	v := messageValues("test")
	v.Set("test_language", "el")
	v.Set("subject.fr", "Bonjour")
	v.Set("body.fr", "Bonjour {name}")
	r = c.post(path, v)
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("test in an unwritten language: status %d", r.Status)
	}
	mustContain(t, r.Body, "test language", `id="f-test_language-error"`, "Bonjour {name}")
	if n := countRows(t, db, &models.Message{}, "subject <> ?", "Hi"); n != 0 {
		t.Errorf("%d messages queued from bad input", n)
	}
	if n := countRows(t, db, &models.OutboxMessage{}, "subject LIKE ?", "[Test]%"); n != 0 {
		t.Errorf("%d test mails from bad input", n)
	}
}

// TestMessageSteps walks the form: count, preview, test to self, confirm,
// send (twice: one message), then the history and the detail page.
func TestMessageSteps(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	path := messagesPath(fx.Event)
	// A second attendee with Rosa's address in capitals: one mail for her.
	placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Rosa Again", Email: "ROSA@example.org"},
		models.AttendeeInput{Name: "Tom *Bold*", Email: "tom@example.org"})
	c.get(path)

	r := c.post(path, messageValues("count"))
	mustStatus(t, r, http.StatusOK, "count")
	mustContain(t, r.Body, "count", "People who will get this message: 2", "See you at {event_title}")

	r = c.post(path, messageValues("preview"))
	mustStatus(t, r, http.StatusOK, "preview")
	mustContain(t, r.Body, "preview", "Preview for "+fx.Attendee.Name, "See you at "+fx.Event.Title, "<strong>programme</strong>",
		`href="http://agora.test/orders/`+fx.Order.Secret+`"`)

	r = c.post(path, messageValues("test"))
	mustStatus(t, r, http.StatusOK, "test")
	mustContain(t, r.Body, "test", "A test was sent to owner@example.org.")
	var test models.OutboxMessage
	if err := db.Where("to_addr = ? AND subject LIKE ?", "owner@example.org", "[Test]%").Take(&test).Error; err != nil {
		t.Fatalf("no test mail: %v", err)
	}
	if !strings.Contains(test.HTMLBody, "<strong>programme</strong>") || !strings.Contains(test.Subject, fx.Event.Title) {
		t.Errorf("test mail %q\n%s", test.Subject, test.HTMLBody)
	}
	if n := countRows(t, db, &models.OutboxMessage{}, "kind = ?", models.MailEventMessage); n != 0 {
		t.Errorf("the test mailed %d registrants", n)
	}

	// "Send" without the confirmation's key only asks to confirm.
	r = c.post(path, messageValues("send"))
	mustStatus(t, r, http.StatusOK, "send without key")
	r = c.post(path, messageValues("confirm"))
	mustStatus(t, r, http.StatusOK, "confirm")
	mustContain(t, r.Body, "confirm", "Send now (people: 2)", `name="send_key"`)
	if n := countRows(t, db, &models.Message{}, "event_id = ?", fx.Event.ID); n != 0 {
		t.Fatalf("%d messages before sending", n)
	}
	key := regexp.MustCompile(`name="send_key" value="([^"]+)"`).FindStringSubmatch(r.Body)[1]
	send := messageValues("send")
	send.Set("send_key", key)
	r = c.post(path, send)
	mustStatus(t, r, http.StatusSeeOther, "send")
	r2 := c.post(path, send) // a second click
	if r2.Location != r.Location {
		t.Errorf("second click went to %s, first to %s", r2.Location, r.Location)
	}
	var msg models.Message
	if err := db.Where("event_id = ?", fx.Event.ID).Take(&msg).Error; err != nil {
		t.Fatal(err)
	}
	if countRows(t, db, &models.Message{}, "event_id = ?", fx.Event.ID) != 1 || msg.State != models.MessageQueued ||
		msg.SentByName == "" || msg.SentByEmail != "owner@example.org" || msg.Filter() != (models.AudienceFilter{}) {
		t.Fatalf("queued %+v", msg)
	}
	if r.Location != fmt.Sprintf("%s/%d", path, msg.ID) {
		t.Fatalf("redirect %s", r.Location)
	}
	r = c.get(r.Location)
	mustContain(t, r.Body, "detail while queued", "Your message is being sent.", "See you at {event_title}", "Being prepared")

	if err := (&jobs.Messages{DB: db}).Run(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	r = c.get(fmt.Sprintf("%s/%d", path, msg.ID))
	mustContain(t, r.Body, "detail", "rosa@example.org", "tom@example.org", "People: 2 · sent: 0 · waiting: 2 · failed: 0")
	r = c.get(path)
	mustContain(t, r.Body, "history", "See you at {event_title}", "Everyone confirmed", "People: 2 · sent: 0 · waiting: 2 · failed: 0")

	// Another organization's message is not found under this event.
	orgB, _ := modeltest.Organizer(t, db, "Org B", "b@example.org", models.RoleOwner)
	eB := modeltest.Event(t, db, orgB.ID, "b-forum", models.StatusPublished)
	other := queuedTestMessage(t, db, eB.ID)
	mustStatus(t, c.get(fmt.Sprintf("%s/%d", path, other)), http.StatusNotFound, "other event's message")
	mustStatus(t, c.get(fmt.Sprintf("/manage/events/%d/messages", eB.ID)), http.StatusNotFound, "other org's messages")

	// The key of a message sent for one event, posted for another of the
	// organizer's events, asks to confirm again instead of failing.
	e2 := modeltest.Event(t, db, fx.Event.OrganizationID, "second-forum", models.StatusPublished)
	tt2 := models.TicketType{EventID: e2.ID, Name: "Day pass", Currency: "EUR", Category: models.CategoryOther, MaxPerOrder: 1}
	if err := models.CreateTicketType(db, &tt2); err != nil {
		t.Fatal(err)
	}
	placeRegistration(t, db, e2, &tt2, models.AttendeeInput{Name: "Ines", Email: "ines@example.org"})
	c.get(messagesPath(e2))
	r = c.post(messagesPath(e2), send)
	mustStatus(t, r, http.StatusOK, "a key from another event")
	mustContain(t, r.Body, "a key from another event", "Send now (people: 1)")
	if n := countRows(t, db, &models.Message{}, "event_id = ?", e2.ID); n != 0 {
		t.Errorf("%d messages queued with another event's key", n)
	}
}
