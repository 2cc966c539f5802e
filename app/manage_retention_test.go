package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// retentionWeb is an organization with an owner and a manager, an event
// that ended a month ago with one registration (needs, answers), and an
// event to come.
type retentionWeb struct {
	db       *gorm.DB
	c        *client
	org      *models.Organization
	ended    *models.Event
	upcoming *models.Event
	reg      regFixture
}

func newRetentionWeb(t *testing.T) *retentionWeb {
	t.Helper()
	app, db := newTestApp(t)
	org, _ := modeltest.Organizer(t, db, "Care Cluster", "owner@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, "Care Cluster", "manager@example.org", models.RoleManager)
	modeltest.Organizer(t, db, "Other Cluster", "stranger@example.org", models.RoleOwner)
	w := &retentionWeb{db: db, c: newClient(t, app), org: org}
	w.ended = modeltest.Event(t, db, org.ID, "ended-forum", models.StatusPublished)
	w.reg = newRegFixture(t, db, w.ended)
	end := time.Now().UTC().AddDate(0, -1, 0)
	if err := db.Model(&models.Event{}).Where("id = ?", w.ended.ID).
		Updates(map[string]any{"starts_at": end.Add(-24 * time.Hour), "ends_at": end}).Error; err != nil {
		t.Fatal(err)
	}
	w.upcoming = modeltest.Event(t, db, org.ID, "coming-forum", models.StatusPublished)
	newRegFixture(t, db, w.upcoming)
	return w
}

func retentionPath(e *models.Event) string { return fmt.Sprintf("/manage/events/%d/retention", e.ID) }

func TestRetentionPageIsForOwners(t *testing.T) {
	w := newRetentionWeb(t)
	p := retentionPath(w.ended)
	for _, who := range []struct {
		email  string
		status int
	}{{"manager@example.org", http.StatusForbidden}, {"stranger@example.org", http.StatusNotFound}} {
		c := newClient(t, w.c.app)
		c.signIn(who.email)
		if who.status == http.StatusForbidden && strings.Contains(c.get(fmt.Sprintf("/manage/events/%d", w.ended.ID)).Body, p) {
			t.Error("the overview links a manager to a page they may not open")
		}
		for _, u := range []string{p, p + "/anonymise"} {
			if r := c.get(u); r.Status != who.status {
				t.Errorf("GET %s as %s: %d, want %d", u, who.email, r.Status, who.status)
			}
		}
		c.get("/manage/login")
		if r := c.post(p+"/anonymise", url.Values{}); r.Status != who.status {
			t.Errorf("POST anonymise as %s: %d, want %d", who.email, r.Status, who.status)
		}
		if r := c.post(p, url.Values{"months": {"3"}}); r.Status != who.status {
			t.Errorf("POST period as %s: %d, want %d", who.email, r.Status, who.status)
		}
	}
	var left int64
	w.db.Model(&models.Attendee{}).Where("anonymised_at IS NULL").Count(&left)
	var ev models.Event
	w.db.Take(&ev, w.ended.ID)
	if left != 2 || ev.RetentionMonths != nil {
		t.Fatalf("others changed things: %d people left, period %v", left, ev.RetentionMonths)
	}

	w.c.signIn("owner@example.org")
	r := w.c.get(p)
	mustStatus(t, r, http.StatusOK, "owner's page")
	removes := models.RemovalDate(ev, 12).In(ev.Location())
	mustContain(t, r.Body, "retention page", "Retention of personal data", "<dd>12 (the organization&#39;s default)</dd>",
		newTranslator(mustBundle(t), "en").Date(removes), "What is kept, and why", "tax law", "/retention/anonymise")
	// The overview links to it.
	mustContain(t, w.c.get(fmt.Sprintf("/manage/events/%d", w.ended.ID)).Body, "overview", p)
}

func TestRetentionPeriodBadInputAndAudit(t *testing.T) {
	w := newRetentionWeb(t)
	w.c.signIn("owner@example.org")
	p := retentionPath(w.ended)
	for _, bad := range []string{"0", "121", "six", "-3", ""} {
		w.c.get(p)
		r := w.c.post(p, url.Values{"months": {bad}})
		mustStatus(t, r, http.StatusUnprocessableEntity, "months "+bad)
		want := "Enter a whole number of months from 1 to 120."
		if bad == "" {
			want = "f-months-error"
		}
		mustContain(t, r.Body, "months "+bad, want, `value="`+bad+`"`)
	}
	w.c.get(p)
	r := w.c.post(p, url.Values{"months": {"6"}})
	mustStatus(t, r, http.StatusSeeOther, "save 6 months")
	mustContain(t, w.c.get(r.Location).Body, "after save", "The retention period was saved.", "<dd>6</dd>")
	var ev models.Event
	w.db.Take(&ev, w.ended.ID)
	if ev.RetentionMonths == nil || *ev.RetentionMonths != 6 {
		t.Fatalf("period %v, want 6", ev.RetentionMonths)
	}
	w.c.get(p)
	mustStatus(t, w.c.post(p, url.Values{"use_default": {"1"}, "months": {"nonsense"}}), http.StatusSeeOther, "back to the default")
	w.db.Take(&ev, w.ended.ID)
	if ev.RetentionMonths != nil {
		t.Fatalf("period %v, want the default", *ev.RetentionMonths)
	}
	var entries []models.AuditEntry
	w.db.Where("action = ?", models.AuditRetentionChanged).Order("id").Find(&entries)
	if len(entries) != 2 || entries[0].ActorEmail != "owner@example.org" || entries[0].EventID == nil ||
		!strings.Contains(entries[0].Detail, "6 months") || entries[0].IP == "" {
		t.Fatalf("audit entries %+v", entries)
	}

	// The organization's default, on its settings page.
	sp := fmt.Sprintf("/manage/orgs/%d/settings", w.org.ID)
	mustContain(t, w.c.get(sp).Body, "settings", `name="months"`, `value="12"`)
	r = w.c.post(sp+"/retention", url.Values{"months": {"200"}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "default 200")
	mustContain(t, r.Body, "default 200", "Enter a whole number of months from 1 to 120.", `value="200"`)
	w.c.get(sp)
	r = w.c.post(sp+"/retention", url.Values{"months": {"24"}})
	mustStatus(t, r, http.StatusSeeOther, "default 24")
	mustContain(t, w.c.get(r.Location).Body, "after default", "The default retention period was saved.", `value="24"`)
	if m, _ := models.OrganizationRetentionMonths(w.db, w.org.ID); m != 24 {
		t.Fatalf("default %d, want 24", m)
	}
	var n int64
	w.db.Model(&models.AuditEntry{}).Where("action = ? AND organization_id = ?", models.AuditRetentionOrgChanged, w.org.ID).Count(&n)
	if n != 1 {
		t.Fatalf("%d default-change entries, want 1", n)
	}
	mustContain(t, w.c.get(p).Body, "event page after default", "<dd>24 (the organization&#39;s default)</dd>")
}

func TestAnonymiseEventNowThroughTheApp(t *testing.T) {
	w := newRetentionWeb(t)
	w.c.signIn("owner@example.org")
	p := retentionPath(w.ended)
	r := w.c.get(p + "/anonymise")
	mustStatus(t, r, http.StatusOK, "confirm page")
	mustContain(t, r.Body, "confirm page", "Anonymise now (people affected: 1)", "It cannot be undone.")
	// A forged post (no valid token) changes nothing.
	mustStatus(t, w.c.post(p+"/anonymise", url.Values{"_csrf": {"forged"}}), http.StatusForbidden, "forged post")
	var left int64
	w.db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", w.ended.ID).Count(&left)
	if left != 1 {
		t.Fatal("a forged post anonymised someone")
	}
	w.c.get(p + "/anonymise")
	r = w.c.post(p+"/anonymise", url.Values{})
	mustStatus(t, r, http.StatusSeeOther, "anonymise now")
	mustContain(t, w.c.get(r.Location).Body, "after", "The personal data of this event was removed.", "Personal data was removed on")

	var a models.Attendee
	w.db.Preload("Answers").Take(&a, w.reg.Attendee.ID)
	if a.AnonymisedAt == nil || a.Name != models.AnonymisedName || a.Email != "" || a.Organization != "" || a.NeedsNote != "" ||
		a.Needs.Any() || len(a.Answers) != 0 {
		t.Fatalf("attendee after: %+v", a)
	}
	var o models.Order
	w.db.Take(&o, w.reg.Order.ID)
	if o.BuyerEmail != "" || o.BuyerName != models.AnonymisedName {
		t.Fatalf("buyer after: %q <%s>", o.BuyerName, o.BuyerEmail)
	}
	var e models.AuditEntry
	if err := w.db.Where("action = ? AND event_id = ?", models.AuditRetentionRun, w.ended.ID).Take(&e).Error; err != nil ||
		e.ActorEmail != "owner@example.org" || e.ActorUserID == nil || strings.Contains(e.Detail, "Rosa") {
		t.Fatalf("audit entry %+v, %v", e, err)
	}
	// The other event is untouched; an event to come cannot be anonymised.
	w.db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", w.upcoming.ID).Count(&left)
	if left != 1 {
		t.Fatalf("%d people of the event to come left, want 1", left)
	}
	up := retentionPath(w.upcoming)
	mustContain(t, w.c.get(up+"/anonymise").Body, "not yet", "This can be done once the event has ended.")
	r = w.c.post(up+"/anonymise", url.Values{})
	mustStatus(t, r, http.StatusSeeOther, "anonymise the event to come")
	mustContain(t, w.c.get(r.Location).Body, "refused", "The event has not ended yet: nothing was removed.")
	w.db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", w.upcoming.ID).Count(&left)
	if left != 1 {
		t.Fatal("the event to come was anonymised")
	}

	// The order's own link says plainly what happened.
	anon := newClient(t, w.c.app)
	r = anon.get("/orders/" + o.Secret)
	mustStatus(t, r, http.StatusOK, "order link")
	mustContain(t, r.Body, "order link", "The personal data of this registration was removed")
	if strings.Contains(r.Body, "Rosa") || strings.Contains(r.Body, "rosa@example.org") {
		t.Fatal("the order page still names the person")
	}
	checkCounters(t, w.db)
}
