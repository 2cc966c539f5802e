package models

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// Order statuses. Pending and confirmed orders hold places; cancelled and
// expired ones do not.
const (
	OrderPending   = "pending"
	OrderConfirmed = "confirmed"
	OrderCancelled = "cancelled"
	OrderExpired   = "expired"
)

// liveOrderStatuses are the statuses whose attendees count against capacity.
var liveOrderStatuses = []string{OrderPending, OrderConfirmed}

// Order is one registration: a buyer, one or more attendees of one ticket
// type, and its state. Code is short and public (said over the phone, typed
// at the door); Secret is the unguessable key of the self-service link.
type Order struct {
	ID         uint   `gorm:"primaryKey"`
	EventID    uint   `gorm:"not null;index"`
	Code       string `gorm:"size:16;not null;uniqueIndex"`
	Secret     string `gorm:"size:64;not null;uniqueIndex"`
	BuyerName  string `gorm:"size:200;not null"`
	BuyerEmail string `gorm:"size:254;not null;index"`
	Language   string `gorm:"size:8;not null;default:en"`
	Status     string `gorm:"size:20;not null;index"`
	// ExpiresAt is when a pending order's hold on its places ends.
	ExpiresAt *time.Time `gorm:"index"`
	Total     int64      `gorm:"not null;default:0"` // minor units
	Currency  string     `gorm:"size:3;not null;default:EUR"`
	// IdempotencyKey makes the same form posted twice one order; unique per event
	// (NULL when the caller gave none).
	IdempotencyKey *string `gorm:"size:100"`
	// IdempotencyOwner binds the key to the visitor that sent the form
	// (see ReplayedOrder); a hash, so the row reveals nothing of the visitor.
	IdempotencyOwner string `gorm:"size:64;not null;default:''"`
	// FromWaitlistID is set when the order came from a waitlist offer.
	FromWaitlistID *uint
	ConfirmedAt    *time.Time
	CancelledAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Event          Event      `gorm:"foreignKey:EventID"`
	Attendees      []Attendee `gorm:"foreignKey:OrderID"`
	// Reused is set (not stored) when PlaceOrder found an order with the same
	// idempotency key and returned it instead of making a second one.
	Reused bool `gorm:"-"`
}

// IsLive reports whether the order holds places.
func (o Order) IsLive() bool { return o.Status == OrderPending || o.Status == OrderConfirmed }

// Payment is one payment attempt for an order (Stripe later); its state
// changes only through the payment rules.
type Payment struct {
	ID                uint    `gorm:"primaryKey"`
	OrderID           uint    `gorm:"not null;index"`
	Provider          string  `gorm:"size:20;not null"`
	ProviderSessionID *string `gorm:"size:255"`
	ProviderPaymentID *string `gorm:"size:255"`
	State             string  `gorm:"size:20;not null"`
	Amount            int64   `gorm:"not null"`
	Currency          string  `gorm:"size:3;not null"`
	// RefundedAmount is the sum of the refunds of this payment (minor units).
	RefundedAmount int64 `gorm:"not null;default:0"`
	// CheckoutURL and SessionExpires let a second "pay" click reuse an open
	// Checkout Session instead of starting another.
	CheckoutURL    string `gorm:"size:1000"`
	SessionExpires *time.Time
	// Note says why a payment failed or was flagged (e.g. a tampered amount).
	Note string `gorm:"size:500"`
	// RefundKey is the idempotency key of the automatic refund of a
	// refund_due payment, stored before the provider is called; while
	// RefundClaimedUntil is ahead, one caller is making that call.
	RefundKey          string `gorm:"size:100;not null;default:''"`
	RefundClaimedUntil *time.Time
	// RefundReason and RefundAmount say why a refund_due payment is owed
	// money back and how much ("" and 0: a late payment, all of it).
	RefundReason string `gorm:"size:30;not null;default:''"`
	RefundAmount int64  `gorm:"not null;default:0"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// codeAlphabet has no 0/O, 1/I/L: codes are read aloud and typed at the door.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode returns n characters from codeAlphabet.
func newCode(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	for i := range b {
		// 256 is not a multiple of 31; the slight bias is harmless for a
		// code that is unique-checked and not secret.
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NewSecret returns 32 random bytes, base64url without padding (43 characters).
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// LooksLikeSecret reports whether s has the shape of a secret, so a truncated
// or junk link is turned away before it reaches the database.
func LooksLikeSecret(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
