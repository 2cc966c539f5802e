package models

import "time"

// Participant categories, used for ticket types and attendees alike so
// organizers can count who came.
const (
	CategoryPatientCitizen = "patient_citizen"
	CategoryCarer          = "carer"
	CategoryClinician      = "clinician"
	CategoryResearcher     = "researcher"
	CategoryIndustry       = "industry"
	CategoryPublicAuth     = "public_authority"
	CategoryOther          = "other"
)

// Categories lists the participant categories in the order they are offered.
var Categories = []string{CategoryPatientCitizen, CategoryCarer, CategoryClinician, CategoryResearcher,
	CategoryIndustry, CategoryPublicAuth, CategoryOther}

// ValidCategory reports whether c is a known participant category.
func ValidCategory(c string) bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// TicketType is what a person registers for: a price (0 = free), its own
// capacity and sales window, and the participant category it is meant for.
// PlacesTaken counts active attendees of pending and confirmed orders plus
// live waitlist offers; it only changes through the capacity rules.
type TicketType struct {
	ID           uint   `gorm:"primaryKey"`
	EventID      uint   `gorm:"not null;index"`
	Name         string `gorm:"size:200;not null"`
	Description  string `gorm:"type:text"`
	Price        int64  `gorm:"not null;default:0"` // minor units (cents)
	Currency     string `gorm:"size:3;not null;default:EUR"`
	Capacity     int    `gorm:"not null;default:0"` // 0 = unlimited
	PlacesTaken  int    `gorm:"not null;default:0"`
	SalesStartAt *time.Time
	SalesEndAt   *time.Time
	Category     string `gorm:"size:30;not null;default:other"`
	MaxPerOrder  int    `gorm:"not null;default:1"`
	Hidden       bool   `gorm:"not null;default:false"`
	Position     int    `gorm:"not null;default:0"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IsFree reports whether the ticket costs nothing.
func (t TicketType) IsFree() bool { return t.Price == 0 }

// OnSale reports whether now is inside the ticket type's sales window.
func (t TicketType) OnSale(now time.Time) bool {
	if t.SalesStartAt != nil && now.Before(*t.SalesStartAt) {
		return false
	}
	if t.SalesEndAt != nil && !now.Before(*t.SalesEndAt) {
		return false
	}
	return true
}

// PlacesLeft returns how many places remain, or -1 when unlimited.
func (t TicketType) PlacesLeft() int { return placesLeft(t.Capacity, t.PlacesTaken) } // places_left.go

// MaxAttendees is the most attendees one order of this type may hold (at least 1).
func (t TicketType) MaxAttendees() int {
	if t.MaxPerOrder < 1 {
		return 1
	}
	return t.MaxPerOrder
}
