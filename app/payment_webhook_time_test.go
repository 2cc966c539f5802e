package app

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/agora-events/agora/models"
)

// completedWebhook is a checkout.session.completed event about sessionID,
// signed with the test secret and the given signature timestamp.
func completedWebhook(eventID, sessionID string, at time.Time) *http.Request {
	payload := fmt.Sprintf(`{"id":%q,"object":"event","api_version":"2023-10-16","type":"checkout.session.completed","data":{"object":{"id":%q,"object":"checkout.session"}}}`,
		eventID, sessionID)
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: testWebhookSecret, Timestamp: at})
	req := httptest.NewRequest(http.MethodPost, "/stripe/webhook", bytes.NewReader(signed.Payload))
	req.Header.Set("Stripe-Signature", signed.Header)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// webhookSignedAt posts a completed-session event signed at the given time.
func (fx *payFixture) webhookSignedAt(eventID, sessionID string, at time.Time) response {
	fx.t.Helper()
	return newClient(fx.t, fx.app).do(completedWebhook(eventID, sessionID, at))
}

// A signature dated beyond the allowed clock skew in the future is refused
// like one dated too far in the past: 400, nothing applied or recorded. A
// signature a little ahead (a clock slightly off) is accepted.
func TestWebhookSignatureFromTheFuture(t *testing.T) {
	fx := newPayFixture(t, 10)
	o := fx.place(1)
	sid := fx.checkout(o)
	fx.stub.setSession(sid, "complete", "paid", 2500, "eur", o.ID)

	for _, ahead := range []time.Duration{time.Hour, 24 * time.Hour, 6 * time.Minute} {
		r := fx.webhookSignedAt("evt_future", sid, time.Now().Add(ahead))
		mustStatus(t, r, http.StatusBadRequest, fmt.Sprintf("signature %v ahead", ahead))
	}
	mustStatus(t, fx.webhookSignedAt("evt_past", sid, time.Now().Add(-6*time.Minute)), http.StatusBadRequest, "signature 6m old")
	if got := fx.order(o.ID); got.Status != models.OrderPending {
		t.Fatalf("order %s after refused signatures", got.Status)
	}
	var seen int64
	fx.db.Model(&models.StripeEvent{}).Count(&seen)
	if seen != 0 {
		t.Fatalf("%d events recorded from refused signatures", seen)
	}

	mustStatus(t, fx.webhookSignedAt("evt_skew", sid, time.Now().Add(2*time.Minute)), 200, "signature 2m ahead (clock skew)")
	if got := fx.order(o.ID); got.Status != models.OrderConfirmed {
		t.Errorf("order %s after a signature within the skew", got.Status)
	}
}
