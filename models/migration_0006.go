package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0006RefundClaims lets a refund_due payment be refunded once: the
// refund's idempotency key is stored before the provider is called, and a
// claim with an end time keeps a second caller from calling at the same time.
func migrate0006RefundClaims(tx *gorm.DB) error {
	type payment struct {
		ID                 uint   `gorm:"primaryKey"`
		RefundKey          string `gorm:"size:100;not null;default:''"`
		RefundClaimedUntil *time.Time
	}
	for _, col := range []string{"RefundKey", "RefundClaimedUntil"} {
		if err := tx.Migrator().AddColumn(&payment{}, col); err != nil {
			return err
		}
	}
	return nil
}
