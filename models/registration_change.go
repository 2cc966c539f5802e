package models

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Actions of a RegistrationChange.
const (
	ChangeRegistered = "registered" // an organizer registered the person by hand
	ChangeImported   = "imported"   // registered from an import file
	ChangeEdited     = "edited"     // details changed
	ChangeMoved      = "moved"      // moved to another ticket type
	ChangeResent     = "resent"     // the confirmation was sent again
	ChangeCancelled  = "cancelled"  // one person cancelled by an organizer
	ChangeAnonymised = "anonymised" // personal data erased by an organizer
)

// FieldChange is one field of a change. Sensitive fields (access needs,
// answers to sensitive questions) are recorded as changed without values,
// so the history never keeps what the person asked to have forgotten or
// shows health data to whoever reads it.
type FieldChange struct {
	Field     string `json:"f"`
	Old       string `json:"o,omitempty"`
	New       string `json:"n,omitempty"`
	Sensitive bool   `json:"s,omitempty"`
}

// RegistrationChange records who changed a registration, when and what. It
// is written in the transaction of the change itself, so a change without
// its record (or the other way round) cannot exist.
type RegistrationChange struct {
	ID         uint   `gorm:"primaryKey"`
	EventID    uint   `gorm:"not null;index"`
	OrderID    uint   `gorm:"not null;index"`
	AttendeeID *uint  `gorm:"index"`
	UserID     uint   `gorm:"not null;default:0"`
	UserName   string `gorm:"size:200;not null;default:''"`
	Action     string `gorm:"size:30;not null"`
	Details    string `gorm:"type:text"`
	CreatedAt  time.Time
}

// Fields decodes the change's details.
func (c RegistrationChange) Fields() []FieldChange {
	var fs []FieldChange
	_ = json.Unmarshal([]byte(c.Details), &fs)
	return fs
}

func recordChange(tx *gorm.DB, eventID, orderID uint, attendeeID *uint, by Actor, action string, fields []FieldChange, now time.Time) error {
	details := ""
	if len(fields) > 0 {
		b, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		details = string(b)
	}
	name := by.Name
	if len([]rune(name)) > 200 {
		name = string([]rune(name)[:200])
	}
	if err := tx.Create(&RegistrationChange{EventID: eventID, OrderID: orderID, AttendeeID: attendeeID, UserID: by.UserID,
		UserName: name, Action: action, Details: details, CreatedAt: now}).Error; err != nil {
		return err
	}
	if attendeeID == nil || action == ChangeCancelled || action == ChangeResent {
		return nil // an order's registration reports itself as order.placed; a cancellation in CancelAttendee
	}
	return attendeeWebhook(tx, WebhookAttendeeChanged, eventID, *attendeeID, changeStamp(now), now, map[string]any{"change": action})
}

// ChangesOfAttendee lists, newest first, the changes of one attendee and
// those of their order as a whole (registered, imported, resent).
func ChangesOfAttendee(db *gorm.DB, a Attendee) ([]RegistrationChange, error) {
	var cs []RegistrationChange
	err := db.Where("order_id = ? AND (attendee_id = ? OR attendee_id IS NULL)", a.OrderID, a.ID).
		Order("created_at DESC, id DESC").Limit(200).Find(&cs).Error
	return cs, err
}
