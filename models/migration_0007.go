package models

import "gorm.io/gorm"

// migrate0007IdempotencyOwner stores with each order a hash binding its
// idempotency key to the visitor that sent the form, so a key replayed from
// another browser no longer leads to the order. Older orders get none: their
// keys are never replayed.
func migrate0007IdempotencyOwner(tx *gorm.DB) error {
	type order struct {
		ID               uint   `gorm:"primaryKey"`
		IdempotencyOwner string `gorm:"size:64;not null;default:''"`
	}
	return tx.Migrator().AddColumn(&order{}, "IdempotencyOwner")
}
