package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0001Foundation creates the tenants, accounts, events and agenda.
// The shapes are frozen here on purpose; later migrations alter them.
func migrate0001Foundation(tx *gorm.DB) error {
	type organization struct {
		ID        uint   `gorm:"primaryKey"`
		Name      string `gorm:"size:200;not null"`
		Slug      string `gorm:"size:100;not null;uniqueIndex"`
		LegalName string `gorm:"size:200"`
		Address   string `gorm:"size:500"`
		VATID     string `gorm:"column:vat_id;size:50"`
		CreatedAt time.Time
		UpdatedAt time.Time
	}
	type user struct {
		ID           uint   `gorm:"primaryKey"`
		Email        string `gorm:"size:254;not null;uniqueIndex"`
		Name         string `gorm:"size:200;not null"`
		PasswordHash string `gorm:"size:200;not null"`
		IsAdmin      bool   `gorm:"not null;default:false"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type membership struct {
		ID             uint   `gorm:"primaryKey"`
		OrganizationID uint   `gorm:"not null;uniqueIndex:idx_membership_org_user"`
		UserID         uint   `gorm:"not null;uniqueIndex:idx_membership_org_user;index"`
		Role           string `gorm:"size:20;not null"`
		CreatedAt      time.Time
		Organization   organization `gorm:"constraint:OnDelete:CASCADE"`
		User           user         `gorm:"constraint:OnDelete:CASCADE"`
	}
	type event struct {
		ID                   uint   `gorm:"primaryKey"`
		OrganizationID       uint   `gorm:"not null;index"`
		Slug                 string `gorm:"size:100;not null;uniqueIndex"`
		Kind                 string `gorm:"size:20;not null"`
		Title                string `gorm:"size:200;not null"`
		Summary              string `gorm:"size:500"`
		Description          string `gorm:"type:text"`
		Venue                string `gorm:"size:200"`
		Address              string `gorm:"size:500"`
		OnlineURL            string `gorm:"size:500"`
		TimeZone             string `gorm:"size:64;not null"`
		StartsAt             time.Time
		EndsAt               time.Time
		Status               string `gorm:"size:20;not null;index"`
		RegistrationOpensAt  *time.Time
		RegistrationClosesAt *time.Time
		Capacity             int `gorm:"not null;default:0"`
		Version              int `gorm:"not null;default:1"`
		CreatedAt            time.Time
		UpdatedAt            time.Time
		Organization         organization `gorm:"constraint:OnDelete:RESTRICT"`
	}
	type room struct {
		ID       uint   `gorm:"primaryKey"`
		EventID  uint   `gorm:"not null;index"`
		Name     string `gorm:"size:120;not null"`
		Capacity int    `gorm:"not null;default:0"`
		Event    event  `gorm:"constraint:OnDelete:CASCADE"`
	}
	type track struct {
		ID      uint   `gorm:"primaryKey"`
		EventID uint   `gorm:"not null;index"`
		Name    string `gorm:"size:120;not null"`
		Event   event  `gorm:"constraint:OnDelete:CASCADE"`
	}
	type speaker struct {
		ID           uint   `gorm:"primaryKey"`
		EventID      uint   `gorm:"not null;index"`
		Name         string `gorm:"size:200;not null"`
		Role         string `gorm:"size:200"`
		Organization string `gorm:"size:200"`
		Bio          string `gorm:"type:text"`
		Event        event  `gorm:"constraint:OnDelete:CASCADE"`
	}
	type session struct {
		ID          uint   `gorm:"primaryKey"`
		EventID     uint   `gorm:"not null;index"`
		Title       string `gorm:"size:200;not null"`
		Description string `gorm:"type:text"`
		Format      string `gorm:"size:20;not null"`
		StartsAt    time.Time
		EndsAt      time.Time
		RoomID      *uint
		TrackID     *uint
		Capacity    int    `gorm:"not null;default:0"`
		SignUp      bool   `gorm:"not null;default:false"`
		Event       event  `gorm:"constraint:OnDelete:CASCADE"`
		Room        *room  `gorm:"constraint:OnDelete:SET NULL"`
		Track       *track `gorm:"constraint:OnDelete:SET NULL"`
	}
	type sessionSpeaker struct {
		SessionID uint    `gorm:"primaryKey"`
		SpeakerID uint    `gorm:"primaryKey;index"`
		Session   session `gorm:"constraint:OnDelete:CASCADE"`
		Speaker   speaker `gorm:"constraint:OnDelete:CASCADE"`
	}
	type kvEntry struct {
		Key       string `gorm:"primaryKey;size:255"`
		Value     []byte
		ExpiresAt int64 `gorm:"not null;default:0;index:idx_kv_entries_expires_at"`
	}
	return tx.AutoMigrate(&organization{}, &user{}, &membership{}, &event{}, &room{}, &track{},
		&speaker{}, &session{}, &sessionSpeaker{}, &kvEntry{})
}
