package models

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// CheckoutSession is what fulfilment needs of a Stripe Checkout Session, as
// re-fetched from Stripe (never taken from a webhook payload).
type CheckoutSession struct {
	ID            string
	Status        string // open, complete, expired
	PaymentStatus string // paid, unpaid, no_payment_required
	AmountTotal   int64
	Currency      string
	PaymentIntent string
	Metadata      map[string]string
	// AsyncFailed is set for checkout.session.async_payment_failed: the
	// session stays complete and unpaid, only the event says it failed.
	AsyncFailed bool
}

// Fulfilment outcomes: what the return page and the webhook report.
const (
	FulfilConfirmed  = "confirmed"  // paid and the order is confirmed
	FulfilProcessing = "processing" // a delayed method: wait for the bank
	FulfilOpen       = "open"       // not paid yet (back from a cancelled checkout)
	FulfilFailed     = "failed"     // the delayed payment failed; the hold lasts
	FulfilExpired    = "expired"    // the session expired unpaid; the hold is released
	FulfilTampered   = "tampered"   // amount or currency differ: not confirmed
	FulfilRefundDue  = "refund_due" // paid, but no room left: refund it
	FulfilRefunded   = "refunded"   // paid and refunded (late, no room)
	FulfilCancelled  = "cancelled"  // the order was cancelled meanwhile
)

// FulfilResult is the outcome of FulfilCheckout with the rows it concerns.
type FulfilResult struct {
	Outcome string
	Payment Payment
	Order   Order
}

// FulfilCheckout applies a Checkout Session to its payment and order, once:
// the webhook (for every event) and the return page both call it, in any
// order and any number of times. Paid → the order is confirmed (a hold that
// ended is taken again when there is room; if not, the payment becomes
// refund_due and the caller refunds it through Stripe, then calls
// RecordRefund). A total or currency that differs from the payment's is
// recorded and never confirms. An expired session releases the hold unless
// the order is paid or has another live payment attempt.
func FulfilCheckout(db *gorm.DB, s CheckoutSession, now time.Time) (*FulfilResult, error) {
	now = now.UTC()
	var p Payment
	if err := db.Where("provider = ? AND provider_session_id = ?", ProviderStripe, s.ID).Take(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrUnknownPayment
		}
		return nil, err
	}
	if id := s.Metadata["order_id"]; id != "" && id != strconv.FormatUint(uint64(p.OrderID), 10) {
		if err := flagPayment(db, p.ID, "metadata names another order", now); err != nil {
			return nil, err
		}
		return result(db, FulfilTampered, p.ID)
	}
	switch {
	case s.Status == "complete" && (s.PaymentStatus == "paid" || s.PaymentStatus == "no_payment_required"):
		return fulfilPaid(db, p, s, now)
	case s.Status == "complete" && s.AsyncFailed:
		if err := setPaymentState(db, p.ID, PaymentFailed, []string{PaymentCreated, PaymentProcessing}, "the delayed payment failed", now); err != nil {
			return nil, err
		}
		return result(db, FulfilFailed, p.ID)
	case s.Status == "complete":
		if err := setPaymentState(db, p.ID, PaymentProcessing, []string{PaymentCreated}, "", now); err != nil {
			return nil, err
		}
		return result(db, "", p.ID)
	case s.Status == "expired":
		return fulfilExpired(db, p, now)
	}
	return result(db, "", p.ID)
}

func fulfilPaid(db *gorm.DB, p Payment, s CheckoutSession, now time.Time) (*FulfilResult, error) {
	if s.AmountTotal != p.Amount || !sameCurrency(s.Currency, p.Currency) {
		note := fmt.Sprintf("amount mismatch: session %d %s, order %d %s", s.AmountTotal, s.Currency, p.Amount, p.Currency)
		if err := flagPayment(db, p.ID, note, now); err != nil {
			return nil, err
		}
		return result(db, FulfilTampered, p.ID)
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		upd := map[string]any{"state": PaymentPaid, "updated_at": now}
		if s.PaymentIntent != "" {
			upd["provider_payment_id"] = s.PaymentIntent
		}
		// Only one caller moves the payment to paid; the others see it paid.
		res := tx.Model(&Payment{}).Where("id = ? AND state IN ?", p.ID,
			[]string{PaymentCreated, PaymentProcessing, PaymentFailed, PaymentExpired}).Updates(upd)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		_, err := ConfirmOrder(tx, p.OrderID, now)
		if errors.Is(err, ErrHoldLost) || errors.Is(err, ErrOrderNotActive) {
			// The money arrived but the places are gone (or the order was
			// cancelled): keep the payment, mark it for refund.
			return tx.Model(&Payment{}).Where("id = ?", p.ID).Updates(map[string]any{
				"state": PaymentRefundDue, "note": "paid after the hold ended; no room left", "updated_at": now}).Error
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(db, "", p.ID)
}

func fulfilExpired(db *gorm.DB, p Payment, now time.Time) (*FulfilResult, error) {
	if err := setPaymentState(db, p.ID, PaymentExpired, []string{PaymentCreated}, "", now); err != nil {
		return nil, err
	}
	var others int64
	if err := db.Model(&Payment{}).Where("order_id = ? AND id <> ? AND (state IN ? OR (state = ? AND (session_expires IS NULL OR session_expires > ?)))",
		p.OrderID, p.ID, []string{PaymentPaid, PaymentProcessing, PaymentPartiallyRefunded, PaymentRefundDue}, PaymentCreated, now).
		Count(&others).Error; err != nil {
		return nil, err
	}
	var cur Payment
	if err := db.Take(&cur, p.ID).Error; err != nil {
		return nil, err
	}
	if others == 0 && cur.State == PaymentExpired {
		if _, err := ReleaseHold(db, p.OrderID, now); err != nil {
			return nil, err
		}
	}
	return result(db, "", p.ID)
}

// setPaymentState moves a payment to state when it is in one of from.
func setPaymentState(db *gorm.DB, id uint, state string, from []string, note string, now time.Time) error {
	upd := map[string]any{"state": state, "updated_at": now}
	if note != "" {
		upd["note"] = note
	}
	return db.Model(&Payment{}).Where("id = ? AND state IN ?", id, from).Updates(upd).Error
}

// flagPayment records a suspicious session on an unpaid payment; a paid
// payment is left as it is.
func flagPayment(db *gorm.DB, id uint, note string, now time.Time) error {
	return setPaymentState(db, id, PaymentFailed, []string{PaymentCreated, PaymentProcessing, PaymentFailed}, note, now)
}

// result reloads the payment and its order and names the outcome; an empty
// outcome is derived from their states.
func result(db *gorm.DB, outcome string, paymentID uint) (*FulfilResult, error) {
	r := &FulfilResult{}
	if err := db.Take(&r.Payment, paymentID).Error; err != nil {
		return nil, err
	}
	if err := db.Take(&r.Order, r.Payment.OrderID).Error; err != nil {
		return nil, err
	}
	if outcome == "" {
		outcome = outcomeOf(r.Payment, r.Order)
	}
	r.Outcome = outcome
	return r, nil
}

func outcomeOf(p Payment, o Order) string {
	switch p.State {
	case PaymentRefundDue:
		return FulfilRefundDue
	case PaymentProcessing:
		return FulfilProcessing
	case PaymentFailed:
		return FulfilFailed
	case PaymentExpired:
		return FulfilExpired
	case PaymentRefunded, PaymentPartiallyRefunded:
		if o.Status != OrderConfirmed {
			return FulfilRefunded
		}
	}
	switch o.Status {
	case OrderConfirmed:
		return FulfilConfirmed
	case OrderCancelled:
		return FulfilCancelled
	case OrderExpired:
		return FulfilExpired
	}
	return FulfilOpen
}
