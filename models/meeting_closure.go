package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// An organizer may close one physical table for one slot (a table kept for
// a sponsor, a broken chair, a fire exit). Invariant: no active meeting
// sits in a closed cell. Both sides take the table's row lock on
// PostgreSQL (SQLite runs one writing transaction at a time): the closer
// before it looks for a booking, the booker (seatMeeting) before it looks
// for a closure. Whoever comes second sees what the first committed.

// MeetingClosure is one table closed for one slot: unique (location_id, slot_id).
type MeetingClosure struct {
	ID         uint `gorm:"primaryKey"`
	EventID    uint `gorm:"not null;index"`
	LocationID uint `gorm:"not null;uniqueIndex:idx_meeting_closure_cell,priority:1"`
	SlotID     uint `gorm:"not null;uniqueIndex:idx_meeting_closure_cell,priority:2"`
	CreatedAt  time.Time
}

// Errors of closing tables, each shown to the organizer as a clear message.
var (
	ErrCellHasMeeting  = errors.New("that table has a meeting in that slot: move or cancel the meeting first")
	ErrTableClosed     = errors.New("that table is closed in that slot")
	ErrOnlineNotClosed = errors.New("an online location cannot be closed")
)

// MeetingCell names one table in one slot.
type MeetingCell struct{ LocationID, SlotID uint }

// lockTable takes a location's row lock on PostgreSQL; see the top of the
// file. NO KEY UPDATE, because a booking has already inserted its meeting,
// whose foreign key holds KEY SHARE on the row: FOR UPDATE would make two
// bookings of one table wait for each other (a deadlock).
func lockTable(tx *gorm.DB, locationID uint) error {
	if !IsPostgres(tx) {
		return nil
	}
	return tx.Exec("SELECT id FROM meeting_locations WHERE id = ? FOR NO KEY UPDATE", locationID).Error
}

// tableClosed reports whether the table is closed in the slot.
func tableClosed(tx *gorm.DB, locationID, slotID uint) (bool, error) {
	var n int64
	err := tx.Model(&MeetingClosure{}).Where("location_id = ? AND slot_id = ?", locationID, slotID).Count(&n).Error
	return n > 0, err
}

// closedTables selects the ids of the tables closed in a slot, for NOT IN.
func closedTables(tx *gorm.DB, slotID uint) *gorm.DB {
	return tx.Model(&MeetingClosure{}).Select("location_id").Where("slot_id = ?", slotID)
}

// eventCell loads a physical location and a slot of the event; another
// event's ids are gorm.ErrRecordNotFound.
func eventCell(tx *gorm.DB, eventID, locationID, slotID uint) (*MeetingLocation, *MeetingSlot, error) {
	var loc MeetingLocation
	if err := tx.Where("id = ? AND event_id = ?", locationID, eventID).Take(&loc).Error; err != nil {
		return nil, nil, err
	}
	var slot MeetingSlot
	if err := tx.Where("id = ? AND event_id = ?", slotID, eventID).Take(&slot).Error; err != nil {
		return nil, nil, err
	}
	if loc.Online {
		return nil, nil, ErrOnlineNotClosed
	}
	return &loc, &slot, nil
}

// CloseTable closes a table of the event for one slot. Closing a closed
// cell again is not an error. A cell holding a meeting is ErrCellHasMeeting.
func CloseTable(db *gorm.DB, eventID, locationID, slotID uint) error {
	return withBookingRetry(db, false, func(tx *gorm.DB) error {
		if _, _, err := eventCell(tx, eventID, locationID, slotID); err != nil {
			return err
		}
		if err := lockTable(tx, locationID); err != nil {
			return fmt.Errorf("lock table: %w", err)
		}
		var booked int64
		if err := tx.Model(&MeetingTableBooking{}).Where("location_id = ? AND slot_id = ?", locationID, slotID).Count(&booked).Error; err != nil {
			return err
		}
		if booked > 0 {
			return ErrCellHasMeeting
		}
		closed, err := tableClosed(tx, locationID, slotID)
		if err != nil || closed {
			return err
		}
		return tx.Create(&MeetingClosure{EventID: eventID, LocationID: locationID, SlotID: slotID}).Error
	})
}

// ReopenTable opens a closed cell again; a cell that is not closed is
// gorm.ErrRecordNotFound.
func ReopenTable(db *gorm.DB, eventID, locationID, slotID uint) error {
	res := db.Where("event_id = ? AND location_id = ? AND slot_id = ?", eventID, locationID, slotID).Delete(&MeetingClosure{})
	if res.Error == nil && res.RowsAffected == 0 {
		return gorm.ErrRecordNotFound
	}
	return res.Error
}

// EventClosures lists an event's closed cells.
func EventClosures(db *gorm.DB, eventID uint) ([]MeetingClosure, error) {
	var cs []MeetingClosure
	err := db.Where("event_id = ?", eventID).Order("slot_id, location_id").Find(&cs).Error
	return cs, err
}

// ClosedCells returns an event's closed cells as a set.
func ClosedCells(db *gorm.DB, eventID uint) (map[MeetingCell]bool, error) {
	cs, err := EventClosures(db, eventID)
	out := make(map[MeetingCell]bool, len(cs))
	for _, c := range cs {
		out[MeetingCell{LocationID: c.LocationID, SlotID: c.SlotID}] = true
	}
	return out, err
}
