package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0018StaffSessions adds staff sessions as rows (so every instance
// sees a sign-out, an expiry or "sign out of all other sessions" at once)
// and password reset links. Both keep only a SHA-256 hash of their secret.
func migrate0018StaffSessions(tx *gorm.DB) error {
	type staffSession struct {
		ID         uint      `gorm:"primaryKey"`
		TokenHash  string    `gorm:"size:64;not null;uniqueIndex"`
		UserID     uint      `gorm:"not null;index"`
		CreatedAt  time.Time `gorm:"not null"`
		LastSeenAt time.Time `gorm:"not null"`
		UserAgent  string    `gorm:"size:300;not null;default:''"`
		IP         string    `gorm:"size:64;not null;default:''"`
		EndedAt    *time.Time
	}
	type passwordReset struct {
		ID        uint      `gorm:"primaryKey"`
		TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
		UserID    uint      `gorm:"not null;index"`
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"not null"`
		UsedAt    *time.Time
	}
	return tx.AutoMigrate(&staffSession{}, &passwordReset{})
}
