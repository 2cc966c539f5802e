package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MailFeedbackRequest is the outbox kind of the "tell us how it went"
// e-mail; RefID is the FeedbackRequest.
const MailFeedbackRequest = "feedback_request"

// FeedbackKey is the outbox dedupe key of a questionnaire's e-mail to one
// attendee: one per person and questionnaire, whatever runs it.
func FeedbackKey(formID, attendeeID uint) string {
	return fmt.Sprintf("feedback:%d:%d", formID, attendeeID)
}

// feedbackRecipient is an attendee a questionnaire goes to.
type feedbackRecipient struct {
	AttendeeID uint
	Email      string
	BuyerEmail string
	Language   string
}

// FeedbackRecipients lists who is asked: the active, not anonymised
// attendees of confirmed orders who were checked in at the door; when
// nobody at the event was checked in (the door was not kept), every such
// attendee. A session's questionnaire goes to those of them signed up for
// the session when it has sign-ups, else to the same people as the event's.
func feedbackRecipients(db *gorm.DB, f FeedbackForm) ([]feedbackRecipient, error) {
	base := db.Table("attendees").
		Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status = ? AND attendees.anonymised_at IS NULL",
			f.EventID, AttendeeActive, OrderConfirmed)
	var checked int64
	if err := base.Session(&gorm.Session{}).Where("attendees.checked_in_at IS NOT NULL").Count(&checked).Error; err != nil {
		return nil, err
	}
	q := base.Session(&gorm.Session{}).
		Select("attendees.id AS attendee_id, attendees.email, orders.buyer_email, orders.language")
	if checked > 0 {
		q = q.Where("attendees.checked_in_at IS NOT NULL")
	}
	if f.SessionID != 0 {
		var signups int64
		if err := db.Table("session_signups").Where("session_id = ?", f.SessionID).Count(&signups).Error; err != nil {
			return nil, err
		}
		if signups > 0 {
			q = q.Where("attendees.id IN (?)", db.Table("session_signups").Select("attendee_id").Where("session_id = ?", f.SessionID))
		}
	}
	var rows []feedbackRecipient
	err := q.Order("attendees.id").Scan(&rows).Error
	return rows, err
}

// feedbackWindow is when a questionnaire is sent and answered: from its
// send time until it closes. ok is false for a questionnaire whose event
// is not published or whose session is gone.
func feedbackWindow(db *gorm.DB, f FeedbackForm) (e Event, sendAt, closesAt time.Time, ok bool, err error) {
	if err = db.Take(&e, f.EventID).Error; err != nil {
		return e, sendAt, closesAt, false, err
	}
	var s *Session
	if f.SessionID != 0 {
		var ss Session
		if err = db.Where("event_id = ?", f.EventID).Take(&ss, f.SessionID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return e, sendAt, closesAt, false, nil
		} else if err != nil {
			return e, sendAt, closesAt, false, err
		}
		s = &ss
	}
	end := FeedbackEndsAt(e, s)
	return e, f.SendAt(end), f.ClosesAt(end), e.Status == StatusPublished, nil
}

// FeedbackIsOpen reports whether answers to f are taken at now.
func FeedbackIsOpen(db *gorm.DB, f FeedbackForm, now time.Time) (bool, error) {
	_, sendAt, closesAt, ok, err := feedbackWindow(db, f)
	return ok && err == nil && !now.Before(sendAt) && now.Before(closesAt), err
}

// QueueFeedbackRequests writes, for every questionnaire switched on whose
// send time has come and that has not closed, one request row and one
// outbox e-mail per person not yet asked, and returns how many. The row
// (unique per questionnaire and attendee) and its mail are one
// transaction, so several instances and restarts ask each person once.
func QueueFeedbackRequests(db *gorm.DB, now time.Time) (int, error) {
	var forms []FeedbackForm
	if err := db.Where("sending = ?", true).Order("id").Find(&forms).Error; err != nil {
		return 0, fmt.Errorf("feedback: forms: %w", err)
	}
	n := 0
	for _, f := range forms {
		_, sendAt, closesAt, ok, err := feedbackWindow(db, f)
		if err != nil {
			return n, fmt.Errorf("feedback: window: %w", err)
		}
		if !ok || now.Before(sendAt) || !now.Before(closesAt) {
			continue
		}
		k, err := queueFeedbackForm(db, f)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func queueFeedbackForm(db *gorm.DB, f FeedbackForm) (int, error) {
	people, err := feedbackRecipients(db, f)
	if err != nil {
		return 0, fmt.Errorf("feedback: recipients: %w", err)
	}
	// Skip those already asked so a pass over a big event writes nothing;
	// the unique index still settles any race.
	var asked []uint
	if err := db.Model(&FeedbackRequest{}).Where("form_id = ?", f.ID).Pluck("attendee_id", &asked).Error; err != nil {
		return 0, fmt.Errorf("feedback: asked: %w", err)
	}
	done := make(map[uint]bool, len(asked))
	for _, id := range asked {
		done[id] = true
	}
	n := 0
	for _, p := range people {
		if done[p.AttendeeID] {
			continue
		}
		to := strings.TrimSpace(p.Email)
		if to == "" {
			to = strings.TrimSpace(p.BuyerEmail)
		}
		if to == "" {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			r := FeedbackRequest{FormID: f.ID, AttendeeID: p.AttendeeID, EventID: f.EventID}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // another instance asked them first
			}
			n++
			return Enqueue(tx, &OutboxMessage{To: to, Language: p.Language, Kind: MailFeedbackRequest,
				RefID: r.ID, DedupeKey: FeedbackKey(f.ID, p.AttendeeID)})
		})
		if err != nil {
			return n, fmt.Errorf("feedback: queue: %w", err)
		}
	}
	return n, nil
}

// FeedbackMail is what the request e-mail shows, loaded at send time.
type FeedbackMail struct {
	Form     FeedbackForm
	Attendee Attendee
	Event    Event
	ClosesAt time.Time
}

// FeedbackMailOf loads request id for its e-mail; ErrRecordNotFound means
// the mail no longer makes sense (the person cancelled, the questionnaire
// was switched off or closed).
func FeedbackMailOf(db *gorm.DB, id uint, now time.Time) (*FeedbackMail, error) {
	var r FeedbackRequest
	if err := db.Take(&r, id).Error; err != nil {
		return nil, err
	}
	var f FeedbackForm
	if err := db.Take(&f, r.FormID).Error; err != nil {
		return nil, err
	}
	var at Attendee
	if err := db.Preload("Order").Take(&at, r.AttendeeID).Error; err != nil {
		return nil, err
	}
	e, _, closesAt, ok, err := feedbackWindow(db, f)
	if err != nil {
		return nil, err
	}
	if !ok || !f.Sending || !now.Before(closesAt) || at.Status != AttendeeActive || at.AnonymisedAt != nil ||
		at.Order == nil || at.Order.Status != OrderConfirmed {
		return nil, gorm.ErrRecordNotFound
	}
	return &FeedbackMail{Form: f, Attendee: at, Event: e, ClosesAt: closesAt}, nil
}

// FeedbackAsked reports whether the attendee was sent questionnaire formID.
func FeedbackAsked(db *gorm.DB, formID, attendeeID uint) (bool, error) {
	var n int64
	err := db.Model(&FeedbackRequest{}).Where("form_id = ? AND attendee_id = ?", formID, attendeeID).Count(&n).Error
	return n > 0, err
}

// FeedbackFormsFor lists the questionnaires the attendee was sent.
func FeedbackFormsFor(db *gorm.DB, attendeeID uint) ([]FeedbackForm, error) {
	var fs []FeedbackForm
	err := db.Where("id IN (?)", db.Model(&FeedbackRequest{}).Select("form_id").Where("attendee_id = ?", attendeeID)).
		Order("session_id, id").Find(&fs).Error
	return fs, err
}
