package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IdempotencyKeyLife is how long an API client's Idempotency-Key is
// remembered: a retry within it replays the first answer.
const IdempotencyKeyLife = 24 * time.Hour

// MaxIdempotencyKey bounds the key's length (its column's size).
const MaxIdempotencyKey = 255

// Idempotency-Key row states.
const (
	IdempotencyInProgress = "in_progress"
	IdempotencyDone       = "done"
)

// APIIdempotencyKey is one Idempotency-Key of one token: the row is written
// before the request's handler runs (so two requests with the key cannot
// both run it), then holds the response to replay.
type APIIdempotencyKey struct {
	ID          uint   `gorm:"primaryKey"`
	APITokenID  uint   `gorm:"not null"`
	Key         string `gorm:"size:255;not null"`
	RequestHash string `gorm:"size:64;not null"`
	State       string `gorm:"size:20;not null"`
	Status      int    `gorm:"not null;default:0"`
	ContentType string `gorm:"size:100;not null;default:''"`
	Body        []byte
	ExpiresAt   time.Time `gorm:"not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// What a repeated key finds (BeginIdempotent's errors).
var (
	// ErrIdempotencyInProgress: the first request with the key is still running.
	ErrIdempotencyInProgress = errors.New("idempotency key: first request still in progress")
	// ErrIdempotencyMismatch: the key was used for a different request.
	ErrIdempotencyMismatch = errors.New("idempotency key: used with another request")
)

// BeginIdempotent claims key for tokenID's request whose fingerprint is
// hash. The first caller gets the new row (run the handler, then
// FinishIdempotent or ForgetIdempotent); a repeat of a finished request gets
// the row with its stored response and replay=true; a repeat while the first
// runs gets ErrIdempotencyInProgress; the key with another request
// ErrIdempotencyMismatch. The insert comes first and the unique index on
// (token, key) decides, so concurrent requests with one key run the handler
// once on either engine. Expired keys of the token are removed here (lazily).
func BeginIdempotent(db *gorm.DB, tokenID uint, key, hash string, now time.Time) (row *APIIdempotencyKey, replay bool, err error) {
	if err := db.Where("api_token_id = ? AND expires_at <= ?", tokenID, now).Delete(&APIIdempotencyKey{}).Error; err != nil {
		return nil, false, err
	}
	r := &APIIdempotencyKey{APITokenID: tokenID, Key: key, RequestHash: hash, State: IdempotencyInProgress, ExpiresAt: now.Add(IdempotencyKeyLife)}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(r)
	if res.Error != nil {
		return nil, false, res.Error
	}
	if res.RowsAffected == 1 {
		return r, false, nil
	}
	var old APIIdempotencyKey
	if err := db.Where("api_token_id = ? AND key = ?", tokenID, key).Take(&old).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) { // forgotten between the insert and this read
			return nil, false, ErrIdempotencyInProgress
		}
		return nil, false, err
	}
	switch {
	case old.RequestHash != hash:
		return nil, false, ErrIdempotencyMismatch
	case old.State != IdempotencyDone:
		return nil, false, ErrIdempotencyInProgress
	}
	return &old, true, nil
}

// FinishIdempotent stores the response of the request that claimed row.
func FinishIdempotent(db *gorm.DB, row *APIIdempotencyKey, status int, contentType string, body []byte) error {
	if len(contentType) > 100 {
		contentType = contentType[:100]
	}
	return db.Model(&APIIdempotencyKey{}).Where("id = ? AND state = ?", row.ID, IdempotencyInProgress).
		Updates(map[string]any{"state": IdempotencyDone, "status": status, "content_type": contentType, "body": body}).Error
}

// ForgetIdempotent drops a claimed key whose request failed on the server's
// side (nothing was written), so the client's retry runs again.
func ForgetIdempotent(db *gorm.DB, row *APIIdempotencyKey) error {
	return db.Where("id = ? AND state = ?", row.ID, IdempotencyInProgress).Delete(&APIIdempotencyKey{}).Error
}
