package app

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// Publishing and unpublishing each leave one entry with who, the event and
// the client's address as the trusted proxy forwarded it; a publish that
// changes nothing (already published) leaves none.
func TestAuditPublishUnpublishWithClientAddress(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	e := w.fx.Event
	c.get(eventPath(e, ""))
	mustStatus(t, postFrom(c, eventPath(e, "/unpublish"), nil, "203.0.113.7"), http.StatusSeeOther, "unpublish")
	got := oneAudit(t, w.db, models.AuditEventUnpublished)
	checkActor(t, got, w.owner, w.orgA.ID, e.ID)
	if got.IP != "203.0.113.7" {
		t.Errorf("address %q, want the forwarded client 203.0.113.7", got.IP)
	}
	c.get(eventPath(e, ""))
	mustStatus(t, postFrom(c, eventPath(e, "/publish"), nil, "198.51.100.9, 203.0.113.8"), http.StatusSeeOther, "publish")
	got = oneAudit(t, w.db, models.AuditEventPublished)
	checkActor(t, got, w.owner, w.orgA.ID, e.ID)
	if got.IP != "203.0.113.8" {
		t.Errorf("address %q, want the rightmost hop 203.0.113.8", got.IP)
	}
	// Published already: nothing changes, nothing is logged.
	c.get(eventPath(e, ""))
	mustStatus(t, c.post(eventPath(e, "/publish"), nil), http.StatusSeeOther, "publish again")
	oneAudit(t, w.db, models.AuditEventPublished)
	// Without the CSRF token the change is refused, and so is its line.
	mustStatus(t, c.post(eventPath(e, "/unpublish"), url.Values{"_csrf": {"forged"}}), http.StatusForbidden, "forged unpublish")
	oneAudit(t, w.db, models.AuditEventUnpublished)
}

// Deleting an event logs it once; a second delete (the event is gone)
// logs nothing more.
func TestAuditEventDeleted(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	e := w.fx.Event
	c.get(eventPath(e, "/delete"))
	mustStatus(t, c.post(eventPath(e, "/delete"), url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "delete")
	got := oneAudit(t, w.db, models.AuditEventDeleted)
	checkActor(t, got, w.owner, w.orgA.ID, e.ID)
	// Without the box ticked: refused beside the field, no line.
	e2 := newAuditEvent(t, w, "second-forum")
	c.get(eventPath(e2, "/delete"))
	mustStatus(t, c.post(eventPath(e2, "/delete"), nil), http.StatusUnprocessableEntity, "delete unconfirmed")
	oneAudit(t, w.db, models.AuditEventDeleted)
}

func newAuditEvent(t *testing.T, w *auditWorld, slug string) *models.Event {
	t.Helper()
	e := &models.Event{OrganizationID: w.orgA.ID, Slug: slug, Kind: models.KindForum, Title: "Event " + slug, TimeZone: "Europe/Madrid",
		StartsAt: w.fx.Event.StartsAt, EndsAt: w.fx.Event.EndsAt, Status: models.StatusDraft}
	if err := models.CreateEvent(w.db, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// Anonymising a person logs them by attendee id and order code, never by
// name or e-mail; doing it again (nothing left to erase) logs nothing.
func TestAuditStaffAnonymisation(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	at := w.fx.Attendee
	u := fmt.Sprintf("%s/%d/anonymise", registrationsURL(w.fx.Event), at.ID)
	c.get(u)
	mustStatus(t, c.post(u, url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "anonymise")
	got := oneAudit(t, w.db, models.AuditAnonymised)
	checkActor(t, got, w.owner, w.orgA.ID, w.fx.Event.ID)
	if want := models.AttendeeSubject(at.ID, w.fx.Order.Code); got.Subject != want {
		t.Errorf("subject %q, want %q", got.Subject, want)
	}
	for _, personal := range []string{at.Name, at.Email, "Rosa", "rosa@"} {
		if strings.Contains(got.Subject+got.Detail, personal) {
			t.Errorf("the entry names the person (%q): %+v", personal, got)
		}
	}
	c.get(u)
	c.post(u, url.Values{"confirm": {"yes"}})
	oneAudit(t, w.db, models.AuditAnonymised)
}

// A message sent logs once, and a second click on the same send (the same
// key) sends nothing and logs nothing.
func TestAuditMessageSent(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	path := messagesPath(w.fx.Event)
	c.get(path)
	r := c.post(path, messageValues("confirm"))
	m := regexp.MustCompile(`name="send_key" value="([^"]+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no send key on the confirm step:\n%s", r.Body)
	}
	send := messageValues("send")
	send.Set("send_key", m[1])
	mustStatus(t, c.post(path, send), http.StatusSeeOther, "send")
	got := oneAudit(t, w.db, models.AuditMessageSent)
	checkActor(t, got, w.owner, w.orgA.ID, w.fx.Event.ID)
	var msg models.Message
	w.db.Order("id DESC").Take(&msg)
	if got.Subject != fmt.Sprintf("message %d", msg.ID) || !strings.Contains(got.Detail, "See you at") {
		t.Errorf("entry %q / %q", got.Subject, got.Detail)
	}
	c.get(path)
	c.post(path, send) // the second click
	oneAudit(t, w.db, models.AuditMessageSent)
}

// Confirming an import logs it once; confirming it again is refused and
// logs nothing.
func TestAuditImportStarted(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	imp := uploadImport(t, c, w.db, w.fx, "people.csv", []byte("name,email\nAna Uno,ana1@example.org\nBea Dos,bea2@example.org\n"))
	if n := len(auditOf(t, w.db, models.AuditImport)); n != 0 {
		t.Fatalf("an upload (a preview) logged %d imports", n)
	}
	confirmImportVia(t, c, w.fx, imp, false)
	got := oneAudit(t, w.db, models.AuditImport)
	checkActor(t, got, w.owner, w.orgA.ID, w.fx.Event.ID)
	if got.Subject != fmt.Sprintf("import %d", imp.ID) || !strings.Contains(got.Detail, "2 rows") {
		t.Errorf("entry %q / %q", got.Subject, got.Detail)
	}
	confirmImportVia(t, c, w.fx, imp, false)
	oneAudit(t, w.db, models.AuditImport)
}

// A badge download (all, or one at the door by check-in staff) is logged
// before the PDF is sent; a choice that matches no one serves nothing and
// logs nothing.
func TestAuditBadgesDownloaded(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	r := c.get(eventPath(w.fx.Event, "/badges.pdf?layout=a6&who=all"))
	mustStatus(t, r, http.StatusOK, "badges")
	got := oneAudit(t, w.db, models.AuditBadgesDownloaded)
	checkActor(t, got, w.owner, w.orgA.ID, w.fx.Event.ID)
	if got.Subject != "1 badges" {
		t.Errorf("subject %q", got.Subject)
	}
	mustStatus(t, c.get(eventPath(w.fx.Event, "/badges.pdf?layout=a6&who=category&category="+models.CategoryIndustry)),
		http.StatusUnprocessableEntity, "badges of no one")
	oneAudit(t, w.db, models.AuditBadgesDownloaded)

	door := w.signedIn(t, "door@a.example")
	mustStatus(t, door.get(fmt.Sprintf("%s/%d/badge.pdf", registrationsURL(w.fx.Event), w.fx.Attendee.ID)), http.StatusOK, "door badge")
	es := auditOf(t, w.db, models.AuditBadgesDownloaded)
	if len(es) != 2 {
		t.Fatalf("%d badge entries, want 2", len(es))
	}
	checkActor(t, es[1], userByEmail(t, w.db, "door@a.example"), w.orgA.ID, w.fx.Event.ID)
	if es[1].Subject != models.AttendeeSubject(w.fx.Attendee.ID, w.fx.Order.Code) {
		t.Errorf("door badge subject %q", es[1].Subject)
	}
}

// Sending certificates logs once per send; before the event ended it is
// refused and logs nothing.
func TestAuditCertificatesSent(t *testing.T) {
	early := newCertWorld(t, false)
	c := newClient(t, early.app)
	c.signIn("owner-cert@example.org")
	c.get(eventPath(early.event, "/certificates"))
	c.post(eventPath(early.event, "/certificates/send"), nil)
	if n := len(auditOf(t, early.db, models.AuditCertificatesSent)); n != 0 {
		t.Fatalf("a refused send logged %d entries", n)
	}

	wo := newCertWorld(t, true)
	c = newClient(t, wo.app)
	c.signIn("owner-cert@example.org")
	c.get(eventPath(wo.event, "/certificates"))
	mustStatus(t, c.post(eventPath(wo.event, "/certificates/send"), nil), http.StatusSeeOther, "send certificates")
	got := oneAudit(t, wo.db, models.AuditCertificatesSent)
	checkActor(t, got, userByEmail(t, wo.db, "owner-cert@example.org"), wo.event.OrganizationID, wo.event.ID)
	if !strings.Contains(got.Detail, "2 certificate mails") {
		t.Errorf("detail %q", got.Detail)
	}
}

// When the log cannot be written, the change it would record does not
// happen either: the entry and the change share one transaction.
func TestAuditUnwritableLogRollsBackTheChange(t *testing.T) {
	w := newAuditWorld(t)
	c := w.signedIn(t, "owner@a.example")
	e := w.fx.Event
	if err := w.db.Exec("ALTER TABLE audit_entries RENAME TO audit_entries_away").Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.db.Exec("ALTER TABLE audit_entries_away RENAME TO audit_entries") })
	status := func() string {
		var s string
		w.db.Model(&models.Event{}).Where("id = ?", e.ID).Pluck("status", &s)
		return s
	}
	c.get(eventPath(e, ""))
	mustStatus(t, c.post(eventPath(e, "/unpublish"), nil), http.StatusInternalServerError, "unpublish")
	if s := status(); s != models.StatusPublished {
		t.Errorf("unpublished without its entry: %s", s)
	}
	c.get(eventPath(e, "/cancel"))
	c.post(eventPath(e, "/cancel"), url.Values{"subject": {"Off"}, "body": {"Off"}, "confirm": {"yes"}})
	if s := status(); s != models.StatusPublished {
		t.Errorf("cancelled without its entry: %s", s)
	}
	c.get(eventPath(e, "/delete"))
	c.post(eventPath(e, "/delete"), url.Values{"confirm": {"yes"}})
	if s := status(); s != models.StatusPublished {
		t.Errorf("deleted without its entry: %s", s)
	}
	u := fmt.Sprintf("%s/%d/anonymise", registrationsURL(e), w.fx.Attendee.ID)
	c.get(u)
	c.post(u, url.Values{"confirm": {"yes"}})
	var at models.Attendee
	w.db.Take(&at, w.fx.Attendee.ID)
	if at.AnonymisedAt != nil || at.Email == "" {
		t.Error("anonymised without its entry")
	}
	mustStatus(t, c.get(eventPath(e, "/badges.pdf?layout=a6&who=all")), http.StatusInternalServerError, "badges without their entry")
	r := c.get(auditURL(w.orgA.ID) + ".csv")
	mustStatus(t, r, http.StatusInternalServerError, "the log's CSV without its entry")
	if strings.Contains(r.Body, "Action name") {
		t.Error("the CSV was served although its download could not be logged")
	}
	path := messagesPath(e)
	c.get(path)
	send := messageValues("send")
	send.Set("send_key", strings.Repeat("k", 24))
	c.post(path, send)
	if n := countRows(t, w.db, &models.Message{}, "event_id = ?", e.ID); n != 0 {
		t.Errorf("%d messages queued without their entry", n)
	}
}
