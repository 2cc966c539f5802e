package models

import (
	"strconv"
	"strings"
	"time"
)

// Networking modes: people send requests, or they mark whom they want to
// meet and the organizer runs the auto-scheduler on the mutual wishes.
const (
	ModeRequests = "requests"
	ModeWishes   = "wishes"
)

// Meeting request statuses.
const (
	RequestPending   = "pending"
	RequestAccepted  = "accepted"
	RequestDeclined  = "declined"
	RequestCancelled = "cancelled"
	RequestExpired   = "expired"
	RequestCountered = "countered" // the other person proposed another slot
)

// Meeting statuses and sources.
const (
	MeetingActive    = "active"
	MeetingCancelled = "cancelled"

	SourceRequest   = "request"
	SourceOrganizer = "organizer"
	SourceScheduler = "scheduler"
)

// NetworkingSetting is an event's one-to-one meeting configuration.
// Limits of 0 mean no limit.
type NetworkingSetting struct {
	EventID            uint   `gorm:"primaryKey;autoIncrement:false"`
	Enabled            bool   `gorm:"not null;default:false"`
	Mode               string `gorm:"size:20;not null;default:requests"`
	MaxMeetings        int    `gorm:"not null;default:0"`
	MaxPendingSent     int    `gorm:"not null;default:0"`
	RequestExpiryHours int    `gorm:"not null;default:48"`
	// OnlineLinkTemplate builds an online meeting's link; {meeting} is replaced
	// by the meeting's own room code, so every meeting has its own room.
	OnlineLinkTemplate string `gorm:"size:500"`
	TicketTypeIDs      string `gorm:"size:1000"` // comma-separated; empty = all
	Categories         string `gorm:"size:500"`  // comma-separated; empty = all
	Topics             string `gorm:"type:text"` // one per line
	UpdatedAt          time.Time
}

// TopicList returns the event's interest topics.
func (s NetworkingSetting) TopicList() []string { return splitList(s.Topics, "\n") }

// TicketTypeList returns the eligible ticket type ids (empty = all).
func (s NetworkingSetting) TicketTypeList() []uint {
	var out []uint
	for _, p := range splitList(s.TicketTypeIDs, ",") {
		if n, err := strconv.ParseUint(p, 10, 32); err == nil {
			out = append(out, uint(n))
		}
	}
	return out
}

// CategoryList returns the eligible participant categories (empty = all).
func (s NetworkingSetting) CategoryList() []string { return splitList(s.Categories, ",") }

// OnlineLink is the link of the online room of a meeting.
func (s NetworkingSetting) OnlineLink(roomCode string) string {
	return strings.ReplaceAll(s.OnlineLinkTemplate, "{meeting}", roomCode)
}

// MeetingBlock is a time window cut into slots of SlotMinutes with
// BreakMinutes between them.
type MeetingBlock struct {
	ID           uint `gorm:"primaryKey"`
	EventID      uint `gorm:"not null;index"`
	StartsAt     time.Time
	EndsAt       time.Time
	SlotMinutes  int `gorm:"not null"`
	BreakMinutes int `gorm:"not null;default:0"`
	CreatedAt    time.Time
}

// MeetingSlot is one time in which meetings happen.
type MeetingSlot struct {
	ID       uint `gorm:"primaryKey"`
	EventID  uint `gorm:"not null;index"`
	BlockID  uint `gorm:"not null;index"`
	StartsAt time.Time
	EndsAt   time.Time
}

// MeetingLocation is a numbered table or room, or an online location where
// each meeting gets its own room.
type MeetingLocation struct {
	ID       uint   `gorm:"primaryKey"`
	EventID  uint   `gorm:"not null;index"`
	Name     string `gorm:"size:100;not null"`
	Online   bool   `gorm:"not null;default:false"`
	Position int    `gorm:"not null;default:0"`
}

// MeetingParticipant is an attendee who opted in to networking, with the
// profile others see in the directory.
type MeetingParticipant struct {
	ID            uint   `gorm:"primaryKey"`
	EventID       uint   `gorm:"not null;index"`
	AttendeeID    uint   `gorm:"not null;uniqueIndex"`
	Name          string `gorm:"size:200;not null"`
	Organization  string `gorm:"size:200"`
	Role          string `gorm:"size:200"`
	Country       string `gorm:"size:100"`
	Category      string `gorm:"size:30"`
	Bio           string `gorm:"type:text"`
	Interests     string `gorm:"type:text"` // one topic per line
	Offers        string `gorm:"type:text"`
	Needs         string `gorm:"type:text"`
	Active        bool   `gorm:"not null;default:true"`
	MeetingsCount int    `gorm:"not null;default:0"` // active meetings; changed only by the booking rules
	// CalendarToken is the secret of the agenda's .ics subscription URL.
	CalendarToken string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Attendee      *Attendee `gorm:"foreignKey:AttendeeID"`
}

// InterestList returns the participant's topics.
func (p MeetingParticipant) InterestList() []string { return splitList(p.Interests, "\n") }

// MeetingUnavailability marks a slot in which a participant cannot meet.
type MeetingUnavailability struct {
	ParticipantID uint `gorm:"primaryKey;autoIncrement:false"`
	SlotID        uint `gorm:"primaryKey;autoIncrement:false"`
}

// MeetingWish says that ParticipantID wants to meet TargetID ("mutual wishes" mode).
type MeetingWish struct {
	ParticipantID uint `gorm:"primaryKey;autoIncrement:false"`
	TargetID      uint `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt     time.Time
}

// Meeting is two participants at one location in one slot. Its seats and
// table booking (deleted when it is cancelled) carry the unique indexes.
type Meeting struct {
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
	Slot           MeetingSlot        `gorm:"foreignKey:SlotID"`
	Location       MeetingLocation    `gorm:"foreignKey:LocationID"`
	A              MeetingParticipant `gorm:"foreignKey:AParticipantID"`
	B              MeetingParticipant `gorm:"foreignKey:BParticipantID"`
}

// Other returns the id of the participant across the table from me.
func (m Meeting) Other(me uint) uint {
	if m.AParticipantID == me {
		return m.BParticipantID
	}
	return m.AParticipantID
}

// MeetingSeat is one person in one slot: unique (participant_id, slot_id).
type MeetingSeat struct {
	ID            uint `gorm:"primaryKey"`
	MeetingID     uint `gorm:"not null;index"`
	ParticipantID uint `gorm:"not null"`
	SlotID        uint `gorm:"not null"`
}

// MeetingTableBooking is one physical location in one slot: unique (location_id, slot_id).
type MeetingTableBooking struct {
	ID         uint `gorm:"primaryKey"`
	MeetingID  uint `gorm:"not null;uniqueIndex"`
	LocationID uint `gorm:"not null"`
	SlotID     uint `gorm:"not null"`
}

// MeetingRequest asks ToParticipantID to meet FromParticipantID in SlotID.
type MeetingRequest struct {
	ID                uint   `gorm:"primaryKey"`
	EventID           uint   `gorm:"not null;index"`
	FromParticipantID uint   `gorm:"not null;index"`
	ToParticipantID   uint   `gorm:"not null;index"`
	SlotID            uint   `gorm:"not null"`
	Message           string `gorm:"type:text"`
	Status            string `gorm:"size:20;not null;index"`
	Reason            string `gorm:"size:1000"`
	ExpiresAt         time.Time
	MeetingID         *uint
	ReplacesID        *uint // the request this one counters
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Slot              MeetingSlot        `gorm:"foreignKey:SlotID"`
	From              MeetingParticipant `gorm:"foreignKey:FromParticipantID"`
	To                MeetingParticipant `gorm:"foreignKey:ToParticipantID"`
}

// splitList splits s by sep, trimming and dropping empty parts.
func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Meeting grid states of one slot at one table, as the organizer's grid
// shows them: blocked when the organizer closed the table for the slot.
const (
	CellFree    = "free"
	CellBooked  = "booked"
	CellNoShow  = "noshow"
	CellBlocked = "blocked"
)

// NoShow reports whether either person did not come.
func (m Meeting) NoShow() bool { return m.NoShowA || m.NoShowB }

// CellState is the grid state of the active meetings in one slot at one
// table: free without any, no-show when someone missed one, else booked.
// A closed cell holds no meeting; CellStateClosed says so.
func CellState(ms []Meeting) string {
	if len(ms) == 0 {
		return CellFree
	}
	for _, m := range ms {
		if m.NoShow() {
			return CellNoShow
		}
	}
	return CellBooked
}

// CellStateClosed is CellState for a cell that may be closed.
func CellStateClosed(ms []Meeting, closed bool) string {
	if closed && len(ms) == 0 {
		return CellBlocked
	}
	return CellState(ms)
}
