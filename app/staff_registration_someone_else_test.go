package app

import (
	"net/http"
	"testing"

	"github.com/agora-events/agora/models"
)

// On the organizers' form too, the contact is the attendee unless the box
// says otherwise; ticked, the attendee named is registered.
func TestStaffRegistrationContactOrSomeoneElse(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	base := registrationsURL(fx.Event)
	mustContain(t, c.get(base+"/new").Body, "staff form", `name="someone_else"`, "The attendee is not the contact above")

	v := staffRegValues(fx.Ticket, models.StaffComplimentary, [2]string{"Marta Assistant", "marta@example.org"})
	v.Set("attendees.0.name", "Dr. Rui Speaker")
	v.Set("attendees.0.email", "rui@example.org")
	mustStatus(t, c.post(base+"/new", v), http.StatusSeeOther, "contact attends")
	var o models.Order
	if err := db.Preload("Attendees").Where("buyer_email = ?", "marta@example.org").Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	if len(o.Attendees) != 1 || o.Attendees[0].Name != "Marta Assistant" {
		t.Fatalf("without the box the contact attends: %+v", o.Attendees)
	}

	v = staffRegValues(fx.Ticket, models.StaffComplimentary, [2]string{"Marta Assistant", "marta2@example.org"})
	v.Set("someone_else", "yes")
	v.Set("attendees.0.name", "Dr. Rui Speaker")
	v.Set("attendees.0.email", "rui@example.org")
	mustStatus(t, c.post(base+"/new", v), http.StatusSeeOther, "someone else")
	o = models.Order{}
	if err := db.Preload("Attendees").Where("buyer_email = ?", "marta2@example.org").Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	if len(o.Attendees) != 1 || o.Attendees[0].Name != "Dr. Rui Speaker" || o.Attendees[0].Email != "rui@example.org" {
		t.Fatalf("with the box the person named attends: %+v", o.Attendees)
	}
}
