package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SessionOfferHolder returns, for a session waitlist offer, the attendee
// who is the person on the waitlist and already holds a ticket: an active
// attendee with the entry's e-mail on a live order of the event, one not yet
// signed up for the session first. It is nil when there is none (or the
// entry is for no session): accepting then makes a new order.
func SessionOfferHolder(db *gorm.DB, w *WaitlistEntry) (*Attendee, error) {
	if w.SessionID == nil || strings.TrimSpace(w.Email) == "" {
		return nil, nil
	}
	var as []Attendee
	err := db.Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status IN ? AND LOWER(attendees.email) = ?",
			w.EventID, AttendeeActive, liveOrderStatuses, strings.ToLower(strings.TrimSpace(w.Email))).
		Order("attendees.id").Find(&as).Error
	if err != nil || len(as) == 0 {
		return nil, err
	}
	for i := range as {
		var n int64
		if err := db.Model(&SessionSignup{}).Where("attendee_id = ? AND session_id = ?", as[i].ID, *w.SessionID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			return &as[i], nil
		}
	}
	return &as[0], nil
}

// errNoHolder says the ticket holder found before the transaction is no
// longer active: the offer is then accepted as a new order.
var errNoHolder = errors.New("the ticket holder is no longer registered")

// acceptSessionOfferForHolder adds the offered session to the registration
// of holder, in one transaction: it wins the offer (once, even when accepted
// twice at once), gives back the event and ticket type places the offer held
// (the person holds theirs already), turns the offer's session place into the
// attendee's sign-up (or gives it back when they have it already), and
// offers what was freed to the next people waiting. Session capacity is
// counted once: the place moves from the offer to the sign-up under the
// same locks, never taken afresh.
func acceptSessionOfferForHolder(db *gorm.DB, w *WaitlistEntry, holder *Attendee, now time.Time) (*Order, error) {
	var o Order
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ? AND offer_expires_at > ?", w.ID, WaitlistOffered, now).
			Updates(map[string]any{"status": WaitlistAccepted, "order_id": holder.OrderID, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrOfferUsed
		}
		live, err := lockLiveOrder(tx, holder.OrderID, now)
		if err != nil {
			return err
		}
		var a Attendee
		if err := tx.Take(&a, holder.ID).Error; err != nil {
			return err
		}
		if !live || a.Status != AttendeeActive {
			return errNoHolder
		}
		var signed int64
		if err := tx.Model(&SessionSignup{}).Where("attendee_id = ? AND session_id = ?", a.ID, *w.SessionID).Count(&signed).Error; err != nil {
			return err
		}
		release := offerClaims(*w)
		if signed == 0 {
			release = release[:len(release)-1] // the session place is the sign-up's now
		}
		if err := releasePlaces(tx, release); err != nil {
			return err
		}
		if signed == 0 {
			// Lock the session row before the row that points at it (see placeOrderTx).
			if err := tx.Exec("UPDATE sessions SET places_taken = places_taken WHERE id = ?", *w.SessionID).Error; err != nil {
				return err
			}
			if err := tx.Create(&SessionSignup{AttendeeID: a.ID, SessionID: *w.SessionID}).Error; err != nil {
				return fmt.Errorf("create signup: %w", err)
			}
		}
		if _, err := offerNext(tx, w.EventID, now, DefaultOfferValidity); err != nil {
			return err
		}
		return tx.Take(&o, a.OrderID).Error
	})
	if err != nil {
		return nil, err
	}
	o.Reused = true
	return &o, nil
}
