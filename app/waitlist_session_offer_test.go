package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agora-events/agora/models"
)

// TestSessionOfferToTicketHolderAddsTheSession: someone with a ticket who
// waits for a full session gets an offer page that adds the session to
// their registration — no second registration form, no second order.
func TestSessionOfferToTicketHolderAddsTheSession(t *testing.T) {
	r := newRegEnv(t)
	fill := r.form(t, r.tt.ID, 2)
	for i := 0; i < 2; i++ {
		fill.Set(fmt.Sprintf("attendees.%d.email", i), fmt.Sprintf("filler%d@example.org", i))
		fill.Add(fmt.Sprintf("attendees.%d.sessions", i), fmt.Sprint(r.s1.ID))
	}
	r.register(t, fill)
	holder := r.form(t, r.tt.ID, 1)
	holder.Set("attendees.0.email", "holder@example.org")
	r.register(t, holder)
	var at models.Attendee
	if err := r.db.Where("email = ?", "holder@example.org").Take(&at).Error; err != nil {
		t.Fatal(err)
	}
	res := r.c.post(r.path()[:len(r.path())-len("register")]+"waitlist", url.Values{"name": {"Holder"}, "email": {"Holder@example.org"},
		"ticket_type_id": {fmt.Sprint(r.tt.ID)}, "session_id": {fmt.Sprint(r.s1.ID)}})
	mustStatus(t, res, http.StatusOK, "join the session's waitlist")
	var fillers []models.Attendee
	r.db.Where("email LIKE ?", "filler%").Find(&fillers)
	if err := models.UpdateAttendeeSessions(r.db, fillers[0].ID, nil, r.ev.StartsAt.Add(-48*60*60*1e9)); err != nil {
		t.Fatal(err)
	}
	var w models.WaitlistEntry
	if err := r.db.Where("email = ? AND status = ?", "holder@example.org", models.WaitlistOffered).Take(&w).Error; err != nil {
		t.Fatalf("no offer: %v", err)
	}
	offer := "/waitlist/" + *w.OfferSecret
	page := r.c.get(offer)
	mustContain(t, page.Body, "holder offer", "You already have a ticket for this event", "Add the session to my registration")
	if strings.Contains(page.Body, `name="attendees.0.name"`) {
		t.Fatal("the ticket holder is asked to register again")
	}
	before := r.orders(t)
	res = r.c.post(offer, nil)
	if res.Status != http.StatusSeeOther || res.Location != offer {
		t.Fatalf("accept: %d %q\n%s", res.Status, res.Location, res.Body)
	}
	mustContain(t, r.c.get(offer).Body, "after accepting", "The session is now part of your registration")
	var people int64
	r.db.Model(&models.Attendee{}).Where("LOWER(email) = ?", "holder@example.org").Count(&people)
	ids, _ := models.AttendeeSessionIDs(r.db, at.ID)
	if r.orders(t) != before || people != 1 || len(ids) != 1 || ids[0] != r.s1.ID {
		t.Fatalf("orders %d→%d, holder attendees %d, sessions %v", before, r.orders(t), people, ids)
	}
	// Accepting again changes nothing.
	if res := r.c.post(offer, nil); res.Status != http.StatusConflict || r.orders(t) != before {
		t.Fatalf("second accept: %d, orders %d", res.Status, r.orders(t))
	}
}
