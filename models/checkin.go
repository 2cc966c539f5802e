package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Checkin is one person let in on one list. At most one is live (not
// undone) per (list, attendee), and a device's local id names one row, so a
// batch sent twice, or the same person scanned on two phones, ends as one
// check-in: both are unique indexes (migration 15), not only code.
type Checkin struct {
	ID           uint   `gorm:"primaryKey"`
	EventID      uint   `gorm:"not null;index"`
	ListID       uint   `gorm:"not null"`
	AttendeeID   uint   `gorm:"not null;index"`
	DeviceID     string `gorm:"size:64;not null;default:''"`
	LocalID      string `gorm:"size:64;not null;default:''"`
	At           time.Time
	ByUserID     *uint
	UndoneAt     *time.Time
	UndoneBy     *uint
	CheckedOutAt *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time `gorm:"index"`
}

// Check-in results, as the door and the sync endpoint name them.
const (
	CheckinOK           = "checked_in"
	CheckinAlready      = "already"
	CheckinNotOnList    = "not_for_list"
	CheckinUnknown      = "unknown"
	CheckinCancelled    = "cancelled"
	CheckinNotConfirmed = "not_confirmed"
)

// CheckinInput says who lets the person in, from which device, and when.
// LocalID is the device's own number for the scan (empty for the web form).
type CheckinInput struct {
	DeviceID string
	LocalID  string
	At       time.Time
	ByUserID uint
}

// CheckinOutcome is what the door is told: the result, the person, and the
// live check-in (this one, or the earlier one for CheckinAlready).
type CheckinOutcome struct {
	Result   string
	Attendee *Attendee
	Checkin  *Checkin
}

// ErrNotOnList is returned when the attendee is not expected on the list
// (a session they did not sign up for).
var ErrNotOnList = errors.New("not on this check-in list")

// clampCheckinTime keeps a device's clock from writing the future or the
// distant past into the records.
func clampCheckinTime(at, now time.Time) time.Time {
	now = now.UTC()
	if at.IsZero() || at.After(now.Add(5*time.Minute)) || at.Before(now.AddDate(0, 0, -30)) {
		return now
	}
	return at.UTC()
}

// CheckInto checks attendee att into list l. A second check-in of the same
// person on the list, from any device, leaves the first and answers
// CheckinAlready; the same (device, local id) again answers as the first
// time did. The attendee's CheckedInAt/CheckInCount follow (syncAttendeeCheckIn).
func CheckInto(db *gorm.DB, l *CheckinList, att *Attendee, in CheckinInput, now time.Time) (CheckinOutcome, error) {
	out := CheckinOutcome{Attendee: att}
	if att.EventID != l.EventID {
		out.Result = CheckinUnknown
		return out, nil
	}
	var o Order
	if err := db.Select("id", "status").Take(&o, att.OrderID).Error; err != nil {
		return out, err
	}
	switch {
	case att.Status != AttendeeActive || !o.IsLive():
		out.Result = CheckinCancelled
		return out, nil
	case o.Status != OrderConfirmed:
		out.Result = CheckinNotConfirmed
		return out, nil
	}
	var n int64
	if err := expectedOn(db, l).Where("attendees.id = ?", att.ID).Count(&n).Error; err != nil {
		return out, err
	}
	if n == 0 {
		out.Result = CheckinNotOnList
		return out, nil
	}
	now = now.UTC()
	row := Checkin{EventID: l.EventID, ListID: l.ID, AttendeeID: att.ID, DeviceID: in.DeviceID, LocalID: in.LocalID,
		At: clampCheckinTime(in.At, now), CreatedAt: now, UpdatedAt: now}
	if in.ByUserID != 0 {
		by := in.ByUserID
		row.ByUserID = &by
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if in.LocalID != "" {
			var mine Checkin
			err := tx.Where("device_id = ? AND local_id = ?", in.DeviceID, in.LocalID).Take(&mine).Error
			if err == nil {
				out.Result, out.Checkin = CheckinOK, &mine
				return nil
			} else if !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
		}
		// One statement decides between two devices: the unique indexes
		// let one insert through and the other does nothing.
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			out.Result, out.Checkin = CheckinOK, &row
			if err := attendeeWebhook(tx, WebhookCheckedIn, att.EventID, att.ID, fmt.Sprint(row.ID), now,
				map[string]any{"checkin_id": row.ID, "list_id": l.ID, "checked_in_at": row.At}); err != nil {
				return err
			}
			return syncAttendeeCheckIn(tx, att.ID, now)
		}
		if in.LocalID != "" {
			var mine Checkin
			if tx.Where("device_id = ? AND local_id = ?", in.DeviceID, in.LocalID).Take(&mine).Error == nil {
				out.Result, out.Checkin = CheckinOK, &mine
				return nil
			}
		}
		var live Checkin
		if err := tx.Where("list_id = ? AND attendee_id = ? AND undone_at IS NULL", l.ID, att.ID).Take(&live).Error; err != nil {
			return err
		}
		out.Result, out.Checkin = CheckinAlready, &live
		if live.CheckedOutAt != nil {
			// Back in after a check-out: the same check-in, open again.
			if err := tx.Model(&live).Updates(map[string]any{"checked_out_at": nil, "updated_at": now}).Error; err != nil {
				return err
			}
			live.CheckedOutAt = nil
			out.Result = CheckinOK
		}
		return syncAttendeeCheckIn(tx, att.ID, now)
	})
	if err != nil {
		return out, err
	}
	if err := db.Preload("TicketType").Take(att, att.ID).Error; err != nil {
		return out, err
	}
	return out, nil
}

// syncAttendeeCheckIn keeps the attendee's summary columns, which the
// registration list, CSV and statistics read, true to the rows:
// CheckedInAt is the earliest live check-in on any list; CheckInCount
// counts the scans, and drops to 0 when no live check-in is left.
func syncAttendeeCheckIn(tx *gorm.DB, attendeeID uint, now time.Time) error {
	const first = "(SELECT MIN(at) FROM checkins WHERE attendee_id = attendees.id AND undone_at IS NULL)"
	return tx.Exec(`UPDATE attendees SET checked_in_at = `+first+`,
		check_in_count = CASE WHEN `+first+` IS NULL THEN 0 ELSE check_in_count + 1 END, updated_at = ? WHERE id = ?`,
		now, attendeeID).Error
}

// resyncAttendeeCheckIn is syncAttendeeCheckIn without counting a scan.
func resyncAttendeeCheckIn(tx *gorm.DB, attendeeID uint, now time.Time) error {
	const first = "(SELECT MIN(at) FROM checkins WHERE attendee_id = attendees.id AND undone_at IS NULL)"
	return tx.Exec(`UPDATE attendees SET checked_in_at = `+first+`,
		check_in_count = CASE WHEN `+first+` IS NULL THEN 0 ELSE check_in_count END, updated_at = ? WHERE id = ?`,
		now, attendeeID).Error
}

// ErrCheckinNotFound is returned for a check-in that is not live on the list.
var ErrCheckinNotFound = errors.New("check-in not found")

// UndoCheckin takes back check-in id on list l, recording who and when.
func UndoCheckin(db *gorm.DB, l *CheckinList, id, byUserID uint, now time.Time) (*Checkin, error) {
	now = now.UTC()
	var k Checkin
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Checkin{}).Where("id = ? AND list_id = ? AND undone_at IS NULL", id, l.ID).
			Updates(map[string]any{"undone_at": now, "undone_by": byUserID, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrCheckinNotFound
		}
		if err := tx.Take(&k, id).Error; err != nil {
			return err
		}
		return resyncAttendeeCheckIn(tx, k.AttendeeID, now)
	})
	return &k, err
}

// CheckOut records that the person left (a session); scanning them again
// opens the same check-in.
func CheckOut(db *gorm.DB, l *CheckinList, id uint, now time.Time) error {
	now = now.UTC()
	res := db.Model(&Checkin{}).Where("id = ? AND list_id = ? AND undone_at IS NULL AND checked_out_at IS NULL", id, l.ID).
		Updates(map[string]any{"checked_out_at": now, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrCheckinNotFound
	}
	return nil
}
