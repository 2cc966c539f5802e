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
)

// addErasureTraces gives each attendee of the order needs, a networking
// profile and a message-list entry, and the buyer a message-list entry of
// their own, so an erasure has them to remove.
func addErasureTraces(t *testing.T, db *gorm.DB, o models.Order) {
	t.Helper()
	msg := models.Message{EventID: o.EventID, Language: "en", Subject: "Hello", Body: "Hi", Audience: "{}", State: models.MessageExpanded,
		SendKey: fmt.Sprintf("erasure-%d", o.ID), SentByName: "Owner", SentByEmail: "owner@example.org"}
	if err := db.Create(&msg).Error; err != nil {
		t.Fatal(err)
	}
	orderID := o.ID
	if err := db.Create(&models.MessageRecipient{MessageID: msg.ID, Email: o.BuyerEmail, Name: o.BuyerName, Language: "en", OrderID: &orderID}).Error; err != nil {
		t.Fatal(err)
	}
	var people []models.Attendee
	if err := db.Where("order_id = ?", o.ID).Find(&people).Error; err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		id := p.ID
		if err := db.Model(&models.Attendee{}).Where("id = ?", p.ID).
			Updates(map[string]any{"need_dietary": "No gluten", "needs_note": "Wheelchair user", "need_step_free": true}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&models.MessageRecipient{MessageID: msg.ID, Email: fmt.Sprintf("list%d@example.org", p.ID), Name: p.Name, Language: "en",
			OrderID: &orderID, AttendeeID: &id}).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&models.MeetingParticipant{EventID: o.EventID, AttendeeID: p.ID, Name: p.Name, Organization: "Lab of " + p.Name,
			Bio: "I care for my mother", Interests: "dementia", CalendarToken: fmt.Sprintf("cal-erasure-%d", p.ID)}).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// erasedState is what an erasure test checks: whose personal data is left
// in the tables the erasure empties.
type erasedState struct {
	attendees  []models.Attendee
	order      models.Order
	answers    map[uint]int64
	recipients []models.MessageRecipient
	profiles   map[uint]models.MeetingParticipant
}

func loadErasedState(t *testing.T, db *gorm.DB, orderID uint) erasedState {
	t.Helper()
	s := erasedState{answers: map[uint]int64{}, profiles: map[uint]models.MeetingParticipant{}}
	if err := db.Take(&s.order, orderID).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("order_id = ?", orderID).Order("position").Find(&s.attendees).Error; err != nil {
		t.Fatal(err)
	}
	for _, a := range s.attendees {
		var n int64
		db.Model(&models.Answer{}).Where("attendee_id = ?", a.ID).Count(&n)
		s.answers[a.ID] = n
		var p models.MeetingParticipant
		if db.Where("attendee_id = ?", a.ID).Take(&p).Error == nil {
			s.profiles[a.ID] = p
		}
	}
	if err := db.Where("order_id = ?", orderID).Order("id").Find(&s.recipients).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

// erasedPerson reports what is left of attendee a's personal data ("" when
// nothing).
func (s erasedState) leftOf(a models.Attendee) string {
	var left []string
	if a.AnonymisedAt == nil || a.Name != models.AnonymisedName || a.Email != "" || a.Organization != "" ||
		a.Needs.Any() || a.NeedsNote != "" {
		left = append(left, fmt.Sprintf("attendee %+v", a))
	}
	if s.answers[a.ID] != 0 {
		left = append(left, fmt.Sprintf("%d answers", s.answers[a.ID]))
	}
	if p := s.profiles[a.ID]; p.Name != models.AnonymisedName || p.Organization != "" || p.Bio != "" || p.Interests != "" || p.Active {
		left = append(left, fmt.Sprintf("profile %+v", p))
	}
	for _, r := range s.recipients {
		if r.AttendeeID != nil && *r.AttendeeID == a.ID && (r.Name != models.AnonymisedName || strings.Contains(r.Email, "@")) {
			left = append(left, fmt.Sprintf("recipient %+v", r))
		}
	}
	return strings.Join(left, "; ")
}

func (s erasedState) attendee(id uint) models.Attendee {
	for _, a := range s.attendees {
		if a.ID == id {
			return a
		}
	}
	return models.Attendee{}
}

// selfErasureAudits are the audit lines of self-service erasures.
func selfErasureAudits(t *testing.T, db *gorm.DB) []models.AuditEntry {
	t.Helper()
	var es []models.AuditEntry
	if err := db.Where("action = ? AND detail = ?", models.AuditAnonymised, models.SelfErasureDetail).Order("id").Find(&es).Error; err != nil {
		t.Fatal(err)
	}
	return es
}

// mailsTo counts the outbox rows still addressed to addr.
func mailsTo(t *testing.T, db *gorm.DB, addr string) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.OutboxMessage{}).Where("LOWER(to_addr) = ?", addr).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The buyer erases the whole order from its link: a live registration for
// an event to come is refused with the way to cancel it; once cancelled,
// a forged form changes nothing, the confirmed one erases everyone on the
// order and the buyer (attendees, answers, needs, message lists, meeting
// profiles, mail log), writes one audit line without an actor, and a
// second click says it is done already. The page and the data export say
// the data is gone.
func TestSelfErasureBuyerErasesCancelledOrder(t *testing.T) {
	d := newDelegation(t)
	addErasureTraces(t, d.db, d.order)
	base := "/orders/" + d.order.Secret
	c := d.client(t)

	page := c.get(base)
	mustStatus(t, page, 200, "order page")
	mustContain(t, page.Body, "order page", "Erase my personal data", base+"/erase")

	// Live and to come: refused, with the way to cancel first.
	r := c.get(base + "/erase")
	mustStatus(t, r, 200, "erase page")
	mustContain(t, r.Body, "erase page", "has not happened yet", "Cancel it first", base+"/cancel")
	if strings.Contains(r.Body, "/delete-my-data") {
		t.Fatal("the erase form is offered for a live registration")
	}
	es := d.client(t)
	es.lang = "es"
	mustContain(t, es.get(base+"/erase").Body, "erase page in Spanish", "Borrar mis datos personales", "Cancélela primero")
	mustContain(t, es.get(base).Body, "order page in Spanish", "Borrar mis datos personales")
	c.get(base + "/cancel") // a page with a form, for a valid token
	r = c.post(base+"/delete-my-data", nil)
	if r.Status != http.StatusSeeOther || r.Location != base+"/erase" {
		t.Fatalf("erasing a live order: %d %q", r.Status, r.Location)
	}
	if s := loadErasedState(t, d.db, d.order.ID); s.order.BuyerEmail != "ana@example.org" || s.attendees[1].AnonymisedAt != nil {
		t.Fatalf("a live order was erased: %+v", s.order)
	}

	c.get(base + "/cancel")
	mustStatus(t, c.post(base+"/cancel", nil), http.StatusSeeOther, "cancel")

	r = c.get(base + "/erase")
	mustStatus(t, r, 200, "erase page")
	mustContain(t, r.Body, "erase page", "What is removed", "What is kept", "Payments, refunds and amounts", "cannot be undone", base+"/delete-my-data", base+"/data.json")

	// A forged form (no valid token) changes nothing.
	r = c.post(base+"/delete-my-data", url.Values{"_csrf": {"forged"}})
	mustStatus(t, r, http.StatusForbidden, "forged erase")
	if s := loadErasedState(t, d.db, d.order.ID); s.order.BuyerEmail == "" || s.attendees[1].AnonymisedAt != nil || len(selfErasureAudits(t, d.db)) != 0 {
		t.Fatal("a forged form erased data")
	}
	if mailsTo(t, d.db, "ana@example.org") == 0 || mailsTo(t, d.db, "carlos@example.org") == 0 {
		t.Fatal("fixture: no mails to the buyer and a delegate")
	}

	c.get(base + "/erase")
	r = c.post(base+"/delete-my-data", nil)
	if r.Status != http.StatusSeeOther || r.Location != base {
		t.Fatalf("erase: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	s := loadErasedState(t, d.db, d.order.ID)
	for _, a := range s.attendees {
		if left := s.leftOf(a); left != "" {
			t.Errorf("left of attendee %d: %s", a.ID, left)
		}
	}
	if s.order.BuyerName != models.AnonymisedName || s.order.BuyerEmail != "" {
		t.Errorf("buyer left: %q <%s>", s.order.BuyerName, s.order.BuyerEmail)
	}
	for _, rc := range s.recipients {
		if rc.Name != models.AnonymisedName || strings.Contains(rc.Email, "@") {
			t.Errorf("recipient left: %+v", rc)
		}
	}
	for _, addr := range []string{"ana@example.org", "person2@example.org", "carlos@example.org"} {
		if n := mailsTo(t, d.db, addr); n != 0 {
			t.Errorf("%d mails still addressed to %s", n, addr)
		}
	}
	if s.order.Status != models.OrderCancelled || len(s.attendees) != 3 {
		t.Errorf("rows changed: order %s, %d attendees", s.order.Status, len(s.attendees))
	}

	audits := selfErasureAudits(t, d.db)
	if len(audits) != 1 {
		t.Fatalf("%d audit lines, want 1", len(audits))
	}
	e := audits[0]
	if e.ActorUserID != nil || e.ActorEmail != "" || e.Subject != "order "+d.order.Code || e.OrganizationID != d.ev.OrganizationID ||
		e.EventID == nil || *e.EventID != d.ev.ID || e.IP == "" {
		t.Errorf("audit line %+v", e)
	}

	page = c.get(base)
	mustStatus(t, page, 200, "order page after")
	mustContain(t, page.Body, "order page after", "The personal data was removed.", "The personal data of this registration was removed.")
	for _, gone := range []string{"Berta", "Carlos", "ana@example.org", "Wheelchair user", "Carer", base + "/erase"} {
		if strings.Contains(page.Body, gone) {
			t.Errorf("order page still shows %q", gone)
		}
	}
	data := c.get(base + "/data.json")
	mustStatus(t, data, 200, "data export")
	mustContain(t, data.Body, "data export", `"anonymised_at"`, `"buyer_email": ""`, `"name": "—"`)
	for _, gone := range []string{"Berta", "Carlos", "example.org", "Wheelchair", "Carer", "No gluten"} {
		if strings.Contains(data.Body, gone) {
			t.Errorf("data export still holds %q:\n%s", gone, data.Body)
		}
	}

	// A second click: nothing more to do, no second audit line.
	r = c.get(base + "/erase")
	mustContain(t, r.Body, "erase page after", "The personal data of this registration was removed.")
	r = c.post(base+"/delete-my-data", nil)
	mustStatus(t, r, http.StatusSeeOther, "second erase")
	mustContain(t, c.get(base).Body, "order page", "had already been removed")
	if n := len(selfErasureAudits(t, d.db)); n != 1 {
		t.Errorf("%d audit lines after a second click", n)
	}
}

// A delegate erases themselves only, once their place is cancelled; the
// buyer and the other people on the order keep their data.
func TestSelfErasureDelegateErasesOnlyThemself(t *testing.T) {
	d := newDelegation(t)
	addErasureTraces(t, d.db, d.order)
	me := d.attendees[2] // Carlos, a delegate with an address of his own
	base := d.link(2)
	c := d.client(t)

	mustContain(t, c.get(base).Body, "ticket page", "Erase my personal data", base+"/erase")
	r := c.get(base + "/erase")
	mustContain(t, r.Body, "erase page", "has not happened yet", base+"/cancel", "Cancel my place")
	c.get(base + "/cancel") // a page with a form, for a valid token
	mustStatus(t, c.post(base+"/delete-my-data", nil), http.StatusSeeOther, "erase live place")
	if s := loadErasedState(t, d.db, d.order.ID); s.attendee(me.ID).AnonymisedAt != nil {
		t.Fatal("a live place was erased")
	}

	c.get(base + "/cancel")
	mustStatus(t, c.post(base+"/cancel", nil), http.StatusSeeOther, "cancel place")
	r = c.get(base + "/erase")
	mustContain(t, r.Body, "erase page", "The other people on the same registration keep theirs", base+"/delete-my-data")
	r = c.post(base+"/delete-my-data", nil)
	if r.Status != http.StatusSeeOther || r.Location != base {
		t.Fatalf("erase: %d %q", r.Status, r.Location)
	}
	s := loadErasedState(t, d.db, d.order.ID)
	if left := s.leftOf(s.attendee(me.ID)); left != "" {
		t.Errorf("left of the delegate: %s", left)
	}
	for _, other := range d.attendees[:2] {
		a := s.attendee(other.ID)
		if a.AnonymisedAt != nil || a.Name != other.Name || a.Email != other.Email || s.answers[a.ID] == 0 || s.profiles[a.ID].Bio == "" {
			t.Errorf("another attendee was erased: %+v", a)
		}
	}
	if s.order.BuyerName != "Ana Buyer" || s.order.BuyerEmail != "ana@example.org" || s.order.Status != models.OrderConfirmed {
		t.Errorf("the order changed: %+v", s.order)
	}
	if mailsTo(t, d.db, "carlos@example.org") != 0 || mailsTo(t, d.db, "ana@example.org") == 0 {
		t.Error("the mail log: the delegate's mails should go, the buyer's stay")
	}
	audits := selfErasureAudits(t, d.db)
	if len(audits) != 1 || audits[0].Subject != models.AttendeeSubject(me.ID, d.order.Code) || audits[0].ActorUserID != nil || audits[0].ActorEmail != "" {
		t.Fatalf("audit lines %+v", audits)
	}

	page := c.get(base)
	mustContain(t, page.Body, "ticket page after", "The personal data was removed.", "Your personal data was removed from this registration.")
	if strings.Contains(page.Body, "Carlos") || strings.Contains(page.Body, base+"/erase") {
		t.Errorf("ticket page after erasure:\n%s", page.Body)
	}
	data := c.get(base + "/data.json")
	mustContain(t, data.Body, "delegate's export", `"anonymised_at"`)
	if strings.Contains(data.Body, "Carlos") || strings.Contains(data.Body, "carlos@") {
		t.Errorf("delegate's export:\n%s", data.Body)
	}
	mustStatus(t, c.post(base+"/delete-my-data", nil), http.StatusSeeOther, "second erase")
	mustContain(t, c.get(base).Body, "ticket page", "had already been removed")
	if n := len(selfErasureAudits(t, d.db)); n != 1 {
		t.Errorf("%d audit lines after a second click", n)
	}
	// The buyer's page shows the erased delegate as nobody.
	buyer := d.client(t).get("/orders/" + d.order.Secret)
	if strings.Contains(buyer.Body, "Carlos") || !strings.Contains(buyer.Body, "Berta Delegate") {
		t.Errorf("buyer's page after the delegate's erasure:\n%s", buyer.Body)
	}
}

// A paid order of an event that has ended may be erased without cancelling
// it; the buyer's name stays for the receipt, which still renders, and the
// e-mail goes.
func TestSelfErasurePastEventKeepsPaidBuyerName(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(2)
	if err := fx.db.Create(&models.Payment{OrderID: o.ID, Provider: models.ProviderStripe, State: models.PaymentPaid, Amount: 5000, Currency: "EUR"}).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.ConfirmOrder(fx.db, o.ID, fx.clock()); err != nil {
		t.Fatal(err)
	}
	base := "/orders/" + o.Secret
	c := newClient(t, fx.app)
	mustContain(t, c.get(base+"/erase").Body, "erase page before the event", "has not happened yet")

	fx.advance(fx.event.EndsAt.Sub(fx.clock()) + time.Hour)
	r := c.get(base + "/erase")
	mustContain(t, r.Body, "erase page after the event", "the name of the person who paid", "tax law", base+"/delete-my-data")
	r = c.post(base+"/delete-my-data", nil)
	if r.Status != http.StatusSeeOther || r.Location != base {
		t.Fatalf("erase: %d %q\n%s", r.Status, r.Location, r.Body)
	}
	s := loadErasedState(t, fx.db, o.ID)
	if s.order.BuyerName != "Bea Buyer" || s.order.BuyerEmail != "" || s.order.Status != models.OrderConfirmed {
		t.Errorf("paid order's buyer %q <%s> %s: want the name kept, the e-mail gone, the order as it was", s.order.BuyerName, s.order.BuyerEmail, s.order.Status)
	}
	for _, a := range s.attendees {
		if a.AnonymisedAt == nil || a.Name != models.AnonymisedName || a.Email != "" {
			t.Errorf("attendee left: %+v", a)
		}
	}
	var payments int64
	fx.db.Model(&models.Payment{}).Where("order_id = ? AND state = ? AND amount = 5000", o.ID, models.PaymentPaid).Count(&payments)
	if payments != 1 {
		t.Error("the payment changed")
	}
	receipt := c.get(base + "/receipt")
	mustStatus(t, receipt, 200, "receipt")
	mustContain(t, receipt.Body, "receipt", "Bea Buyer", o.Code)
	if strings.Contains(receipt.Body, "bea@example.org") || strings.Contains(receipt.Body, "Person 1") {
		t.Errorf("receipt after erasure:\n%s", receipt.Body)
	}
	if len(selfErasureAudits(t, fx.db)) != 1 {
		t.Error("no audit line")
	}
}
