package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0030LivePolls adds quick polls on live boards and their answers
// (one per person and poll, by a unique index).
func migrate0030LivePolls(tx *gorm.DB) error {
	type livePoll struct {
		ID        uint   `gorm:"primaryKey"`
		BoardID   uint   `gorm:"not null;index"`
		Kind      string `gorm:"size:12;not null"`
		Question  string `gorm:"size:300;not null"`
		Options   string `gorm:"type:text;not null;default:''"`
		State     string `gorm:"size:10;not null"`
		OpenedAt  *time.Time
		ClosedAt  *time.Time
		CreatedAt time.Time
	}
	type livePollAnswer struct {
		ID        uint   `gorm:"primaryKey"`
		PollID    uint   `gorm:"not null;uniqueIndex:idx_live_poll_answer_once"`
		VoterKey  string `gorm:"size:60;not null;uniqueIndex:idx_live_poll_answer_once"`
		Choice    string `gorm:"size:200;not null"`
		UpdatedAt time.Time
	}
	return tx.AutoMigrate(&livePoll{}, &livePollAnswer{})
}
