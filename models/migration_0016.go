package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0016Certificates adds certificates of attendance: one row per
// attendee with its unguessable verification code, and per event the
// signatory printed on them.
func migrate0016Certificates(tx *gorm.DB) error {
	type certificate struct {
		ID         uint   `gorm:"primaryKey"`
		EventID    uint   `gorm:"not null;index"`
		AttendeeID uint   `gorm:"not null;uniqueIndex"`
		Code       string `gorm:"size:64;not null;uniqueIndex"`
		CreatedAt  time.Time
	}
	type certificateSettings struct {
		EventID       uint   `gorm:"primaryKey;autoIncrement:false"`
		SignatoryName string `gorm:"size:200;not null;default:''"`
		SignatoryRole string `gorm:"size:200;not null;default:''"`
		UpdatedAt     time.Time
	}
	return tx.AutoMigrate(&certificate{}, &certificateSettings{})
}
