package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0025APIIdempotencyKeys adds the REST API's Idempotency-Key rows:
// one per (token, key), holding the first request's fingerprint and, once
// it finished, its response for replays.
func migrate0025APIIdempotencyKeys(tx *gorm.DB) error {
	type apiIdempotencyKey struct {
		ID          uint   `gorm:"primaryKey"`
		APITokenID  uint   `gorm:"not null;uniqueIndex:idx_api_idem_token_key,priority:1;index:idx_api_idem_token_expiry,priority:1"`
		Key         string `gorm:"size:255;not null;uniqueIndex:idx_api_idem_token_key,priority:2"`
		RequestHash string `gorm:"size:64;not null"`
		State       string `gorm:"size:20;not null"`
		Status      int    `gorm:"not null;default:0"`
		ContentType string `gorm:"size:100;not null;default:''"`
		Body        []byte
		ExpiresAt   time.Time `gorm:"not null;index:idx_api_idem_token_expiry,priority:2"`
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	return tx.AutoMigrate(&apiIdempotencyKey{})
}
