package models

import (
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ProfileInput is what a participant says about themselves.
type ProfileInput struct {
	Organization, Role, Country, Bio, Offers, Needs string
	Interests                                       []string
}

// NetworkingAttendee loads an attendee of the event who may take part in
// networking: active, of a confirmed order, of an eligible ticket type and
// category. Anyone else is ErrNotEligible.
func NetworkingAttendee(db *gorm.DB, set *NetworkingSetting, attendeeID uint) (*Attendee, error) {
	var a Attendee
	err := db.Joins("Order").Where("attendees.id = ? AND attendees.event_id = ? AND attendees.status = ?", attendeeID, set.EventID, AttendeeActive).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotEligible
	}
	if err != nil {
		return nil, err
	}
	if a.Order == nil || a.Order.Status != OrderConfirmed {
		return nil, ErrNotEligible
	}
	if tts := set.TicketTypeList(); len(tts) > 0 && !slices.Contains(tts, a.TicketTypeID) {
		return nil, ErrNotEligible
	}
	if cs := set.CategoryList(); len(cs) > 0 && !slices.Contains(cs, a.Category) {
		return nil, ErrNotEligible
	}
	return &a, nil
}

// ParticipantOf returns the attendee's participant row, or nil when they
// have not opted in.
func ParticipantOf(db *gorm.DB, eventID, attendeeID uint) (*MeetingParticipant, error) {
	var p MeetingParticipant
	err := db.Where("event_id = ? AND attendee_id = ?", eventID, attendeeID).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	return &p, err
}

// SaveProfile opts an eligible attendee in (or updates their profile). Only
// topics from the event's list are kept. Opting in (for the first time or
// again) records the directory consent when the event has such a text.
func SaveProfile(db *gorm.DB, set *NetworkingSetting, attendeeID uint, in ProfileInput, now time.Time) (*MeetingParticipant, error) {
	var p *MeetingParticipant
	err := db.Transaction(func(tx *gorm.DB) error {
		a, err := NetworkingAttendee(tx, set, attendeeID)
		if err != nil {
			return err
		}
		topics := set.TopicList()
		var interests []string
		for _, t := range in.Interests {
			if slices.Contains(topics, t) && !slices.Contains(interests, t) {
				interests = append(interests, t)
			}
		}
		p, err = ParticipantOf(tx, set.EventID, a.ID)
		if err != nil {
			return err
		}
		if p == nil {
			p = &MeetingParticipant{EventID: set.EventID, AttendeeID: a.ID, CalendarToken: NewSecret()}
		}
		// Being listed needs a live directory consent: opting in (again,
		// after leaving or withdrawing it) records it.
		if !p.Active || p.ID == 0 {
			if err := recordDirectoryConsent(tx, set.EventID, a.ID, now); err != nil {
				return err
			}
		}
		p.Name, p.Category, p.Active = a.Name, a.Category, true
		p.Organization, p.Role, p.Country = strings.TrimSpace(in.Organization), strings.TrimSpace(in.Role), strings.TrimSpace(in.Country)
		p.Bio, p.Offers, p.Needs = strings.TrimSpace(in.Bio), strings.TrimSpace(in.Offers), strings.TrimSpace(in.Needs)
		p.Interests = strings.Join(interests, "\n")
		return tx.Save(p).Error
	})
	return p, err
}

func recordDirectoryConsent(tx *gorm.DB, eventID, attendeeID uint, now time.Time) error {
	var ct ConsentText
	err := tx.Where("event_id = ? AND kind = ?", eventID, ConsentDirectory).Order("version DESC").Take(&ct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&ConsentRecord{}).Where("attendee_id = ? AND consent_text_id = ? AND withdrawn_at IS NULL", attendeeID, ct.ID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return tx.Create(&ConsentRecord{AttendeeID: attendeeID, ConsentTextID: ct.ID, GivenAt: now.UTC()}).Error
}

// maxListed bounds a directory page's load.
const maxListed = 2000

// ListedParticipants returns the event's participants that others may see
// (directory, suggestions, organizers' lists), by name. Listed means active:
// leaving networking and withdrawing the directory consent both clear it.
func ListedParticipants(db *gorm.DB, eventID uint) ([]MeetingParticipant, error) {
	var ps []MeetingParticipant
	err := db.Where("event_id = ? AND active = ?", eventID, true).Order("name, id").Limit(maxListed).Find(&ps).Error
	return ps, err
}

// ListedParticipant returns one listed participant of the event, or
// gorm.ErrRecordNotFound when there is none (or they are unlisted).
func ListedParticipant(db *gorm.DB, eventID, participantID uint) (*MeetingParticipant, error) {
	var p MeetingParticipant
	if err := db.Where("id = ? AND event_id = ? AND active = ?", participantID, eventID, true).Take(&p).Error; err != nil {
		return nil, err
	}
	return &p, nil
}

// LeaveNetworking hides a participant from the directory; their booked
// meetings stay until cancelled.
func LeaveNetworking(db *gorm.DB, participantID uint) error {
	return db.Model(&MeetingParticipant{}).Where("id = ?", participantID).Update("active", false).Error
}

// SetUnavailable replaces the slots a participant marked as not available.
func SetUnavailable(db *gorm.DB, eventID, participantID uint, slotIDs []uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("participant_id = ?", participantID).Delete(&MeetingUnavailability{}).Error; err != nil {
			return err
		}
		var valid []uint
		if len(slotIDs) > 0 {
			if err := tx.Model(&MeetingSlot{}).Where("event_id = ? AND id IN ?", eventID, slotIDs).Pluck("id", &valid).Error; err != nil {
				return err
			}
		}
		for _, s := range valid {
			if err := tx.Create(&MeetingUnavailability{ParticipantID: participantID, SlotID: s}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// UnavailableSlots returns the slot ids a participant marked.
func UnavailableSlots(db *gorm.DB, participantID uint) ([]uint, error) {
	var ids []uint
	return ids, db.Model(&MeetingUnavailability{}).Where("participant_id = ?", participantID).Pluck("slot_id", &ids).Error
}

// SetWish marks (or unmarks) that from wants to meet to.
func SetWish(db *gorm.DB, eventID, from, to uint, want bool) error {
	if from == to {
		return ErrSelfRequest
	}
	if _, err := activeParticipant(db, eventID, to); err != nil {
		return err
	}
	if !want {
		return db.Where("participant_id = ? AND target_id = ?", from, to).Delete(&MeetingWish{}).Error
	}
	err := db.Create(&MeetingWish{ParticipantID: from, TargetID: to}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil
	}
	return err
}

// WishesOf lists whom a participant wants to meet.
func WishesOf(db *gorm.DB, participantID uint) ([]uint, error) {
	var ids []uint
	return ids, db.Model(&MeetingWish{}).Where("participant_id = ?", participantID).Pluck("target_id", &ids).Error
}
