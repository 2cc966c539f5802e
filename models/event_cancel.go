package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// States of an event cancellation job.
const (
	CancellationRefunding = "refunding" // some Stripe refunds are not made yet
	CancellationDone      = "done"      // every refund made (or left to be made by hand)
)

// How each cancelled order gets its money back, and where that stands.
const (
	CancelRefundNone   = "none"   // nothing was paid
	CancelRefundStripe = "stripe" // refunded in full through Stripe by the job
	CancelRefundByHand = "manual" // paid by bank transfer or invoice: the organizers refund it by hand

	CancelItemPending = "pending" // the job will ask Stripe
	CancelItemDone    = "done"    // refunded (or nothing to refund)
	CancelItemFailed  = "failed"  // Stripe refused or failed; an organizer may retry
)

// Mails of an event's cancellation: to a person on a cancelled order (RefID:
// cancellation item) and to a person who was waiting (RefID: waitlist entry).
const (
	MailEventCancelled         = "event_cancelled"
	MailEventCancelledWaitlist = "event_cancelled_waitlist"
)

// ErrEventAlreadyCancelled is returned when the event was cancelled before.
var ErrEventAlreadyCancelled = errors.New("the event is cancelled already")

// EventCancellation is the job an event's cancellation leaves: the message
// sent to everyone and the refunds still to make.
type EventCancellation struct {
	ID         uint   `gorm:"primaryKey"`
	EventID    uint   `gorm:"not null;uniqueIndex"`
	Subject    string `gorm:"size:300;not null"`
	Body       string `gorm:"type:text;not null"` // Markdown, as written
	BodyHTML   string `gorm:"column:body_html;type:text;not null"`
	CreatedBy  uint   `gorm:"not null;default:0"`
	State      string `gorm:"size:20;not null;index"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// CancellationItem is one order the cancellation ended, with its refund.
type CancellationItem struct {
	ID             uint   `gorm:"primaryKey"`
	CancellationID uint   `gorm:"not null;index"`
	OrderID        uint   `gorm:"not null;uniqueIndex"`
	PaymentID      *uint  `gorm:"index"`
	Refund         string `gorm:"size:10;not null"`
	Amount         int64  `gorm:"not null;default:0"`
	Currency       string `gorm:"size:3;not null;default:EUR"`
	State          string `gorm:"size:10;not null;index"`
	Attempts       int    `gorm:"not null;default:0"`
	LastError      string `gorm:"size:500"`
	UpdatedAt      time.Time
	Order          Order `gorm:"foreignKey:OrderID"`
}

// CancelEventInput is what an organizer confirmed.
type CancelEventInput struct {
	EventID  uint
	UserID   uint
	Subject  string
	Body     string // Markdown
	BodyHTML string // the same, rendered and sanitised
	Now      time.Time
	// Audit, when set, is the log line (who, from where) written in the
	// cancellation's transaction; the number of orders is added here.
	Audit *AuditEntry
}

// CancelEvent cancels an event in one transaction: its status becomes
// cancelled, every live order is cancelled (places given back), the
// waitlist is closed (offers' places too), each person on a cancelled order
// gets one mail, and every paid Stripe payment is marked to be refunded in
// full (its key stored) for the cancellation job, which the returned row is.
func CancelEvent(db *gorm.DB, in CancelEventInput) (*EventCancellation, error) {
	now := in.Now.UTC()
	c := EventCancellation{EventID: in.EventID, Subject: in.Subject, Body: in.Body, BodyHTML: in.BodyHTML,
		CreatedBy: in.UserID, State: CancellationRefunding, CreatedAt: now, UpdatedAt: now}
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Event{}).Where("id = ? AND status <> ?", in.EventID, StatusCancelled).
			Updates(map[string]any{"status": StatusCancelled, "version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrEventAlreadyCancelled
		}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		var ev Event
		if err := tx.Select("id", "slug", "status").Take(&ev, in.EventID).Error; err != nil {
			return err
		}
		if err := eventWebhook(tx, WebhookEventChanged, ev, now); err != nil {
			return err
		}
		closed, err := closeWaitlist(tx, in.EventID, now)
		if err != nil {
			return err
		}
		orders, err := liveOrdersWithAttendees(tx, in.EventID)
		if err != nil {
			return err
		}
		mailed := map[string]bool{}
		for i := range orders {
			if err := cancelForEvent(tx, &c, &orders[i], mailed, now); err != nil {
				return fmt.Errorf("cancel order %d: %w", orders[i].ID, err)
			}
		}
		// People waiting are told too, once per address like everyone else.
		for _, w := range closed {
			key := strings.ToLower(strings.TrimSpace(w.Email))
			if key == "" || mailed[key] {
				continue
			}
			mailed[key] = true
			if err := Enqueue(tx, &OutboxMessage{To: w.Email, Language: w.Language, Kind: MailEventCancelledWaitlist, RefID: w.ID,
				DedupeKey: fmt.Sprintf("%s:%d:%s", MailEventCancelled, c.ID, key)}); err != nil {
				return err
			}
		}
		if in.Audit != nil {
			e := *in.Audit
			eventID := in.EventID
			e.EventID = &eventID
			e.Subject = fmt.Sprintf("event %d", in.EventID)
			e.Detail = fmt.Sprintf("%d orders cancelled; subject: %s", len(orders), in.Subject)
			if err := RecordAudit(tx, e); err != nil {
				return err
			}
		}
		return finishIfDone(tx, c.ID, now)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// cancelForEvent cancels one order of a cancelled event, writes its item
// and mails the people on it who were not mailed yet.
func cancelForEvent(tx *gorm.DB, c *EventCancellation, o *Order, mailed map[string]bool, now time.Time) error {
	var p *Payment
	if o.Status == OrderConfirmed && o.Total > 0 {
		var err error
		if p, err = PaidPayment(tx, o.ID); errors.Is(err, gorm.ErrRecordNotFound) {
			p = nil
		} else if err != nil {
			return err
		}
	}
	if _, err := cancelLiveOrder(tx, o.ID, now, false); err != nil {
		return err
	}
	item := CancellationItem{CancellationID: c.ID, OrderID: o.ID, Refund: CancelRefundNone, State: CancelItemDone,
		Currency: o.Currency, UpdatedAt: now}
	if p != nil && (p.State == PaymentPaid || p.State == PaymentPartiallyRefunded) && p.Amount > p.RefundedAmount {
		item.PaymentID, item.Amount = &p.ID, p.Amount-p.RefundedAmount
		switch p.Provider {
		case ProviderStripe:
			ok, err := markRefundDue(tx, p.ID, RefundEventCancelled, item.Amount, RefundKey(p.ID, RefundEventCancelled, 0), now)
			if err != nil {
				return err
			}
			if ok {
				item.Refund, item.State = CancelRefundStripe, CancelItemPending
			}
		default:
			item.Refund = CancelRefundByHand
		}
	}
	if err := tx.Create(&item).Error; err != nil {
		return err
	}
	to := []string{o.BuyerEmail}
	for _, a := range o.Attendees {
		to = append(to, a.Email)
	}
	for _, addr := range to {
		key := strings.ToLower(strings.TrimSpace(addr))
		if key == "" || mailed[key] {
			continue
		}
		mailed[key] = true
		if err := Enqueue(tx, &OutboxMessage{To: addr, Language: o.Language, Kind: MailEventCancelled, RefID: item.ID,
			DedupeKey: fmt.Sprintf("%s:%d:%s", MailEventCancelled, c.ID, key)}); err != nil {
			return err
		}
	}
	return nil
}

// closeWaitlist ends every waiting entry and live offer of the event; the
// offers' places are given back. It returns the entries it ended.
func closeWaitlist(tx *gorm.DB, eventID uint, now time.Time) ([]WaitlistEntry, error) {
	var ws, closed []WaitlistEntry
	if err := tx.Clauses(lockForUpdate(tx)...).Where("event_id = ? AND status IN ?", eventID, []string{WaitlistWaiting, WaitlistOffered}).
		Order("id").Find(&ws).Error; err != nil {
		return nil, err
	}
	for _, w := range ws {
		res := tx.Model(&WaitlistEntry{}).Where("id = ? AND status = ?", w.ID, w.Status).
			Updates(map[string]any{"status": WaitlistCancelled, "updated_at": now})
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected != 1 {
			continue
		}
		closed = append(closed, w)
		if w.Status == WaitlistOffered {
			if err := releasePlaces(tx, offerClaims(w)); err != nil {
				return nil, err
			}
		}
	}
	return closed, nil
}

// lockForUpdate locks the rows read on PostgreSQL (SQLite locks the whole
// database for the writing transaction anyway).
func lockForUpdate(tx *gorm.DB) []clause.Expression {
	if IsPostgres(tx) {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

// finishIfDone marks the cancellation done when no refund is pending or failed.
func finishIfDone(tx *gorm.DB, cancellationID uint, now time.Time) error {
	var open int64
	if err := tx.Model(&CancellationItem{}).Where("cancellation_id = ? AND state IN ?", cancellationID,
		[]string{CancelItemPending, CancelItemFailed}).Count(&open).Error; err != nil {
		return err
	}
	state := CancellationRefunding
	set := map[string]any{"updated_at": now}
	if open == 0 {
		state = CancellationDone
		set["finished_at"] = now
	}
	set["state"] = state
	return tx.Model(&EventCancellation{}).Where("id = ?", cancellationID).Updates(set).Error
}
