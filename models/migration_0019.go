package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0019Invitations adds team invitations: an owner (or the site admin)
// invites a colleague by e-mail, and the colleague sets their own password.
// Only the SHA-256 hash of the link's token is stored. A partial unique index
// lets an organization hold at most one open invitation per address (open =
// neither accepted nor withdrawn), on SQLite and PostgreSQL alike.
func migrate0019Invitations(tx *gorm.DB) error {
	type invitation struct {
		ID                uint      `gorm:"primaryKey"`
		OrganizationID    uint      `gorm:"not null;index"`
		Email             string    `gorm:"size:254;not null"`
		Role              string    `gorm:"size:20;not null"`
		AccessCoordinator bool      `gorm:"not null;default:false"`
		TokenHash         string    `gorm:"size:64;not null;uniqueIndex"`
		ExpiresAt         time.Time `gorm:"not null"`
		InvitedByID       *uint
		InvitedByEmail    string `gorm:"size:254;not null;default:''"`
		Language          string `gorm:"size:8;not null;default:en"`
		SentCount         int    `gorm:"not null;default:1"`
		LastSentAt        time.Time
		AcceptedAt        *time.Time
		AcceptedUserID    *uint
		WithdrawnAt       *time.Time
		CreatedAt         time.Time
	}
	if err := tx.AutoMigrate(&invitation{}); err != nil {
		return err
	}
	return tx.Exec(`CREATE UNIQUE INDEX idx_invitations_open ON invitations (organization_id, email)
WHERE accepted_at IS NULL AND withdrawn_at IS NULL`).Error
}
