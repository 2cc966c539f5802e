package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MailOrganizerOrderCancelled tells the organizers an attendee cancelled
// their paid order (RefID: order).
const MailOrganizerOrderCancelled = "organizer_order_cancelled"

// SelfCancelQuote is what cancelling an order now would give back.
type SelfCancelQuote struct {
	Policy   EventRefundPolicy
	Refund   SelfRefund
	Payment  *Payment // the paid payment, nil for a free or unpaid order
	ByHand   bool     // paid by bank transfer: the organizers refund it themselves
	Currency string
}

// QuoteSelfCancel computes what the attendee of order o would get back on
// cancelling it at now, under the event's refund policy.
func QuoteSelfCancel(db *gorm.DB, o *Order, now time.Time) (SelfCancelQuote, error) {
	pol, err := RefundPolicyOf(db, o.EventID)
	if err != nil {
		return SelfCancelQuote{}, err
	}
	q := SelfCancelQuote{Policy: pol, Currency: o.Currency}
	if o.Status != OrderConfirmed || o.Total <= 0 {
		return q, nil
	}
	p, err := PaidPayment(db, o.ID)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return q, nil
	}
	if err != nil {
		return q, err
	}
	if p.State != PaymentPaid && p.State != PaymentPartiallyRefunded {
		return q, nil // refunded already, or a refund is under way
	}
	q.Payment, q.Currency = p, p.Currency
	q.Refund = pol.Refundable(p.Amount, p.RefundedAmount, now)
	q.ByHand = p.Provider != ProviderStripe
	return q, nil
}

// SelfCancelResult says what cancelling did.
type SelfCancelResult struct {
	Done  bool // the order was live and is cancelled now
	Quote SelfCancelQuote
	// RefundPaymentID is the payment to refund through Stripe now
	// (payment.RefundDue), 0 when there is none.
	RefundPaymentID uint
}

// CancelOrderBySelf cancels a live order at its attendee's request, in one
// transaction: the places go back, the buyer is mailed, the organizers are
// told (paid orders), and what the refund policy gives back at now is
// marked to be refunded through Stripe with its key stored, so the caller's
// refund call, or the late-refunds job after a failure, makes it once.
func CancelOrderBySelf(db *gorm.DB, orderID uint, now time.Time) (SelfCancelResult, error) {
	now = now.UTC()
	var out SelfCancelResult
	err := db.Transaction(func(tx *gorm.DB) error {
		var o Order
		if err := tx.Take(&o, orderID).Error; err != nil {
			return err
		}
		q, err := QuoteSelfCancel(tx, &o, now)
		if err != nil {
			return err
		}
		out.Quote = q
		done, err := cancelLiveOrder(tx, orderID, now, true)
		if err != nil || !done {
			return err
		}
		out.Done = true
		if q.Payment == nil {
			return nil
		}
		if q.Refund.Amount > 0 && !q.ByHand {
			ok, err := markRefundDue(tx, q.Payment.ID, RefundSelfCancelled, q.Refund.Amount, RefundKey(q.Payment.ID, RefundSelfCancelled, 0), now)
			if err != nil {
				return err
			}
			if ok {
				out.RefundPaymentID = q.Payment.ID
			}
		}
		return notifyOrganizers(tx, &o)
	})
	return out, err
}

// notifyOrganizers mails the owners of the event's organization about a
// cancelled paid order, once each.
func notifyOrganizers(tx *gorm.DB, o *Order) error {
	var emails []string
	if err := tx.Table("memberships").Select("users.email").Joins("JOIN users ON users.id = memberships.user_id").
		Joins("JOIN events ON events.organization_id = memberships.organization_id").
		Where("events.id = ? AND memberships.role = ?", o.EventID, RoleOwner).Order("users.id").Pluck("users.email", &emails).Error; err != nil {
		return err
	}
	for _, e := range emails {
		if strings.TrimSpace(e) == "" {
			continue
		}
		if err := Enqueue(tx, &OutboxMessage{To: e, Language: "en", Kind: MailOrganizerOrderCancelled, RefID: o.ID,
			DedupeKey: fmt.Sprintf("%s:%d:%s", MailOrganizerOrderCancelled, o.ID, strings.ToLower(e))}); err != nil {
			return err
		}
	}
	return nil
}
