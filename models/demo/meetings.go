package demo

import (
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// seedMeetings turns on one-to-one meetings for the Brussels symposium: a
// 14:00–17:00 block of 20-minute slots with 5-minute breaks, 20 numbered
// tables, and the interest topics. It does nothing when they are there.
func seedMeetings(db *gorm.DB) error {
	var e models.Event
	err := db.Where("slug = ?", SymposiumSlug).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var n int64
	if err := db.Model(&models.NetworkingSetting{}).Where("event_id = ?", e.ID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	return db.Transaction(func(tx *gorm.DB) error {
		set := &models.NetworkingSetting{EventID: e.ID, Enabled: true, Mode: models.ModeRequests, MaxMeetings: 6, MaxPendingSent: 10,
			RequestExpiryHours: 72, OnlineLinkTemplate: "https://meet.example.org/agora-{meeting}",
			Topics: "Ageing at home\nTelecare and remote monitoring\nDementia-friendly communities\nFalls prevention\n" +
				"Mental health and peer support\nCo-creation with patients\nProcurement of innovation\nEvidence and evaluation"}
		if err := models.SaveNetworking(tx, set); err != nil {
			return err
		}
		loc := e.Location()
		d := e.StartsAt.In(loc)
		start := time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, loc)
		if err := models.AddMeetingBlock(tx, &models.MeetingBlock{EventID: e.ID, StartsAt: start.UTC(), EndsAt: start.Add(3 * time.Hour).UTC(),
			SlotMinutes: 20, BreakMinutes: 5}); err != nil {
			return err
		}
		return models.AddTables(tx, e.ID, "Table", 20)
	})
}
