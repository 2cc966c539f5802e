package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0029LiveBoards adds the live boards of sessions, their posts and
// the votes on posts (one per person and post, by a unique index).
func migrate0029LiveBoards(tx *gorm.DB) error {
	type liveBoard struct {
		ID              uint    `gorm:"primaryKey"`
		EventID         uint    `gorm:"not null;index"`
		SessionID       uint    `gorm:"not null;uniqueIndex"`
		Open            bool    `gorm:"not null;default:false"`
		Moderated       bool    `gorm:"not null;default:false"`
		JoinCode        *string `gorm:"size:8;uniqueIndex"`
		CodeExpiresAt   *time.Time
		ProjectorSecret string `gorm:"size:64;not null;uniqueIndex"`
		ModeratorSecret string `gorm:"size:64;not null;uniqueIndex"`
		Topics          string `gorm:"type:text;not null;default:''"`
		PinnedPostID    *uint
		CreatedAt       time.Time
		UpdatedAt       time.Time
	}
	type livePost struct {
		ID           uint   `gorm:"primaryKey"`
		BoardID      uint   `gorm:"not null;index"`
		AttendeeID   *uint  `gorm:"index"`
		DeviceID     string `gorm:"size:40;not null;default:''"`
		Anonymous    bool   `gorm:"not null;default:false"`
		Body         string `gorm:"type:text;not null"`
		Tags         string `gorm:"type:text;not null;default:''"`
		State        string `gorm:"size:12;not null;index"`
		MergedIntoID *uint
		Votes        int `gorm:"not null;default:0"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type liveVote struct {
		ID        uint   `gorm:"primaryKey"`
		PostID    uint   `gorm:"not null;uniqueIndex:idx_live_vote_once"`
		VoterKey  string `gorm:"size:60;not null;uniqueIndex:idx_live_vote_once"`
		CreatedAt time.Time
	}
	return tx.AutoMigrate(&liveBoard{}, &livePost{}, &liveVote{})
}
