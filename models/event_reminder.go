package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MailEventReminder is the outbox kind of the "see you soon" e-mail; RefID
// is the event and To the person, whose tickets are found at send time.
const MailEventReminder = "event_reminder"

// ReminderKey is the outbox dedupe key of the reminder of eventID to email:
// one per person and event, however many instances queue it and however
// often. The address is hashed so the key fits its column.
func ReminderKey(eventID uint, email string) string {
	sum := sha256.Sum256([]byte(normEmail(email)))
	return fmt.Sprintf("reminder:%d:%s", eventID, hex.EncodeToString(sum[:]))
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ReminderRecipient is one person a reminder goes to, with the attendees
// (theirs, or those without an address on an order they bought) it covers.
type ReminderRecipient struct {
	Email       string
	Language    string
	AttendeeIDs []uint
}

// reminderRow is an active attendee of a confirmed order, as the reminder
// rules read it.
type reminderRow struct {
	AttendeeID  uint
	Email       string
	BuyerEmail  string
	Language    string
	OrderID     uint
	ConfirmedAt *time.Time
	CreatedAt   time.Time
}

// reminderRows lists the active attendees of confirmed orders of the event;
// cancelled and expired orders and cancelled attendees never appear.
func reminderRows(db *gorm.DB, eventID uint, email string) ([]reminderRow, error) {
	q := db.Table("attendees").
		Select("attendees.id AS attendee_id, attendees.email, orders.buyer_email, orders.language, orders.id AS order_id, orders.confirmed_at, orders.created_at").
		Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status = ?", eventID, AttendeeActive, OrderConfirmed)
	if email != "" {
		e := normEmail(email)
		q = q.Where("(LOWER(attendees.email) = ? OR (attendees.email = '' AND LOWER(orders.buyer_email) = ?))", e, e)
	}
	var rows []reminderRow
	err := q.Order("orders.id, attendees.position, attendees.id").Scan(&rows).Error
	return rows, err
}

// groupReminderRows makes one recipient per address (compared without
// case): an attendee's own address, or for an attendee without one the
// buyer's. The language is that of the person's first order.
func groupReminderRows(rows []reminderRow) []ReminderRecipient {
	byEmail := map[string]*ReminderRecipient{}
	var order []string
	for _, r := range rows {
		to := r.Email
		if strings.TrimSpace(to) == "" {
			to = r.BuyerEmail
		}
		k := normEmail(to)
		if k == "" {
			continue
		}
		rc, ok := byEmail[k]
		if !ok {
			rc = &ReminderRecipient{Email: strings.TrimSpace(to), Language: r.Language}
			byEmail[k] = rc
			order = append(order, k)
		}
		rc.AttendeeIDs = append(rc.AttendeeIDs, r.AttendeeID)
	}
	out := make([]ReminderRecipient, 0, len(order))
	for _, k := range order {
		out = append(out, *byEmail[k])
	}
	return out
}

// ReminderRecipients lists who gets the event's reminder due at dueAt.
// People whose order was confirmed at or after dueAt get none: they
// registered inside the reminder window, so their confirmation, with the
// same ticket and access details, is already that recent.
func ReminderRecipients(db *gorm.DB, eventID uint, dueAt time.Time) ([]ReminderRecipient, error) {
	rows, err := reminderRows(db, eventID, "")
	if err != nil {
		return nil, err
	}
	kept := rows[:0]
	for _, r := range rows {
		at := r.CreatedAt
		if r.ConfirmedAt != nil {
			at = *r.ConfirmedAt
		}
		if at.Before(dueAt) {
			kept = append(kept, r)
		}
	}
	return groupReminderRows(kept), nil
}

// ReminderAttendees returns, at send time, the attendees a reminder to
// email covers (empty when all were cancelled meanwhile), in order.
func ReminderAttendees(db *gorm.DB, eventID uint, email string) ([]Attendee, error) {
	rows, err := reminderRows(db, eventID, email)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.AttendeeID
	}
	var as []Attendee
	err = inChunks(ids, func(part []uint) error {
		var some []Attendee
		if err := db.Preload("TicketType").Preload("Order").Where("id IN ?", part).Find(&some).Error; err != nil {
			return err
		}
		as = append(as, some...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	pos := map[uint]int{}
	for i, id := range ids {
		pos[id] = i
	}
	sort.Slice(as, func(i, j int) bool { return pos[as[i].ID] < pos[as[j].ID] })
	return as, nil
}

// RemindersDue reports whether the event's reminder should go out at now:
// it is published, reminders are on, their time has passed and the event
// has not started.
func RemindersDue(e Event, s EventMailSetting, now time.Time) bool {
	return e.Status == StatusPublished && s.RemindersEnabled && !now.Before(s.ReminderAt(e)) && now.Before(e.StartsAt)
}

// QueueEventReminders writes one outbox reminder for each person of each
// event whose reminder is due at now, and returns how many it wrote. The
// outbox row with its unique key comes first and the worker sends it, so
// several instances and restarts send each person one reminder.
func QueueEventReminders(db *gorm.DB, now time.Time) (int, error) {
	now = now.UTC()
	var events []Event
	if err := db.Where("status = ? AND starts_at > ? AND starts_at <= ?", StatusPublished, now,
		now.Add(MaxReminderHours*time.Hour)).Order("starts_at, id").Find(&events).Error; err != nil {
		return 0, fmt.Errorf("reminders: events: %w", err)
	}
	queued := 0
	for _, e := range events {
		s, err := EventMailSettingFor(db, e.ID)
		if err != nil {
			return queued, fmt.Errorf("reminders: settings: %w", err)
		}
		if !RemindersDue(e, *s, now) {
			continue
		}
		n, err := queueEventReminders(db, e, s.ReminderAt(e))
		queued += n
		if err != nil {
			return queued, err
		}
	}
	return queued, nil
}

func queueEventReminders(db *gorm.DB, e Event, dueAt time.Time) (int, error) {
	people, err := ReminderRecipients(db, e.ID, dueAt)
	if err != nil {
		return 0, fmt.Errorf("reminders: recipients: %w", err)
	}
	// Skip those already queued, so a pass over a big event that has been
	// reminded writes nothing; the unique key still settles any race.
	var have []string
	if err := db.Model(&OutboxMessage{}).Where("kind = ? AND ref_id = ?", MailEventReminder, e.ID).
		Pluck("dedupe_key", &have).Error; err != nil {
		return 0, fmt.Errorf("reminders: queued: %w", err)
	}
	done := make(map[string]bool, len(have))
	for _, k := range have {
		done[k] = true
	}
	n := 0
	for _, p := range people {
		key := ReminderKey(e.ID, p.Email)
		if done[key] {
			continue
		}
		msg := OutboxMessage{To: p.Email, Language: p.Language, Kind: MailEventReminder, RefID: e.ID, DedupeKey: key}
		if err := Enqueue(db, &msg); err != nil {
			return n, fmt.Errorf("reminders: %w", err)
		}
		if msg.ID != 0 {
			n++
		}
	}
	return n, nil
}

// ReminderMeeting is one active meeting of a person a reminder covers.
type ReminderMeeting struct {
	Meeting Meeting
	Me      MeetingParticipant
	Other   MeetingParticipant
}

// ReminderMeetings lists the active meetings of the attendees' meetings
// profiles, by start time.
func ReminderMeetings(db *gorm.DB, eventID uint, attendeeIDs []uint) ([]ReminderMeeting, error) {
	if len(attendeeIDs) == 0 {
		return nil, nil
	}
	var ps []MeetingParticipant
	if err := db.Where("event_id = ? AND attendee_id IN ?", eventID, attendeeIDs).Find(&ps).Error; err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, nil
	}
	mine := map[uint]MeetingParticipant{}
	ids := make([]uint, 0, len(ps))
	for _, p := range ps {
		mine[p.ID] = p
		ids = append(ids, p.ID)
	}
	var ms []Meeting
	if err := db.Preload("Slot").Preload("Location").Preload("A").Preload("B").
		Where("event_id = ? AND status = ? AND (a_participant_id IN ? OR b_participant_id IN ?)", eventID, MeetingActive, ids, ids).
		Find(&ms).Error; err != nil {
		return nil, err
	}
	sort.Slice(ms, func(i, j int) bool {
		if !ms[i].Slot.StartsAt.Equal(ms[j].Slot.StartsAt) {
			return ms[i].Slot.StartsAt.Before(ms[j].Slot.StartsAt)
		}
		return ms[i].ID < ms[j].ID
	})
	out := make([]ReminderMeeting, 0, len(ms))
	for _, m := range ms {
		me, other := m.A, m.B
		if _, ok := mine[m.AParticipantID]; !ok {
			me, other = m.B, m.A
		}
		out = append(out, ReminderMeeting{Meeting: m, Me: me, Other: other})
	}
	return out, nil
}
