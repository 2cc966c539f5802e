package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0020TwoFactor adds two-factor sign-in: each user's TOTP secret
// (encrypted, with the id of the key that encrypted it, and the last time
// step used so a code is accepted once), their recovery codes (hashed,
// single use), and the organization's "everyone must use it" setting.
func migrate0020TwoFactor(tx *gorm.DB) error {
	type userTwoFactor struct {
		UserID       uint   `gorm:"primaryKey;autoIncrement:false"`
		Secret       []byte `gorm:"not null"`
		KeyID        string `gorm:"size:16;not null"`
		ConfirmedAt  *time.Time
		LastUsedStep int64 `gorm:"not null;default:0"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type recoveryCode struct {
		ID        uint   `gorm:"primaryKey"`
		UserID    uint   `gorm:"not null;uniqueIndex:idx_recovery_user_code,priority:1"`
		CodeHash  string `gorm:"size:64;not null;uniqueIndex:idx_recovery_user_code,priority:2"`
		UsedAt    *time.Time
		CreatedAt time.Time
	}
	if err := tx.AutoMigrate(&userTwoFactor{}, &recoveryCode{}); err != nil {
		return err
	}
	type organization struct {
		ID               uint `gorm:"primaryKey"`
		RequireTwoFactor bool `gorm:"not null;default:false"`
	}
	return tx.Migrator().AddColumn(&organization{}, "RequireTwoFactor")
}
