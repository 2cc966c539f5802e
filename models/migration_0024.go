package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0024APITokens adds the organizations' REST API tokens (hashes only).
func migrate0024APITokens(tx *gorm.DB) error {
	type apiToken struct {
		ID             uint   `gorm:"primaryKey"`
		OrganizationID uint   `gorm:"not null;index"`
		Name           string `gorm:"size:100;not null"`
		Scopes         string `gorm:"size:200;not null"`
		TokenHash      string `gorm:"size:64;not null;uniqueIndex"`
		Hint           string `gorm:"size:20;not null"`
		CreatedByID    *uint
		ExpiresAt      *time.Time
		LastUsedAt     *time.Time
		RevokedAt      *time.Time
		CreatedAt      time.Time
	}
	return tx.AutoMigrate(&apiToken{})
}
