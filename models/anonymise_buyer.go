package models

import (
	"strings"
	"time"

	"gorm.io/gorm"
)

// AnonymiseBuyer erases the buyer's name and e-mail on the order when the
// buyer is the person whose e-mail was email (someone who registered
// themselves): anonymising that attendee must not leave them on the order.
// A buyer who registered other people keeps their own data. It reports
// whether the order's buyer was erased.
func AnonymiseBuyer(db *gorm.DB, orderID uint, email string, now time.Time) (bool, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return false, nil
	}
	return eraseBuyers(db, now, "id = ? AND LOWER(buyer_email) = ?", orderID, strings.ToLower(email))
}

// paidOrderSQL is true for an order (the outer row "orders") with a payment
// that went through: its receipt is an invoice the organizers must keep.
const paidOrderSQL = "EXISTS (SELECT 1 FROM payments WHERE payments.order_id = orders.id AND payments.state IN ?)"

// receiptPaymentStates are the states whose payments have a receipt (see
// PaidPayment).
var receiptPaymentStates = []string{PaymentPaid, PaymentPartiallyRefunded, PaymentRefunded, PaymentRefundDue}

// eraseBuyers erases the buyer of the orders matching cond: the e-mail
// always; the name unless the order was paid, because tax law requires the
// invoice (the receipt) to name the buyer for as long as the books are
// kept. Amounts, payments and refunds stay. It reports whether any order
// changed.
func eraseBuyers(db *gorm.DB, now time.Time, cond string, args ...any) (bool, error) {
	var ids []uint
	if err := db.Model(&Order{}).Where(cond, args...).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return false, err
	}
	res := db.Model(&Order{}).Where("id IN ?", ids).Where(cond, args...).Updates(map[string]any{
		"buyer_name":  gorm.Expr("CASE WHEN "+paidOrderSQL+" THEN buyer_name ELSE ? END", receiptPaymentStates, AnonymisedName),
		"buyer_email": "", "updated_at": now.UTC(),
	})
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	// The people a message went to through the buyer's address.
	return true, eraseRecipients(db, "order_id IN ? AND attendee_id IS NULL", ids)
}

// eraseRecipients erases the name and address of message recipients
// matching cond; the address becomes unique per row (it is part of a
// unique key) and no longer an address.
func eraseRecipients(db *gorm.DB, cond string, args ...any) error {
	return db.Model(&MessageRecipient{}).Where(cond, args...).Where("name <> ?", AnonymisedName).
		Updates(map[string]any{"name": AnonymisedName, "email": gorm.Expr("'erased-' || id")}).Error
}

// eraseMeetingProfiles erases the networking profiles of the participants
// whose ids the subquery ids gives, unlists them, and erases what they
// wrote in meeting requests and what was written about them in notices.
// Their meetings and counts stay.
func eraseMeetingProfiles(tx *gorm.DB, ids *gorm.DB, now time.Time) error {
	if err := tx.Model(&MeetingParticipant{}).Where("id IN (?)", ids).Updates(map[string]any{
		"name": AnonymisedName, "organization": "", "role": "", "country": "", "bio": "", "interests": "",
		"offers": "", "needs": "", "active": false, "updated_at": now.UTC(),
	}).Error; err != nil {
		return err
	}
	if err := tx.Model(&MeetingRequest{}).Where("from_participant_id IN (?) OR to_participant_id IN (?)", ids, ids).
		Updates(map[string]any{"message": "", "reason": ""}).Error; err != nil {
		return err
	}
	return tx.Model(&MeetingNotice{}).Where("kind <> ? AND (participant_id IN (?) OR other_id IN (?))", NoticeSignIn, ids, ids).
		Update("reason", "").Error
}
