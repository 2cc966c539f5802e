package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PublicEventStamp returns what a cached rendering of the event's public page
// depends on: its id, version and whether it has ended. One indexed lookup,
// so every instance can check its cache against the shared database.
func PublicEventStamp(db *gorm.DB, slug string, now time.Time) (id uint, stamp string, err error) {
	var row struct {
		ID      uint
		Version int
		EndsAt  time.Time
	}
	res := db.Raw("SELECT id, version, ends_at FROM events WHERE slug = ? AND status IN (?, ?) LIMIT 1",
		slug, StatusPublished, StatusCancelled).Scan(&row)
	if res.Error != nil {
		return 0, "", res.Error
	}
	if res.RowsAffected == 0 {
		return 0, "", gorm.ErrRecordNotFound
	}
	return row.ID, fmt.Sprintf("%d.%d.%t", row.ID, row.Version, row.EndsAt.Before(now)), nil
}

// PublicListingStamp changes whenever any public event is added, removed or
// changed, and at least once a minute (so events move from upcoming to past).
func PublicListingStamp(db *gorm.DB, now time.Time) (string, error) {
	var row struct {
		N, Versions, Weighted int64
	}
	err := db.Raw("SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS versions, COALESCE(SUM(version * id), 0) AS weighted FROM events WHERE status IN (?, ?)",
		StatusPublished, StatusCancelled).Scan(&row).Error
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%d.%d", row.N, row.Versions, row.Weighted, now.Unix()/60), nil
}
