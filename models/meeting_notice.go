package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MailMeetingNotice is the outbox kind of every networking e-mail; RefID
// names a MeetingNotice, which says what happened and to whom.
const MailMeetingNotice = "meeting_notice"

// Notice kinds: what a networking e-mail tells its reader.
const (
	NoticeRequest   = "request"   // someone asks to meet you
	NoticeAccepted  = "accepted"  // your request was accepted
	NoticeDeclined  = "declined"  // your request was declined
	NoticeProposed  = "proposed"  // the other person proposes another slot
	NoticeWithdrawn = "withdrawn" // a request to you was withdrawn
	NoticeCancelled = "cancelled" // a meeting of yours was cancelled
	NoticeExpired   = "expired"   // your request expired unanswered
	NoticeBooked    = "booked"    // the organizers (or the scheduler) booked a meeting for you
	NoticeMoved     = "moved"     // the organizers moved a meeting of yours
	NoticeReminder  = "reminder"  // your meeting starts soon
	NoticeSignIn    = "signin"    // a sign-in link (Reason holds the link's token)
)

// MeetingNotice is the content of one networking e-mail, written in the
// transaction of the change it reports.
type MeetingNotice struct {
	ID            uint   `gorm:"primaryKey"`
	Kind          string `gorm:"size:20;not null"`
	ParticipantID uint   `gorm:"not null;index"` // the reader; for sign-in, the attendee id
	OtherID       uint   `gorm:"not null;default:0"`
	RequestID     uint   `gorm:"not null;default:0"`
	MeetingID     uint   `gorm:"not null;default:0"`
	Reason        string `gorm:"size:1000"`
	CreatedAt     time.Time
}

// notify writes a notice and its outbox message to the participant.
func notify(tx *gorm.DB, kind string, participantID, otherID, requestID, meetingID uint, reason string) error {
	_, err := notifyOnce(tx, kind, participantID, otherID, requestID, meetingID, reason, "")
	return err
}

// notifyOnce is notify with an explicit dedupe key ("" = one per notice):
// with a key already queued it writes nothing and reports false.
func notifyOnce(tx *gorm.DB, kind string, participantID, otherID, requestID, meetingID uint, reason, dedupe string) (bool, error) {
	var to struct {
		Email    string
		Language string
	}
	q := tx.Table("attendees").Select("attendees.email, orders.language").Joins("JOIN orders ON orders.id = attendees.order_id")
	if kind == NoticeSignIn {
		q = q.Where("attendees.id = ?", participantID)
	} else {
		q = q.Joins("JOIN meeting_participants ON meeting_participants.attendee_id = attendees.id").
			Where("meeting_participants.id = ?", participantID)
	}
	if err := q.Take(&to).Error; err != nil {
		return false, fmt.Errorf("notice recipient: %w", err)
	}
	n := &MeetingNotice{Kind: kind, ParticipantID: participantID, OtherID: otherID, RequestID: requestID, MeetingID: meetingID,
		Reason: truncateRunes(reason, 1000)}
	if err := tx.Create(n).Error; err != nil {
		return false, fmt.Errorf("notice: %w", err)
	}
	if dedupe == "" {
		dedupe = fmt.Sprintf("meeting-notice-%d", n.ID)
	}
	msg := &OutboxMessage{To: to.Email, Language: to.Language, Kind: MailMeetingNotice, RefID: n.ID, DedupeKey: dedupe}
	if err := Enqueue(tx, msg); err != nil {
		return false, err
	}
	if msg.ID == 0 {
		return false, tx.Delete(n).Error
	}
	return true, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// isRetryableDBError reports a PostgreSQL deadlock or serialization failure,
// or a busy SQLite, after which the whole transaction may simply run again.
func isRetryableDBError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "40P01") || strings.Contains(s, "40001") || strings.Contains(s, "database is locked")
}
