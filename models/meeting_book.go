package models

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Invariant 2 lives here. A meeting is booked by inserting one seat per
// person (unique participant_id, slot_id) and, for a physical location, a
// table booking (unique location_id, slot_id), in the same transaction that
// raises both people's meeting counts with a conditional UPDATE. Whatever
// races, the database refuses the second seat or table; the refusal becomes
// ErrSlotTaken or ErrTableTaken.

// bookInput names a meeting to book. LocationID 0 lets the rules pick the
// first free table (then an online location).
type bookInput struct {
	EventID    uint
	SlotID     uint
	A, B       uint
	LocationID uint
	Source     string
	RequestID  *uint
	// IgnoreAvailability lets an organizer book over a "not available" mark.
	IgnoreAvailability bool
}

// bookMeeting books in tx (which the caller commits or rolls back whole).
func bookMeeting(tx *gorm.DB, set *NetworkingSetting, in bookInput) (*Meeting, error) {
	if in.A == in.B {
		return nil, ErrSelfRequest
	}
	var slot MeetingSlot
	if err := tx.Where("id = ? AND event_id = ?", in.SlotID, in.EventID).Take(&slot).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrSlotNotFree
		}
		return nil, err
	}
	ids := []uint{in.A, in.B}
	slices.Sort(ids) // lock people in id order, so two bookings never wait in a cycle
	for _, id := range ids {
		res := tx.Exec(`UPDATE meeting_participants SET meetings_count = meetings_count + 1, updated_at = ?
			WHERE id = ? AND event_id = ? AND active = ? AND (? <= 0 OR meetings_count < ?)`,
			time.Now().UTC(), id, in.EventID, true, set.MaxMeetings, set.MaxMeetings)
		if res.Error != nil {
			return nil, fmt.Errorf("count meeting: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			var p MeetingParticipant
			if err := tx.Where("id = ? AND event_id = ? AND active = ?", id, in.EventID, true).Take(&p).Error; err != nil {
				return nil, ErrNotParticipant
			}
			return nil, MeetingLimitError{ParticipantID: id}
		}
	}
	if !in.IgnoreAvailability {
		var n int64
		if err := tx.Model(&MeetingUnavailability{}).Where("slot_id = ? AND participant_id IN ?", in.SlotID, ids).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, ErrNotAvailable
		}
	}
	loc, err := pickLocation(tx, in.EventID, in.SlotID, in.LocationID)
	if err != nil {
		return nil, err
	}
	m := &Meeting{EventID: in.EventID, SlotID: in.SlotID, LocationID: loc.ID, AParticipantID: ids[0], BParticipantID: ids[1],
		RequestID: in.RequestID, Status: MeetingActive, RoomCode: "agora-" + newCode(10), Source: in.Source}
	if err := tx.Create(m).Error; err != nil {
		return nil, fmt.Errorf("create meeting: %w", err)
	}
	if err := seatMeeting(tx, m, loc); err != nil {
		return nil, err
	}
	if err := meetingWebhook(tx, WebhookMeetingBooked, *m, time.Now()); err != nil {
		return nil, err
	}
	m.Location = *loc
	m.Slot = slot
	return m, nil
}

// seatMeeting writes the rows that carry the unique indexes for m. Every
// placement passes here, so here a closed table is refused, under the
// table's lock (see meeting_closure.go).
func seatMeeting(tx *gorm.DB, m *Meeting, loc *MeetingLocation) error {
	if !loc.Online {
		if err := lockTable(tx, loc.ID); err != nil {
			return fmt.Errorf("lock table: %w", err)
		}
		closed, err := tableClosed(tx, loc.ID, m.SlotID)
		if err != nil {
			return err
		}
		if closed {
			return ErrTableClosed
		}
	}
	for _, p := range []uint{m.AParticipantID, m.BParticipantID} {
		if err := tx.Create(&MeetingSeat{MeetingID: m.ID, ParticipantID: p, SlotID: m.SlotID}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrSlotTaken
			}
			return fmt.Errorf("seat: %w", err)
		}
	}
	if !loc.Online {
		if err := tx.Create(&MeetingTableBooking{MeetingID: m.ID, LocationID: loc.ID, SlotID: m.SlotID}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrTableTaken
			}
			return fmt.Errorf("table booking: %w", err)
		}
	}
	return nil
}

// unseatMeeting frees m's people and table.
func unseatMeeting(tx *gorm.DB, meetingID uint) error {
	if err := tx.Where("meeting_id = ?", meetingID).Delete(&MeetingSeat{}).Error; err != nil {
		return err
	}
	return tx.Where("meeting_id = ?", meetingID).Delete(&MeetingTableBooking{}).Error
}

// pickLocation returns the location to use: the one asked for, else the
// first open physical location with no booking in the slot, else an online
// one. A closed table asked for is refused again, under its lock, by seatMeeting.
func pickLocation(tx *gorm.DB, eventID, slotID, want uint) (*MeetingLocation, error) {
	var loc MeetingLocation
	if want != 0 {
		if err := tx.Where("id = ? AND event_id = ?", want, eventID).Take(&loc).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, ErrNoLocationFree
			}
			return nil, err
		}
		return &loc, nil
	}
	err := tx.Where("event_id = ? AND online = ? AND id NOT IN (?)", eventID, false,
		tx.Model(&MeetingTableBooking{}).Select("location_id").Where("slot_id = ?", slotID)).
		Where("id NOT IN (?)", closedTables(tx, slotID)).
		Order("position, id").Take(&loc).Error
	if err == nil {
		return &loc, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	err = tx.Where("event_id = ? AND online = ?", eventID, true).Order("position, id").Take(&loc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoLocationFree
	}
	return &loc, err
}

// withBookingRetry runs fn in a transaction, again when it lost a race for
// an automatically picked table (taken or closed meanwhile: another free
// table may remain), or hit a
// PostgreSQL deadlock or serialization failure.
func withBookingRetry(db *gorm.DB, autoTable bool, fn func(tx *gorm.DB) error) error {
	var err error
	for try := 0; try < 8; try++ {
		err = db.Transaction(fn)
		switch {
		case err == nil:
			return nil
		case (errors.Is(err, ErrTableTaken) || errors.Is(err, ErrTableClosed)) && autoTable, isRetryableDBError(err):
			continue
		default:
			return err
		}
	}
	if errors.Is(err, ErrTableTaken) || (errors.Is(err, ErrTableClosed) && autoTable) {
		return ErrNoLocationFree
	}
	return err
}

// NetworkingFor returns an event's settings (defaults when none are saved).
func NetworkingFor(db *gorm.DB, eventID uint) (*NetworkingSetting, error) {
	s := &NetworkingSetting{EventID: eventID}
	err := db.Where("event_id = ?", eventID).Take(s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &NetworkingSetting{EventID: eventID, Mode: ModeRequests, RequestExpiryHours: 48}, nil
	}
	return s, err
}

// OrganizerBookInput is a meeting an organizer books for two people.
type OrganizerBookInput struct {
	EventID, SlotID, A, B, LocationID uint
	Now                               time.Time
}

// OrganizerBookMeeting books a meeting for two participants (same invariants
// and limits as a request) and tells both.
func OrganizerBookMeeting(db *gorm.DB, in OrganizerBookInput) (*Meeting, error) {
	set, err := NetworkingFor(db, in.EventID)
	if err != nil {
		return nil, err
	}
	var m *Meeting
	err = withBookingRetry(db, in.LocationID == 0, func(tx *gorm.DB) error {
		var err error
		m, err = bookMeeting(tx, set, bookInput{EventID: in.EventID, SlotID: in.SlotID, A: in.A, B: in.B,
			LocationID: in.LocationID, Source: SourceOrganizer, IgnoreAvailability: true})
		if err != nil {
			return err
		}
		for _, p := range []uint{m.AParticipantID, m.BParticipantID} {
			if err := notify(tx, NoticeBooked, p, m.Other(p), 0, m.ID, ""); err != nil {
				return err
			}
		}
		return nil
	})
	return m, err
}
