package models

import (
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Bounds of the per-event mail settings.
const (
	DefaultReminderHours = 48      // the reminder goes out two days before the start
	MaxReminderHours     = 24 * 30 // at most thirty days before
	MaxReminderText      = 5000    // characters of the organizer's own text
	MaxContactName       = 200
)

// EventMailSetting is one event's automatic "see you soon" reminder and the
// contact its e-mails name as Reply-To instead of the organization's. An
// event without a row has the defaults (reminder on, two days before).
type EventMailSetting struct {
	EventID uint `gorm:"primaryKey;autoIncrement:false"`
	// No default in the tag: GORM would leave a false out of the INSERT and
	// the column's default (on) would turn the reminder back on.
	RemindersEnabled bool   `gorm:"not null"`
	ReminderHours    int    `gorm:"not null;default:48"`
	ReminderText     string `gorm:"type:text"`
	ContactName      string `gorm:"size:200;not null;default:''"`
	ContactEmail     string `gorm:"size:254;not null;default:''"`
	UpdatedAt        time.Time
}

// EventMailSettingFor returns the event's settings, or the defaults.
func EventMailSettingFor(db *gorm.DB, eventID uint) (*EventMailSetting, error) {
	s := &EventMailSetting{}
	err := db.Where("event_id = ?", eventID).Take(s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &EventMailSetting{EventID: eventID, RemindersEnabled: true, ReminderHours: DefaultReminderHours}, nil
	}
	return s, err
}

// SaveEventMailSetting stores the settings (after the form validated them).
func SaveEventMailSetting(db *gorm.DB, s *EventMailSetting) error {
	if s.ReminderHours < 1 || s.ReminderHours > MaxReminderHours {
		return errors.New("save mail settings: reminder hours out of range")
	}
	if s.ContactEmail != "" && !ValidEmail(s.ContactEmail) {
		return errors.New("save mail settings: bad contact e-mail")
	}
	return db.Save(s).Error
}

// ReminderAt is when the reminder for e is due.
func (s EventMailSetting) ReminderAt(e Event) time.Time {
	return e.StartsAt.Add(-time.Duration(s.ReminderHours) * time.Hour)
}

// Contact is whom attendees reach by replying to an event's e-mail.
type Contact struct {
	Name  string
	Email string
}

// EventContact resolves the Reply-To of the event's e-mails: the event's
// own contact where set, else the organization's; the name falls back to
// the organization's name. Email is empty when neither has an address.
func EventContact(db *gorm.DB, eventID uint) (Contact, error) {
	var e Event
	if err := db.Preload("Organization").Take(&e, eventID).Error; err != nil {
		return Contact{}, err
	}
	s, err := EventMailSettingFor(db, eventID)
	if err != nil {
		return Contact{}, err
	}
	c := Contact{Name: e.Organization.ContactName, Email: e.Organization.ContactEmail}
	if s.ContactEmail != "" {
		c.Email = s.ContactEmail
		c.Name = s.ContactName
	} else if s.ContactName != "" {
		c.Name = s.ContactName
	}
	if strings.TrimSpace(c.Name) == "" {
		c.Name = e.Organization.Name
	}
	return c, nil
}

// SaveOrganizationContact sets the organization's contact (validated by the form).
func SaveOrganizationContact(db *gorm.DB, orgID uint, name, email string) error {
	if email != "" && !ValidEmail(email) {
		return errors.New("save contact: bad e-mail")
	}
	return db.Model(&Organization{}).Where("id = ?", orgID).
		Updates(map[string]any{"contact_name": name, "contact_email": email, "updated_at": time.Now().UTC()}).Error
}
