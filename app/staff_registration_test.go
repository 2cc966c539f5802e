package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// staffTicket adds a ticket type to the fixture's event.
func staffTicket(t *testing.T, db *gorm.DB, fx regFixture, name string, price int64, capacity int, hidden bool) *models.TicketType {
	t.Helper()
	tt := &models.TicketType{EventID: fx.Event.ID, Name: name, Currency: "EUR", Price: price, Capacity: capacity,
		Category: models.CategoryOther, MaxPerOrder: 5, Hidden: hidden}
	if err := models.CreateTicketType(db, tt); err != nil {
		t.Fatal(err)
	}
	return tt
}

func staffRegValues(tt *models.TicketType, kind string, people ...[2]string) url.Values {
	v := url.Values{"ticket_type_id": {fmt.Sprint(tt.ID)}, "kind": {kind}, "language": {"es"},
		"buyer_name": {people[0][0]}, "buyer_email": {people[0][1]}, "idempotency_key": {"staff-key-" + people[0][1]}}
	for i, p := range people {
		v.Set(fmt.Sprintf("attendees.%d.name", i), p[0])
		v.Set(fmt.Sprintf("attendees.%d.email", i), p[1])
	}
	return v
}

func outboxCount(t *testing.T, db *gorm.DB, kind string, refID uint) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.OutboxMessage{}).Where("kind = ? AND ref_id = ?", kind, refID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStaffRegistersGuestsByHand(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	vip := staffTicket(t, db, fx, "Speakers", 9000, 5, true)
	base := registrationsURL(fx.Event)

	r := c.get(base + "/new?count=2")
	mustStatus(t, r, http.StatusOK, "new registration form")
	mustContain(t, r.Body, "form", "Speakers (hidden)", `name="attendees.1.name"`, `name="kind"`)

	// Two people on a hidden paid ticket as guests, no e-mail.
	v := staffRegValues(vip, models.StaffComplimentary, [2]string{"Ana Speaker", "ana@example.org"}, [2]string{"Luis Speaker", "luis@example.org"})
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusSeeOther, "register guests")
	var o models.Order
	if err := db.Preload("Attendees").Where("buyer_email = ?", "ana@example.org").Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	if o.Status != models.OrderConfirmed || o.Total != 0 || len(o.Attendees) != 2 || o.Language != "es" {
		t.Fatalf("guest order %+v", o)
	}
	so, err := models.StaffOrderOf(db, o.ID)
	if err != nil || so.Kind != models.StaffComplimentary || so.UserName != "Test owner" {
		t.Fatalf("staff mark %+v, %v", so, err)
	}
	var consents int64
	db.Model(&models.ConsentRecord{}).Where("attendee_id IN ?", []uint{o.Attendees[0].ID, o.Attendees[1].ID}).Count(&consents)
	if consents != 0 {
		t.Fatalf("staff registration recorded %d consents nobody gave", consents)
	}
	if n := outboxCount(t, db, models.MailOrderConfirmation, o.ID); n != 0 {
		t.Fatalf("confirmation queued although not asked: %d", n)
	}
	// The same form posted twice is one registration.
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusSeeOther, "same form again")
	var orders int64
	db.Model(&models.Order{}).Where("buyer_email = ?", "ana@example.org").Count(&orders)
	if orders != 1 {
		t.Fatalf("double post made %d orders", orders)
	}
	r = c.get(fmt.Sprintf("%s/%d", base, o.Attendees[0].ID))
	mustContain(t, r.Body, "registration page", "Registered by staff", "Guest or complimentary", "Test owner", "registered by hand")

	// With the confirmation e-mail.
	c.get(base + "/new")
	v = staffRegValues(fx.Ticket, models.StaffComplimentary, [2]string{"Eva Guest", "eva@example.org"})
	v.Set("send_confirmation", "yes")
	mustStatus(t, c.post(base+"/new", v), http.StatusSeeOther, "guest with mail")
	var eva models.Order
	db.Where("buyer_email = ?", "eva@example.org").Take(&eva)
	if n := outboxCount(t, db, models.MailOrderConfirmation, eva.ID); n != 1 {
		t.Fatalf("confirmation mails %d, want 1", n)
	}

	// Bank transfer needs the event's bank transfers.
	c.get(base + "/new")
	v = staffRegValues(vip, models.StaffInvoice, [2]string{"Iker Invoice", "iker@example.org"})
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "invoice while off")
	mustContain(t, r.Body, "invoice off", `id="f-kind-error"`, "Bank transfers are off", `value="Iker Invoice"`)
	if err := db.Model(&models.EventPaymentSettings{ID: fx.Event.ID}).Updates(map[string]any{"allow_invoice": true, "invoice_days": 10}).Error; err != nil {
		t.Fatal(err)
	}
	mustStatus(t, c.post(base+"/new", v), http.StatusSeeOther, "invoice")
	var inv models.Order
	db.Where("buyer_email = ?", "iker@example.org").Take(&inv)
	if inv.Status != models.OrderPending || inv.Total != 9000 || inv.ExpiresAt == nil || inv.ExpiresAt.Before(time.Now().Add(9*24*time.Hour)) {
		t.Fatalf("invoice order %+v", inv)
	}
	if p, err := models.InvoicePending(db, inv.ID); err != nil || p.Amount != 9000 {
		t.Fatalf("invoice payment %+v %v", p, err)
	}
	if _, err := models.MarkInvoicePaid(db, inv.ID, time.Now()); err != nil {
		t.Fatal(err)
	}

	// Bad input comes back beside the field, kept.
	c.get(base + "/new")
	v = staffRegValues(fx.Ticket, models.StaffComplimentary, [2]string{"Bad Mail", "not-an-address"})
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad e-mail")
	mustContain(t, r.Body, "bad e-mail", `id="f-buyer_email-error"`, `value="not-an-address"`)
	v = staffRegValues(vip, models.StaffFullPrice, [2]string{"Paula Paid", "paula@example.org"})
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "full price without Stripe")
	mustContain(t, r.Body, "full price without Stripe", `id="f-kind-error"`, "Online payment is not set up", `value="Paula Paid"`)
	// The ticket type's limit per registration holds for staff too.
	v = staffRegValues(fx.Ticket, models.StaffComplimentary, [2]string{"G1", "g1@example.org"}, [2]string{"G2", "g2@example.org"},
		[2]string{"G3", "g3@example.org"}, [2]string{"G4", "g4@example.org"})
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "too many")
	mustContain(t, r.Body, "too many", `id="f-attendees"`, "at most 3 people", `value="g4@example.org"`)
	v = staffRegValues(fx.Ticket, "free-for-all", [2]string{"Odd Kind", "odd@example.org"})
	r = c.post(base+"/new", v)
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad kind")
	mustContain(t, r.Body, "bad kind", `id="f-kind-error"`)
}

func TestStaffRegistrationOfAFullTicketTypeSaysSo(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	one := staffTicket(t, db, fx, "Last seat", 0, 1, false)
	base := registrationsURL(fx.Event)
	c.get(base + "/new")
	mustStatus(t, c.post(base+"/new", staffRegValues(one, models.StaffComplimentary, [2]string{"First In", "first@example.org"})), http.StatusSeeOther, "first")
	c.get(base + "/new")
	r := c.post(base+"/new", staffRegValues(one, models.StaffComplimentary, [2]string{"Second In", "second@example.org"}))
	mustStatus(t, r, http.StatusConflict, "full ticket")
	mustContain(t, r.Body, "full ticket", `id="f-ticket_type_id-error"`, "This ticket type is full", `value="Second In"`, `value="second@example.org"`)
	var n int64
	db.Model(&models.Order{}).Where("buyer_email = ?", "second@example.org").Count(&n)
	if n != 0 {
		t.Fatal("a full ticket type was oversold")
	}
}

func TestStaffEditsAttendeeAndTheChangeIsRecorded(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	modeltest.AccessCoordinator(t, db, "Org A", "owner@example.org", true) // the edit covers the needs
	page := fmt.Sprintf("%s/%d", registrationsURL(fx.Event), fx.Attendee.ID)
	r := c.get(page + "/edit")
	mustStatus(t, r, http.StatusOK, "edit form")
	mustContain(t, r.Body, "edit form", `value="Rosa Citizen care-forum"`, `value="rosa@example.org"`, "insulin at noon")

	v := url.Values{"name": {"Rosa M. Citizen"}, "email": {"rosa.m@example.org"}, "organization": {"Care Coop"},
		fmt.Sprintf("answers.%d", fx.Plain.ID): {"telecare"}, fmt.Sprintf("answers.%d", fx.Sensitive.ID): {"insulin at 13:00"},
		"needs.step_free": {"yes"}, "needs.dietary": {"no gluten, no nuts"}, "needs.note": {"needs a chair near the door"}}
	bad := url.Values{}
	for k, vs := range v {
		bad[k] = vs
	}
	bad.Set("email", "rosa@@example")
	bad.Set("name", "")
	r = c.post(page+"/edit", bad)
	mustStatus(t, r, http.StatusUnprocessableEntity, "bad edit")
	mustContain(t, r.Body, "bad edit", `id="f-email-error"`, `id="f-name-error"`, `value="rosa@@example"`, "insulin at 13:00")

	r = c.post(page+"/edit", v)
	mustStatus(t, r, http.StatusSeeOther, "edit")
	var a models.Attendee
	db.Preload("Order").Take(&a, fx.Attendee.ID)
	if a.Name != "Rosa M. Citizen" || a.Email != "rosa.m@example.org" || a.Needs.Dietary != "no gluten, no nuts" {
		t.Fatalf("attendee %+v", a)
	}
	if a.Order.BuyerEmail != "rosa.m@example.org" {
		t.Fatalf("the buyer's e-mail did not follow: %q", a.Order.BuyerEmail)
	}
	var ch models.RegistrationChange
	if err := db.Where("attendee_id = ? AND action = ?", a.ID, models.ChangeEdited).Take(&ch).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ch.Details, "insulin") || strings.Contains(ch.Details, "gluten") {
		t.Fatalf("the change record keeps sensitive values: %s", ch.Details)
	}
	r = c.get(page)
	mustContain(t, r.Body, "changes", "details changed", "Test owner", "“Rosa Citizen care-forum” → “Rosa M. Citizen”",
		"“rosa@example.org” → “rosa.m@example.org”", "“home care” → “telecare”", "Medication we should know about (changed; the values are not kept here)")
	checkCounters(t, db)
}

func TestStaffResendsTheConfirmation(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	page := fmt.Sprintf("%s/%d", registrationsURL(fx.Event), fx.Attendee.ID)
	c.get(page)
	before := outboxCount(t, db, models.MailOrderConfirmation, fx.Order.ID)
	mustStatus(t, c.post(page+"/resend", nil), http.StatusSeeOther, "resend")
	if n := outboxCount(t, db, models.MailOrderConfirmation, fx.Order.ID); n != before+1 {
		t.Fatalf("confirmations %d, want %d", n, before+1)
	}
	r := c.get(page)
	mustContain(t, r.Body, "resent", "The confirmation is on its way.", "confirmation sent again")
	mustStatus(t, c.post(page+"/resend", nil), http.StatusSeeOther, "resend twice")
	if n := outboxCount(t, db, models.MailOrderConfirmation, fx.Order.ID); n != before+1 {
		t.Fatalf("a double click sent %d confirmations", n-before)
	}
	mustContain(t, c.get(page).Body, "twice", "less than a minute ago")
}

func TestStaffCancelsOnePersonOfADelegation(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	o := placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Lead Delegate", Email: "lead@example.org"},
		models.AttendeeInput{Name: "Second Delegate", Email: "second@example.org"})
	page := fmt.Sprintf("%s/%d", registrationsURL(fx.Event), o.Attendees[1].ID)
	c.get(page + "/cancel")
	mustStatus(t, c.post(page+"/cancel", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "cancel one")
	var as []models.Attendee
	db.Where("order_id = ?", o.ID).Order("position").Find(&as)
	if as[0].Status != models.AttendeeActive || as[1].Status != models.AttendeeCancelled {
		t.Fatalf("statuses %s %s", as[0].Status, as[1].Status)
	}
	mustContain(t, c.get(page).Body, "cancel recorded", "cancelled", "Test owner")
	checkCounters(t, db)
}

func TestStaffMovesAttendeeOnlyWhenThereIsRoom(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	small := staffTicket(t, db, fx, "Workshop pass", 0, 1, false)
	page := fmt.Sprintf("%s/%d", registrationsURL(fx.Event), fx.Attendee.ID)
	r := c.get(page + "/move")
	mustContain(t, r.Body, "move form", "Workshop pass — places left: 1")
	mustStatus(t, c.post(page+"/move", url.Values{"ticket_type_id": {fmt.Sprint(small.ID)}}), http.StatusSeeOther, "move")
	var a models.Attendee
	db.Take(&a, fx.Attendee.ID)
	if a.TicketTypeID != small.ID {
		t.Fatal("not moved")
	}
	mustContain(t, c.get(page).Body, "moved", "moved to another ticket type", "“"+fx.Ticket.Name+"” → “Workshop pass”")

	other := placeRegistration(t, db, fx.Event, fx.Ticket, models.AttendeeInput{Name: "Late Mover", Email: "late@example.org"})
	page2 := fmt.Sprintf("%s/%d", registrationsURL(fx.Event), other.Attendees[0].ID)
	c.get(page2 + "/move")
	r = c.post(page2+"/move", url.Values{"ticket_type_id": {fmt.Sprint(small.ID)}})
	mustStatus(t, r, http.StatusUnprocessableEntity, "move into full")
	mustContain(t, r.Body, "move into full", `id="f-ticket_type_id-error"`, "This ticket type is full")
	checkCounters(t, db)
}

// Eight people moved at once into a ticket type with three places: three
// move, five are told it is full, and the counters match the rows.
func TestMoveAttendeeRaceNeverOversells(t *testing.T) {
	_, db, fx := regAdminSetup(t)
	big := staffTicket(t, db, fx, "Main hall", 0, 20, false)
	small := staffTicket(t, db, fx, "Small room", 0, 3, false)
	var ids []uint
	for i := 0; i < 8; i++ {
		o := placeRegistration(t, db, fx.Event, big, models.AttendeeInput{Name: fmt.Sprintf("Mover %d", i), Email: fmt.Sprintf("mover%d@example.org", i)})
		ids = append(ids, o.Attendees[0].ID)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func(i int, id uint) {
			defer wg.Done()
			errs[i] = models.MoveAttendee(db, id, small.ID, models.Actor{Name: "Racer"}, time.Now())
		}(i, id)
	}
	wg.Wait()
	moved := 0
	for _, err := range errs {
		switch {
		case err == nil:
			moved++
		case err == models.ErrTicketTypeFull:
		default:
			t.Fatalf("move: %v", err)
		}
	}
	var inSmall int64
	db.Model(&models.Attendee{}).Where("ticket_type_id = ? AND status = ?", small.ID, models.AttendeeActive).Count(&inSmall)
	if moved != 3 || inSmall != 3 {
		t.Fatalf("moved %d, in the small room %d; capacity 3", moved, inSmall)
	}
	checkCounters(t, db)
}

// Erasing a person's data also erases the old values their change records
// kept, and records the erasure itself.
func TestAnonymiseErasesValuesFromChangeRecords(t *testing.T) {
	c, db, fx := regAdminSetup(t)
	page := fmt.Sprintf("%s/%d", registrationsURL(fx.Event), fx.Attendee.ID)
	c.get(page + "/edit")
	mustStatus(t, c.post(page+"/edit", url.Values{"name": {"Rosa Renamed"}, "email": {"rosa@example.org"}}), http.StatusSeeOther, "edit")
	mustStatus(t, c.post(page+"/resend", nil), http.StatusSeeOther, "resend")
	c.get(page + "/anonymise")
	mustStatus(t, c.post(page+"/anonymise", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "anonymise")
	var left int64
	db.Model(&models.RegistrationChange{}).Where("order_id = ? AND (details LIKE ? OR details LIKE ?)", fx.Order.ID, "%Rosa%", "%rosa@%").Count(&left)
	if left != 0 {
		t.Fatalf("%d change records still name the person", left)
	}
	body := c.get(page).Body
	mustContain(t, body, "erased", "personal data erased", "details changed")
	if strings.Contains(body, "Rosa Renamed") {
		t.Fatal("the page still shows the erased name")
	}
}

// A full-price registration by staff holds the places for a week and mails
// the link, where the person pays through Stripe like anyone else.
func TestStaffFullPriceRegistrationIsPaidThroughTheLink(t *testing.T) {
	fx := newPayFixture(t, 5)
	c := newClient(t, fx.app)
	c.signIn("owner@pay.example")
	base := registrationsURL(fx.event)
	c.get(base + "/new")
	v := staffRegValues(fx.tt, models.StaffFullPrice, [2]string{"Iris Industry", "iris@example.org"})
	v.Set("send_confirmation", "yes")
	mustStatus(t, c.post(base+"/new", v), http.StatusSeeOther, "full price")
	var o models.Order
	if err := fx.db.Where("buyer_email = ?", "iris@example.org").Take(&o).Error; err != nil {
		t.Fatal(err)
	}
	if o.Status != models.OrderPending || o.Total != 2500 || o.ExpiresAt == nil || o.ExpiresAt.Before(fx.clock().Add(6*24*time.Hour)) {
		t.Fatalf("order %+v", o)
	}
	if n := outboxCount(t, fx.db, models.MailOrderLink, o.ID); n != 1 {
		t.Fatalf("link mails %d", n)
	}
	if n := outboxCount(t, fx.db, models.MailOrderConfirmation, o.ID); n != 0 {
		t.Fatalf("a confirmation before payment: %d", n)
	}
	if sid := fx.checkout(&o); sid == "" {
		t.Fatal("no checkout session")
	}
}
