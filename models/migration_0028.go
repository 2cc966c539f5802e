package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0028LiveEvents adds the live agora's event rows, which feed every
// instance's live pages (see LiveEvent).
func migrate0028LiveEvents(tx *gorm.DB) error {
	type liveEvent struct {
		ID        uint64    `gorm:"primaryKey"`
		Topic     string    `gorm:"size:60;not null;index"`
		Kind      string    `gorm:"size:30;not null"`
		Data      string    `gorm:"type:text;not null;default:''"`
		CreatedAt time.Time `gorm:"not null;index"`
	}
	return tx.AutoMigrate(&liveEvent{})
}
