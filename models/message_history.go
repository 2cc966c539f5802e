package models

import (
	"fmt"

	"gorm.io/gorm"
)

// MessageCounts are a message's outbox rows by state: waiting to go (or
// being retried), sent, failed for good.
type MessageCounts struct {
	Queued int
	Sent   int
	Failed int
}

// MessageSummary is a message with its delivery counts.
type MessageSummary struct {
	Message
	Counts MessageCounts
}

// MessagesOf lists an event's messages, newest first, with their counts.
func MessagesOf(db *gorm.DB, eventID uint) ([]MessageSummary, error) {
	var ms []Message
	if err := db.Where("event_id = ?", eventID).Order("created_at DESC, id DESC").Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	return withCounts(db, ms)
}

// MessageOf returns message id of event eventID (gorm.ErrRecordNotFound
// when it is another event's) with its counts.
func MessageOf(db *gorm.DB, eventID, id uint) (*MessageSummary, error) {
	var m Message
	if err := db.Where("event_id = ?", eventID).Take(&m, id).Error; err != nil {
		return nil, err
	}
	out, err := withCounts(db, []Message{m})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func withCounts(db *gorm.DB, ms []Message) ([]MessageSummary, error) {
	out := make([]MessageSummary, len(ms))
	if len(ms) == 0 {
		return out, nil
	}
	ptrs := make([]*Message, len(ms))
	for i := range ms {
		ptrs[i] = &ms[i]
	}
	if err := LoadMessageVersions(db, ptrs...); err != nil {
		return nil, err
	}
	ids := make([]uint, len(ms))
	at := map[uint]int{}
	for i, m := range ms {
		ids[i], at[m.ID] = m.ID, i
		out[i].Message = m
	}
	var rows []struct {
		MessageID uint
		Status    string
		N         int
	}
	err := db.Table("message_recipients r").
		Joins("JOIN outbox_messages o ON o.kind = ? AND o.ref_id = r.id", MailEventMessage).
		Select("r.message_id, o.status, COUNT(*) AS n").Where("r.message_id IN ?", ids).
		Group("r.message_id, o.status").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("message counts: %w", err)
	}
	for _, r := range rows {
		c := &out[at[r.MessageID]].Counts
		switch r.Status {
		case OutboxSent:
			c.Sent += r.N
		case OutboxFailed:
			c.Failed += r.N
		default:
			c.Queued += r.N
		}
	}
	return out, nil
}

// MessageRecipientRow is one recipient with the state of their mail.
type MessageRecipientRow struct {
	Name   string
	Email  string
	Status string
}

// RecipientsOf lists up to limit recipients of message messageID with the
// state of their mail, in the order they were written.
func RecipientsOf(db *gorm.DB, messageID uint, limit int) ([]MessageRecipientRow, error) {
	var rows []MessageRecipientRow
	err := db.Table("message_recipients r").
		Joins("LEFT JOIN outbox_messages o ON o.kind = ? AND o.ref_id = r.id", MailEventMessage).
		Select("r.name, r.email, COALESCE(o.status, '') AS status").Where("r.message_id = ?", messageID).
		Order("r.id").Limit(limit).Scan(&rows).Error
	return rows, err
}
