package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0015CheckinLists makes check-ins rows: lists per day and session,
// one row per person let in on a list, with the two unique indexes that
// keep it once per (list, attendee) while live and once per (device,
// local id). Sessions gain "attendance counted". The check-ins made before
// become rows on each event's first day list.
func migrate0015CheckinLists(tx *gorm.DB) error {
	type session struct {
		ID                uint `gorm:"primaryKey"`
		AttendanceCounted bool `gorm:"not null;default:false"`
	}
	if err := tx.Migrator().AddColumn(&session{}, "AttendanceCounted"); err != nil {
		return err
	}
	type checkinList struct {
		ID        uint   `gorm:"primaryKey"`
		EventID   uint   `gorm:"not null;uniqueIndex:idx_checkin_list_key"`
		Key       string `gorm:"column:list_key;size:40;not null;uniqueIndex:idx_checkin_list_key"`
		Kind      string `gorm:"size:10;not null"`
		Day       string `gorm:"size:10;not null;default:''"`
		SessionID *uint
		CreatedAt time.Time
	}
	type checkin struct {
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
	if err := tx.Table("checkin_lists").AutoMigrate(&checkinList{}); err != nil {
		return err
	}
	if err := tx.Table("checkins").AutoMigrate(&checkin{}); err != nil {
		return err
	}
	for _, q := range []string{
		`CREATE UNIQUE INDEX idx_checkin_live ON checkins (list_id, attendee_id) WHERE undone_at IS NULL`,
		`CREATE UNIQUE INDEX idx_checkin_device_local ON checkins (device_id, local_id) WHERE local_id <> ''`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	var done []struct {
		ID          uint
		EventID     uint
		CheckedInAt time.Time
	}
	if err := tx.Table("attendees").Select("id, event_id, checked_in_at").Where("checked_in_at IS NOT NULL").Order("event_id, id").Scan(&done).Error; err != nil {
		return err
	}
	now := time.Now().UTC()
	lists := map[uint]uint{}
	for _, d := range done {
		listID, ok := lists[d.EventID]
		if !ok {
			var e Event
			if err := tx.Select("id", "time_zone", "starts_at", "ends_at").Take(&e, d.EventID).Error; err != nil {
				return err
			}
			day := eventDays(&e)[0]
			l := checkinList{EventID: e.ID, Key: "day:" + day, Kind: CheckinListDay, Day: day, CreatedAt: now}
			if err := tx.Table("checkin_lists").Create(&l).Error; err != nil {
				return err
			}
			listID, lists[d.EventID] = l.ID, l.ID
		}
		k := checkin{EventID: d.EventID, ListID: listID, AttendeeID: d.ID, At: d.CheckedInAt.UTC(), CreatedAt: now, UpdatedAt: now}
		if err := tx.Table("checkins").Create(&k).Error; err != nil {
			return err
		}
	}
	return nil
}
