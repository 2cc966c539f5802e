package models

import (
	"sort"
	"time"

	"gorm.io/gorm"
)

// Session formats.
const (
	FormatTalk       = "talk"
	FormatPanel      = "panel"
	FormatAgora      = "agora"
	FormatWorkshop   = "workshop"
	FormatNetworking = "networking"
)

// SessionFormats lists the formats in the order they are offered.
var SessionFormats = []string{FormatTalk, FormatPanel, FormatAgora, FormatWorkshop, FormatNetworking}

// ValidFormat reports whether f is a known session format.
func ValidFormat(f string) bool {
	for _, x := range SessionFormats {
		if x == f {
			return true
		}
	}
	return false
}

// Room is a place within the event's venue.
type Room struct {
	ID       uint   `gorm:"primaryKey"`
	EventID  uint   `gorm:"not null;index"`
	Name     string `gorm:"size:120;not null"`
	Capacity int    `gorm:"not null;default:0"`
}

// Track groups sessions by theme.
type Track struct {
	ID      uint   `gorm:"primaryKey"`
	EventID uint   `gorm:"not null;index"`
	Name    string `gorm:"size:120;not null"`
}

// Speaker is a person who speaks in one or more sessions of an event.
type Speaker struct {
	ID           uint   `gorm:"primaryKey"`
	EventID      uint   `gorm:"not null;index"`
	Name         string `gorm:"size:200;not null"`
	Role         string `gorm:"size:200"`
	Organization string `gorm:"size:200"`
	Bio          string `gorm:"type:text"`
}

// Session is one item of the agenda.
type Session struct {
	ID          uint   `gorm:"primaryKey"`
	EventID     uint   `gorm:"not null;index"`
	Title       string `gorm:"size:200;not null"`
	Description string `gorm:"type:text"`
	Format      string `gorm:"size:20;not null"`
	StartsAt    time.Time
	EndsAt      time.Time
	RoomID      *uint
	TrackID     *uint
	// Capacity limits sign-up when SignUp is set; 0 means no limit.
	Capacity int  `gorm:"not null;default:0"`
	SignUp   bool `gorm:"not null;default:false"`
	// AttendanceCounted gives the session its own check-in list (credits).
	AttendanceCounted bool `gorm:"not null;default:false"`
	// PlacesTaken counts sign-ups of active attendees and live waitlist offers.
	PlacesTaken int `gorm:"not null;default:0"`
	Room        *Room
	Track       *Track
	Speakers    []Speaker `gorm:"many2many:session_speakers"`
}

// Agenda is an event's programme, loaded in one go.
type Agenda struct {
	Sessions []Session
	Rooms    []Room
	Tracks   []Track
	Speakers []Speaker
}

// LoadAgenda returns the event's sessions (by start, then room), rooms, tracks and speakers.
func LoadAgenda(db *gorm.DB, eventID uint) (*Agenda, error) {
	a := &Agenda{}
	if err := db.Preload("Room").Preload("Track").Preload("Speakers", func(db *gorm.DB) *gorm.DB { return db.Order("speakers.name") }).
		Where("event_id = ?", eventID).Order("starts_at, room_id, id").Find(&a.Sessions).Error; err != nil {
		return nil, err
	}
	if err := db.Where("event_id = ?", eventID).Order("name, id").Find(&a.Rooms).Error; err != nil {
		return nil, err
	}
	if err := db.Where("event_id = ?", eventID).Order("name, id").Find(&a.Tracks).Error; err != nil {
		return nil, err
	}
	if err := db.Where("event_id = ?", eventID).Order("name, id").Find(&a.Speakers).Error; err != nil {
		return nil, err
	}
	return a, nil
}

// Clashes returns, for each session id, the ids of other sessions that share
// its room and overlap it in time. Clashes are flagged, not forbidden: an
// organizer may mean it (a room split in two, say).
func Clashes(sessions []Session) map[uint][]uint {
	out := map[uint][]uint{}
	byRoom := map[uint][]Session{}
	for _, s := range sessions {
		if s.RoomID != nil {
			byRoom[*s.RoomID] = append(byRoom[*s.RoomID], s)
		}
	}
	for _, ss := range byRoom {
		sort.Slice(ss, func(i, j int) bool { return ss[i].StartsAt.Before(ss[j].StartsAt) })
		for i := range ss {
			for j := i + 1; j < len(ss) && ss[j].StartsAt.Before(ss[i].EndsAt); j++ {
				out[ss[i].ID] = append(out[ss[i].ID], ss[j].ID)
				out[ss[j].ID] = append(out[ss[j].ID], ss[i].ID)
			}
		}
	}
	return out
}

// SessionsByDay groups sessions (already sorted by start) by their calendar day in loc.
type SessionDay struct {
	Date     time.Time
	Sessions []Session
}

// GroupByDay splits sorted sessions into days in the event's time zone.
func GroupByDay(sessions []Session, loc *time.Location) []SessionDay {
	var days []SessionDay
	for _, s := range sessions {
		t := s.StartsAt.In(loc)
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		if len(days) == 0 || !days[len(days)-1].Date.Equal(d) {
			days = append(days, SessionDay{Date: d})
		}
		days[len(days)-1].Sessions = append(days[len(days)-1].Sessions, s)
	}
	return days
}
