package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
)

// The session request reaches stripe-mock (which validates it against
// Stripe's API), with an idempotency key naming the payment attempt, the
// server-computed amounts and the order in its metadata; a second press
// reuses the open session.
func TestCheckoutSessionCreated(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(2)
	sid := fx.checkout(o)
	reqs := fx.stub.find("POST", "/v1/checkout/sessions")
	if len(reqs) != 1 {
		t.Fatalf("%d session requests, want 1", len(reqs))
	}
	var p models.Payment
	fx.db.Where("provider_session_id = ?", sid).Take(&p)
	if reqs[0].IdempotencyKey != payment.CheckoutKey(p.ID) {
		t.Errorf("idempotency key %q, want %q", reqs[0].IdempotencyKey, payment.CheckoutKey(p.ID))
	}
	body, _ := url.QueryUnescape(reqs[0].Body)
	for _, want := range []string{"[unit_amount]=2500", "[currency]=eur", "customer_email=bea@example.org",
		"metadata[order_code]=" + o.Code, "expires_at=", "session_id={CHECKOUT_SESSION_ID}"} {
		if !strings.Contains(body, want) {
			t.Errorf("session request lacks %q:\n%s", want, reqs[0].Body)
		}
	}
	if p.Amount != 5000 || p.State != models.PaymentCreated {
		t.Errorf("payment %+v", p)
	}
	if got := fx.order(o.ID); got.ExpiresAt.Before(fx.now.Add(models.CheckoutSessionLife)) {
		t.Errorf("hold ends %v, before the session (%v)", got.ExpiresAt, fx.now.Add(models.CheckoutSessionLife))
	}
	fx.checkout(o)
	if n := len(fx.stub.find("POST", "/v1/checkout/sessions")); n != 1 {
		t.Errorf("second press made %d sessions, want the open one reused", n)
	}
}

// The same event twice and a second event for the same session confirm once
// and mail once; an expired event after completion leaves it confirmed.
func TestWebhookIdempotentAndOutOfOrder(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	for i := 0; i < 2; i++ {
		r := fx.webhook("evt_1", "checkout.session.completed", "checkout.session", sid, testWebhookSecret)
		mustStatus(t, r, 200, "completed event")
	}
	r := fx.webhook("evt_2", "checkout.session.async_payment_succeeded", "checkout.session", sid, testWebhookSecret)
	mustStatus(t, r, 200, "second event")
	if got := fx.order(o.ID); got.Status != models.OrderConfirmed {
		t.Fatalf("order %s, want confirmed", got.Status)
	}
	if n := fx.mails(models.MailOrderConfirmation); n != 1 {
		t.Errorf("%d confirmation mails, want 1", n)
	}
	var seen int64
	fx.db.Model(&models.StripeEvent{}).Count(&seen)
	if seen != 2 {
		t.Errorf("%d processed events stored, want 2", seen)
	}
	// Out of order: Stripe's expired event arrives after completion.
	fx.stub.setSession(sid, "expired", "paid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_3", "checkout.session.expired", "checkout.session", sid, testWebhookSecret), 200, "expired event")
	if got := fx.order(o.ID); got.Status != models.OrderConfirmed {
		t.Errorf("after a late expired event the order is %s", got.Status)
	}
	// The return page runs the same fulfilment and says confirmed.
	c := newClient(t, fx.app)
	r = c.get("/orders/" + o.Secret + "/payment/return?session_id=" + sid)
	mustContain(t, r.Body, "return page", "your registration is confirmed")
	if n := fx.mails(models.MailOrderConfirmation); n != 1 {
		t.Errorf("%d confirmation mails after the return page, want 1", n)
	}
}

// A bad signature is a 400 and changes nothing.
func TestWebhookBadSignature(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	r := fx.webhook("evt_bad", "checkout.session.completed", "checkout.session", sid, "whsec_wrong")
	mustStatus(t, r, http.StatusBadRequest, "bad signature")
	req := httptest.NewRequest(http.MethodPost, "/stripe/webhook", strings.NewReader(`{"id":"evt_x"}`))
	mustStatus(t, newClient(t, fx.app).do(req), http.StatusBadRequest, "no signature")
	if got := fx.order(o.ID); got.Status != models.OrderPending {
		t.Errorf("order %s after a bad signature", got.Status)
	}
	var seen int64
	fx.db.Model(&models.StripeEvent{}).Count(&seen)
	if seen != 0 || fx.mails(models.MailOrderConfirmation) != 0 {
		t.Errorf("a bad signature left %d events and mails", seen)
	}
}

// A session whose total differs from the order's does not confirm it.
func TestWebhookTamperedAmount(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 100, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_t", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "tampered")
	if got := fx.order(o.ID); got.Status != models.OrderPending {
		t.Errorf("tampered payment: order %s", got.Status)
	}
	var p models.Payment
	fx.db.Where("provider_session_id = ?", sid).Take(&p)
	if p.State != models.PaymentFailed || !strings.Contains(p.Note, "amount mismatch") {
		t.Errorf("payment %s %q, want failed with the mismatch recorded", p.State, p.Note)
	}
	fx.stub.setSession(sid, "complete", "paid", 2500, "usd", o.ID)
	mustStatus(t, fx.webhook("evt_t2", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "currency")
	if got := fx.order(o.ID); got.Status != models.OrderPending {
		t.Errorf("wrong currency: order %s", got.Status)
	}
}

// A payment after the hold expired confirms when places are free.
func TestLatePaymentWithRoom(t *testing.T) {
	fx := newPayFixture(t, 1)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.advance(2 * time.Hour)
	if n, err := models.ExpireHolds(fx.db, fx.clock()); err != nil || n != 1 {
		t.Fatalf("ExpireHolds: %d %v", n, err)
	}
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_l", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "late")
	if got := fx.order(o.ID); got.Status != models.OrderConfirmed {
		t.Errorf("late payment with room: order %s", got.Status)
	}
	if len(fx.stub.find("POST", "/v1/refunds")) != 0 {
		t.Error("refunded a payment that had room")
	}
}

// A payment after the hold expired with no room left is refunded through
// Stripe (with an idempotency key) and the buyer is mailed, once.
func TestLatePaymentWithoutRoom(t *testing.T) {
	fx := newPayFixture(t, 1)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.advance(2 * time.Hour)
	if _, err := models.ExpireHolds(fx.db, fx.clock()); err != nil {
		t.Fatal(err)
	}
	other := fx.place(1) // takes the only place
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	for _, id := range []string{"evt_n1", "evt_n2"} {
		mustStatus(t, fx.webhook(id, "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "late, full")
	}
	if got := fx.order(o.ID); got.Status == models.OrderConfirmed {
		t.Fatal("confirmed a late payment with no room")
	}
	if got := fx.order(other.ID); got.Status != models.OrderPending {
		t.Errorf("the other order is %s", got.Status)
	}
	refunds := fx.stub.find("POST", "/v1/refunds")
	if len(refunds) != 1 || !strings.HasPrefix(refunds[0].IdempotencyKey, "agora-refund-") || !strings.Contains(refunds[0].Body, "amount=2500") {
		t.Fatalf("refund requests: %+v", refunds)
	}
	var p models.Payment
	fx.db.Where("provider_session_id = ?", sid).Take(&p)
	if p.State != models.PaymentRefunded || p.RefundedAmount != 2500 {
		t.Errorf("payment %s refunded %d", p.State, p.RefundedAmount)
	}
	if n := fx.mails(models.MailPaymentLateRefunded); n != 1 {
		t.Errorf("%d late-refund mails, want 1", n)
	}
}

// An expired session releases the hold of an unpaid order.
func TestExpiredSessionReleasesHold(t *testing.T) {
	fx := newPayFixture(t, 1)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "expired", "unpaid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_e", "checkout.session.expired", "checkout.session", sid, testWebhookSecret), 200, "expired")
	if got := fx.order(o.ID); got.Status != models.OrderExpired {
		t.Errorf("order %s after its session expired", got.Status)
	}
	fx.place(1) // the place is free again
}

// A delayed method: the return page says the payment is being processed;
// a failed one keeps the order pending.
func TestProcessingAndFailed(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "unpaid", 2500, "eur", o.ID)
	r := newClient(t, fx.app).get("/orders/" + o.Secret + "/payment/return?session_id=" + sid)
	mustContain(t, r.Body, "processing", "being processed by your bank")
	mustStatus(t, fx.webhook("evt_f", "checkout.session.async_payment_failed", "checkout.session", sid, testWebhookSecret), 200, "failed")
	if got := fx.order(o.ID); got.Status != models.OrderPending {
		t.Errorf("failed payment: order %s, want pending until its hold ends", got.Status)
	}
}

// Without a Stripe key a paid order is refused with a clear message and its
// places are given back.
func TestNoStripeKeyRefusesPaid(t *testing.T) {
	fx := newPayFixture(t, 1)
	f, err := New(Config{BaseURL: "http://agora.test"}, Deps{DB: fx.db})
	if err != nil {
		t.Fatal(err)
	}
	o := fx.place(1)
	c := newClient(t, f)
	r := c.get("/orders/" + o.Secret + "/payment")
	mustContain(t, r.Body, "payment page without stripe", "cannot be bought online")
	c.get("/manage/login") // any form gives the visitor's CSRF token
	r = c.post("/orders/"+o.Secret+"/payment", nil)
	mustStatus(t, r, http.StatusServiceUnavailable, "pay without stripe")
	mustContain(t, r.Body, "no key", "cannot be bought online")
	if got := fx.order(o.ID); got.Status != models.OrderExpired {
		t.Errorf("order %s, want its hold released", got.Status)
	}
}

// The receipt shows the organizer's legal details and VAT per line; the
// PDF is a PDF.
func TestReceipt(t *testing.T) {
	fx := newPayFixture(t, 10)
	if err := models.SavePaymentSettings(fx.db, models.EventPaymentSettings{ID: fx.event.ID, InvoiceDays: 14, VATRateBP: 2100}); err != nil {
		t.Fatal(err)
	}
	o := fx.place(1)
	sid := fx.checkout(o)
	c := newClient(t, fx.app)
	mustStatus(t, c.get("/orders/"+o.Secret+"/receipt"), 404, "receipt before paying")
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	mustStatus(t, fx.webhook("evt_r", "checkout.session.completed", "checkout.session", sid, testWebhookSecret), 200, "paid")
	r := c.get("/orders/" + o.Secret + "/receipt")
	mustStatus(t, r, 200, "receipt")
	// 25.00 gross at 21% VAT: net 20.66, VAT 4.34.
	mustContain(t, r.Body, "receipt", "Pay Org S.L.", "Calle Mayor 1, Madrid", "ESB12345678", "€20.66", "€4.34", "€25.00", "@media print")
	r = c.get("/orders/" + o.Secret + "/receipt.pdf")
	mustStatus(t, r, 200, "receipt pdf")
	if !strings.HasPrefix(r.Body, "%PDF") || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("not a receipt PDF: %q", r.Body[:min(len(r.Body), 40)])
	}
	mustContain(t, testenv.PDFText(t, []byte(r.Body)), "receipt pdf text", "Pay Org S.L.", "ESB12345678", "€20.66", "€25.00")
	// Any European script prints (the hand-written writer had Latin-1 only).
	if err := fx.db.Model(&models.Order{}).Where("id = ?", o.ID).Update("buyer_name", "Παναγιώτης Οικονόμου").Error; err != nil {
		t.Fatal(err)
	}
	r = c.get("/orders/" + o.Secret + "/receipt.pdf")
	mustStatus(t, r, 200, "receipt pdf, Greek buyer")
	mustContain(t, testenv.PDFText(t, []byte(r.Body)), "receipt pdf text", "Παναγιώτης Οικονόμου")
}
