package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SaveNetworking stores an event's networking settings.
func SaveNetworking(db *gorm.DB, s *NetworkingSetting) error {
	if s.Mode != ModeWishes {
		s.Mode = ModeRequests
	}
	// The public event page links to the networking area when it is on, and
	// that page is cached per event version.
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(s).Error; err != nil {
			return err
		}
		return BumpEventVersion(tx, s.EventID)
	})
}

// SlotTimes cuts [start, end) into slots of slotLen separated by gap. The
// last slot ends by end.
func SlotTimes(start, end time.Time, slotLen, gap time.Duration) [][2]time.Time {
	var out [][2]time.Time
	if slotLen <= 0 || gap < 0 {
		return nil
	}
	for t := start; !t.Add(slotLen).After(end) && len(out) < 500; t = t.Add(slotLen + gap) {
		out = append(out, [2]time.Time{t, t.Add(slotLen)})
	}
	return out
}

// ErrBlockOverlaps is returned for a block whose time overlaps another's.
var ErrBlockOverlaps = errors.New("the block overlaps another block")

// AddMeetingBlock saves a block and generates its slots.
func AddMeetingBlock(db *gorm.DB, b *MeetingBlock) error {
	times := SlotTimes(b.StartsAt, b.EndsAt, time.Duration(b.SlotMinutes)*time.Minute, time.Duration(b.BreakMinutes)*time.Minute)
	if len(times) == 0 {
		return fmt.Errorf("meeting block: no slot fits")
	}
	return db.Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&MeetingBlock{}).Where("event_id = ? AND starts_at < ? AND ends_at > ?", b.EventID, b.EndsAt, b.StartsAt).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrBlockOverlaps
		}
		if err := tx.Create(b).Error; err != nil {
			return err
		}
		slots := make([]MeetingSlot, len(times))
		for i, t := range times {
			slots[i] = MeetingSlot{EventID: b.EventID, BlockID: b.ID, StartsAt: t[0].UTC(), EndsAt: t[1].UTC()}
		}
		return tx.Create(&slots).Error
	})
}

// ErrBlockInUse is returned when a block's slots hold meetings or requests.
var ErrBlockInUse = errors.New("the block has meetings")

// DeleteMeetingBlock removes a block whose slots hold no meetings.
func DeleteMeetingBlock(db *gorm.DB, eventID, blockID uint) error {
	return db.Transaction(func(tx *gorm.DB) error {
		// Another event's block is not found, whether or not it is in use.
		if err := tx.Where("id = ? AND event_id = ?", blockID, eventID).Take(&MeetingBlock{}).Error; err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Meeting{}).Where("slot_id IN (?)", tx.Model(&MeetingSlot{}).Select("id").Where("block_id = ?", blockID)).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrBlockInUse
		}
		res := tx.Where("id = ? AND event_id = ?", blockID, eventID).Delete(&MeetingBlock{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if err := tx.Where("slot_id IN (?)", tx.Model(&MeetingSlot{}).Select("id").Where("block_id = ?", blockID)).Delete(&MeetingClosure{}).Error; err != nil {
			return err
		}
		return tx.Where("block_id = ?", blockID).Delete(&MeetingSlot{}).Error
	})
}

// AddTables adds n numbered tables ("Table 1", ...) after the existing
// locations, named with prefix.
func AddTables(db *gorm.DB, eventID uint, prefix string, n int) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var count int64
		if err := tx.Model(&MeetingLocation{}).Where("event_id = ? AND online = ?", eventID, false).Count(&count).Error; err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			num := int(count) + i
			if err := tx.Create(&MeetingLocation{EventID: eventID, Name: fmt.Sprintf("%s %d", prefix, num), Position: num}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// AddLocation adds one named room or online location.
func AddLocation(db *gorm.DB, l *MeetingLocation) error {
	var maxPos int
	db.Model(&MeetingLocation{}).Where("event_id = ?", l.EventID).Select("COALESCE(MAX(position), 0)").Scan(&maxPos)
	l.Position = maxPos + 1
	return db.Create(l).Error
}

// DeleteLocation removes a location that no meeting uses.
func DeleteLocation(db *gorm.DB, eventID, id uint) error {
	// Another event's location is not found, whether or not it is in use.
	if err := db.Where("id = ? AND event_id = ?", id, eventID).Take(&MeetingLocation{}).Error; err != nil {
		return err
	}
	var n int64
	if err := db.Model(&Meeting{}).Where("location_id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrBlockInUse
	}
	if err := db.Where("location_id = ? AND event_id = ?", id, eventID).Delete(&MeetingClosure{}).Error; err != nil {
		return err
	}
	res := db.Where("id = ? AND event_id = ?", id, eventID).Delete(&MeetingLocation{})
	if res.Error == nil && res.RowsAffected == 0 {
		return gorm.ErrRecordNotFound
	}
	return res.Error
}

// EventSlots lists an event's slots in time order.
func EventSlots(db *gorm.DB, eventID uint) ([]MeetingSlot, error) {
	var s []MeetingSlot
	return s, db.Where("event_id = ?", eventID).Order("starts_at, id").Find(&s).Error
}

// EventLocations lists an event's locations in order.
func EventLocations(db *gorm.DB, eventID uint) ([]MeetingLocation, error) {
	var l []MeetingLocation
	return l, db.Where("event_id = ?", eventID).Order("online, position, id").Find(&l).Error
}

// EventBlocks lists an event's meeting blocks.
func EventBlocks(db *gorm.DB, eventID uint) ([]MeetingBlock, error) {
	var b []MeetingBlock
	return b, db.Where("event_id = ?", eventID).Order("starts_at, id").Find(&b).Error
}
