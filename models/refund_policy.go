package models

import (
	"time"

	"gorm.io/gorm"
)

// Refund policies for an attendee who cancels a paid order themselves.
const (
	RefundPolicyNone = "none" // no refund: the attendee may cancel, and is told to contact the organizers
	RefundPolicyFull = "full" // everything paid, until RefundUntil
	RefundPolicyFee  = "fee"  // everything paid minus a fee, until RefundUntil
)

// RefundPolicies lists the policies in the order the form offers them.
var RefundPolicies = []string{RefundPolicyNone, RefundPolicyFull, RefundPolicyFee}

// EventRefundPolicy is the refund-policy columns of an event.
type EventRefundPolicy struct {
	ID     uint   `gorm:"primaryKey"`
	Policy string `gorm:"column:refund_policy;size:10;not null;default:'none'"`
	// Until is the last moment (inclusive) the refund is given; nil = no deadline.
	Until *time.Time `gorm:"column:refund_until"`
	// FeeFixed (minor units) and FeeBP (basis points of what was paid) are
	// kept from the refund under RefundPolicyFee; both may be set.
	FeeFixed int64 `gorm:"column:refund_fee_fixed;not null;default:0"`
	FeeBP    int   `gorm:"column:refund_fee_bp;not null;default:0"`
}

func (EventRefundPolicy) TableName() string { return "events" }

// RefundPolicyOf returns event eventID's refund policy.
func RefundPolicyOf(db *gorm.DB, eventID uint) (EventRefundPolicy, error) {
	var p EventRefundPolicy
	err := db.Take(&p, eventID).Error
	return p, err
}

// SaveRefundPolicy stores p (bounds checked by the form).
func SaveRefundPolicy(db *gorm.DB, p EventRefundPolicy) error {
	if p.Until != nil {
		u := p.Until.UTC()
		p.Until = &u
	}
	return db.Model(&EventRefundPolicy{ID: p.ID}).Select("Policy", "Until", "FeeFixed", "FeeBP").Updates(&p).Error
}

// SelfRefund is what an attendee cancelling at a given moment gets back.
type SelfRefund struct {
	Amount int64 // what will be refunded (minor units)
	Fee    int64 // what the policy keeps of what is left to refund
	// Paid is what is left of the payment before this refund (paid minus
	// refunds already made); 0 for a free order.
	Paid int64
	// Expired is true when the policy refunds, but its deadline has passed.
	Expired bool
}

// Refundable applies the policy to a payment of paid minor units of which
// refunded were given back already, for a cancellation at now. The refund is
// never more than what is left, nor less than zero; a fee is charged once,
// on the whole payment, and what was refunded already counts towards it.
func (p EventRefundPolicy) Refundable(paid, refunded int64, now time.Time) SelfRefund {
	left := paid - refunded
	if left <= 0 {
		return SelfRefund{}
	}
	out := SelfRefund{Paid: left, Fee: left}
	if p.Policy != RefundPolicyFull && p.Policy != RefundPolicyFee {
		return out
	}
	if p.Until != nil && now.After(*p.Until) {
		out.Expired = true
		return out
	}
	fee := int64(0)
	if p.Policy == RefundPolicyFee {
		fee = p.FeeFixed + paid*int64(p.FeeBP)/10000
	}
	amount := paid - fee - refunded
	if amount < 0 {
		amount = 0
	}
	if amount > left {
		amount = left
	}
	out.Amount, out.Fee = amount, left-amount
	return out
}
