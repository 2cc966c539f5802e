package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// Every page reached through a secret (an order's link, a sign-in link, a
// personal calendar feed) or a networking sign-in tells caches not to keep
// it, including the pages other areas added under /orders/{secret}.
func TestSecretPagesAreNotStored(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_store", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "paid")
	mf := newMeetingFixture(t, fx.db, "nostore", 1, models.ModeRequests)
	var mo models.Order
	if err := fx.db.Take(&mo, mf.Attendees[0].OrderID).Error; err != nil {
		t.Fatal(err)
	}
	c := newClient(t, fx.app)
	pages := []string{
		"/orders/" + o.Secret,
		"/orders/" + o.Secret + "/payment",
		"/orders/" + o.Secret + "/payment/return?session_id=" + sid,
		"/orders/" + o.Secret + "/receipt",
		"/orders/" + o.Secret + "/receipt.pdf",
		"/orders/" + o.Secret + "/calendar.ics",
		"/orders/" + o.Secret + "/data.json",
		fmt.Sprintf("/orders/%s/attendees/%d", o.Secret, o.Attendees[0].ID),
		"/orders/" + mo.Secret + "/meetings",
		// A delegate's own pages (delegations).
		"/tickets/" + o.Attendees[0].LinkSecret,
		"/tickets/" + o.Attendees[0].LinkSecret + "/edit",
		"/tickets/" + o.Attendees[0].LinkSecret + "/calendar.ics",
		"/tickets/" + o.Attendees[0].LinkSecret + "/data.json",
		"/tickets/" + o.Attendees[0].LinkSecret + "/cancel",
		"/tickets/" + mf.Attendees[0].LinkSecret + "/meetings",
	}
	for _, p := range pages {
		r := c.get(p)
		if r.Status >= 400 {
			t.Errorf("%s: %d", p, r.Status)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" && cc != "private, no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p, cc)
		}
		if rp := r.Header.Get("Referrer-Policy"); strings.HasPrefix(p, "/tickets/") && rp != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q, want no-referrer", p, rp)
		}
	}
	// Signed in to the networking area (via the order's link above): the
	// personal pages and the sign-in link page are not stored either.
	base := "/events/nostore/meetings"
	for _, p := range []string{base, base + "/directory", base + "/requests", base + "/agenda", base + "/signin/sometoken"} {
		r := c.get(p)
		if r.Status >= 400 {
			t.Errorf("%s: %d", p, r.Status)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" && cc != "private, no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p, cc)
		}
	}
}
