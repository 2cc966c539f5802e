package models

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// ErrIdempotencyKeyTaken says the form's idempotency key already made an
// order, but for another visitor or another buyer e-mail. Nothing about that
// order is returned: the caller shows the form again with a new key.
var ErrIdempotencyKeyTaken = errors.New("this form's key belongs to another registration")

// replayOwner binds an idempotency key to the visitor that sent it, so the
// key alone (seen over a shoulder, in a shared page) is not a way into the
// order: only the same browser posting it again finds the order.
func replayOwner(key, visitor string) string {
	h := sha256.Sum256([]byte(key + "\x00" + visitor))
	return hex.EncodeToString(h[:])
}

// ReplayedOrder returns the order an earlier post of the same form made:
// the same key, from the same visitor, for the same buyer e-mail (case
// aside), with Reused set. It returns nil, nil when the key made no order,
// and ErrIdempotencyKeyTaken when it made one for someone else.
func ReplayedOrder(db *gorm.DB, eventID uint, key, visitor, buyerEmail string) (*Order, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, nil
	}
	if len(key) > 100 {
		key = key[:100]
	}
	var o Order
	err := db.Where("event_id = ? AND idempotency_key = ?", eventID, key).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	mine := subtle.ConstantTimeCompare([]byte(o.IdempotencyOwner), []byte(replayOwner(key, visitor))) == 1
	if !mine || !strings.EqualFold(strings.TrimSpace(o.BuyerEmail), strings.TrimSpace(buyerEmail)) {
		return nil, ErrIdempotencyKeyTaken
	}
	o.Reused = true
	return &o, nil
}
