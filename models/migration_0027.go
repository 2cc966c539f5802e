package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0027EmbedOrigins adds the sites each organization lets embed its
// registration form and programme in a frame.
func migrate0027EmbedOrigins(tx *gorm.DB) error {
	type embedOrigin struct {
		ID             uint      `gorm:"primaryKey"`
		OrganizationID uint      `gorm:"not null;uniqueIndex:idx_embed_origin_org,priority:1"`
		Origin         string    `gorm:"size:300;not null;uniqueIndex:idx_embed_origin_org,priority:2"`
		CreatedAt      time.Time `gorm:"not null"`
	}
	return tx.AutoMigrate(&embedOrigin{})
}
