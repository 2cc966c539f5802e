package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The public page's stamp (its cache version) moves when a place is taken
// in a ticket type or a session, when a place moves from one type to
// another, and when a sales window opens or closes, none of which bumps the event's
// version; the listing's stamp moves with places taken too.
func TestPublicStampsFollowPlacesAndSalesWindows(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	ev := openEvent(t, db, 0)
	a := ticketType(t, db, ev.ID, 40, 0, 1)
	b := ticketType(t, db, ev.ID, 40, 0, 1)
	s := signupSession(t, db, ev.ID, 20)
	now := time.Now()
	stamp := func() string {
		t.Helper()
		_, st, err := models.PublicEventStamp(db, ev.Slug, now)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	listing := func() string {
		t.Helper()
		st, err := models.PublicListingStamp(db, now)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	take := func(table string, id uint, n int) {
		t.Helper()
		if err := db.Table(table).Where("id = ?", id).Update("places_taken", gorm.Expr("places_taken + ?", n)).Error; err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]string{}
	step := func(what string) {
		t.Helper()
		st := stamp()
		if prev, dup := seen[st]; dup {
			t.Errorf("after %s the stamp %q is the one of %s", what, st, prev)
		}
		seen[st] = what
	}
	step("start")
	l0 := listing()
	take("ticket_types", a.ID, 1)
	step("a place in type a")
	if listing() == l0 {
		t.Error("the listing's stamp did not move with a place taken")
	}
	take("ticket_types", a.ID, -1)
	take("ticket_types", b.ID, 1)
	step("the place moved to type b")
	take("sessions", s.ID, 1)
	step("a place in the session")
	onSale := stamp()
	opens := now.Add(time.Hour)
	if err := db.Model(&models.TicketType{}).Where("id = ?", b.ID).Update("sales_start_at", opens).Error; err != nil {
		t.Fatal(err)
	}
	step("type b off sale")
	now = opens.Add(time.Minute)
	if st := stamp(); st != onSale {
		t.Errorf("type b on sale again: stamp %q, want the one before (%q): the page is the same", st, onSale)
	}
}
