package models

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// StatusDeleted marks an event an organizer deleted. The row stays (orders
// keep pointing at it, and the people told about it can still open their
// cancelled order), but it is gone everywhere else: the public pages never
// show it, and the organizer area lists and opens only the other statuses.
const StatusDeleted = "deleted"

// MailEventDeleted tells a registered or waiting person that the event was
// called off (RefID: the event).
const MailEventDeleted = "event_deleted"

// ErrEventHasPayments refuses to delete an event in which money moved: a
// payment that is (or was) paid is the organizers' books and the person's
// receipt. Cancel the event instead, which refunds.
var ErrEventHasPayments = errors.New("the event has paid orders; cancel the event instead")

// paymentStatesWithMoney are the payment states in which money reached, or
// is on its way to, the organizers (or went back).
var paymentStatesWithMoney = []string{PaymentPaid, PaymentProcessing, PaymentRefundDue, PaymentRefunded, PaymentPartiallyRefunded}

// EventDeletionSummary is what deleting the event would do, for the
// confirmation page.
type EventDeletionSummary struct {
	LiveOrders int64 // pending and confirmed orders that would be cancelled
	People     int   // distinct e-mail addresses that would be told
	Paid       bool  // an order has a payment: deleting is refused
}

// EventDeletionPreview reports what DeleteEvent would do to event eventID.
func EventDeletionPreview(db *gorm.DB, eventID uint) (EventDeletionSummary, error) {
	var s EventDeletionSummary
	paid, err := eventHasPayments(db, eventID)
	if err != nil {
		return s, err
	}
	s.Paid = paid
	if err := db.Model(&Order{}).Where("event_id = ? AND status IN ?", eventID, liveOrderStatuses).Count(&s.LiveOrders).Error; err != nil {
		return s, err
	}
	rs, err := deletionRecipients(db, eventID)
	s.People = len(rs)
	return s, err
}

func eventHasPayments(tx *gorm.DB, eventID uint) (bool, error) {
	orders := tx.Model(&Order{}).Select("id").Where("event_id = ?", eventID)
	var n int64
	if err := tx.Model(&Payment{}).Where("order_id IN (?) AND state IN ?", orders, paymentStatesWithMoney).Count(&n).Error; err != nil {
		return false, err
	}
	if n == 0 {
		if err := tx.Model(&Refund{}).Where("order_id IN (?)", tx.Model(&Order{}).Select("id").Where("event_id = ?", eventID)).Count(&n).Error; err != nil {
			return false, err
		}
	}
	return n > 0, nil
}

// deletionRecipient is one person to tell, once, in their language.
type deletionRecipient struct{ email, language string }

// deletionRecipients lists, once per e-mail address (case folded), the
// buyers and attendees of live orders and the people on the waitlist.
func deletionRecipients(tx *gorm.DB, eventID uint) ([]deletionRecipient, error) {
	var out []deletionRecipient
	seen := map[string]bool{}
	add := func(email, lang string) {
		key := strings.ToLower(strings.TrimSpace(email))
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, deletionRecipient{email: strings.TrimSpace(email), language: lang})
	}
	orders, err := liveOrdersWithAttendees(tx, eventID)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		add(o.BuyerEmail, o.Language)
		for _, a := range o.Attendees {
			add(a.Email, o.Language)
		}
	}
	var ws []WaitlistEntry
	if err := tx.Where("event_id = ? AND status IN ?", eventID, []string{WaitlistWaiting, WaitlistOffered}).Order("id").Find(&ws).Error; err != nil {
		return nil, err
	}
	for _, w := range ws {
		add(w.Email, w.Language)
	}
	return out, nil
}

// DeleteEvent deletes an event in which no money moved, in one
// transaction: every live order is cancelled (its places, session seats and
// voucher uses given back), the waitlist closed, meetings cancelled and the
// networking directory emptied; each person concerned gets one e-mail
// (MailEventDeleted, one outbox row per address); then the event becomes
// StatusDeleted and its slug is freed (renamed deleted-<id>-…) so a real
// event can take it. An event with a payment is ErrEventHasPayments; a
// missing or already deleted one is gorm.ErrRecordNotFound.
func DeleteEvent(db *gorm.DB, eventID uint, now time.Time) error {
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		// Lock the event, then its orders, before looking at payments: a
		// payment fulfilled meanwhile waits for us and then finds its order
		// cancelled, which the payment rules refund as a lost hold.
		res := tx.Model(&Event{}).Where("id = ? AND status <> ?", eventID, StatusDeleted).Update("updated_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		var e Event
		if err := tx.Take(&e, eventID).Error; err != nil {
			return err
		}
		if err := tx.Model(&Order{}).Where("event_id = ?", eventID).Update("updated_at", now).Error; err != nil {
			return err
		}
		paid, err := eventHasPayments(tx, eventID)
		if err != nil {
			return err
		}
		if paid {
			return ErrEventHasPayments
		}
		people, err := deletionRecipients(tx, eventID)
		if err != nil {
			return err
		}
		if err := cancelEventOrders(tx, eventID, now); err != nil {
			return err
		}
		if err := closeEventWaitlist(tx, eventID, now); err != nil {
			return err
		}
		if err := endEventNetworking(tx, eventID, now); err != nil {
			return err
		}
		for _, p := range people {
			key := fmt.Sprintf("%s:%d:%s", MailEventDeleted, eventID, strings.ToLower(p.email))
			if len(key) > 200 {
				key = key[:200]
			}
			if err := Enqueue(tx, &OutboxMessage{To: p.email, Language: p.language, Kind: MailEventDeleted, RefID: eventID, DedupeKey: key}); err != nil {
				return fmt.Errorf("queue deletion notice: %w", err)
			}
		}
		return tx.Model(&Event{}).Where("id = ?", eventID).Updates(map[string]any{
			"status": StatusDeleted, "slug": deletedSlug(e), "version": gorm.Expr("version + 1"), "updated_at": now,
		}).Error
	})
}

// deletedSlug frees the event's slug: the id keeps the new one unique.
func deletedSlug(e Event) string {
	s := "deleted-" + strconv.FormatUint(uint64(e.ID), 10) + "-" + e.Slug
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "-")
	}
	return s
}

// cancelEventOrders cancels every live order of the event, giving back
// what each held, without the per-order mail (one notice per person is
// sent instead) and without offering the places to the waitlist.
func cancelEventOrders(tx *gorm.DB, eventID uint, now time.Time) error {
	var ids []uint
	if err := tx.Model(&Order{}).Where("event_id = ? AND status IN ?", eventID, liveOrderStatuses).Order("id").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		cs, _, err := activeAttendeeClaims(tx, id, 0)
		if err != nil {
			return err
		}
		res := tx.Model(&Order{}).Where("id = ? AND status IN ?", id, liveOrderStatuses).
			Updates(map[string]any{"status": OrderCancelled, "cancelled_at": now, "expires_at": nil, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			continue
		}
		if err := releasePlaces(tx, cs); err != nil {
			return err
		}
		if err := releaseVoucherUse(tx, id); err != nil {
			return err
		}
		if err := tx.Model(&Attendee{}).Where("order_id = ? AND status = ?", id, AttendeeActive).
			Updates(map[string]any{"status": AttendeeCancelled, "updated_at": now}).Error; err != nil {
			return err
		}
	}
	return nil
}

// closeEventWaitlist cancels the event's waiting entries and live offers
// (whose held places are given back).
func closeEventWaitlist(tx *gorm.DB, eventID uint, now time.Time) error {
	var offers []WaitlistEntry
	if err := tx.Where("event_id = ? AND status = ?", eventID, WaitlistOffered).Find(&offers).Error; err != nil {
		return err
	}
	for _, w := range offers {
		res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ?", w.ID, WaitlistOffered).
			Updates(map[string]any{"status": WaitlistCancelled, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			if err := releasePlaces(tx, offerClaims(w)); err != nil {
				return err
			}
		}
	}
	return tx.Model(&WaitlistEntry{}).Where("event_id = ? AND status = ?", eventID, WaitlistWaiting).
		Updates(map[string]any{"status": WaitlistCancelled, "updated_at": now}).Error
}

// endEventNetworking cancels the event's meetings (freeing their seats and
// tables), closes open requests and unlists every participant, so no
// reminder or request mail follows the deletion notice.
func endEventNetworking(tx *gorm.DB, eventID uint, now time.Time) error {
	active := tx.Model(&Meeting{}).Select("id").Where("event_id = ? AND status = ?", eventID, MeetingActive)
	if err := tx.Where("meeting_id IN (?)", active).Delete(&MeetingSeat{}).Error; err != nil {
		return err
	}
	if err := tx.Where("meeting_id IN (?)", tx.Model(&Meeting{}).Select("id").Where("event_id = ? AND status = ?", eventID, MeetingActive)).
		Delete(&MeetingTableBooking{}).Error; err != nil {
		return err
	}
	if err := tx.Model(&Meeting{}).Where("event_id = ? AND status = ?", eventID, MeetingActive).
		Updates(map[string]any{"status": MeetingCancelled, "cancelled_at": now, "updated_at": now}).Error; err != nil {
		return err
	}
	if err := tx.Model(&MeetingRequest{}).Where("event_id = ? AND status IN ?", eventID, []string{RequestPending, RequestCountered}).
		Updates(map[string]any{"status": RequestCancelled, "updated_at": now}).Error; err != nil {
		return err
	}
	return tx.Model(&MeetingParticipant{}).Where("event_id = ?", eventID).
		Updates(map[string]any{"active": false, "meetings_count": 0, "updated_at": now}).Error
}
