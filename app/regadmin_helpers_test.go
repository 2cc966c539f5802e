package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// regFixture is an event with a ticket type, a plain and a sensitive
// question, a privacy text, and one confirmed attendee with access needs.
type regFixture struct {
	Event     *models.Event
	Ticket    *models.TicketType
	Plain     models.Question
	Sensitive models.Question
	Privacy   *models.ConsentText
	Order     *models.Order
	Attendee  models.Attendee
	Voucher   *models.Voucher
}

// newRegFixture fills e (published for the time it takes to register; its
// status is put back) and places one order through models.PlaceOrder.
func newRegFixture(t *testing.T, db *gorm.DB, e *models.Event) regFixture {
	t.Helper()
	f := regFixture{Event: e}
	f.Ticket = &models.TicketType{EventID: e.ID, Name: "Citizen pass " + e.Slug, Currency: "EUR", Capacity: 10,
		Category: models.CategoryPatientCitizen, MaxPerOrder: 3}
	if err := models.CreateTicketType(db, f.Ticket); err != nil {
		t.Fatal(err)
	}
	f.Plain = models.Question{EventID: e.ID, Kind: models.QuestionText, Label: "Favourite topic"}
	f.Sensitive = models.Question{EventID: e.ID, Kind: models.QuestionText, Label: "Medication we should know about", Sensitive: true, Position: 1}
	for _, q := range []*models.Question{&f.Plain, &f.Sensitive} {
		if err := db.Create(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if f.Privacy, err = models.SetConsentText(db, e.ID, models.ConsentPrivacy, "We keep your data for the event."); err != nil {
		t.Fatal(err)
	}
	f.Order = placeRegistration(t, db, e, f.Ticket, models.AttendeeInput{Name: "Rosa Citizen " + e.Slug, Email: "rosa@example.org",
		Organization: "Care Coop", Needs: models.AccessNeeds{StepFree: true, Dietary: "no gluten"},
		NeedsNote: "needs a chair near the door",
		Answers:   map[uint]string{f.Plain.ID: "home care", f.Sensitive.ID: "insulin at noon"}, ConsentTextIDs: []uint{f.Privacy.ID}})
	f.Attendee = f.Order.Attendees[0]
	f.Voucher = &models.Voucher{EventID: e.ID, Code: "CARE-" + strings.ToUpper(e.Slug), Kind: models.VoucherPercent, Value: 20, MaxUses: 5}
	if err := models.SaveVoucher(db, f.Voucher); err != nil {
		t.Fatal(err)
	}
	return f
}

// placeRegistration registers attendees for tt through the domain rule, as
// the public form would.
func placeRegistration(t *testing.T, db *gorm.DB, e *models.Event, tt *models.TicketType, as ...models.AttendeeInput) *models.Order {
	t.Helper()
	var status string
	db.Model(&models.Event{}).Where("id = ?", e.ID).Pluck("status", &status)
	if status != models.StatusPublished {
		db.Model(&models.Event{}).Where("id = ?", e.ID).Update("status", models.StatusPublished)
		defer db.Model(&models.Event{}).Where("id = ?", e.ID).Update("status", status)
	}
	var pid uint
	if cts, err := models.CurrentConsentTexts(db, e.ID); err == nil && len(cts) > 0 {
		pid = cts[0].ID
	}
	for i := range as {
		if len(as[i].ConsentTextIDs) == 0 && pid != 0 {
			as[i].ConsentTextIDs = []uint{pid}
		}
	}
	o, err := models.PlaceOrder(db, models.PlaceOrderInput{EventID: e.ID, TicketTypeID: tt.ID, BuyerName: as[0].Name,
		BuyerEmail: as[0].Email, Attendees: as, Now: time.Now()})
	if err != nil {
		t.Fatalf("PlaceOrder: %v", err)
	}
	return o
}

// registrationAdminURLs lists every URL of the registration pages of f's event.
func registrationAdminURLs(f regFixture) (gets, posts []string) {
	base := fmt.Sprintf("/manage/events/%d", f.Event.ID)
	att := fmt.Sprintf("%s/registrations/%d", base, f.Attendee.ID)
	order := fmt.Sprintf("%s/orders/%d", base, f.Order.ID)
	gets = []string{base + "/tickets", base + "/tickets/new", fmt.Sprintf("%s/tickets/%d/edit", base, f.Ticket.ID),
		base + "/questions", fmt.Sprintf("%s/questions/%d/edit", base, f.Plain.ID), base + "/consents",
		base + "/registrations", base + "/registrations.csv", base + "/registrations/waitlist", att,
		att + "/cancel", att + "/anonymise", base + "/checkin",
		base + "/vouchers", base + "/vouchers/new", fmt.Sprintf("%s/vouchers/%d/edit", base, f.Voucher.ID), base + "/payments", order}
	posts = []string{base + "/tickets", fmt.Sprintf("%s/tickets/%d/edit", base, f.Ticket.ID), fmt.Sprintf("%s/tickets/%d/delete", base, f.Ticket.ID),
		base + "/questions", fmt.Sprintf("%s/questions/%d/edit", base, f.Plain.ID), fmt.Sprintf("%s/questions/%d/delete", base, f.Plain.ID),
		base + "/consents", att + "/cancel", att + "/anonymise", base + "/checkin",
		base + "/vouchers", fmt.Sprintf("%s/vouchers/%d/edit", base, f.Voucher.ID), base + "/payments", order + "/refund", order + "/mark-paid"}
	return gets, posts
}

// checkCounters fails the test when a stored places_taken disagrees with the rows.
func checkCounters(t *testing.T, db *gorm.DB) {
	t.Helper()
	if err := models.CheckCounters(db); err != nil {
		t.Fatalf("CheckCounters: %v", err)
	}
}
