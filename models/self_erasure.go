package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Self-service erasure (the right to erasure): the buyer erases the whole
// order from its link, a delegate erases themselves from theirs. It goes
// through the same rules as retention and an organizer's anonymisation
// (anonymiseAttendee, eraseBuyers), so the same things are kept: the rows
// and counts, payments, refunds and, for a paid order, the buyer's name on
// the receipt.

// Reasons erasure is not offered yet.
var (
	// ErrErasureNeedsCancel: the registration still holds a place at an
	// event to come; it must be cancelled first (the cancel flow makes the
	// refund), or a place would be held by nobody.
	ErrErasureNeedsCancel = errors.New("cancel the registration before erasing it")
	// ErrErasurePaymentOpen: an expired order whose payment may still go
	// through, which would confirm it again.
	ErrErasurePaymentOpen = errors.New("a payment of the order is still open")
)

// SelfErasureDetail is the audit line's detail for a self-service erasure.
const SelfErasureDetail = "erased by the person themself (self-service)"

// openPaymentStates are payments that may still be paid.
var openPaymentStates = []string{PaymentCreated, PaymentProcessing}

// SelfErasureBlock says why the order's (or, when at is set, that
// attendee's) data may not be erased now by its owner; nil when it may: the
// registration was cancelled (or expired) or the event has ended.
func SelfErasureBlock(db *gorm.DB, o Order, at *Attendee, now time.Time) error {
	if o.Event.ID == 0 {
		if err := db.Take(&o.Event, o.EventID).Error; err != nil {
			return err
		}
	}
	if o.Event.IsPast(now) {
		return nil
	}
	if o.IsLive() && (at == nil || at.Status == AttendeeActive) {
		return ErrErasureNeedsCancel
	}
	if o.Status == OrderExpired {
		var n int64
		if err := db.Model(&Payment{}).Where("order_id = ? AND state IN ?", o.ID, openPaymentStates).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrErasurePaymentOpen
		}
	}
	return nil
}

// OrderErased reports whether nothing of the order's people is left to
// erase by its owner: every attendee and the buyer (beyond a paid order's
// name).
func OrderErased(db *gorm.DB, orderID uint) (bool, error) {
	var n int64
	if err := db.Model(&Attendee{}).Where("order_id = ? AND anonymised_at IS NULL", orderID).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	err := db.Model(&Order{}).Where("id = ? AND "+buyerLeftSQL, orderID, AnonymisedName, receiptPaymentStates).Count(&n).Error
	return n == 0, err
}

// EraseOwnOrder erases, for the buyer, the personal data of the whole order:
// every attendee on it and the buyer, the old values in its change records,
// its finished waiting list entries and its mail log; and writes the audit
// line (no actor, the client address ip) in the same transaction. It
// reports false, and writes nothing, when there was nothing left to erase.
func EraseOwnOrder(db *gorm.DB, orderID uint, ip string, now time.Time) (bool, error) {
	now = now.UTC()
	done := false
	err := db.Transaction(func(tx *gorm.DB) error {
		o, err := lockOrderForErasure(tx, orderID, now)
		if err != nil {
			return err
		}
		if err := SelfErasureBlock(tx, *o, nil, now); err != nil {
			return err
		}
		var people []Attendee
		if err := tx.Where("order_id = ?", o.ID).Order("id").Find(&people).Error; err != nil {
			return err
		}
		emails := []string{o.BuyerEmail}
		var ids []uint
		for _, p := range people {
			erased, err := anonymiseAttendee(tx, p.ID, now)
			if err != nil {
				return fmt.Errorf("attendee %d: %w", p.ID, err)
			}
			done = done || erased
			emails = append(emails, p.Email)
			ids = append(ids, p.ID)
		}
		buyer, err := eraseBuyers(tx, now, "id = ? AND "+buyerLeftSQL, o.ID, AnonymisedName, receiptPaymentStates)
		if err != nil {
			return err
		}
		if done = done || buyer; !done {
			return nil
		}
		if err := tx.Model(&RegistrationChange{}).Where("order_id = ?", o.ID).Update("details", "").Error; err != nil {
			return err
		}
		if err := eraseOwnTraces(tx, o, ids, emails, true); err != nil {
			return err
		}
		eventID := o.EventID
		return RecordAudit(tx, AuditEntry{OrganizationID: o.Event.OrganizationID, EventID: &eventID, IP: ip,
			Action: AuditAnonymised, Subject: "order " + o.Code, Detail: SelfErasureDetail, CreatedAt: now})
	})
	return done, err
}

// EraseOwnPlace erases, for a delegate, their own data only (and the
// order's buyer when the buyer has the same address: the same person), as
// EraseOwnOrder does for a whole order. It reports false, and writes
// nothing, when the attendee was erased already.
func EraseOwnPlace(db *gorm.DB, attendeeID uint, ip string, now time.Time) (bool, error) {
	now = now.UTC()
	done := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var at Attendee
		if err := tx.Take(&at, attendeeID).Error; err != nil {
			return err
		}
		o, err := lockOrderForErasure(tx, at.OrderID, now)
		if err != nil {
			return err
		}
		if err := SelfErasureBlock(tx, *o, &at, now); err != nil {
			return err
		}
		if done, err = anonymiseAttendee(tx, at.ID, now); err != nil || !done {
			return err
		}
		buyer, err := AnonymiseBuyer(tx, o.ID, at.Email, now)
		if err != nil {
			return err
		}
		q := tx.Model(&RegistrationChange{}).Where("attendee_id = ?", at.ID)
		if buyer {
			q = tx.Model(&RegistrationChange{}).Where("attendee_id = ? OR (order_id = ? AND attendee_id IS NULL)", at.ID, o.ID)
		}
		if err := q.Update("details", "").Error; err != nil {
			return err
		}
		if err := eraseOwnTraces(tx, o, []uint{at.ID}, []string{at.Email}, buyer); err != nil {
			return err
		}
		eventID := o.EventID
		return RecordAudit(tx, AuditEntry{OrganizationID: o.Event.OrganizationID, EventID: &eventID, IP: ip,
			Action: AuditAnonymised, Subject: AttendeeSubject(at.ID, o.Code), Detail: SelfErasureDetail, CreatedAt: now})
	})
	return done, err
}

// lockOrderForErasure takes the order's row lock (a no-op write) so an
// erasure and a concurrent change of the order (a cancellation, a late
// payment) run one after the other, then loads the order and its event.
func lockOrderForErasure(tx *gorm.DB, orderID uint, now time.Time) (*Order, error) {
	if err := tx.Model(&Order{}).Where("id = ?", orderID).Update("updated_at", now).Error; err != nil {
		return nil, err
	}
	var o Order
	if err := tx.Preload("Event").Take(&o, orderID).Error; err != nil {
		return nil, err
	}
	return &o, nil
}

// eraseOwnTraces erases what else names the erased people (attendees ids,
// addresses emails) of order o: their finished waiting list entries for the
// event (a live one is left: it is still waiting for a place) and the mail
// log that went to them — the order's own mails too when withOrder (the
// buyer was erased).
func eraseOwnTraces(tx *gorm.DB, o *Order, ids []uint, emails []string, withOrder bool) error {
	var addrs []string
	for _, e := range emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			addrs = append(addrs, e)
		}
	}
	var waitlist []uint
	if len(addrs) > 0 {
		if err := tx.Model(&WaitlistEntry{}).Where("event_id = ? AND LOWER(email) IN ? AND status NOT IN ?", o.EventID, addrs,
			[]string{WaitlistWaiting, WaitlistOffered}).Pluck("id", &waitlist).Error; err != nil {
			return err
		}
	}
	if len(waitlist) > 0 {
		if err := tx.Model(&WaitlistEntry{}).Where("id IN ?", waitlist).
			Updates(map[string]any{"name": AnonymisedName, "email": "", "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		if err := eraseRecipients(tx, "waitlist_entry_id IN ?", waitlist); err != nil {
			return err
		}
	}
	participants := tx.Model(&MeetingParticipant{}).Select("id").Where("attendee_id IN ?", ids)
	refs := []mailRef{
		{[]string{MailAttendeeConfirmation, MailAttendeeLink, MailAttendeeCancelled}, tx.Model(&Attendee{}).Select("id").Where("id IN ?", ids)},
		{[]string{MailCertificate}, tx.Model(&Certificate{}).Select("id").Where("attendee_id IN ?", ids)},
		{[]string{MailEventMessage}, tx.Model(&MessageRecipient{}).Select("id").Where("attendee_id IN ?", ids)},
		meetingNoticeMails(tx, participants, tx.Model(&Attendee{}).Select("id").Where("id IN ?", ids)),
	}
	if len(waitlist) > 0 {
		refs = append(refs, mailRef{[]string{MailWaitlistOffer, MailEventCancelledWaitlist}, tx.Model(&WaitlistEntry{}).Select("id").Where("id IN ?", waitlist)})
	}
	if withOrder {
		orders := tx.Model(&Order{}).Select("id").Where("id = ?", o.ID)
		refs = append(refs,
			mailRef{[]string{MailOrderConfirmation, MailOrderLink, MailOrderCancelled}, orders},
			mailRef{[]string{MailEventMessage}, tx.Model(&MessageRecipient{}).Select("id").Where("order_id = ? AND attendee_id IS NULL", o.ID)},
			mailRef{[]string{MailEventCancelled}, tx.Model(&CancellationItem{}).Select("id").Where("order_id = ?", o.ID)},
			mailRef{[]string{MailOrderRefunded, MailPaymentLateRefunded}, tx.Model(&Refund{}).Select("id").Where("order_id = ?", o.ID)})
	}
	q := mailsByRefs(tx, refs)
	if len(addrs) > 0 {
		// Reminders name the event, not the person: match them by address.
		q = tx.Model(&OutboxMessage{}).Where("to_addr <> ''").Where(
			tx.Where("id IN (?)", q.Select("id")).Or("kind = ? AND ref_id = ? AND LOWER(to_addr) IN ?", MailEventReminder, o.EventID, addrs))
	}
	var mails []uint
	if err := q.Pluck("id", &mails).Error; err != nil {
		return err
	}
	return eraseMailsBecause(tx, mails, "personal data removed (erased by the person)")
}
