package models_test

import (
	"testing"

	"github.com/agora-events/agora/models"
)

// A person registering themselves types their name and e-mail once: with
// ContactAttends the first attendee is the contact, whatever was posted for
// them, and a missing contact name is one problem, not two.
func TestContactAttendsIsTheFirstAttendee(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 10)
	tt := ticketType(t, db, ev.ID, 10, 0, 2)
	in := orderInput(t, db, ev, tt, 2)
	in.ContactAttends = true
	in.BuyerName, in.BuyerEmail = "  Rosa Vidal ", "Rosa@Example.org"
	in.Attendees[0].Name, in.Attendees[0].Email = "Ignored", "ignored@example.org"
	second := in.Attendees[1]
	o := place(t, db, in)
	var as []models.Attendee
	if err := db.Where("order_id = ?", o.ID).Order("id").Find(&as).Error; err != nil || len(as) != 2 {
		t.Fatalf("attendees: %v %d", err, len(as))
	}
	if as[0].Name != "Rosa Vidal" || as[0].Email != models.NormalizeEmail("Rosa@Example.org") {
		t.Fatalf("first attendee is %q <%s>, want the contact", as[0].Name, as[0].Email)
	}
	if as[1].Name != second.Name || as[1].Email != second.Email {
		t.Fatalf("second attendee changed: %q <%s>", as[1].Name, as[1].Email)
	}
	if in.Attendees[0].Name != "Ignored" {
		t.Fatal("the caller's input was written into")
	}

	bad := orderInput(t, db, ev, tt, 1)
	bad.ContactAttends, bad.BuyerName, bad.Attendees[0].Name = true, "", ""
	form, err := models.LoadRegistrationForm(db, ev.ID, tt.ID)
	if err != nil {
		t.Fatal(err)
	}
	ps := problemSet(models.ValidateRegistration(bad, *form))
	if ps["buyer_name"] != models.ProblemRequired || len(ps) != 1 {
		t.Fatalf("problems %v, want only buyer_name required", ps)
	}
	bad.ContactAttends = false
	if ps := problemSet(models.ValidateRegistration(bad, *form)); ps["attendees.0.name"] != models.ProblemRequired {
		t.Fatalf("someone else without a name: %v", ps)
	}
}
