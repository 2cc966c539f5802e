package models

import "time"

// Outbox message statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
)

// Kinds of outbox messages whose content the mail worker renders at send
// time from the rows they point at (RefID). A message without a kind
// carries its content itself.
const (
	MailOrderConfirmation = "order_confirmation" // RefID: order
	MailOrderLink         = "order_link"         // RefID: order
	MailWaitlistOffer     = "waitlist_offer"     // RefID: waitlist entry
	MailOrderCancelled    = "order_cancelled"    // RefID: order
)

// OutboxMessage is an e-mail written in the same transaction as the change it
// reports, then sent by a worker: nothing acknowledged is lost to a crash,
// and with several instances the claim lease makes each mail go out once.
type OutboxMessage struct {
	ID       uint   `gorm:"primaryKey"`
	To       string `gorm:"column:to_addr;size:254;not null"`
	Subject  string `gorm:"size:300"`
	TextBody string `gorm:"type:text"`
	HTMLBody string `gorm:"type:text"`
	Language string `gorm:"size:8;not null;default:en"`
	Kind     string `gorm:"size:40"`
	RefID    uint   `gorm:"not null;default:0"`
	// DedupeKey makes enqueuing the same mail twice a no-op.
	DedupeKey     string    `gorm:"size:200;not null;uniqueIndex"`
	Status        string    `gorm:"size:20;not null;index:idx_outbox_due"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due"`
	LastError     string    `gorm:"type:text"`
	ClaimedBy     string    `gorm:"size:100"`
	ClaimedUntil  *time.Time
	SentAt        *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Attachments   []OutboxAttachment `gorm:"foreignKey:MessageID"`
}

// OutboxAttachment is a file sent with a message; with ContentID set it is
// inline (an image the HTML body shows as cid:ContentID).
type OutboxAttachment struct {
	ID          uint   `gorm:"primaryKey"`
	MessageID   uint   `gorm:"not null;index"`
	Filename    string `gorm:"size:200;not null"`
	ContentType string `gorm:"size:100;not null"`
	Content     []byte `gorm:"not null"`
	ContentID   string `gorm:"size:200"`
}
