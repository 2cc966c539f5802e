package models_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// hookEndpoint registers an endpoint of the event's organization for types.
func hookEndpoint(t *testing.T, db *gorm.DB, orgID uint, types ...string) *models.WebhookEndpoint {
	t.Helper()
	_, ep, err := models.CreateWebhookEndpoint(db, nil, models.NewWebhookInput{OrganizationID: orgID, URL: "https://hooks.example.org/agora",
		EventTypes: types}, models.AuditEntry{Action: models.AuditWebhookCreated})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func deliveries(t *testing.T, db *gorm.DB, endpointID uint) []models.WebhookDelivery {
	t.Helper()
	var ds []models.WebhookDelivery
	if err := db.Where("endpoint_id = ?", endpointID).Order("id").Find(&ds).Error; err != nil {
		t.Fatal(err)
	}
	return ds
}

func deliveryTypes(ds []models.WebhookDelivery) string {
	var ts []string
	for _, d := range ds {
		ts = append(ts, d.EventType)
	}
	return strings.Join(ts, " ")
}

// Each rule that changes a registration, a check-in, a meeting or the event
// writes its delivery in its own transaction, once per change.
func TestModelRulesQueueWebhooks(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 2, 2, 1, models.NetworkingSetting{})
	ev := n.ev
	all := hookEndpoint(t, db, ev.OrganizationID, models.WebhookEventTypes...)
	onlyPlaced := hookEndpoint(t, db, ev.OrganizationID, models.WebhookOrderPlaced)
	off := hookEndpoint(t, db, ev.OrganizationID, models.WebhookEventTypes...)
	if err := models.UpdateWebhookEndpoint(db, ev.OrganizationID, off.ID, models.WebhookEventTypes, false, time.Now(),
		models.AuditEntry{Action: models.AuditWebhookChanged}); err != nil {
		t.Fatal(err)
	}
	other, _ := modeltest.Organizer(t, db, "Other org", "other@example.org", models.RoleOwner)
	elsewhere := hookEndpoint(t, db, other.ID, models.WebhookEventTypes...)
	// newNetEvent placed the participants' order before the endpoints existed.
	if ds := deliveries(t, db, all.ID); len(ds) != 0 {
		t.Fatalf("deliveries before any change: %s", deliveryTypes(ds))
	}

	now := time.Now().UTC()
	free := ticketType(t, db, ev.ID, 0, 0, 2)
	o := place(t, db, orderInput(t, db, ev, free, 1))
	paidTT := ticketType(t, db, ev.ID, 0, 1500, 1)
	po := place(t, db, orderInput(t, db, ev, paidTT, 1))
	if _, err := models.MarkInvoicePaid(db, po.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := models.MarkInvoicePaid(db, po.ID, now); err != nil { // twice: nothing new
		t.Fatal(err)
	}
	if err := models.UpdateAttendeeDetails(db, o.Attendees[0].ID, models.AttendeeDetails{Name: "New Name"}, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.CheckIn(db, ev.ID, o.Attendees[0].QRSecret, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.CheckIn(db, ev.ID, o.Attendees[0].QRSecret, now); err != nil { // a repeat scan
		t.Fatal(err)
	}
	m, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: ev.ID, SlotID: n.slots[0].ID,
		A: n.people[0].ID, B: n.people[1].ID, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.CancelMeeting(db, ev.ID, 0, m.ID, "", now); err != nil {
		t.Fatal(err)
	}
	p := models.Payment{OrderID: po.ID, Provider: models.ProviderInvoice, State: models.PaymentPaid, Amount: 1500, Currency: "EUR"}
	if err := db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.RecordRefund(db, p.ID, 500, "re_1", "", "", now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.RecordRefund(db, p.ID, 500, "re_1", "", "", now); err != nil { // the same refund again
		t.Fatal(err)
	}
	if _, err := models.CancelOrder(db, o.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := models.CancelOrder(db, o.ID, now); err != nil { // cancelled already
		t.Fatal(err)
	}
	if err := models.SetEventStatus(db, ev, models.StatusDraft); err != nil {
		t.Fatal(err)
	}
	if err := models.SetEventStatus(db, ev, models.StatusPublished); err != nil {
		t.Fatal(err)
	}
	ev.Title = "Renamed"
	if err := models.SaveEvent(db, ev); err != nil {
		t.Fatal(err)
	}
	// Cancelling the event: the event changed, and each live order cancelled.
	if _, err := models.CancelEvent(db, models.CancelEventInput{EventID: ev.ID, Subject: "Cancelled", Body: "Sorry", Now: now}); err != nil {
		t.Fatal(err)
	}

	got := deliveryTypes(deliveries(t, db, all.ID))
	want := "order.placed order.placed order.paid attendee.changed attendee.checked_in meeting.booked meeting.cancelled " +
		"order.refunded order.cancelled event.changed event.published event.changed event.changed order.cancelled order.cancelled"
	if got != want {
		t.Fatalf("deliveries\n got: %s\nwant: %s", got, want)
	}
	if got := deliveryTypes(deliveries(t, db, onlyPlaced.ID)); got != "order.placed order.placed" {
		t.Fatalf("endpoint for order.placed only got %q", got)
	}
	if ds := deliveries(t, db, off.ID); len(ds) != 0 {
		t.Fatalf("inactive endpoint got %s", deliveryTypes(ds))
	}
	if ds := deliveries(t, db, elsewhere.ID); len(ds) != 0 {
		t.Fatalf("another organization's endpoint got %s", deliveryTypes(ds))
	}

	// The payload names things by id and code, never a person's name or address.
	d := deliveries(t, db, all.ID)[0]
	body, err := d.Body()
	if err != nil {
		t.Fatal(err)
	}
	var payload struct {
		ID             uint           `json:"id"`
		Type           string         `json:"type"`
		OrganizationID uint           `json:"organization_id"`
		EventID        uint           `json:"event_id"`
		Data           map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &payload); err != nil {
		t.Fatal(err)
	}
	if payload.ID != d.ID || payload.Type != models.WebhookOrderPlaced || payload.OrganizationID != ev.OrganizationID ||
		payload.EventID != ev.ID || payload.Data["order_code"] != o.Code || payload.Data["status"] != models.OrderConfirmed {
		t.Fatalf("payload %s", body)
	}
	for _, personal := range []string{"ana@example.org", "Ana Buyer", "Person 1", "p1@example.org"} {
		if strings.Contains(string(body), personal) {
			t.Fatalf("payload holds %q: %s", personal, body)
		}
	}
}

// A change that rolls back leaves no delivery behind: the row is written in
// the change's transaction.
func TestWebhookDeliveryRollsBackWithTheChange(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 1)
	ep := hookEndpoint(t, db, ev.OrganizationID, models.WebhookOrderPlaced)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	if _, err := models.PlaceOrder(db, orderInput(t, db, ev, tt, 2)); !models.IsFull(err) {
		t.Fatalf("want the event full, got %v", err)
	}
	if ds := deliveries(t, db, ep.ID); len(ds) != 0 {
		t.Fatalf("a refused order queued %s", deliveryTypes(ds))
	}
	place(t, db, orderInput(t, db, ev, tt, 1))
	if ds := deliveries(t, db, ep.ID); len(ds) != 1 {
		t.Fatalf("want one delivery, got %d", len(ds))
	}
}

// Orders placed through the SQLite batcher (many in one transaction) queue
// their deliveries in that transaction too.
func TestBatchedOrdersQueueWebhooks(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	ep := hookEndpoint(t, db, ev.OrganizationID, models.WebhookOrderPlaced)
	tt := ticketType(t, db, ev.ID, 0, 0, 1)
	b := models.NewOrderBatcher(db)
	defer b.Close()
	done := make(chan error)
	for i := 0; i < 8; i++ {
		in := orderInput(t, db, ev, tt, 1)
		in.BuyerEmail = strings.Replace(in.BuyerEmail, "ana", "ana"+itoa(uint(i)), 1)
		go func() { _, err := b.PlaceOrder(in); done <- err }()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if ds := deliveries(t, db, ep.ID); len(ds) != 8 {
		t.Fatalf("want 8 deliveries, got %d", len(ds))
	}
}
