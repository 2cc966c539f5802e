package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Outbox retry policy: the n-th failure waits OutboxBaseBackoff·2^(n-1),
// at most OutboxMaxBackoff; after OutboxMaxAttempts attempts the message is
// marked failed for an operator to look at.
const (
	OutboxMaxAttempts = 8
	OutboxBaseBackoff = 30 * time.Second
	OutboxMaxBackoff  = 6 * time.Hour
)

// Enqueue writes msg to the outbox inside tx, the transaction of the change
// it reports. A message whose DedupeKey is already queued is ignored, so
// retrying a change never mails twice. msg.ID is 0 when it was a duplicate.
func Enqueue(tx *gorm.DB, msg *OutboxMessage) error {
	if msg.DedupeKey == "" {
		return errors.New("enqueue: a dedupe key is required")
	}
	if msg.To == "" {
		return errors.New("enqueue: no recipient")
	}
	msg.Status = OutboxPending
	if msg.NextAttemptAt.IsZero() {
		msg.NextAttemptAt = time.Now().UTC()
	}
	if msg.Language == "" {
		msg.Language = "en"
	}
	atts := msg.Attachments
	msg.Attachments = nil
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedupe_key"}}, DoNothing: true}).Create(msg)
	msg.Attachments = atts
	if res.Error != nil {
		return fmt.Errorf("enqueue: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		msg.ID = 0
		return nil
	}
	for i := range atts {
		atts[i].MessageID = msg.ID
		if err := tx.Create(&atts[i]).Error; err != nil {
			return fmt.Errorf("enqueue attachment: %w", err)
		}
	}
	return nil
}

// ClaimDue claims up to limit messages that are due at now and not claimed by
// a live lease, for instanceID until now+lease, and returns them with their
// attachments. On PostgreSQL, FOR UPDATE SKIP LOCKED lets instances claim
// side by side without waiting on each other; on SQLite the immediate
// transaction already serialises writers. A claim whose lease ran out (a
// crashed instance) is claimed again. Each claim counts as an attempt.
func ClaimDue(db *gorm.DB, instanceID string, now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error) {
	now = now.UTC()
	var msgs []OutboxMessage
	err := db.Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&OutboxMessage{}).
			Where("status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", OutboxPending, now, now).
			Order("next_attempt_at, id").Limit(limit)
		if IsPostgres(tx) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var ids []uint
		if err := q.Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		until := now.Add(lease)
		if err := tx.Model(&OutboxMessage{}).Where("id IN ?", ids).Updates(map[string]any{
			"claimed_by": instanceID, "claimed_until": until, "attempts": gorm.Expr("attempts + 1"), "updated_at": now,
		}).Error; err != nil {
			return err
		}
		return tx.Preload("Attachments", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
			Where("id IN ?", ids).Order("next_attempt_at, id").Find(&msgs).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return msgs, nil
}

// MarkSent records that the message went out.
func MarkSent(db *gorm.DB, id uint, now time.Time) error {
	return db.Model(&OutboxMessage{}).Where("id = ?", id).Updates(map[string]any{
		"status": OutboxSent, "sent_at": now.UTC(), "claimed_until": nil, "last_error": "", "updated_at": now.UTC(),
	}).Error
}

// MarkFailed records a failed send: the message is due again after a backoff
// that doubles with each attempt, or failed for good after OutboxMaxAttempts.
// It returns whether the message will be retried.
func MarkFailed(db *gorm.DB, id uint, now time.Time, sendErr error) (bool, error) {
	var m OutboxMessage
	if err := db.Select("id", "attempts").Take(&m, id).Error; err != nil {
		return false, err
	}
	msg := "unknown error"
	if sendErr != nil {
		msg = sendErr.Error()
	}
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	up := map[string]any{"last_error": msg, "claimed_until": nil, "updated_at": now.UTC()}
	retry := m.Attempts < OutboxMaxAttempts
	if retry {
		up["next_attempt_at"] = now.UTC().Add(OutboxBackoff(m.Attempts))
	} else {
		up["status"] = OutboxFailed
	}
	return retry, db.Model(&OutboxMessage{}).Where("id = ?", id).Updates(up).Error
}

// OutboxBackoff is the wait after the attempts-th failed attempt.
func OutboxBackoff(attempts int) time.Duration {
	d := OutboxBaseBackoff
	for i := 1; i < attempts && d < OutboxMaxBackoff; i++ {
		d *= 2
	}
	if d > OutboxMaxBackoff {
		d = OutboxMaxBackoff
	}
	return d
}
