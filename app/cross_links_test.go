package app

import (
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The public event page links to the networking area only while networking
// is on; turning it on or off changes the cached page at once.
func TestEventPageLinksToMeetingsWhenNetworkingOn(t *testing.T) {
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "linked-forum", 1, models.ModeRequests)
	c := newClient(t, f)
	link := `href="/events/linked-forum/meetings"`
	r := c.get("/events/linked-forum")
	mustStatus(t, r, 200, "event page")
	mustContain(t, r.Body, "event page with networking", link)

	set, err := models.NetworkingFor(db, fx.Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	set.Enabled = false
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/events/linked-forum"); strings.Contains(r.Body, link) {
		t.Errorf("networking off, but the cached event page still links to it")
	}
	set.Enabled = true
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get("/events/linked-forum").Body, "event page after turning networking on", link)

	// An event that never had networking shows no link.
	org, _ := modeltest.Organizer(t, db, "Other", "o@other.example", models.RoleOwner)
	modeltest.Event(t, db, org.ID, "plain-forum", models.StatusPublished)
	if r := c.get("/events/plain-forum"); r.Status != 200 || strings.Contains(r.Body, "/meetings") {
		t.Errorf("event without networking: %d, links to meetings: %v", r.Status, strings.Contains(r.Body, "/meetings"))
	}
}

// The organizer's overview links to the networking setup and dashboard.
func TestManageEventLinksToNetworking(t *testing.T) {
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "org-links", 1, models.ModeRequests)
	c := newClient(t, f)
	c.signIn("owner-org-links@example.org")
	base := "/manage/events/" + itoa(int(fx.Event.ID))
	r := c.get(base)
	mustStatus(t, r, 200, "overview")
	mustContain(t, r.Body, "overview", `href="`+base+`/networking"`, `href="`+base+`/meetings"`)
	mustStatus(t, c.get(base+"/networking"), 200, "networking setup")
	mustStatus(t, c.get(base+"/meetings"), 200, "meetings dashboard")
}

// The self-service page links to the meetings when the event has them and
// the order may take part; not for a cancelled order or without networking.
func TestOrderPageLinksToMeetings(t *testing.T) {
	f, db := newTestApp(t)
	fx := newMeetingFixture(t, db, "order-links", 1, models.ModeRequests)
	var o models.Order
	if err := db.Take(&o, fx.Attendees[0].OrderID).Error; err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f)
	link := `href="/orders/` + o.Secret + `/meetings"`
	r := c.get("/orders/" + o.Secret)
	mustStatus(t, r, 200, "order page")
	mustContain(t, r.Body, "order page", link)
	if strings.Contains(r.Body, "/receipt") {
		t.Errorf("free order links to a receipt")
	}
	// The link works: it signs the only attendee in.
	r = c.get("/orders/" + o.Secret + "/meetings")
	if r.Status != 303 || r.Location != "/events/order-links/meetings" {
		t.Errorf("meetings link: %d %s", r.Status, r.Location)
	}

	set, _ := models.NetworkingFor(db, fx.Event.ID)
	set.Enabled = false
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/orders/" + o.Secret); strings.Contains(r.Body, link) {
		t.Errorf("networking off, order page still links to it")
	}
	set.Enabled = true
	if err := models.SaveNetworking(db, set); err != nil {
		t.Fatal(err)
	}
	if _, err := models.CancelOrder(db, o.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := c.get("/orders/" + o.Secret); strings.Contains(r.Body, link) {
		t.Errorf("cancelled order links to the meetings")
	}
}

// A paid order links to its receipt (page and PDF); a pending one does not.
func TestOrderPageLinksToReceiptWhenPaid(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	c := newClient(t, fx.app)
	r := c.get("/orders/" + o.Secret)
	mustStatus(t, r, 200, "pending order")
	if strings.Contains(r.Body, "/receipt") {
		t.Errorf("pending order links to a receipt")
	}
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_links", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "paid")
	r = c.get("/orders/" + o.Secret)
	mustContain(t, r.Body, "paid order", `href="/orders/`+o.Secret+`/receipt"`, `href="/orders/`+o.Secret+`/receipt.pdf"`)
	mustStatus(t, c.get("/orders/"+o.Secret+"/receipt"), 200, "receipt")
}
