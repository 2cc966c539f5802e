package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0005Meetings adds one-to-one meetings: per-event networking
// settings, meeting blocks and their slots, locations, participant profiles,
// availability, wishes, requests, meetings, and the seat and table rows whose
// unique indexes hold invariant 2 (no one in two meetings at once, no table
// hosting two meetings at once). The shapes are frozen here on purpose.
func migrate0005Meetings(tx *gorm.DB) error {
	type event struct {
		ID uint `gorm:"primaryKey"`
	}
	type attendee struct {
		ID uint `gorm:"primaryKey"`
	}
	type networkingSetting struct {
		EventID            uint   `gorm:"primaryKey;autoIncrement:false"`
		Enabled            bool   `gorm:"not null;default:false"`
		Mode               string `gorm:"size:20;not null;default:requests"`
		MaxMeetings        int    `gorm:"not null;default:0"`
		MaxPendingSent     int    `gorm:"not null;default:0"`
		RequestExpiryHours int    `gorm:"not null;default:48"`
		OnlineLinkTemplate string `gorm:"size:500"`
		TicketTypeIDs      string `gorm:"size:1000"`
		Categories         string `gorm:"size:500"`
		Topics             string `gorm:"type:text"`
		UpdatedAt          time.Time
		Event              event `gorm:"constraint:OnDelete:CASCADE"`
	}
	type meetingBlock struct {
		ID           uint `gorm:"primaryKey"`
		EventID      uint `gorm:"not null;index"`
		StartsAt     time.Time
		EndsAt       time.Time
		SlotMinutes  int `gorm:"not null"`
		BreakMinutes int `gorm:"not null;default:0"`
		CreatedAt    time.Time
		Event        event `gorm:"constraint:OnDelete:CASCADE"`
	}
	type meetingSlot struct {
		ID       uint      `gorm:"primaryKey"`
		EventID  uint      `gorm:"not null;index"`
		BlockID  uint      `gorm:"not null;index"`
		StartsAt time.Time `gorm:"index"`
		EndsAt   time.Time
		Event    event        `gorm:"constraint:OnDelete:CASCADE"`
		Block    meetingBlock `gorm:"foreignKey:BlockID;constraint:OnDelete:CASCADE"`
	}
	type meetingLocation struct {
		ID       uint   `gorm:"primaryKey"`
		EventID  uint   `gorm:"not null;index"`
		Name     string `gorm:"size:100;not null"`
		Online   bool   `gorm:"not null;default:false"`
		Position int    `gorm:"not null;default:0"`
		Event    event  `gorm:"constraint:OnDelete:CASCADE"`
	}
	type meetingParticipant struct {
		ID            uint   `gorm:"primaryKey"`
		EventID       uint   `gorm:"not null;index"`
		AttendeeID    uint   `gorm:"not null;uniqueIndex"`
		Name          string `gorm:"size:200;not null"`
		Organization  string `gorm:"size:200"`
		Role          string `gorm:"size:200"`
		Country       string `gorm:"size:100"`
		Category      string `gorm:"size:30"`
		Bio           string `gorm:"type:text"`
		Interests     string `gorm:"type:text"`
		Offers        string `gorm:"type:text"`
		Needs         string `gorm:"type:text"`
		Active        bool   `gorm:"not null;default:true"`
		MeetingsCount int    `gorm:"not null;default:0"`
		CalendarToken string `gorm:"size:64;not null;uniqueIndex"`
		CreatedAt     time.Time
		UpdatedAt     time.Time
		Event         event    `gorm:"constraint:OnDelete:CASCADE"`
		Attendee      attendee `gorm:"constraint:OnDelete:CASCADE"`
	}
	type meetingUnavailability struct {
		ParticipantID uint               `gorm:"primaryKey;autoIncrement:false"`
		SlotID        uint               `gorm:"primaryKey;autoIncrement:false"`
		Participant   meetingParticipant `gorm:"foreignKey:ParticipantID;constraint:OnDelete:CASCADE"`
		Slot          meetingSlot        `gorm:"foreignKey:SlotID;constraint:OnDelete:CASCADE"`
	}
	type meetingWish struct {
		ParticipantID uint `gorm:"primaryKey;autoIncrement:false"`
		TargetID      uint `gorm:"primaryKey;autoIncrement:false;index"`
		CreatedAt     time.Time
		Participant   meetingParticipant `gorm:"foreignKey:ParticipantID;constraint:OnDelete:CASCADE"`
		Target        meetingParticipant `gorm:"foreignKey:TargetID;constraint:OnDelete:CASCADE"`
	}
	type meeting struct {
		ID             uint `gorm:"primaryKey"`
		EventID        uint `gorm:"not null;index"`
		SlotID         uint `gorm:"not null;index"`
		LocationID     uint `gorm:"not null;index"`
		AParticipantID uint `gorm:"not null;index"`
		BParticipantID uint `gorm:"not null;index"`
		RequestID      *uint
		Status         string `gorm:"size:20;not null;index"`
		RoomCode       string `gorm:"size:64;not null"`
		Source         string `gorm:"size:20;not null;default:request"`
		NoShowA        bool   `gorm:"not null;default:false"`
		NoShowB        bool   `gorm:"not null;default:false"`
		CancelledAt    *time.Time
		CreatedAt      time.Time
		UpdatedAt      time.Time
		Event          event           `gorm:"constraint:OnDelete:CASCADE"`
		Slot           meetingSlot     `gorm:"foreignKey:SlotID;constraint:OnDelete:RESTRICT"`
		Location       meetingLocation `gorm:"foreignKey:LocationID;constraint:OnDelete:RESTRICT"`
	}
	// A seat is one person in one slot: unique(participant, slot) means no one
	// is in two meetings at once. A table booking is one physical location in
	// one slot: unique(location, slot). Both rows are deleted when a meeting
	// is cancelled, so the meeting row keeps its history.
	type meetingSeat struct {
		ID            uint               `gorm:"primaryKey"`
		MeetingID     uint               `gorm:"not null;index"`
		ParticipantID uint               `gorm:"not null;uniqueIndex:idx_meeting_seat_person_slot"`
		SlotID        uint               `gorm:"not null;uniqueIndex:idx_meeting_seat_person_slot;index"`
		Meeting       meeting            `gorm:"constraint:OnDelete:CASCADE"`
		Participant   meetingParticipant `gorm:"foreignKey:ParticipantID;constraint:OnDelete:CASCADE"`
	}
	type meetingTableBooking struct {
		ID         uint            `gorm:"primaryKey"`
		MeetingID  uint            `gorm:"not null;uniqueIndex"`
		LocationID uint            `gorm:"not null;uniqueIndex:idx_meeting_table_slot"`
		SlotID     uint            `gorm:"not null;uniqueIndex:idx_meeting_table_slot;index"`
		Meeting    meeting         `gorm:"constraint:OnDelete:CASCADE"`
		Location   meetingLocation `gorm:"foreignKey:LocationID;constraint:OnDelete:RESTRICT"`
	}
	type meetingRequest struct {
		ID                uint      `gorm:"primaryKey"`
		EventID           uint      `gorm:"not null;index"`
		FromParticipantID uint      `gorm:"not null;index"`
		ToParticipantID   uint      `gorm:"not null;index"`
		SlotID            uint      `gorm:"not null"`
		Message           string    `gorm:"type:text"`
		Status            string    `gorm:"size:20;not null;index"`
		Reason            string    `gorm:"size:1000"`
		ExpiresAt         time.Time `gorm:"index"`
		MeetingID         *uint
		ReplacesID        *uint
		CreatedAt         time.Time
		UpdatedAt         time.Time
		Event             event       `gorm:"constraint:OnDelete:CASCADE"`
		Slot              meetingSlot `gorm:"foreignKey:SlotID;constraint:OnDelete:CASCADE"`
	}
	type meetingNotice struct {
		ID            uint   `gorm:"primaryKey"`
		Kind          string `gorm:"size:20;not null"`
		ParticipantID uint   `gorm:"not null;index"`
		OtherID       uint   `gorm:"not null;default:0"`
		RequestID     uint   `gorm:"not null;default:0"`
		MeetingID     uint   `gorm:"not null;default:0"`
		Reason        string `gorm:"size:1000"`
		CreatedAt     time.Time
	}
	type meetingSignInToken struct {
		ID         uint   `gorm:"primaryKey"`
		TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
		EventID    uint   `gorm:"not null;index"`
		AttendeeID uint   `gorm:"not null;index"`
		ExpiresAt  time.Time
		UsedAt     *time.Time
		CreatedAt  time.Time
		Attendee   attendee `gorm:"constraint:OnDelete:CASCADE"`
	}
	return tx.AutoMigrate(&networkingSetting{}, &meetingBlock{}, &meetingSlot{}, &meetingLocation{}, &meetingParticipant{},
		&meetingUnavailability{}, &meetingWish{}, &meeting{}, &meetingSeat{}, &meetingTableBooking{}, &meetingRequest{},
		&meetingNotice{}, &meetingSignInToken{})
}
