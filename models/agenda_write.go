package models

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ErrNotInEvent is returned when a room, track or speaker id given for a
// session belongs to another event (or to none): the agenda never links
// records across events, whatever a form sends.
var ErrNotInEvent = errors.New("record does not belong to this event")

// ownedByEvent reports whether every id in ids is a row of table in eventID.
func ownedByEvent(tx *gorm.DB, table string, eventID uint, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	uniq := map[uint]bool{}
	for _, id := range ids {
		uniq[id] = true
	}
	var n int64
	if err := tx.Table(table).Where("event_id = ? AND id IN ?", eventID, ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(uniq) {
		return ErrNotInEvent
	}
	return nil
}

// checkSessionLinks refuses a room, track or speaker of another event.
func checkSessionLinks(tx *gorm.DB, s *Session, speakerIDs []uint) error {
	if s.RoomID != nil {
		if err := ownedByEvent(tx, "rooms", s.EventID, []uint{*s.RoomID}); err != nil {
			return err
		}
	}
	if s.TrackID != nil {
		if err := ownedByEvent(tx, "tracks", s.EventID, []uint{*s.TrackID}); err != nil {
			return err
		}
	}
	return ownedByEvent(tx, "speakers", s.EventID, speakerIDs)
}

func setSessionSpeakers(tx *gorm.DB, sessionID uint, speakerIDs []uint) error {
	if err := tx.Exec("DELETE FROM session_speakers WHERE session_id = ?", sessionID).Error; err != nil {
		return err
	}
	seen := map[uint]bool{}
	for _, id := range speakerIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := tx.Exec("INSERT INTO session_speakers (session_id, speaker_id) VALUES (?, ?)", sessionID, id).Error; err != nil {
			return err
		}
	}
	return nil
}

// CreateSession stores a session of s.EventID with its speakers, checking
// that room, track and speakers belong to the same event, and bumps the
// event's version, all in one transaction.
func CreateSession(db *gorm.DB, s *Session, speakerIDs []uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := checkSessionLinks(tx, s, speakerIDs); err != nil {
			return err
		}
		s.ID = 0
		if err := tx.Omit("Room", "Track", "Speakers").Create(s).Error; err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		if err := setSessionSpeakers(tx, s.ID, speakerIDs); err != nil {
			return fmt.Errorf("session speakers: %w", err)
		}
		return BumpEventVersion(tx, s.EventID)
	})
}

// UpdateSession writes the editable fields of s (which must belong to
// s.EventID) and replaces its speakers, in one transaction.
func UpdateSession(db *gorm.DB, s *Session, speakerIDs []uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := checkSessionLinks(tx, s, speakerIDs); err != nil {
			return err
		}
		res := tx.Model(&Session{}).Where("id = ? AND event_id = ?", s.ID, s.EventID).Updates(map[string]any{
			"title": s.Title, "description": s.Description, "format": s.Format, "starts_at": s.StartsAt,
			"ends_at": s.EndsAt, "room_id": s.RoomID, "track_id": s.TrackID, "capacity": s.Capacity, "sign_up": s.SignUp, "attendance_counted": s.AttendanceCounted,
		})
		if res.Error != nil {
			return fmt.Errorf("update session: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if err := setSessionSpeakers(tx, s.ID, speakerIDs); err != nil {
			return fmt.Errorf("session speakers: %w", err)
		}
		return BumpEventVersion(tx, s.EventID)
	})
}

// DeleteSession removes a session of eventID and its speaker links.
func DeleteSession(db *gorm.DB, eventID, sessionID uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := ownedByEvent(tx, "sessions", eventID, []uint{sessionID}); err != nil {
			return gorm.ErrRecordNotFound
		}
		if err := tx.Exec("DELETE FROM session_speakers WHERE session_id = ?", sessionID).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ? AND event_id = ?", sessionID, eventID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return BumpEventVersion(tx, eventID)
	})
}

// SessionOfEvent loads one session of eventID with its speakers, or gorm.ErrRecordNotFound.
func SessionOfEvent(db *gorm.DB, eventID, sessionID uint) (*Session, error) {
	var s Session
	err := db.Preload("Speakers").Where("id = ? AND event_id = ?", sessionID, eventID).First(&s).Error
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// CreateAgendaItem stores a room, track or speaker (rec must have EventID
// set) and bumps the event's version.
func CreateAgendaItem(db *gorm.DB, eventID uint, rec any) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(rec).Error; err != nil {
			return err
		}
		return BumpEventVersion(tx, eventID)
	})
}

// UpdateAgendaItem writes the given columns of a room, track or speaker of
// eventID and bumps the event's version.
func UpdateAgendaItem(db *gorm.DB, eventID, id uint, model any, cols map[string]any) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(model).Where("id = ? AND event_id = ?", id, eventID).Updates(cols)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		return BumpEventVersion(tx, eventID)
	})
}

// DeleteRoom removes a room of eventID; its sessions keep their place in the
// agenda without a room.
func DeleteRoom(db *gorm.DB, eventID, roomID uint) error {
	return deleteAgendaItem(db, eventID, roomID, "rooms", func(tx *gorm.DB) error {
		return tx.Model(&Session{}).Where("room_id = ?", roomID).Update("room_id", nil).Error
	}, &Room{})
}

// DeleteTrack removes a track of eventID; its sessions stay, without a track.
func DeleteTrack(db *gorm.DB, eventID, trackID uint) error {
	return deleteAgendaItem(db, eventID, trackID, "tracks", func(tx *gorm.DB) error {
		return tx.Model(&Session{}).Where("track_id = ?", trackID).Update("track_id", nil).Error
	}, &Track{})
}

// DeleteSpeaker removes a speaker of eventID from the event and its sessions.
func DeleteSpeaker(db *gorm.DB, eventID, speakerID uint) error {
	return deleteAgendaItem(db, eventID, speakerID, "speakers", func(tx *gorm.DB) error {
		return tx.Exec("DELETE FROM session_speakers WHERE speaker_id = ?", speakerID).Error
	}, &Speaker{})
}

func deleteAgendaItem(db *gorm.DB, eventID, id uint, table string, detach func(*gorm.DB) error, model any) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := ownedByEvent(tx, table, eventID, []uint{id}); err != nil {
			return gorm.ErrRecordNotFound
		}
		if err := detach(tx); err != nil {
			return err
		}
		if err := tx.Where("id = ? AND event_id = ?", id, eventID).Delete(model).Error; err != nil {
			return err
		}
		return BumpEventVersion(tx, eventID)
	})
}
