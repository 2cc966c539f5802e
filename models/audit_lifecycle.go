package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// recordRefundAudit writes a new refund of order o to its organization's
// log, inside the refund's transaction. by carries the actor, if any.
func recordRefundAudit(tx *gorm.DB, by AuditEntry, o Order, r Refund, now time.Time) error {
	e := by
	eventID := o.EventID
	e.OrganizationID, e.EventID, e.Action = o.Event.OrganizationID, &eventID, AuditRefund
	e.Subject = "order " + o.Code
	e.Detail = fmt.Sprintf("%s %s refunded (payment %d, reason %s)", minorUnits(r.Amount), r.Currency, r.PaymentID, r.Reason)
	if e.CreatedAt.IsZero() {
		e.CreatedAt = now
	}
	return RecordAudit(tx, e)
}

// minorUnits writes an amount in cents as "12.50".
func minorUnits(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// AttendeeSubject names an attendee in the log without their data: the
// attendee's id and the order's code.
func AttendeeSubject(attendeeID uint, orderCode string) string {
	if orderCode == "" {
		return fmt.Sprintf("attendee %d", attendeeID)
	}
	return fmt.Sprintf("attendee %d (order %s)", attendeeID, orderCode)
}

// recordAnonymisedAudit logs the erasure of attendee a (and of the buyer,
// when they were the buyer) by id and order code.
func recordAnonymisedAudit(tx *gorm.DB, e AuditEntry, a Attendee, buyer bool) error {
	var o Order
	if err := tx.Select("id", "code").Take(&o, a.OrderID).Error; err != nil {
		return err
	}
	eventID := a.EventID
	e.EventID, e.Action = &eventID, AuditAnonymised
	e.Subject = AttendeeSubject(a.ID, o.Code)
	if buyer {
		e.Detail = "the order's buyer was erased too"
	}
	return RecordAudit(tx, e)
}
