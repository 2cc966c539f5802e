package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
)

// latePaymentWithoutRoom places an order, lets its hold expire, gives its
// place to someone else and makes its Checkout Session paid: fulfilling it
// finds no room, so it must be refunded. It returns the order and session.
func latePaymentWithoutRoom(fx *payFixture) (*models.Order, string) {
	fx.t.Helper()
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.advance(2 * time.Hour)
	if _, err := models.ExpireHolds(fx.db, fx.clock()); err != nil {
		fx.t.Fatal(err)
	}
	fx.place(1) // takes the only place
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)
	return o, sid
}

func (fx *payFixture) payment(sessionID string) models.Payment {
	fx.t.Helper()
	var p models.Payment
	if err := fx.db.Where("provider_session_id = ?", sessionID).Take(&p).Error; err != nil {
		fx.t.Fatal(err)
	}
	return p
}

// While the refund of a late payment is on its way to Stripe, the return
// page and a second webhook event for the same session do not ask Stripe
// again: one refund call, one refund row, one mail. (Before, every
// fulfilment that saw the payment refund_due called Stripe.)
func TestLateRefundAskedOnceWhileInFlight(t *testing.T) {
	fx := newPayFixture(t, 1)
	o, sid := latePaymentWithoutRoom(fx)

	started, release := make(chan struct{}), make(chan struct{})
	fx.stub.beforeRefund = func(n int) int {
		if n == 1 {
			close(started)
			<-release // Stripe is slow to answer the first refund
		}
		return 0
	}
	first := make(chan int, 1)
	go func() {
		res, err := fx.app.Test(completedWebhook("evt_r1", sid, time.Now()), 30_000)
		if err != nil {
			first <- -1
			return
		}
		res.Body.Close()
		first <- res.StatusCode
	}()
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("the first webhook never asked Stripe for the refund")
	}

	r := newClient(t, fx.app).get("/orders/" + o.Secret + "/payment/return?session_id=" + sid)
	mustStatus(t, r, 200, "return page during the refund")
	if !strings.Contains(r.Body, "We are refunding the whole amount") {
		t.Errorf("the return page during the refund does not say it is under way")
	}
	mustStatus(t, fx.webhookSignedAt("evt_r2", sid, time.Now()), 200, "second event during the refund")
	close(release)
	if status := <-first; status != 200 {
		t.Fatalf("first webhook answered %d", status)
	}

	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 1 {
		t.Fatalf("Stripe was asked for %d refunds of one late payment, want 1", n)
	}
	p := fx.payment(sid)
	if p.State != models.PaymentRefunded || p.RefundedAmount != 2500 {
		t.Errorf("payment %s refunded %d", p.State, p.RefundedAmount)
	}
	if p.RefundKey != payment.RefundKey(p.ID, models.RefundHoldLost, 0) {
		t.Errorf("stored refund key %q", p.RefundKey)
	}
	// Afterwards nothing asks again: the page, the job, a redelivered event.
	r = newClient(t, fx.app).get("/orders/" + o.Secret + "/payment/return?session_id=" + sid)
	mustContain(t, r.Body, "return page after the refund", "We have refunded the whole amount")
	if err := (&jobs.LateRefunds{DB: fx.db, Pay: fx.pay}).Sweep(context.Background(), fx.clock()); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, fx.webhookSignedAt("evt_r3", sid, time.Now()), 200, "later event")
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 1 {
		t.Errorf("after the refund was recorded Stripe was asked %d times in all, want 1", n)
	}
	var refunds int64
	fx.db.Model(&models.Refund{}).Where("order_id = ?", o.ID).Count(&refunds)
	if refunds != 1 || fx.mails(models.MailPaymentLateRefunded) != 1 {
		t.Errorf("%d refund rows and %d mails, want 1 and 1", refunds, fx.mails(models.MailPaymentLateRefunded))
	}
}

// A refund call that fails is made once (no hidden retries), the payment
// stays refund_due with its key stored, and the retry (here the
// late-refunds job) asks Stripe again with that same key; once recorded,
// Stripe's redelivery of the event asks nothing.
func TestLateRefundRetryAfterFailureReusesKey(t *testing.T) {
	fx := newPayFixture(t, 1)
	o, sid := latePaymentWithoutRoom(fx)
	fx.stub.beforeRefund = func(n int) int {
		if n == 1 {
			return http.StatusServiceUnavailable
		}
		return 0
	}
	r := fx.webhookSignedAt("evt_f1", sid, time.Now())
	calls := fx.stub.find("POST", "/v1/refunds")
	if len(calls) != 1 {
		t.Fatalf("one failed refund attempt made %d calls to Stripe, want 1", len(calls))
	}
	mustStatus(t, r, http.StatusInternalServerError, "webhook while Stripe fails (so that Stripe retries)")
	p := fx.payment(sid)
	want := payment.RefundKey(p.ID, models.RefundHoldLost, 0)
	if p.State != models.PaymentRefundDue || p.RefundKey != want || p.RefundClaimedUntil != nil {
		t.Fatalf("after the failure: state %s, key %q, claimed until %v; want refund_due, %q, no claim", p.State, p.RefundKey, p.RefundClaimedUntil, want)
	}

	if err := (&jobs.LateRefunds{DB: fx.db, Pay: fx.pay}).Sweep(context.Background(), fx.clock()); err != nil {
		t.Fatalf("late-refunds job: %v", err)
	}
	calls = fx.stub.find("POST", "/v1/refunds")
	if len(calls) != 2 || calls[0].IdempotencyKey != want || calls[1].IdempotencyKey != want {
		t.Fatalf("refund calls %+v, want two with key %q", calls, want)
	}
	if p := fx.payment(sid); p.State != models.PaymentRefunded || p.RefundedAmount != 2500 {
		t.Fatalf("after the retry: payment %s refunded %d", p.State, p.RefundedAmount)
	}
	mustStatus(t, fx.webhookSignedAt("evt_f1", sid, time.Now()), 200, "Stripe redelivers the event")
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 2 {
		t.Errorf("the redelivered event asked Stripe again (%d calls)", n)
	}
	if got := fx.order(o.ID); got.Status == models.OrderConfirmed {
		t.Error("a refunded order is confirmed")
	}
	if n := fx.mails(models.MailPaymentLateRefunded); n != 1 {
		t.Errorf("%d late-refund mails, want 1", n)
	}
}

// Eight deliveries racing for the same late payment make one refund call.
func TestLateRefundRaceAsksOnce(t *testing.T) {
	fx := newPayFixture(t, 1)
	_, sid := latePaymentWithoutRoom(fx)
	const racers = 8
	statuses := make(chan int, racers)
	start := make(chan struct{})
	for i := 0; i < racers; i++ {
		go func(i int) {
			<-start
			res, err := fx.app.Test(completedWebhook(fmt.Sprintf("evt_race_%d", i), sid, time.Now()), 30_000)
			if err != nil {
				statuses <- -1
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}(i)
	}
	close(start)
	for i := 0; i < racers; i++ {
		if s := <-statuses; s != 200 {
			t.Errorf("a racing delivery answered %d", s)
		}
	}
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 1 {
		t.Fatalf("%d racing deliveries made %d refund calls, want 1", racers, n)
	}
	if p := fx.payment(sid); p.State != models.PaymentRefunded || fx.mails(models.MailPaymentLateRefunded) != 1 {
		t.Errorf("payment %s, %d mails", p.State, fx.mails(models.MailPaymentLateRefunded))
	}
}
