package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0009Messages adds organizers' messages to registrants and their
// recipients, one row per (message, e-mail) before any mail is queued.
func migrate0009Messages(tx *gorm.DB) error {
	type message struct {
		ID          uint   `gorm:"primaryKey"`
		EventID     uint   `gorm:"not null;index"`
		Language    string `gorm:"size:8;not null"`
		Subject     string `gorm:"size:300;not null"`
		Body        string `gorm:"type:text;not null"`
		AltLanguage string `gorm:"size:8;not null;default:''"`
		AltSubject  string `gorm:"size:300;not null;default:''"`
		AltBody     string `gorm:"type:text;not null;default:''"`
		Audience    string `gorm:"type:text;not null"`
		State       string `gorm:"size:20;not null;index"`
		SendKey     string `gorm:"size:64;not null;uniqueIndex"`
		SentByID    uint   `gorm:"not null"`
		SentByName  string `gorm:"size:200;not null"`
		SentByEmail string `gorm:"size:254;not null"`
		Recipients  int    `gorm:"not null;default:0"`
		ExpandedAt  *time.Time
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	type messageRecipient struct {
		ID              uint   `gorm:"primaryKey"`
		MessageID       uint   `gorm:"not null;uniqueIndex:idx_message_recipient"`
		Email           string `gorm:"size:254;not null;uniqueIndex:idx_message_recipient"`
		Name            string `gorm:"size:200;not null"`
		Language        string `gorm:"size:8;not null"`
		OrderID         *uint
		AttendeeID      *uint
		WaitlistEntryID *uint
		CreatedAt       time.Time
	}
	if err := tx.AutoMigrate(&message{}); err != nil {
		return err
	}
	if err := tx.AutoMigrate(&messageRecipient{}); err != nil {
		return err
	}
	// The messages page counts each message's mails by (kind, ref_id).
	return tx.Exec("CREATE INDEX IF NOT EXISTS idx_outbox_kind_ref ON outbox_messages (kind, ref_id)").Error
}
