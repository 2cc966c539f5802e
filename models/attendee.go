package models

import "time"

// Attendee statuses.
const (
	AttendeeActive    = "active"
	AttendeeCancelled = "cancelled"
)

// AccessNeeds are the structured access and support needs a person gives,
// so organizers can plan for them (step-free route, interpreters, ...).
type AccessNeeds struct {
	StepFree       bool   `gorm:"not null;default:false"`
	Interpretation string `gorm:"size:500"` // sign language or other interpretation asked for
	EasyRead       bool   `gorm:"not null;default:false"`
	Dietary        string `gorm:"size:500"`
	Companion      bool   `gorm:"not null;default:false"` // a companion or carer place
}

// Any reports whether any need is given.
func (n AccessNeeds) Any() bool {
	return n.StepFree || n.Interpretation != "" || n.EasyRead || n.Dietary != "" || n.Companion
}

// Attendee is one person on an order. QRSecret is what the ticket's QR code
// carries; Position numbers attendees within their order (1, 2, ...) so a
// code like "K7MQ2XWD-2" names the second one.
type Attendee struct {
	ID           uint        `gorm:"primaryKey"`
	OrderID      uint        `gorm:"not null;index"`
	EventID      uint        `gorm:"not null;index"`
	TicketTypeID uint        `gorm:"not null;index"`
	Position     int         `gorm:"not null;default:1"`
	Name         string      `gorm:"size:200;not null"`
	Email        string      `gorm:"size:254;not null;index"`
	Organization string      `gorm:"size:200"`
	Category     string      `gorm:"size:30;not null"`
	Needs        AccessNeeds `gorm:"embedded;embeddedPrefix:need_"`
	NeedsNote    string      `gorm:"type:text"`
	Status       string      `gorm:"size:20;not null;index"`
	CheckedInAt  *time.Time
	CheckInCount int    `gorm:"not null;default:0"`
	QRSecret     string `gorm:"column:qr_secret;size:64;not null;uniqueIndex"`
	// LinkSecret is the key of the attendee's own page (/tickets/{secret}),
	// mailed to a delegate; set on create (see BeforeCreate).
	LinkSecret   string `gorm:"size:64;not null;uniqueIndex"`
	AnonymisedAt *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	TicketType   TicketType `gorm:"foreignKey:TicketTypeID"`
	Order        *Order     `gorm:"foreignKey:OrderID"`
	Answers      []Answer   `gorm:"foreignKey:AttendeeID"`
}

// SessionSignup records that an attendee takes a place in a session with sign-up.
type SessionSignup struct {
	ID         uint `gorm:"primaryKey"`
	AttendeeID uint `gorm:"not null;uniqueIndex:idx_session_signup_pair"`
	SessionID  uint `gorm:"not null;uniqueIndex:idx_session_signup_pair;index"`
	CreatedAt  time.Time
}
