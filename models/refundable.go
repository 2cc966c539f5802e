package models

import (
	"errors"

	"gorm.io/gorm"
)

// Refundable is an order's Stripe payment that an organizer can still
// refund: how much is left on it and how many refunds it had (the sequence
// number of the next refund's idempotency key).
type Refundable struct {
	Payment *Payment
	Left    int64
	Seq     int64
}

// RefundableOf returns the order's Stripe payment that can still be
// refunded by hand, or nil when there is none: no paid payment, paid by
// bank transfer, refunded in full already, or refund_due (being refunded
// automatically, paid too late). The organizer's order page and the API's
// cancellation both ask it.
func RefundableOf(db *gorm.DB, orderID uint) (*Refundable, error) {
	p, err := PaidPayment(db, orderID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if p.Provider != ProviderStripe || p.ProviderPaymentID == nil || p.State == PaymentRefundDue || p.Amount-p.RefundedAmount <= 0 {
		return nil, nil
	}
	r := &Refundable{Payment: p, Left: p.Amount - p.RefundedAmount}
	err = db.Model(&Refund{}).Where("payment_id = ?", p.ID).Count(&r.Seq).Error
	return r, err
}
