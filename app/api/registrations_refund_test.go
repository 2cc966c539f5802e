package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// paidOrder registers one person on a 20.00 ticket and records the Stripe
// payment the checkout would have (the payment's own rules are tested with
// the payment pages), so the order is confirmed and paid online.
func (w *regWorld) paidOrder(email string) *models.Order {
	w.t.Helper()
	tt := w.ticketType(w.ev, "Paid "+email, 0)
	w.db.Model(tt).Update("price", 2000)
	tt.Price = 2000
	a := models.AttendeeInput{Name: "Payer", Email: email}
	o, err := models.PlaceOrder(w.db, models.PlaceOrderInput{EventID: w.ev.ID, TicketTypeID: tt.ID, BuyerName: "Payer", BuyerEmail: email,
		Language: "en", Attendees: []models.AttendeeInput{a}, Now: w.now})
	if err != nil {
		w.t.Fatal(err)
	}
	pi := "pi_" + o.Code
	if err := w.db.Create(&models.Payment{OrderID: o.ID, Provider: models.ProviderStripe, ProviderPaymentID: &pi, State: models.PaymentPaid,
		Amount: 2000, Currency: "EUR"}).Error; err != nil {
		w.t.Fatal(err)
	}
	if _, err := models.ConfirmOrder(w.db, o.ID, w.now); err != nil {
		w.t.Fatal(err)
	}
	return o
}

// Without Stripe configured, a cancellation asking for a refund of an
// online payment is a clear conflict and changes nothing.
func TestCancelWithRefundWithoutStripeChangesNothing(t *testing.T) {
	w := newRegWorld(t)
	o := w.paidOrder("payer@example.org")
	write := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	r := w.do("POST", w.eventPath(w.ev, "/orders/"+o.Code+"/cancel"), write, map[string]any{"refund": true})
	if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "Stripe") {
		t.Errorf("refund without Stripe: %d %s", r.Status, r.Body)
	}
	var stored models.Order
	w.db.Take(&stored, o.ID)
	if stored.Status != models.OrderConfirmed {
		t.Errorf("order %s after a refused cancellation", stored.Status)
	}
}

// With Stripe (stripe-mock), a cancellation with refund refunds the rest of
// the payment with the organizer refund's key, records it with its audit
// line naming the token, mails the buyer and then cancels; a refund larger
// than what is left is refused beside its field.
func TestCancelWithRefundThroughStripe(t *testing.T) {
	w := newRegWorld(t)
	w.srv.d.Payments = payment.New(payment.Config{SecretKey: "sk_test_123", APIBase: testenv.StartStripeMock(t)})
	o := w.paidOrder("payer@example.org")
	write := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	path := w.eventPath(w.ev, "/orders/"+o.Code+"/cancel")
	r := w.do("POST", path, write, map[string]any{"refund": true, "refund_amount": 2001})
	if r.Status != http.StatusUnprocessableEntity || r.errorLocations()[0] != "body.refund_amount" {
		t.Errorf("too large a refund: %d %s", r.Status, r.Body)
	}
	r = w.do("POST", path, write, map[string]any{"refund": true})
	if r.Status != http.StatusOK || r.JSON["cancelled"] != true || r.JSON["refunded"] != float64(2000) {
		t.Fatalf("cancel with refund: %d %s", r.Status, r.Body)
	}
	pay := r.JSON["order"].(map[string]any)["payment"].(map[string]any)
	if pay["status"] != models.PaymentRefunded || pay["refunded"] != float64(2000) {
		t.Errorf("payment after refund: %v", pay)
	}
	var refunds, mails, audits int64
	w.db.Model(&models.Refund{}).Where("order_id = ? AND reason = ?", o.ID, models.RefundOrganizer).Count(&refunds)
	w.db.Model(&models.OutboxMessage{}).Where("kind = ?", models.MailOrderRefunded).Count(&mails)
	w.db.Model(&models.AuditEntry{}).Where("organization_id = ? AND action = ? AND actor_email LIKE ?", w.org.ID, models.AuditRefund, "api token agora_%").Count(&audits)
	if refunds != 1 || mails != 1 || audits != 1 {
		t.Errorf("refunds %d, mails %d, audit lines %d", refunds, mails, audits)
	}
	// A retry changes nothing and refunds nothing.
	r = w.do("POST", path, write, map[string]any{"refund": true})
	if r.Status != http.StatusOK || r.JSON["cancelled"] != false || r.JSON["refunded"] != float64(0) {
		t.Errorf("retried cancel: %d %s", r.Status, r.Body)
	}
}
