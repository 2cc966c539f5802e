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
	res := db.Model(&Order{}).Where("id = ? AND LOWER(buyer_email) = ?", orderID, strings.ToLower(email)).
		Updates(map[string]any{"buyer_name": AnonymisedName, "buyer_email": "", "updated_at": now.UTC()})
	return res.RowsAffected == 1, res.Error
}
