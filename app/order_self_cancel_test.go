package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/agora-events/agora/app/jobs"
	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
)

// setRefundPolicy saves the event's refund policy through its form.
func (fx *payFixture) setRefundPolicy(v url.Values) response {
	fx.t.Helper()
	c := fx.owner()
	page := fmt.Sprintf("/manage/events/%d/refund-policy", fx.event.ID)
	mustStatus(fx.t, c.get(page), 200, "refund policy page")
	return c.post(page, v)
}

// selfCancel shows the order's cancel page, then confirms; it returns the
// page shown before confirming.
func (fx *payFixture) selfCancel(o *models.Order) string {
	fx.t.Helper()
	c := newClient(fx.t, fx.app)
	r := c.get("/orders/" + o.Secret + "/cancel")
	mustStatus(fx.t, r, 200, "cancel page")
	mustStatus(fx.t, c.post("/orders/"+o.Secret+"/cancel", nil), http.StatusSeeOther, "confirm cancel")
	if got := fx.order(o.ID); got.Status != models.OrderCancelled {
		fx.t.Fatalf("after confirming the order is %s", got.Status)
	}
	return r.Body
}

// Each refund policy through the cancel page, against stripe-mock: the page
// states the refund before the person confirms, Stripe is asked once with
// the stored key for exactly that amount, the person and the owner are told.
func TestSelfCancelRefundPolicies(t *testing.T) {
	future := func(fx *payFixture) string {
		return fx.clock().Add(48 * time.Hour).In(fx.event.Location()).Format("2006-01-02T15:04")
	}
	past := func(fx *payFixture) string {
		return fx.clock().Add(-time.Hour).In(fx.event.Location()).Format("2006-01-02T15:04")
	}
	cases := []struct {
		name   string
		form   func(fx *payFixture) url.Values
		says   []string
		refund int64
	}{
		{"full", func(fx *payFixture) url.Values { return url.Values{"policy": {"full"}, "until": {future(fx)}} },
			[]string{"You will get €25.00 back (you paid €25.00)", "for cancellations until"}, 2500},
		{"fixed fee", func(fx *payFixture) url.Values {
			return url.Values{"policy": {"fee"}, "until": {future(fx)}, "fee_fixed": {"4.50"}}
		}, []string{"You will get €20.50 back", "A cancellation fee of €4.50 is kept."}, 2050},
		{"percentage fee", func(fx *payFixture) url.Values {
			return url.Values{"policy": {"fee"}, "fee_percent": {"10"}}
		}, []string{"You will get €22.50 back", "A cancellation fee of €2.50 is kept."}, 2250},
		{"fee larger than paid", func(fx *payFixture) url.Values {
			return url.Values{"policy": {"fee"}, "fee_fixed": {"30"}}
		}, []string{"Cancelling now gives no refund of the €25.00 you paid.", "contact the organizers (Pay Org)"}, 0},
		{"deadline passed", func(fx *payFixture) url.Values { return url.Values{"policy": {"full"}, "until": {past(fx)}} },
			[]string{"Cancelling now gives no refund", "Refunds were given for cancellations until"}, 0},
		{"no refund", func(fx *payFixture) url.Values { return url.Values{"policy": {"none"}} },
			[]string{"This event does not refund cancellations.", "contact the organizers (Pay Org)"}, 0},
	}
	for _, k := range cases {
		t.Run(strings.ReplaceAll(k.name, " ", "_"), func(t *testing.T) {
			fx := newPayFixture(t, 10)
			mustStatus(t, fx.setRefundPolicy(k.form(fx)), http.StatusSeeOther, "save policy")
			o, p := fx.paidOrder(1)
			page := fx.selfCancel(o)
			mustContain(t, page, "cancel page", k.says...)
			calls := fx.stub.find("POST", "/v1/refunds")
			var got models.Payment
			fx.db.Take(&got, p.ID)
			if k.refund == 0 {
				if len(calls) != 0 || got.RefundedAmount != 0 {
					t.Fatalf("%d refund calls, refunded %d; want none", len(calls), got.RefundedAmount)
				}
			} else {
				key := payment.RefundKey(p.ID, models.RefundSelfCancelled, 0)
				if len(calls) != 1 || calls[0].IdempotencyKey != key || !strings.Contains(calls[0].Body, fmt.Sprintf("amount=%d", k.refund)) {
					t.Fatalf("refund calls %+v, want one of %d with key %s", calls, k.refund, key)
				}
				if got.RefundedAmount != k.refund || (k.refund < 2500) != (got.State == models.PaymentPartiallyRefunded) {
					t.Errorf("payment %s refunded %d, want %d", got.State, got.RefundedAmount, k.refund)
				}
				if n := fx.mails(models.MailOrderRefunded); n != 1 {
					t.Errorf("%d refund mails to the person, want 1", n)
				}
			}
			if n := fx.mails(models.MailOrderCancelled); n != 1 {
				t.Errorf("%d cancellation mails to the person, want 1", n)
			}
			var owner int64
			fx.db.Model(&models.OutboxMessage{}).Where("kind = ? AND to_addr = ?", models.MailOrganizerOrderCancelled, "owner@pay.example").Count(&owner)
			if owner != 1 {
				t.Errorf("%d mails to the owner, want 1", owner)
			}
			// Cancelling again changes nothing and asks Stripe nothing.
			c := newClient(t, fx.app)
			c.get("/orders/" + o.Secret + "/cancel")
			c.post("/orders/"+o.Secret+"/cancel", nil)
			if n := len(fx.stub.find("POST", "/v1/refunds")); n != len(calls) {
				t.Errorf("a second cancel asked Stripe again (%d calls)", n)
			}
		})
	}
}

// A payment refunded in part by the organizer before: the attendee's refund
// is only the rest, never more than what is left.
func TestSelfCancelRefundNeverMoreThanLeft(t *testing.T) {
	fx := newPayFixture(t, 10)
	mustStatus(t, fx.setRefundPolicy(url.Values{"policy": {"full"}}), http.StatusSeeOther, "save policy")
	o, p := fx.paidOrder(1)
	if _, _, err := models.RecordRefund(fx.db, p.ID, 2000, "re_earlier", models.RefundOrganizer, "", fx.clock()); err != nil {
		t.Fatal(err)
	}
	page := fx.selfCancel(o)
	mustContain(t, page, "cancel page", "You will get €5.00 back (you paid €5.00)")
	calls := fx.stub.find("POST", "/v1/refunds")
	if len(calls) != 1 || !strings.Contains(calls[0].Body, "amount=500") {
		t.Fatalf("refund calls %+v, want one of 500", calls)
	}
	var got models.Payment
	fx.db.Take(&got, p.ID)
	if got.RefundedAmount != 2500 || got.State != models.PaymentRefunded {
		t.Errorf("payment %s refunded %d of 2500", got.State, got.RefundedAmount)
	}
}

// Stripe fails when the person cancels: the order is cancelled, the page
// says the refund follows, and the late-refunds job makes it with the same key.
func TestSelfCancelRefundRetriedByJob(t *testing.T) {
	fx := newPayFixture(t, 10)
	mustStatus(t, fx.setRefundPolicy(url.Values{"policy": {"full"}}), http.StatusSeeOther, "save policy")
	o, p := fx.paidOrder(1)
	fx.stub.beforeRefund = func(n int) int {
		if n == 1 {
			return http.StatusServiceUnavailable
		}
		return 0
	}
	fx.selfCancel(o)
	var got models.Payment
	fx.db.Take(&got, p.ID)
	if got.State != models.PaymentRefundDue {
		t.Fatalf("after a failed refund the payment is %s", got.State)
	}
	sweepLateRefunds(t, fx)
	calls := fx.stub.find("POST", "/v1/refunds")
	if len(calls) != 2 || calls[0].IdempotencyKey != calls[1].IdempotencyKey {
		t.Fatalf("calls %+v: want the retry with the same key", calls)
	}
	fx.db.Take(&got, p.ID)
	if got.State != models.PaymentRefunded {
		t.Errorf("after the retry the payment is %s", got.State)
	}
}

// A free order: no refund to speak of, the cancel page says nothing about money.
func TestSelfCancelFreeOrderNoRefund(t *testing.T) {
	fx := newPayFixture(t, 10)
	mustStatus(t, fx.setRefundPolicy(url.Values{"policy": {"full"}}), http.StatusSeeOther, "save policy")
	if err := fx.db.Model(fx.tt).Update("price", 0).Error; err != nil {
		t.Fatal(err)
	}
	o := fx.place(1)
	if got := fx.order(o.ID); got.Status != models.OrderConfirmed {
		t.Fatalf("free order is %s", got.Status)
	}
	page := fx.selfCancel(o)
	if strings.Contains(page, "refund-statement") {
		t.Error("a free order's cancel page talks about a refund")
	}
	if n := len(fx.stub.find("POST", "/v1/refunds")); n != 0 {
		t.Errorf("%d refund calls for a free order", n)
	}
}

// The refund policy form with bad input keeps what was typed and says why.
func TestRefundPolicyFormBadInput(t *testing.T) {
	fx := newPayFixture(t, 10)
	cases := []struct {
		name  string
		v     url.Values
		msg   string
		typed string
	}{
		{"unknown policy", url.Values{"policy": {"everything"}}, "Choose one of the policies.", ""},
		{"bad date", url.Values{"policy": {"full"}, "until": {"next week"}}, "form.bad_datetime", "next week"},
		{"bad percent", url.Values{"policy": {"fee"}, "fee_percent": {"150"}}, "between 0 and 100", "150"},
		{"negative fee", url.Values{"policy": {"fee"}, "fee_fixed": {"-5"}}, "", "-5"},
		{"fee without an amount", url.Values{"policy": {"fee"}}, "Enter a fee, or choose a full refund.", ""},
		{"hostile bytes", url.Values{"policy": {"fee\x00"}, "fee_fixed": {"5\xff"}}, "we removed them", ""},
	}
	for _, k := range cases {
		r := fx.setRefundPolicy(k.v)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", k.name, r.Status)
			continue
		}
		if k.msg != "" && k.msg != "form.bad_datetime" && !strings.Contains(r.Body, k.msg) {
			t.Errorf("%s: no %q in\n%s", k.name, k.msg, errorLines(r.Body))
		}
		if k.typed != "" && !strings.Contains(r.Body, `value="`+k.typed+`"`) {
			t.Errorf("%s: what was typed (%q) is lost", k.name, k.typed)
		}
	}
	pol, err := models.RefundPolicyOf(fx.db, fx.event.ID)
	if err != nil || pol.Policy != models.RefundPolicyNone {
		t.Errorf("bad input changed the policy: %+v %v", pol, err)
	}
	// A good one is kept and shown again in the event's zone.
	mustStatus(t, fx.setRefundPolicy(url.Values{"policy": {"fee"}, "until": {"2030-05-01T18:00"}, "fee_fixed": {"5,50"}, "fee_percent": {"2.5"}}),
		http.StatusSeeOther, "good policy")
	r := fx.owner().get(fmt.Sprintf("/manage/events/%d/refund-policy", fx.event.ID))
	mustContain(t, r.Body, "saved policy", `value="2030-05-01T18:00"`, `value="5.50"`, `value="2.5"`, `value="fee" checked`)
}

func sweepLateRefunds(t *testing.T, fx *payFixture) {
	t.Helper()
	if err := (&jobs.LateRefunds{DB: fx.db, Pay: fx.pay}).Sweep(context.Background(), fx.clock()); err != nil {
		t.Fatalf("late-refunds job: %v", err)
	}
}
