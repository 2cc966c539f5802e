package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Consent kinds. Privacy is required to register; the others are optional.
const (
	ConsentPrivacy   = "privacy"
	ConsentPhotos    = "photos"
	ConsentResearch  = "research"
	ConsentDirectory = "directory"
)

// ConsentKinds lists the kinds in the order they are shown.
var ConsentKinds = []string{ConsentPrivacy, ConsentPhotos, ConsentResearch, ConsentDirectory}

// ValidConsentKind reports whether k is a known consent kind.
func ValidConsentKind(k string) bool {
	for _, x := range ConsentKinds {
		if x == k {
			return true
		}
	}
	return false
}

// ConsentText is one version of an event's consent text of one kind.
// Texts are never edited: a change is a new version, so what each person
// agreed to stays tied to the words they saw.
type ConsentText struct {
	ID        uint   `gorm:"primaryKey"`
	EventID   uint   `gorm:"not null;uniqueIndex:idx_consent_text_version"`
	Kind      string `gorm:"size:20;not null;uniqueIndex:idx_consent_text_version"`
	Version   int    `gorm:"not null;uniqueIndex:idx_consent_text_version"`
	Body      string `gorm:"type:text;not null"`
	CreatedAt time.Time
}

// ConsentRecord is an attendee's agreement to one consent text version.
type ConsentRecord struct {
	ID            uint `gorm:"primaryKey"`
	AttendeeID    uint `gorm:"not null;index"`
	ConsentTextID uint `gorm:"not null;index"`
	GivenAt       time.Time
	WithdrawnAt   *time.Time
	// Language is the language version of the text the person agreed to
	// (the one they were shown).
	Language    string      `gorm:"size:8;not null;default:en"`
	ConsentText ConsentText `gorm:"foreignKey:ConsentTextID"`
}

// ErrUnknownConsentKind is returned for a kind not in ConsentKinds.
var ErrUnknownConsentKind = errors.New("unknown consent kind")

// SetConsentText makes body the event's current text of kind: version n+1,
// or nothing when it equals the current version. Concurrent calls cannot
// make two texts with one version (a unique index).
func SetConsentText(db *gorm.DB, eventID uint, kind, body string) (*ConsentText, error) {
	if !ValidConsentKind(kind) {
		return nil, ErrUnknownConsentKind
	}
	body = strings.TrimSpace(body)
	var out *ConsentText
	err := db.Transaction(func(tx *gorm.DB) error {
		var cur ConsentText
		err := tx.Where("event_id = ? AND kind = ?", eventID, kind).Order("version DESC").Take(&cur).Error
		switch {
		case err == nil && cur.Body == body:
			out = &cur
			return nil
		case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		ct := &ConsentText{EventID: eventID, Kind: kind, Version: cur.Version + 1, Body: body}
		if err := tx.Create(ct).Error; err != nil {
			return fmt.Errorf("create consent text: %w", err)
		}
		out = ct
		return nil
	})
	return out, err
}

// CurrentConsentTexts returns the latest version of each of the event's
// consent kinds, in ConsentKinds order.
func CurrentConsentTexts(db *gorm.DB, eventID uint) ([]ConsentText, error) {
	var all []ConsentText
	if err := db.Where("event_id = ?", eventID).Order("kind, version DESC").Find(&all).Error; err != nil {
		return nil, err
	}
	return LatestConsentTexts(all), nil
}

// LatestConsentTexts picks the latest version of each kind among an
// event's consent texts (any order), in ConsentKinds order.
func LatestConsentTexts(all []ConsentText) []ConsentText {
	latest := map[string]ConsentText{}
	for _, c := range all {
		if cur, ok := latest[c.Kind]; !ok || c.Version > cur.Version {
			latest[c.Kind] = c
		}
	}
	var out []ConsentText
	for _, k := range ConsentKinds {
		if c, ok := latest[k]; ok {
			out = append(out, c)
		}
	}
	return out
}

// AttendeeConsents returns the attendee's consent records with their texts,
// each in the language version the person agreed to (see withAgreedWords).
func AttendeeConsents(db *gorm.DB, attendeeID uint) ([]ConsentRecord, error) {
	var rs []ConsentRecord
	if err := db.Preload("ConsentText").Where("attendee_id = ?", attendeeID).Order("id").Find(&rs).Error; err != nil {
		return nil, err
	}
	return rs, withAgreedWords(db, rs)
}

// ErrConsentRequired is returned when withdrawing the privacy consent, which
// registration depends on: cancelling the registration is the way out.
var ErrConsentRequired = errors.New("the privacy consent cannot be withdrawn; cancel the registration instead")

// Withdraw records that the attendee withdrew a consent. Withdrawing twice
// keeps the first time. The record must belong to attendeeID. Withdrawing
// the directory consent takes effect everywhere at once (see
// withdrawDirectory).
func Withdraw(db *gorm.DB, attendeeID, recordID uint, now time.Time) error {
	var r ConsentRecord
	if err := db.Preload("ConsentText").Where("id = ? AND attendee_id = ?", recordID, attendeeID).Take(&r).Error; err != nil {
		return err
	}
	if r.ConsentText.Kind == ConsentPrivacy {
		return ErrConsentRequired
	}
	now = now.UTC()
	if r.ConsentText.Kind == ConsentDirectory {
		return db.Transaction(func(tx *gorm.DB) error { return withdrawDirectory(tx, attendeeID, now) })
	}
	return db.Model(&ConsentRecord{}).Where("id = ? AND withdrawn_at IS NULL", r.ID).Update("withdrawn_at", now).Error
}

// withdrawDirectory ends every live directory consent of the attendee (of
// any text version) and, in the same transaction, unlists their meetings
// participant: the directory, suggestions, requests, the scheduler and the
// organizers' lists all read participants.active, so none shows the person
// once the withdrawal is committed. Saving the profile again opts back in
// and records the consent anew. Booked meetings stay until cancelled, as
// when leaving networking.
func withdrawDirectory(tx *gorm.DB, attendeeID uint, now time.Time) error {
	texts := tx.Model(&ConsentText{}).Select("id").Where("kind = ?", ConsentDirectory)
	if err := tx.Model(&ConsentRecord{}).Where("attendee_id = ? AND withdrawn_at IS NULL AND consent_text_id IN (?)", attendeeID, texts).
		Update("withdrawn_at", now).Error; err != nil {
		return fmt.Errorf("withdraw directory consent: %w", err)
	}
	if err := tx.Model(&MeetingParticipant{}).Where("attendee_id = ?", attendeeID).
		Updates(map[string]any{"active": false, "updated_at": now}).Error; err != nil {
		return fmt.Errorf("unlist participant: %w", err)
	}
	return nil
}
