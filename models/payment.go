package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Payment providers.
const (
	ProviderStripe  = "stripe"
	ProviderInvoice = "invoice" // bank transfer or invoice, marked paid by an organizer
)

// Payment states. A payment attempt starts created; RefundDue marks a paid
// payment that found no room (its hold ended and the places were taken) and
// must be refunded: it stays so until the refund is recorded.
const (
	PaymentCreated           = "created"
	PaymentPaid              = "paid"
	PaymentProcessing        = "processing"
	PaymentFailed            = "failed"
	PaymentExpired           = "expired"
	PaymentRefundDue         = "refund_due"
	PaymentRefunded          = "refunded"
	PaymentPartiallyRefunded = "partially_refunded"
)

// Refund reasons.
const (
	RefundHoldLost       = "hold_lost"       // paid after the hold ended, no room left
	RefundOrganizer      = "organizer"       // an organizer cancelled the order
	RefundProvider       = "provider"        // made outside Agora (the Stripe dashboard)
	RefundEventCancelled = "event_cancelled" // the organizer cancelled the event
	RefundSelfCancelled  = "self_cancel"     // the attendee cancelled, under the event's refund policy
)

// Mail kinds of the payment rules (RefID: refund).
const (
	MailPaymentLateRefunded = "payment_late_refunded"
	MailOrderRefunded       = "order_refunded"
)

// CheckoutSessionLife is how long a Stripe Checkout Session stays open
// (Stripe's minimum); the order's hold is extended to outlast it.
const CheckoutSessionLife = 30 * time.Minute

// Errors of the payment rules.
var (
	ErrNotPayable        = errors.New("the order is not waiting for a payment")
	ErrInvoiceNotAllowed = errors.New("this event does not take bank transfers or invoices")
	ErrRefundTooLarge    = errors.New("the refund is larger than what is left to refund")
	ErrNothingToRefund   = errors.New("the order has no payment to refund")
	ErrUnknownPayment    = errors.New("no payment matches this checkout session")
)

// Refund is money given back on a payment, recorded once per provider refund.
type Refund struct {
	ID               uint    `gorm:"primaryKey"`
	OrderID          uint    `gorm:"not null;index"`
	PaymentID        uint    `gorm:"not null;index"`
	Amount           int64   `gorm:"not null"`
	Currency         string  `gorm:"size:3;not null"`
	Reason           string  `gorm:"size:30;not null"`
	ProviderRefundID *string `gorm:"size:255;uniqueIndex"`
	CreatedAt        time.Time
}

// StripeEvent records a processed webhook event id: a duplicate delivery is
// acknowledged and changes nothing.
type StripeEvent struct {
	ID          string `gorm:"primaryKey;size:255"`
	Type        string `gorm:"size:100;not null"`
	ProcessedAt time.Time
}

// EventPaymentSettings are the payment columns of an event, kept apart from
// Event so the registration code does not carry them.
type EventPaymentSettings struct {
	ID uint `gorm:"primaryKey"`
	// AllowInvoice lets attendees choose to pay by bank transfer or invoice;
	// their order is then held InvoiceDays days until an organizer marks it paid.
	AllowInvoice  bool   `gorm:"not null;default:false"`
	InvoiceDays   int    `gorm:"not null;default:14"`
	InvoiceNotice string `gorm:"size:2000"`
	// VATRateBP is the VAT included in prices, in basis points (2100 = 21%).
	VATRateBP int `gorm:"column:vat_rate_bp;not null;default:0"`
}

func (EventPaymentSettings) TableName() string { return "events" }

// PaymentSettings returns the payment settings of event eventID.
func PaymentSettings(db *gorm.DB, eventID uint) (EventPaymentSettings, error) {
	var s EventPaymentSettings
	err := db.Take(&s, eventID).Error
	return s, err
}

// SavePaymentSettings stores s (bounds checked by the form).
func SavePaymentSettings(db *gorm.DB, s EventPaymentSettings) error {
	return db.Model(&EventPaymentSettings{ID: s.ID}).Select("AllowInvoice", "InvoiceDays", "InvoiceNotice", "VATRateBP").Updates(&s).Error
}

// PaymentsOf returns the payment attempts of an order, newest first.
func PaymentsOf(db *gorm.DB, orderID uint) ([]Payment, error) {
	var ps []Payment
	err := db.Where("order_id = ?", orderID).Order("id DESC").Find(&ps).Error
	return ps, err
}

// RefundsOf returns the refunds of an order, oldest first.
func RefundsOf(db *gorm.DB, orderID uint) ([]Refund, error) {
	var rs []Refund
	err := db.Where("order_id = ?", orderID).Order("id").Find(&rs).Error
	return rs, err
}

// PaidPayment returns the payment that paid the order (paid or partly
// refunded), or gorm.ErrRecordNotFound.
func PaidPayment(db *gorm.DB, orderID uint) (*Payment, error) {
	var p Payment
	err := db.Where("order_id = ? AND state IN ?", orderID, []string{PaymentPaid, PaymentPartiallyRefunded, PaymentRefunded, PaymentRefundDue}).
		Order("id DESC").Take(&p).Error
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// PreparePayment starts a Stripe payment attempt for a pending order: it
// returns an open attempt to reuse (reuse=true, CheckoutURL set) or a new
// created Payment for the caller to attach a Checkout Session to. The
// order's hold is extended so it lasts at least as long as the session.
func PreparePayment(db *gorm.DB, orderID uint, now time.Time) (p *Payment, reuse bool, err error) {
	now = now.UTC()
	err = db.Transaction(func(tx *gorm.DB) error {
		var o Order
		if err := tx.Take(&o, orderID).Error; err != nil {
			return err
		}
		live, err := lockLiveOrder(tx, orderID, now)
		if err != nil {
			return err
		}
		if !live || o.Status != OrderPending || o.Total <= 0 || (o.ExpiresAt != nil && !o.ExpiresAt.After(now)) {
			return ErrNotPayable
		}
		var open Payment
		err = tx.Where("order_id = ? AND provider = ? AND state = ? AND session_expires > ? AND checkout_url <> ''",
			orderID, ProviderStripe, PaymentCreated, now.Add(5*time.Minute)).Order("id DESC").Take(&open).Error
		if err == nil {
			p, reuse = &open, true
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		// A minute more than the session, so the session's own expiry
		// (which releases the hold) comes first.
		if need := now.Add(CheckoutSessionLife + time.Minute); o.ExpiresAt == nil || o.ExpiresAt.Before(need) {
			if err := tx.Model(&Order{}).Where("id = ?", orderID).Update("expires_at", need).Error; err != nil {
				return err
			}
		}
		p = &Payment{OrderID: orderID, Provider: ProviderStripe, State: PaymentCreated, Amount: o.Total, Currency: o.Currency}
		return tx.Create(p).Error
	})
	return p, reuse, err
}

// AttachCheckoutSession stores the Checkout Session created for payment p.
func AttachCheckoutSession(db *gorm.DB, paymentID uint, sessionID, url string, expires time.Time) error {
	exp := expires.UTC()
	return db.Model(&Payment{}).Where("id = ?", paymentID).Updates(map[string]any{
		"provider_session_id": sessionID, "checkout_url": url, "session_expires": exp}).Error
}

// ChooseInvoice records that the buyer pays by bank transfer or invoice: the
// order stays pending, held for the event's InvoiceDays, until an organizer
// marks it paid. Choosing twice changes nothing.
func ChooseInvoice(db *gorm.DB, orderID uint, now time.Time) (*Payment, error) {
	now = now.UTC()
	var p Payment
	err := db.Transaction(func(tx *gorm.DB) error {
		var o Order
		if err := tx.Take(&o, orderID).Error; err != nil {
			return err
		}
		live, err := lockLiveOrder(tx, orderID, now)
		if err != nil {
			return err
		}
		if !live || o.Status != OrderPending || (o.ExpiresAt != nil && !o.ExpiresAt.After(now)) {
			return ErrNotPayable
		}
		s, err := PaymentSettings(tx, o.EventID)
		if err != nil {
			return err
		}
		if !s.AllowInvoice {
			return ErrInvoiceNotAllowed
		}
		if err := tx.Where("order_id = ? AND provider = ? AND state = ?", orderID, ProviderInvoice, PaymentCreated).Take(&p).Error; err == nil {
			return nil
		}
		days := s.InvoiceDays
		if days < 1 {
			days = 14
		}
		exp := now.Add(time.Duration(days) * 24 * time.Hour)
		if err := tx.Model(&Order{}).Where("id = ?", orderID).Update("expires_at", exp).Error; err != nil {
			return err
		}
		p = Payment{OrderID: orderID, Provider: ProviderInvoice, State: PaymentCreated, Amount: o.Total, Currency: o.Currency}
		return tx.Create(&p).Error
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// InvoicePending returns the open bank-transfer payment of an order, if any.
func InvoicePending(db *gorm.DB, orderID uint) (*Payment, error) {
	var p Payment
	err := db.Where("order_id = ? AND provider = ? AND state = ?", orderID, ProviderInvoice, PaymentCreated).Take(&p).Error
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// MarkInvoicePaid confirms an order paid by bank transfer or invoice (an
// organizer saw the money arrive). Marking twice changes nothing. A hold
// that ended is taken again when there is room, else ErrHoldLost.
func MarkInvoicePaid(db *gorm.DB, orderID uint, now time.Time) (*Order, error) {
	now = now.UTC()
	var out *Order
	err := db.Transaction(func(tx *gorm.DB) error {
		var o Order
		if err := tx.Take(&o, orderID).Error; err != nil {
			return err
		}
		if o.Status == OrderConfirmed {
			out = &o
			return nil
		}
		var p Payment
		err := tx.Where("order_id = ? AND provider = ? AND state = ?", orderID, ProviderInvoice, PaymentCreated).Take(&p).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			// The organizer may mark paid an order whose buyer never chose:
			// the money came some other way.
			p = Payment{OrderID: orderID, Provider: ProviderInvoice, State: PaymentCreated, Amount: o.Total, Currency: o.Currency}
			if err := tx.Create(&p).Error; err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Updates(map[string]any{"state": PaymentPaid, "updated_at": now}).Error; err != nil {
			return err
		}
		out, err = ConfirmOrder(tx, orderID, now)
		return err
	})
	return out, err
}

// ReleaseHold ends a pending order's hold now (its checkout expired, or
// paying is impossible): it becomes expired and frees its places once; the
// waitlist is offered them. No mail: the buyer never got a confirmation.
func ReleaseHold(db *gorm.DB, orderID uint, now time.Time) (bool, error) {
	done := false
	err := db.Transaction(func(tx *gorm.DB) (err error) {
		done, err = endPendingOrder(tx, orderID, now.UTC(), false)
		return err
	})
	return done, err
}

// RecordRefund stores a refund the provider made (providerRefundID makes a
// second call with the same refund a no-op), adds it to the payment's
// refunded amount and state, and enqueues mailKind to the buyer ("" = no
// mail). It returns the refund and whether it was new. A new refund is
// written to the organization's audit log in the same transaction, with no
// actor (a job, a webhook, the attendee's own cancellation): see
// RecordRefundBy for one a person made.
func RecordRefund(db *gorm.DB, paymentID uint, amount int64, providerRefundID, reason, mailKind string, now time.Time) (*Refund, bool, error) {
	return RecordRefundBy(db, AuditEntry{}, paymentID, amount, providerRefundID, reason, mailKind, now)
}

// RecordRefundBy is RecordRefund whose audit line starts from by (the
// actor and address of the person who refunded); organization, event,
// subject and detail are filled here.
func RecordRefundBy(db *gorm.DB, by AuditEntry, paymentID uint, amount int64, providerRefundID, reason, mailKind string, now time.Time) (*Refund, bool, error) {
	now = now.UTC()
	var r Refund
	created := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var p Payment
		if err := tx.Take(&p, paymentID).Error; err != nil {
			return err
		}
		if providerRefundID != "" {
			if err := tx.Where("provider_refund_id = ?", providerRefundID).Take(&r).Error; err == nil {
				return nil
			}
		}
		r = Refund{OrderID: p.OrderID, PaymentID: p.ID, Amount: amount, Currency: p.Currency, Reason: reason, CreatedAt: now}
		if providerRefundID != "" {
			r.ProviderRefundID = &providerRefundID
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return tx.Where("provider_refund_id = ?", providerRefundID).Take(&r).Error
		}
		created = true
		state := PaymentPartiallyRefunded
		if p.RefundedAmount+amount >= p.Amount {
			state = PaymentRefunded
		}
		if err := tx.Model(&Payment{}).Where("id = ?", p.ID).Updates(map[string]any{
			"refunded_amount": gorm.Expr("refunded_amount + ?", amount), "state": state, "updated_at": now}).Error; err != nil {
			return err
		}
		var o Order
		if err := tx.Preload("Event").Take(&o, p.OrderID).Error; err != nil {
			return err
		}
		if err := recordRefundAudit(tx, by, o, r, now); err != nil {
			return err
		}
		if err := orderWebhook(tx, WebhookOrderRefunded, o, fmt.Sprint(r.ID), now,
			map[string]any{"refund_id": r.ID, "amount": r.Amount, "currency": r.Currency}); err != nil {
			return err
		}
		if mailKind == "" {
			return nil
		}
		return Enqueue(tx, &OutboxMessage{To: o.BuyerEmail, Language: o.Language, Kind: mailKind, RefID: r.ID,
			DedupeKey: fmt.Sprintf("%s:%d", mailKind, r.ID)})
	})
	return &r, created, err
}

// SyncProviderRefunds records refunds made outside Agora: amountRefunded is
// the provider's total for the payment intent; any part not yet recorded
// becomes one refund with reason provider. Returns the payment (nil when the
// intent is not ours).
func SyncProviderRefunds(db *gorm.DB, paymentIntentID string, amountRefunded int64, chargeID string, now time.Time) (*Payment, error) {
	var p Payment
	if err := db.Where("provider = ? AND provider_payment_id = ?", ProviderStripe, paymentIntentID).Take(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if missing := amountRefunded - p.RefundedAmount; missing > 0 {
		key := fmt.Sprintf("sync:%s:%d", chargeID, amountRefunded)
		if _, _, err := RecordRefund(db, p.ID, missing, key, RefundProvider, MailOrderRefunded, now); err != nil {
			return nil, err
		}
	}
	return &p, db.Take(&p, p.ID).Error
}

// RecordStripeEvent records a processed webhook event; false means it was
// processed before.
func RecordStripeEvent(db *gorm.DB, id, typ string, now time.Time) (bool, error) {
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&StripeEvent{ID: id, Type: typ, ProcessedAt: now.UTC()})
	return res.RowsAffected == 1, res.Error
}

// StripeEventSeen reports whether the event was processed already.
func StripeEventSeen(db *gorm.DB, id string) (bool, error) {
	var n int64
	err := db.Model(&StripeEvent{}).Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// sameCurrency compares ISO codes whatever their case (Stripe sends lower case).
func sameCurrency(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// MarkPaymentFailed records that a payment attempt could not start (the
// provider refused to create its session).
func MarkPaymentFailed(db *gorm.DB, paymentID uint, note string, now time.Time) error {
	return setPaymentState(db, paymentID, PaymentFailed, []string{PaymentCreated}, note, now.UTC())
}
