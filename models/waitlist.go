package models

import "time"

// Waitlist entry statuses. An offered entry holds its place (it counts in
// places_taken) until it is accepted, cancelled or expires.
const (
	WaitlistWaiting   = "waiting"
	WaitlistOffered   = "offered"
	WaitlistAccepted  = "accepted"
	WaitlistExpired   = "expired"
	WaitlistCancelled = "cancelled"
)

// DefaultOfferValidity is how long a waitlist offer holds its place.
const DefaultOfferValidity = 48 * time.Hour

// WaitlistEntry is a person waiting for a place in an event, optionally of
// one ticket type and/or in one session. Entries are served in id order.
type WaitlistEntry struct {
	ID             uint    `gorm:"primaryKey"`
	EventID        uint    `gorm:"not null;index"`
	TicketTypeID   *uint   `gorm:"index"`
	SessionID      *uint   `gorm:"index"`
	Name           string  `gorm:"size:200;not null"`
	Email          string  `gorm:"size:254;not null"`
	Language       string  `gorm:"size:8;not null;default:en"`
	Status         string  `gorm:"size:20;not null;index"`
	OfferSecret    *string `gorm:"size:64;uniqueIndex"`
	OfferedAt      *time.Time
	OfferExpiresAt *time.Time `gorm:"index"`
	OrderID        *uint
	CreatedAt      time.Time
	UpdatedAt      time.Time
}
