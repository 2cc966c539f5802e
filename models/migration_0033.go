package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0033MeetingClosures adds tables closed by the organizer for one
// slot each (one row per cell).
func migrate0033MeetingClosures(tx *gorm.DB) error {
	type meetingClosure struct {
		ID         uint `gorm:"primaryKey"`
		EventID    uint `gorm:"not null;index"`
		LocationID uint `gorm:"not null;uniqueIndex:idx_meeting_closure_cell,priority:1"`
		SlotID     uint `gorm:"not null;uniqueIndex:idx_meeting_closure_cell,priority:2"`
		CreatedAt  time.Time
	}
	return tx.AutoMigrate(&meetingClosure{})
}
