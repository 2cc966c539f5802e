package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RefundClaimLease is how long one caller holds the right to ask the
// provider for the refund of a refund_due payment: longer than the provider
// call can take, so no second call starts while one is in flight, and short
// enough that a refund whose caller died is retried soon.
const RefundClaimLease = 2 * time.Minute

// ClaimRefund gives the caller the one right, for lease, to ask the provider
// to refund refund_due payment paymentID. The refund's idempotency key is
// stored with the first claim (key) and every later claim gets the stored
// one back, so a retry after a failure asks for the same refund. ok is false
// when there is nothing to do now: the refund is recorded already, the
// payment is not refund_due, or another caller holds the claim.
func ClaimRefund(db *gorm.DB, paymentID uint, key string, now time.Time, lease time.Duration) (p Payment, ok bool, err error) {
	now = now.UTC()
	res := db.Model(&Payment{}).
		Where("id = ? AND state = ? AND (refund_claimed_until IS NULL OR refund_claimed_until < ?)", paymentID, PaymentRefundDue, now).
		Updates(map[string]any{
			"refund_key":           gorm.Expr("CASE WHEN refund_key = '' THEN ? ELSE refund_key END", key),
			"refund_claimed_until": now.Add(lease),
			"updated_at":           now,
		})
	if res.Error != nil || res.RowsAffected == 0 {
		return Payment{}, false, res.Error
	}
	if err := db.Take(&p, paymentID).Error; err != nil {
		return Payment{}, false, err
	}
	return p, true, nil
}

// ReleaseRefundClaim ends a claim whose provider call failed, keeping the
// stored key, so the next attempt (a webhook retry, the late-refunds job)
// may call again, with the same key.
func ReleaseRefundClaim(db *gorm.DB, paymentID uint) error {
	return db.Model(&Payment{}).Where("id = ? AND state = ?", paymentID, PaymentRefundDue).
		Update("refund_claimed_until", nil).Error
}

// RefundsDue lists the Stripe payments waiting for their automatic refund
// that no caller is working on at now, oldest first. The refunds of a
// cancelled event are left to its cancellation job, which shows the ones
// that failed to the organizer and retries them when asked.
func RefundsDue(db *gorm.DB, now time.Time, limit int) ([]Payment, error) {
	var ps []Payment
	err := db.Where("provider = ? AND state = ? AND (refund_claimed_until IS NULL OR refund_claimed_until < ?) AND refund_reason <> ?",
		ProviderStripe, PaymentRefundDue, now.UTC(), RefundEventCancelled).Order("id").Limit(limit).Find(&ps).Error
	return ps, err
}

// markRefundDue makes a paid Stripe payment owe amount back for reason, with
// the refund's idempotency key stored now, in the caller's transaction: from
// here on the refund is made once through ClaimRefund like a late payment's.
// It reports false when the payment is not paid (or partly refunded) any more.
func markRefundDue(tx *gorm.DB, paymentID uint, reason string, amount int64, key string, now time.Time) (bool, error) {
	res := tx.Model(&Payment{}).
		Where("id = ? AND provider = ? AND state IN ? AND amount - refunded_amount >= ?", paymentID, ProviderStripe,
			[]string{PaymentPaid, PaymentPartiallyRefunded}, amount).
		Updates(map[string]any{"state": PaymentRefundDue, "refund_reason": reason, "refund_amount": amount,
			"refund_key": key, "refund_claimed_until": nil, "updated_at": now.UTC()})
	return res.RowsAffected == 1, res.Error
}

// RefundKey is the idempotency key of a refund; n tells apart several
// refunds of one payment for the same reason.
func RefundKey(paymentID uint, reason string, n int) string {
	return fmt.Sprintf("agora-refund-%d-%s-%d", paymentID, reason, n)
}
