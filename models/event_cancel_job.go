package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CancellationsRefunding lists the cancellations with refunds still to make.
func CancellationsRefunding(db *gorm.DB) ([]EventCancellation, error) {
	var cs []EventCancellation
	err := db.Where("state = ?", CancellationRefunding).Order("id").Find(&cs).Error
	return cs, err
}

// PendingCancellationRefunds lists up to limit Stripe refunds of a
// cancellation that the job has still to ask for.
func PendingCancellationRefunds(db *gorm.DB, cancellationID uint, limit int) ([]CancellationItem, error) {
	var is []CancellationItem
	err := db.Where("cancellation_id = ? AND refund = ? AND state = ?", cancellationID, CancelRefundStripe, CancelItemPending).
		Order("id").Limit(limit).Find(&is).Error
	return is, err
}

// SettleCancellationRefund records how asking for item's refund went. A
// failure (callErr) marks it failed unless the refund was made meanwhile by
// another instance; without an error the item is done once its payment no
// longer waits for the refund (whoever made it), and stays pending while
// another caller holds the claim.
func SettleCancellationRefund(db *gorm.DB, item CancellationItem, callErr error, now time.Time) error {
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		var p Payment
		if err := tx.Take(&p, *item.PaymentID).Error; err != nil {
			return err
		}
		if p.State != PaymentRefundDue {
			if err := tx.Model(&CancellationItem{}).Where("id = ?", item.ID).
				Updates(map[string]any{"state": CancelItemDone, "last_error": "", "updated_at": now}).Error; err != nil {
				return err
			}
			return finishIfDone(tx, item.CancellationID, now)
		}
		if callErr == nil {
			return nil
		}
		msg := callErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return tx.Model(&CancellationItem{}).Where("id = ? AND state = ?", item.ID, CancelItemPending).
			Updates(map[string]any{"state": CancelItemFailed, "attempts": gorm.Expr("attempts + 1"), "last_error": msg, "updated_at": now}).Error
	})
}

// RetryCancellationRefunds puts the failed refunds of event eventID's
// cancellation back in the job's queue (they keep their keys, so Stripe
// answers a refund it made already with that refund). It returns how many.
func RetryCancellationRefunds(db *gorm.DB, eventID uint, now time.Time) (int, error) {
	now = now.UTC()
	n := 0
	err := db.Transaction(func(tx *gorm.DB) error {
		var c EventCancellation
		if err := tx.Where("event_id = ?", eventID).Take(&c).Error; err != nil {
			return err
		}
		res := tx.Model(&CancellationItem{}).Where("cancellation_id = ? AND state = ?", c.ID, CancelItemFailed).
			Updates(map[string]any{"state": CancelItemPending, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		n = int(res.RowsAffected)
		if n == 0 {
			return nil
		}
		return tx.Model(&EventCancellation{}).Where("id = ?", c.ID).
			Updates(map[string]any{"state": CancellationRefunding, "finished_at": nil, "updated_at": now}).Error
	})
	return n, err
}

// CancellationProgress is what the event's pages show of its cancellation.
type CancellationProgress struct {
	Cancellation EventCancellation
	ToRefund     int // Stripe refunds in all
	Refunded     int
	Failed       int
	Pending      int
	// ByHand are the orders paid by bank transfer or invoice, for the
	// organizers to refund themselves.
	ByHand []CancellationItem
	// FailedItems are the Stripe refunds that failed, with their orders.
	FailedItems []CancellationItem
}

// CancellationOf returns the progress of event eventID's cancellation, or
// nil when it was not cancelled through CancelEvent.
func CancellationOf(db *gorm.DB, eventID uint) (*CancellationProgress, error) {
	var c EventCancellation
	if err := db.Where("event_id = ?", eventID).Take(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		return nil, err
	}
	out := &CancellationProgress{Cancellation: c}
	var rows []struct {
		State string
		N     int
	}
	if err := db.Model(&CancellationItem{}).Select("state, COUNT(*) AS n").
		Where("cancellation_id = ? AND refund = ?", c.ID, CancelRefundStripe).Group("state").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.ToRefund += r.N
		switch r.State {
		case CancelItemDone:
			out.Refunded = r.N
		case CancelItemFailed:
			out.Failed = r.N
		default:
			out.Pending += r.N
		}
	}
	if err := db.Preload("Order").Where("cancellation_id = ? AND refund = ?", c.ID, CancelRefundByHand).
		Order("id").Find(&out.ByHand).Error; err != nil {
		return nil, err
	}
	if err := db.Preload("Order").Where("cancellation_id = ? AND state = ?", c.ID, CancelItemFailed).
		Order("id").Find(&out.FailedItems).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// CancellationItemByID returns an item with its order and cancellation's
// event (for the mail).
func CancellationItemByID(db *gorm.DB, id uint) (*CancellationItem, *EventCancellation, error) {
	var it CancellationItem
	if err := db.Preload("Order").Take(&it, id).Error; err != nil {
		return nil, nil, err
	}
	var c EventCancellation
	if err := db.Take(&c, it.CancellationID).Error; err != nil {
		return nil, nil, err
	}
	return &it, &c, nil
}

// lateOrderWindow is how long after a cancellation the job looks for orders
// that slipped in: a registration that read the event as open just before
// it was cancelled commits right after (minutes at most).
const lateOrderWindow = 24 * time.Hour

// CancelLateOrders cancels, as CancelEvent did the others, the live orders of
// recently cancelled events (placed by a registration that read the event as
// open just before it was cancelled): places given back, people mailed under
// the same dedupe keys, paid Stripe payments marked for refund. It returns
// how many orders it cancelled.
func CancelLateOrders(db *gorm.DB, now time.Time) (int, error) {
	now = now.UTC()
	var cs []EventCancellation
	if err := db.Where("created_at > ?", now.Add(-lateOrderWindow)).Order("id").Find(&cs).Error; err != nil {
		return 0, err
	}
	n := 0
	for i := range cs {
		c := &cs[i]
		err := db.Transaction(func(tx *gorm.DB) error {
			var orders []Order
			if err := tx.Preload("Attendees", "status = ?", AttendeeActive).
				Where("event_id = ? AND status IN ?", c.EventID, liveOrderStatuses).Order("id").Find(&orders).Error; err != nil {
				return err
			}
			if len(orders) == 0 {
				return nil
			}
			for j := range orders {
				if err := cancelForEvent(tx, c, &orders[j], map[string]bool{}, now); err != nil {
					return fmt.Errorf("cancel late order %d: %w", orders[j].ID, err)
				}
			}
			n += len(orders)
			return finishIfDone(tx, c.ID, now)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
