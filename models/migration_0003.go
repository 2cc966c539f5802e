package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0003JobLeases adds the leases that make each periodic job run on
// one instance at a time.
func migrate0003JobLeases(tx *gorm.DB) error {
	type jobLease struct {
		Name      string `gorm:"primaryKey;size:100"`
		Holder    string `gorm:"size:100;not null;default:''"`
		ExpiresAt time.Time
		LastRunAt *time.Time
		LastError string `gorm:"size:1000"`
	}
	return tx.AutoMigrate(&jobLease{})
}
