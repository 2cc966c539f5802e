package app

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// lifecycleWorld is an organization with an owner, a manager and check-in
// staff, an event with an agenda and one free registration, and another
// organization's owner.
type lifecycleWorld struct {
	db  *gorm.DB
	ev  *models.Event
	reg regFixture
	ag  agendaFixture
}

func newLifecycleWorld(t *testing.T, db *gorm.DB, status string) lifecycleWorld {
	t.Helper()
	org, _ := modeltest.Organizer(t, db, "Org A", "owner-lc@example.org", models.RoleOwner)
	modeltest.Organizer(t, db, org.Name, "manager-lc@example.org", models.RoleManager)
	modeltest.Organizer(t, db, org.Name, "door-lc@example.org", models.RoleCheckin)
	modeltest.Organizer(t, db, "Org B", "owner-b@example.org", models.RoleOwner)
	ev := modeltest.Event(t, db, org.ID, "care-forum", status)
	return lifecycleWorld{db: db, ev: ev, ag: newAgendaFixture(t, db, ev), reg: newRegFixture(t, db, ev)}
}

func countEvents(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	db.Model(&models.Event{}).Count(&n)
	return n
}

func TestCopyEventFormSuggestsValidatesAndCopies(t *testing.T) {
	f, db := newTestApp(t)
	w := newLifecycleWorld(t, db, models.StatusPublished)
	base := fmt.Sprintf("/manage/events/%d", w.ev.ID)
	c := newClient(t, f)
	c.signIn("manager-lc@example.org")

	mustContain(t, c.get(base).Body, "overview", `href="`+base+`/copy"`, `href="`+base+`/preview"`, `href="`+base+`/delete"`)
	page := c.get(base + "/copy")
	mustStatus(t, page, http.StatusOK, "copy form")
	nextYear := w.ev.StartsAt.In(w.ev.Location()).AddDate(1, 0, 0)
	mustContain(t, page.Body, "suggestion", `value="Event care-forum"`, fmt.Sprintf(`value="care-forum-%d"`, nextYear.Year()),
		`value="`+nextYear.Format("2006-01-02T15:04")+`"`, "Registrations, orders")

	before := countEvents(t, db)
	valid := func() url.Values {
		return url.Values{"title": {"Care Forum next year"}, "slug": {"care-forum-next"}, "starts_at": {nextYear.Format("2006-01-02T15:04")}}
	}
	bad := []struct {
		name, field, value, msg string
	}{
		{"duplicate slug", "slug", "care-forum", "Another event already uses this web address"},
		{"bad slug", "slug", "Care Forum!", "Use only lowercase letters"},
		{"bad date", "starts_at", "2027-13-45T99:99", "Enter a date and time"},
		{"absurd year", "starts_at", "9999-01-01T09:00", "Enter a date and time"},
		{"no date", "starts_at", "", "Please fill in this field."},
		{"no title", "title", "  ", "Please fill in this field."},
		{"long title", "title", strings.Repeat("a", 201), "200"},
	}
	for _, b := range bad {
		v := valid()
		v.Set(b.field, b.value)
		c.get(base + "/copy")
		r := c.post(base+"/copy", v)
		mustStatus(t, r, http.StatusUnprocessableEntity, b.name)
		mustContain(t, r.Body, b.name, b.msg)
		if b.field != "title" {
			mustContain(t, r.Body, b.name+" keeps the title", `value="Care Forum next year"`)
		}
	}
	// Hostile bytes: control bytes dropped, markup escaped, nothing saved.
	v := valid()
	v.Set("title", "<script>alert(1)</script>\x00\x01 \xff")
	v.Set("slug", "care-forum")
	c.get(base + "/copy")
	r := c.post(base+"/copy", v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "hostile")
	if strings.Contains(r.Body, "<script>alert(1)") {
		t.Fatal("title not escaped")
	}
	mustContain(t, r.Body, "hostile kept", html.EscapeString("<script>alert(1)</script>"))
	if n := countEvents(t, db); n != before {
		t.Fatalf("refused copies made events: %d, was %d", n, before)
	}

	c.get(base + "/copy")
	r = c.post(base+"/copy", valid())
	mustStatus(t, r, http.StatusSeeOther, "copy")
	var cp models.Event
	if err := db.Where("slug = ?", "care-forum-next").Take(&cp).Error; err != nil {
		t.Fatal(err)
	}
	if r.Location != eventURL(&cp) || cp.Status != models.StatusDraft || cp.OrganizationID != w.ev.OrganizationID {
		t.Fatalf("copy: %+v, redirect %s", cp, r.Location)
	}
	mustContain(t, c.get(r.Location).Body, "copy overview", "Care Forum next year", "created as a draft", "1 sessions")
	var orders, ticketTypes int64
	db.Model(&models.Order{}).Where("event_id = ?", cp.ID).Count(&orders)
	db.Model(&models.TicketType{}).Where("event_id = ?", cp.ID).Count(&ticketTypes)
	if orders != 0 || ticketTypes != 1 {
		t.Fatalf("copy has %d orders, %d ticket types", orders, ticketTypes)
	}
	checkCounters(t, db)
}

func TestEventLifecyclePagesRefuseOtherOrganizationsAndDoorStaff(t *testing.T) {
	f, db := newTestApp(t)
	w := newLifecycleWorld(t, db, models.StatusDraft)
	base := fmt.Sprintf("/manage/events/%d", w.ev.ID)
	for _, who := range []struct {
		email  string
		status int
	}{{"owner-b@example.org", http.StatusNotFound}, {"door-lc@example.org", http.StatusForbidden}} {
		c := newClient(t, f)
		c.signIn(who.email)
		before := dbSnapshot(t, db)
		for _, p := range []string{"/copy", "/preview", "/delete"} {
			if r := c.get(base + p); r.Status != who.status {
				t.Errorf("GET %s as %s: %d, want %d", p, who.email, r.Status, who.status)
			}
		}
		c.get("/manage")
		for _, p := range []string{"/copy", "/delete"} {
			v := url.Values{"title": {"Stolen"}, "slug": {"stolen"}, "starts_at": {"2030-01-01T09:00"}, "confirm": {"yes"}}
			if r := c.post(base+p, v); r.Status != who.status {
				t.Errorf("POST %s as %s: %d, want %d", p, who.email, r.Status, who.status)
			}
		}
		if after := dbSnapshot(t, db); after != before {
			t.Fatalf("%s changed records", who.email)
		}
	}
}

func TestPreviewShowsTheDraftToItsOrganizersOnly(t *testing.T) {
	f, db := newTestApp(t)
	w := newLifecycleWorld(t, db, models.StatusDraft)
	base := fmt.Sprintf("/manage/events/%d", w.ev.ID)
	pub := newClient(t, f)
	if r := pub.get("/events/care-forum"); r.Status != http.StatusNotFound {
		t.Fatalf("draft public: %d", r.Status)
	}
	c := newClient(t, f)
	c.signIn("owner-lc@example.org")
	r := c.get(base + "/preview")
	mustStatus(t, r, http.StatusOK, "preview")
	mustContain(t, r.Body, "preview", "Preview — not public yet.", "Event care-forum", w.ag.Session.Title, w.ag.Speaker.Name,
		`class="disabled" disabled>`, "Registration is switched off in the preview.", `href="`+base+`"`, `noindex`)
	if strings.Contains(r.Body, `href="/events/care-forum/register"`) {
		t.Fatal("the preview links to the registration form")
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Fatalf("preview Cache-Control %q", cc)
	}
	c.lang = "es"
	mustContain(t, c.get(base+"/preview").Body, "preview es", "Vista previa: todavía no es pública.")
	c.lang = ""
	// Still not public, and the preview never reached the public cache.
	if r := pub.get("/events/care-forum"); r.Status != http.StatusNotFound {
		t.Fatalf("draft public after preview: %d", r.Status)
	}
	c.get(base)
	mustStatus(t, c.post(base+"/publish", nil), http.StatusSeeOther, "publish")
	live := pub.get("/events/care-forum")
	mustStatus(t, live, http.StatusOK, "published page")
	if strings.Contains(live.Body, "Preview") || !strings.Contains(live.Body, `href="/events/care-forum/register"`) {
		t.Fatalf("public page after a preview:\n%s", live.Body)
	}
	// A preview of a published event, asked after the public page was cached, is a preview.
	mustContain(t, c.get(base+"/preview").Body, "preview after cache", "Preview — not public yet.", `class="disabled" disabled>`)
}

func TestDeleteEventFormCancelsRegistrationsAndTellsPeople(t *testing.T) {
	f, db := newTestApp(t)
	w := newLifecycleWorld(t, db, models.StatusDraft)
	base := fmt.Sprintf("/manage/events/%d", w.ev.ID)
	c := newClient(t, f)
	c.signIn("manager-lc@example.org")
	page := c.get(base + "/delete")
	mustStatus(t, page, http.StatusOK, "delete page")
	mustContain(t, page.Body, "delete page", "Registrations that will be cancelled: 1. People who will be told by e-mail: 1.", `name="confirm"`)

	before := dbSnapshot(t, db)
	r := c.post(base+"/delete", url.Values{})
	mustStatus(t, r, http.StatusUnprocessableEntity, "unconfirmed")
	mustContain(t, r.Body, "unconfirmed", "Tick the box to confirm that you want to delete the event.")
	if dbSnapshot(t, db) != before {
		t.Fatal("an unconfirmed delete changed records")
	}
	r = c.post(base+"/delete", url.Values{"confirm": {"yes"}})
	mustStatus(t, r, http.StatusSeeOther, "delete")
	if r.Location != "/manage" {
		t.Fatalf("redirect %s", r.Location)
	}
	dash := c.get("/manage")
	mustContain(t, dash.Body, "dashboard", "The event has been deleted.")
	if strings.Contains(dash.Body, "Event care-forum") {
		t.Fatal("deleted event still on the dashboard")
	}
	if r := c.get(base); r.Status != http.StatusNotFound {
		t.Fatalf("deleted event overview: %d", r.Status)
	}
	var o models.Order
	db.Take(&o, w.reg.Order.ID)
	if o.Status != models.OrderCancelled {
		t.Fatalf("order %s", o.Status)
	}
	checkCounters(t, db)
	var notices []models.OutboxMessage
	db.Where("kind = ?", models.MailEventDeleted).Find(&notices)
	if len(notices) != 1 || notices[0].To != "rosa@example.org" {
		t.Fatalf("notices: %+v", notices)
	}
	rend, err := mail.NewRenderer(db, "http://agora.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "es"} {
		n := notices[0]
		n.Language = lang
		m, err := rend.Render(n)
		if err != nil {
			t.Fatalf("render %s: %v", lang, err)
		}
		want := map[string]string{"en": "Called off: Event care-forum", "es": "Suspendido: Event care-forum"}[lang]
		if m.Subject != want || !strings.Contains(m.Text, "Rosa Citizen care-forum") || strings.Contains(m.Text, "/events/") {
			t.Fatalf("%s mail: %q\n%s", lang, m.Subject, m.Text)
		}
	}
	// The slug is free again.
	createEventVia(t, c, db, eventValues("Care forum again", "care-forum"))
}

func TestDeleteEventWithAPaidOrderIsRefused(t *testing.T) {
	f, db := newTestApp(t)
	w := newLifecycleWorld(t, db, models.StatusPublished)
	if err := db.Create(&models.Payment{OrderID: w.reg.Order.ID, Provider: models.ProviderInvoice, State: models.PaymentPaid, Amount: 2500, Currency: "EUR"}).Error; err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/manage/events/%d", w.ev.ID)
	c := newClient(t, f)
	c.signIn("owner-lc@example.org")
	page := c.get(base + "/delete")
	mustStatus(t, page, http.StatusOK, "delete page")
	mustContain(t, page.Body, "refusal", "cannot be deleted because some orders have been paid", "Cancel the event instead")
	if strings.Contains(page.Body, `name="confirm"`) {
		t.Fatal("the page offers to delete a paid event")
	}
	before := dbSnapshot(t, db)
	c.get(base)
	r := c.post(base+"/delete", url.Values{"confirm": {"yes"}})
	mustStatus(t, r, http.StatusConflict, "paid delete")
	mustContain(t, r.Body, "paid delete", "cannot be deleted because some orders have been paid. Cancel the event instead")
	if dbSnapshot(t, db) != before {
		t.Fatal("a refused delete changed records")
	}
	if r := newClient(t, f).get("/events/care-forum"); r.Status != http.StatusOK {
		t.Fatalf("public page after a refused delete: %d", r.Status)
	}
}
