package models

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrSendKeyTaken is returned for a send key already used by another
// event's message: the form must ask to confirm again, with a new key.
var ErrSendKeyTaken = errors.New("message: send key used elsewhere")

// QueueMessage writes m as queued, for the messages job to expand. A
// message with the same SendKey already written is returned instead (a
// second click), with reused set.
func QueueMessage(db *gorm.DB, m *Message, now time.Time) (reused bool, err error) {
	return QueueMessageBy(db, m, now, nil)
}

// QueueMessageBy is QueueMessage that also writes audit (who sent it, from
// where) to the log in the same transaction, for a new message only: a
// second click sends nothing and leaves no line.
func QueueMessageBy(db *gorm.DB, m *Message, now time.Time, audit *AuditEntry) (reused bool, err error) {
	if m.SendKey == "" || m.EventID == 0 {
		return false, errors.New("queue message: event and send key are required")
	}
	m.State = MessageQueued
	m.CreatedAt, m.UpdatedAt = now.UTC(), now.UTC()
	created := false
	err = db.Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "send_key"}}, DoNothing: true}).Create(m)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		created = true
		if err := saveMessageVersions(tx, m); err != nil {
			return err
		}
		if audit == nil {
			return nil
		}
		e := *audit
		eventID := m.EventID
		e.EventID, e.Action = &eventID, AuditMessageSent
		e.Subject = fmt.Sprintf("message %d", m.ID)
		e.Detail = "subject: " + m.Subject
		return RecordAudit(tx, e)
	})
	if err != nil {
		return false, fmt.Errorf("queue message: %w", err)
	}
	if created {
		return false, nil
	}
	var first Message
	if err := db.Where("send_key = ?", m.SendKey).Take(&first).Error; err != nil {
		return false, fmt.Errorf("queue message: %w", err)
	}
	if err := LoadMessageVersions(db, &first); err != nil {
		return false, err
	}
	if first.EventID != m.EventID {
		return false, ErrSendKeyTaken
	}
	*m = first
	return true, nil
}

// MessageOutboxKey is the dedupe key of the outbox row of one recipient row,
// itself unique per (message, e-mail).
func MessageOutboxKey(recipientID uint) string {
	return "message:" + strconv.FormatUint(uint64(recipientID), 10)
}

// ExpandMessage writes the recipient rows of a queued message and one outbox
// row each, batch people per transaction, and marks it expanded. It is safe
// to run twice at once or again after a crash: the unique (message, e-mail)
// key and the outbox dedupe key make every person one row and one mail.
// The audience is chosen when the job runs, so someone who cancelled between
// "send" and the expansion is not written to.
func ExpandMessage(db *gorm.DB, messageID uint, now time.Time, batch int) (int, error) {
	if batch <= 0 {
		batch = 200
	}
	var m Message
	if err := db.Take(&m, messageID).Error; err != nil {
		return 0, fmt.Errorf("expand message: %w", err)
	}
	if m.State != MessageQueued {
		return 0, nil
	}
	if err := LoadMessageVersions(db, &m); err != nil {
		return 0, err
	}
	people, err := MessageAudience(db, m.EventID, m.Filter())
	if err != nil {
		return 0, fmt.Errorf("expand message %d: audience: %w", m.ID, err)
	}
	for start := 0; start < len(people); start += batch {
		part := people[start:min(start+batch, len(people))]
		if err := db.Transaction(func(tx *gorm.DB) error { return expandBatch(tx, m, part, now) }); err != nil {
			return 0, fmt.Errorf("expand message %d: %w", m.ID, err)
		}
	}
	var n int64
	if err := db.Model(&MessageRecipient{}).Where("message_id = ?", m.ID).Count(&n).Error; err != nil {
		return 0, err
	}
	err = db.Model(&Message{}).Where("id = ? AND state = ?", m.ID, MessageQueued).Updates(map[string]any{
		"state": MessageExpanded, "recipients": n, "expanded_at": now.UTC(), "updated_at": now.UTC()}).Error
	return len(people), err
}

func expandBatch(tx *gorm.DB, m Message, people []Recipient, now time.Time) error {
	rows := make([]MessageRecipient, len(people))
	emails := make([]string, len(people))
	for i, p := range people {
		rows[i] = MessageRecipient{MessageID: m.ID, Email: p.Email, Name: p.Name, Language: p.Language, CreatedAt: now.UTC(),
			OrderID: optionalID(p.OrderID), AttendeeID: optionalID(p.AttendeeID), WaitlistEntryID: optionalID(p.WaitlistEntryID)}
		emails[i] = p.Email
	}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "message_id"}, {Name: "email"}}, DoNothing: true}).
		Create(&rows).Error; err != nil {
		return err
	}
	// Read back every row of the batch, ours or another instance's.
	var written []MessageRecipient
	if err := tx.Where("message_id = ? AND email IN ?", m.ID, emails).Order("id").Find(&written).Error; err != nil {
		return err
	}
	for _, r := range written {
		_, _, lang := m.Version(r.Language)
		if err := Enqueue(tx, &OutboxMessage{To: r.Email, Language: lang, Kind: MailEventMessage, RefID: r.ID,
			DedupeKey: MessageOutboxKey(r.ID), NextAttemptAt: now.UTC()}); err != nil {
			return err
		}
	}
	return nil
}

func optionalID(id uint) *uint {
	if id == 0 {
		return nil
	}
	return &id
}

// ExpandQueuedMessages expands up to limit queued messages, oldest first,
// and returns how many recipients they reached.
func ExpandQueuedMessages(db *gorm.DB, now time.Time, limit int) (int, error) {
	var ids []uint
	if err := db.Model(&Message{}).Where("state = ?", MessageQueued).Order("id").Limit(limit).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("queued messages: %w", err)
	}
	total := 0
	var errs []error
	for _, id := range ids {
		n, err := ExpandMessage(db, id, now, 0)
		total += n
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}
