package payment

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// RefundLate refunds a payment that arrived after its hold ended and found
// no room (state refund_due), asking Stripe once: it claims the refund
// (storing its idempotency key first), calls Stripe, and records the refund,
// which mails the buyer. done is false, with no error, when there is nothing
// to do now: the refund is recorded already or another caller is making it.
// After a failed call the claim is given back and the key kept, so the next
// attempt (a webhook retry, the late-refunds job) asks for the same refund.
func (s *Stripe) RefundLate(db *gorm.DB, paymentID uint, now time.Time) (done bool, err error) {
	p, ok, err := models.ClaimRefund(db, paymentID, RefundKey(paymentID, models.RefundHoldLost, 0), now, models.RefundClaimLease)
	if err != nil || !ok {
		return false, err
	}
	amount := p.Amount - p.RefundedAmount
	var rid string
	if p.ProviderPaymentID == nil {
		err = fmt.Errorf("refund payment %d: no payment intent", p.ID)
	} else {
		rid, err = s.Refund(*p.ProviderPaymentID, amount, p.RefundKey)
	}
	if err != nil {
		if rerr := models.ReleaseRefundClaim(db, p.ID); rerr != nil {
			err = errors.Join(err, fmt.Errorf("release refund claim: %w", rerr))
		}
		return false, err
	}
	// Should recording fail, the claim runs out and the retry gets the same
	// refund back from Stripe (same key), which RecordRefund stores once.
	if _, _, err := models.RecordRefund(db, p.ID, amount, rid, models.RefundHoldLost, models.MailPaymentLateRefunded, now); err != nil {
		return false, err
	}
	return true, nil
}
