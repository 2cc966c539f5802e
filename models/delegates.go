package models

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Mails of a delegate: an attendee of a group order with an e-mail address
// of their own (not the buyer's) gets their own ticket and personal link.
const (
	MailAttendeeConfirmation = "attendee_confirmation" // RefID: attendee
	MailAttendeeLink         = "attendee_link"         // RefID: attendee
	MailAttendeeCancelled    = "attendee_cancelled"    // RefID: attendee
)

// BeforeCreate gives every new attendee a personal link secret, whichever
// rule creates them, so the unique column never holds two empty values.
func (a *Attendee) BeforeCreate(*gorm.DB) error {
	if a.LinkSecret == "" {
		a.LinkSecret = NewSecret()
	}
	return nil
}

// IsDelegate reports whether attendee a of order o is mailed on their own:
// they have an address and it is not the buyer's. An attendee who is the
// buyer (or shares the buyer's address) is covered by the buyer's mail,
// which holds every ticket of the order.
func IsDelegate(o Order, a Attendee) bool {
	e := NormalizeEmail(a.Email)
	return e != "" && a.AnonymisedAt == nil && e != NormalizeEmail(o.BuyerEmail)
}

// QueueConfirmations enqueues, inside tx, the confirmation of a confirmed
// order: to the buyer the whole order, and to each active delegate their
// own ticket and link. Each person's mail has its own dedupe key, so calling
// it again (a retried fulfilment, a second webhook) mails nobody twice. An
// order that is not confirmed gets nothing.
func QueueConfirmations(tx *gorm.DB, orderID uint) error {
	return queueConfirmations(tx, orderID, "")
}

// ResendConfirmations enqueues the confirmations again (staff's "resend
// confirmation"): suffix makes the keys new, and the same suffix twice still
// sends once (pass e.g. the id of the staff action or a time bucket).
func ResendConfirmations(tx *gorm.DB, orderID uint, suffix string) error {
	if suffix == "" {
		return errors.New("resend confirmations: a suffix is required")
	}
	return queueConfirmations(tx, orderID, suffix)
}

func queueConfirmations(tx *gorm.DB, orderID uint, suffix string) error {
	var o Order
	if err := tx.Take(&o, orderID).Error; err != nil {
		return fmt.Errorf("confirmations: %w", err)
	}
	if o.Status != OrderConfirmed {
		return nil
	}
	var as []Attendee
	if err := tx.Where("order_id = ? AND status = ?", o.ID, AttendeeActive).Order("position, id").Find(&as).Error; err != nil {
		return fmt.Errorf("confirmations: %w", err)
	}
	return queueConfirmationsFor(tx, o, as, suffix)
}

// queueConfirmationsFor queues the mails of confirmed order o whose active
// attendees are as (in position order): the order that was just written
// passes its rows as it holds them, without reading them back.
func queueConfirmationsFor(tx *gorm.DB, o Order, as []Attendee, suffix string) error {
	if err := enqueueOrderMail(tx, &o, MailOrderConfirmation, suffix); err != nil {
		return err
	}
	for _, a := range as {
		if IsDelegate(o, a) {
			if err := enqueueAttendeeMail(tx, o, a, MailAttendeeConfirmation, suffix); err != nil {
				return err
			}
		}
	}
	return nil
}

// enqueueAttendeeMail queues a mail about attendee a to a's own address,
// in the order's language; the worker renders it from the rows.
func enqueueAttendeeMail(tx *gorm.DB, o Order, a Attendee, kind, suffix string) error {
	key := kind + ":" + strconv.FormatUint(uint64(a.ID), 10)
	if suffix != "" {
		key += ":" + suffix
	}
	return Enqueue(tx, &OutboxMessage{To: NormalizeEmail(a.Email), Language: o.Language, Kind: kind, RefID: a.ID, DedupeKey: key})
}

// AttendeeByLink returns the attendee of a personal link with their order,
// event, ticket type and answers, or gorm.ErrRecordNotFound (also for
// malformed secrets). The order's other attendees are not loaded: the
// page of one delegate shows nothing of the others.
func AttendeeByLink(db *gorm.DB, secret string) (*Attendee, error) {
	if !LooksLikeSecret(secret) {
		return nil, gorm.ErrRecordNotFound
	}
	var a Attendee
	err := db.Preload("Order").Preload("Order.Event").Preload("TicketType").Preload("Answers").
		Where("link_secret = ?", secret).Take(&a).Error
	if err != nil {
		return nil, err
	}
	if a.Order == nil {
		return nil, gorm.ErrRecordNotFound
	}
	return &a, nil
}

// resendDelegateLinks enqueues, inside tx, the personal link of every active
// delegate of a live order of the event whose address is email (they are
// not the buyer: a buyer gets the order's link). bucket limits it to one
// mail per attendee per bucket.
func resendDelegateLinks(tx *gorm.DB, eventID uint, email, bucket string) error {
	var as []Attendee
	if err := tx.Joins("JOIN orders ON orders.id = attendees.order_id").
		Where("attendees.event_id = ? AND LOWER(attendees.email) = ? AND attendees.status = ? AND orders.status IN ? AND LOWER(orders.buyer_email) <> ?",
			eventID, email, AttendeeActive, liveOrderStatuses, email).
		Order("attendees.id").Limit(20).Find(&as).Error; err != nil {
		return err
	}
	for _, a := range as {
		var o Order
		if err := tx.Take(&o, a.OrderID).Error; err != nil {
			return err
		}
		if IsDelegate(o, a) {
			if err := enqueueAttendeeMail(tx, o, a, MailAttendeeLink, bucket); err != nil {
				return err
			}
		}
	}
	return nil
}

// CancelOwnPlace cancels attendee attendeeID at their own request (their
// personal link): CancelAttendee's rule (their places go back, the order
// stays live for the others and ends when they were its last active
// attendee), and, in the same transaction, a confirmation to a delegate's
// own address. Returns false when they were cancelled already.
func CancelOwnPlace(db *gorm.DB, attendeeID uint, now time.Time) (bool, error) {
	done := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		if done, err = CancelAttendee(tx, attendeeID, now); err != nil || !done {
			return err
		}
		var a Attendee
		if err := tx.Preload("Order").Take(&a, attendeeID).Error; err != nil {
			return err
		}
		if a.Order == nil || !IsDelegate(*a.Order, a) {
			return nil
		}
		return enqueueAttendeeMail(tx, *a.Order, a, MailAttendeeCancelled, "")
	})
	return done, err
}
