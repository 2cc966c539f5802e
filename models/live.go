package models

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// LiveEvent is one thing that happened on a live topic of the agora (a post
// on a board, a vote, a moderation, a poll opening): a row first, so every
// instance sees it — each instance's hub (app/live) reads the rows after
// the last it saw and passes them to the pages following the topic (the
// projector, the board). On PostgreSQL the row's commit also sends a
// notification, so other instances look at once instead of at their next poll.
type LiveEvent struct {
	ID uint64 `gorm:"primaryKey"`
	// Topic names what the event is about, e.g. "board:12"; pages follow topics.
	Topic string `gorm:"size:60;not null;index"`
	// Kind says what happened ("post", "vote", "hidden", "poll", …).
	Kind string `gorm:"size:30;not null"`
	// Data is a small JSON object the pages may use (ids, counts) — never
	// text a moderator has not let through, never a person's name.
	Data      string    `gorm:"type:text;not null;default:''"`
	CreatedAt time.Time `gorm:"not null;index"`
}

// LiveChannel is the PostgreSQL notification channel of live events.
const LiveChannel = "agora_live"

// PublishLive records a live event in tx: call it in the transaction of the
// change it announces, so pages never hear of a change that did not commit.
// data is encoded as JSON (nil = no data).
func PublishLive(tx *gorm.DB, topic, kind string, data any) error {
	ev := LiveEvent{Topic: topic, Kind: kind, CreatedAt: time.Now().UTC()}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("live event data: %w", err)
		}
		ev.Data = string(raw)
	}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("live event: %w", err)
	}
	if IsPostgres(tx) {
		// Delivered at commit, dropped at rollback: exactly the rows that exist.
		if err := tx.Exec("SELECT pg_notify(?, ?)", LiveChannel, topic).Error; err != nil {
			return fmt.Errorf("live notify: %w", err)
		}
	}
	return nil
}

// LiveEventsAfter returns up to limit live events with an id above after,
// oldest first; topic "" means every topic.
func LiveEventsAfter(db *gorm.DB, after uint64, topic string, limit int) ([]LiveEvent, error) {
	q := db.Where("id > ?", after)
	if topic != "" {
		q = q.Where("topic = ?", topic)
	}
	var evs []LiveEvent
	err := q.Order("id ASC").Limit(limit).Find(&evs).Error
	return evs, err
}

// LastLiveEventID is the newest live event's id (0 when there is none).
func LastLiveEventID(db *gorm.DB) (uint64, error) {
	var id *uint64
	if err := db.Model(&LiveEvent{}).Select("MAX(id)").Scan(&id).Error; err != nil {
		return 0, err
	}
	if id == nil {
		return 0, nil
	}
	return *id, nil
}

// PruneLiveEvents deletes live events older than before: they only serve
// pages reconnecting after a short break, never as a record.
func PruneLiveEvents(db *gorm.DB, before time.Time) (int64, error) {
	res := db.Where("created_at < ?", before).Delete(&LiveEvent{})
	return res.RowsAffected, res.Error
}
