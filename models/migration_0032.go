package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0032Images adds uploaded pictures: the facts of each original
// (never its bytes, which may carry metadata), the re-encoded JPEG variants
// served to browsers, and which event shows which cover and which
// organization which logo. The pixels live in the database so that every
// instance serves them.
func migrate0032Images(tx *gorm.DB) error {
	type image struct {
		ID          uint   `gorm:"primaryKey"`
		Hash        string `gorm:"size:64;not null;uniqueIndex"`
		Purpose     string `gorm:"size:20;not null"`
		ContentType string `gorm:"size:40;not null"`
		Width       int    `gorm:"not null"`
		Height      int    `gorm:"not null"`
		Size        int    `gorm:"not null"`
		CreatedAt   time.Time
	}
	type imageVariant struct {
		ID      uint   `gorm:"primaryKey"`
		ImageID uint   `gorm:"not null;uniqueIndex:idx_image_variant,priority:1"`
		Box     int    `gorm:"not null;uniqueIndex:idx_image_variant,priority:2"`
		Width   int    `gorm:"not null"`
		Height  int    `gorm:"not null"`
		Data    []byte `gorm:"not null"`
	}
	type eventImage struct {
		EventID   uint   `gorm:"primaryKey;autoIncrement:false"`
		ImageID   uint   `gorm:"not null;index"`
		Alt       string `gorm:"size:300;not null;default:''"`
		UpdatedAt time.Time
	}
	type organizationLogo struct {
		OrganizationID uint `gorm:"primaryKey;autoIncrement:false"`
		ImageID        uint `gorm:"not null;index"`
		UpdatedAt      time.Time
	}
	return tx.AutoMigrate(&image{}, &imageVariant{}, &eventImage{}, &organizationLogo{})
}
