package payment

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// RefundLate refunds a payment that arrived after its hold ended and found
// no room (state refund_due); see RefundDue.
func (s *Stripe) RefundLate(db *gorm.DB, paymentID uint, now time.Time) (done bool, err error) {
	return s.RefundDue(db, paymentID, now)
}

// RefundDue makes the refund a refund_due payment is owed (a late payment
// that found no room, a cancelled event, an attendee's own cancellation),
// asking Stripe once: it claims the refund (the idempotency key is stored
// first: by the claim, or already when the payment was marked refund_due),
// calls Stripe, and records the refund, which mails the buyer for the
// reasons that do. done is false, with no error, when there is nothing to do
// now: the refund is recorded already or another caller is making it. After
// a failed call the claim is given back and the key kept, so the next
// attempt asks for the same refund.
func (s *Stripe) RefundDue(db *gorm.DB, paymentID uint, now time.Time) (done bool, err error) {
	p, ok, err := models.ClaimRefund(db, paymentID, RefundKey(paymentID, models.RefundHoldLost, 0), now, models.RefundClaimLease)
	if err != nil || !ok {
		return false, err
	}
	reason, mail := refundReasonMail(p.RefundReason)
	amount := p.Amount - p.RefundedAmount
	if p.RefundAmount > 0 && p.RefundAmount < amount {
		amount = p.RefundAmount
	}
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
	if _, _, err := models.RecordRefund(db, p.ID, amount, rid, reason, mail, now); err != nil {
		return false, err
	}
	return true, nil
}

// refundReasonMail gives the reason recorded with a refund_due payment's
// refund and the mail that tells the buyer: a cancelled event's attendees
// were told in the cancellation mail already.
func refundReasonMail(reason string) (string, string) {
	switch reason {
	case models.RefundEventCancelled:
		return reason, ""
	case models.RefundSelfCancelled:
		return reason, models.MailOrderRefunded
	default:
		return models.RefundHoldLost, models.MailPaymentLateRefunded
	}
}
