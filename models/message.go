package models

import (
	"encoding/json"
	"time"
)

// Message states: the request that sends a message only writes it queued;
// the messages job expands it into one outbox row per recipient.
const (
	MessageQueued   = "queued"
	MessageExpanded = "expanded"
)

// MailEventMessage is the outbox kind of an organizer's message to one
// registrant; RefID is the MessageRecipient row.
const MailEventMessage = "event_message"

// Limits of a message, so a pasted book comes back with a clear message
// instead of a mail nobody reads.
const (
	MaxMessageSubject = 200
	MaxMessageBody    = 50_000
)

// Message is what an organizer wrote to (part of) an event's registrants:
// the subject and Markdown body in Language (the event's default content
// language), versions in its other languages (Versions, stored as
// Translation rows, see message_versions.go), and the audience as
// AudienceFilter JSON. AltLanguage/AltSubject/AltBody are the one second
// version messages had before per-language versions; they still render.
type Message struct {
	ID          uint   `gorm:"primaryKey"`
	EventID     uint   `gorm:"not null;index"`
	Language    string `gorm:"size:8;not null"`
	Subject     string `gorm:"size:300;not null"`
	Body        string `gorm:"type:text;not null"`
	AltLanguage string `gorm:"size:8;not null;default:''"`
	AltSubject  string `gorm:"size:300;not null;default:''"`
	AltBody     string `gorm:"type:text;not null;default:''"`
	Audience    string `gorm:"type:text;not null"`
	State       string `gorm:"size:20;not null;index"`
	// SendKey is the form's one-time key: a second click on "send" finds the
	// message the first one queued instead of queuing another.
	SendKey     string `gorm:"size:64;not null;uniqueIndex"`
	SentByID    uint   `gorm:"not null"`
	SentByName  string `gorm:"size:200;not null"`
	SentByEmail string `gorm:"size:254;not null"`
	// Recipients is how many people the expansion found.
	Recipients int `gorm:"not null;default:0"`
	ExpandedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Versions are the other languages' versions (LoadMessageVersions).
	Versions map[string]MessageVersion `gorm:"-"`
}

// Version returns the subject and body a reader of lang gets, and the
// language they are in: the version in lang when written, else the main
// one (the event's default language).
func (m Message) Version(lang string) (subject, body, language string) {
	if v, ok := m.Versions[lang]; ok && v.Subject != "" && v.Body != "" {
		return v.Subject, v.Body, lang
	}
	if m.AltLanguage != "" && m.AltLanguage == lang && m.AltSubject != "" {
		return m.AltSubject, m.AltBody, m.AltLanguage
	}
	return m.Subject, m.Body, m.Language
}

// Filter decodes the stored audience.
func (m Message) Filter() AudienceFilter {
	var f AudienceFilter
	_ = json.Unmarshal([]byte(m.Audience), &f)
	return f
}

// MessageRecipient is one person a message goes to, unique per (message,
// e-mail): the row is written before the outbox row that mails it, so
// however many instances expand the message each person gets it once.
type MessageRecipient struct {
	ID              uint   `gorm:"primaryKey"`
	MessageID       uint   `gorm:"not null;uniqueIndex:idx_message_recipient"`
	Email           string `gorm:"size:254;not null;uniqueIndex:idx_message_recipient"`
	Name            string `gorm:"size:200;not null"`
	Language        string `gorm:"size:8;not null"`
	OrderID         *uint
	AttendeeID      *uint
	WaitlistEntryID *uint
	CreatedAt       time.Time
}
