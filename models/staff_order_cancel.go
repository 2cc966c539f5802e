package models

import (
	"time"

	"gorm.io/gorm"
)

// StaffCancelOrder cancels a live order for an organizer (or a system
// acting for them, such as an API token): the places go back once (and to
// the waitlist), the buyer is mailed, and a "cancelled" change record names
// who did it, all in one transaction. A cancelled or expired order changes
// nothing and returns false. Refunds are not made here: the caller refunds
// first, as the organizer's order page does (RefundableOf, RecordRefundBy).
func StaffCancelOrder(db *gorm.DB, orderID uint, by Actor, now time.Time) (bool, error) {
	now = now.UTC()
	done := false
	err := db.Transaction(func(tx *gorm.DB) error {
		var o Order
		if err := tx.Select("id", "event_id").Take(&o, orderID).Error; err != nil {
			return err
		}
		var err error
		if done, err = cancelLiveOrder(tx, orderID, now, true); err != nil || !done {
			return err
		}
		return recordChange(tx, o.EventID, o.ID, nil, by, ChangeCancelled, nil, now)
	})
	return done, err
}
