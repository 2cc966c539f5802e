package models

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SignInTTL is how long a networking sign-in link works.
const SignInTTL = 30 * time.Minute

// MeetingSignInToken is a one-time sign-in link for an attendee; only the
// hash of the token is stored.
type MeetingSignInToken struct {
	ID         uint   `gorm:"primaryKey"`
	TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
	EventID    uint   `gorm:"not null;index"`
	AttendeeID uint   `gorm:"not null;index"`
	ExpiresAt  time.Time
	UsedAt     *time.Time
	CreatedAt  time.Time
}

func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// RequestSignIn e-mails a sign-in link to every eligible attendee of the
// event with that address. It returns nothing about whether any exists, so
// the page answers the same for every address.
func RequestSignIn(db *gorm.DB, eventID uint, email string, now time.Time) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 {
		return nil
	}
	set, err := NetworkingFor(db, eventID)
	if err != nil || !set.Enabled {
		return err
	}
	var ids []uint
	if err := db.Model(&Attendee{}).Where("event_id = ? AND LOWER(email) = ? AND status = ?", eventID, email, AttendeeActive).
		Order("id").Limit(10).Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := NetworkingAttendee(db, set, id); err != nil {
			continue
		}
		if _, err := IssueSignIn(db, eventID, id, now); err != nil {
			return err
		}
	}
	return nil
}

// IssueSignIn makes a sign-in token for an attendee and mails its link.
// It returns the raw token (tests and the self-service route use it).
func IssueSignIn(db *gorm.DB, eventID, attendeeID uint, now time.Time) (string, error) {
	raw := NewSecret()
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&MeetingSignInToken{TokenHash: hashToken(raw), EventID: eventID, AttendeeID: attendeeID, ExpiresAt: now.UTC().Add(SignInTTL)}).Error; err != nil {
			return err
		}
		return notify(tx, NoticeSignIn, attendeeID, 0, 0, 0, raw)
	})
	return raw, err
}

// ConsumeSignIn uses a token once and returns its attendee. Unknown, used
// and expired tokens are all ErrTokenInvalid.
func ConsumeSignIn(db *gorm.DB, eventID uint, raw string, now time.Time) (uint, error) {
	if !LooksLikeSecret(raw) {
		return 0, ErrTokenInvalid
	}
	var attendeeID uint
	err := db.Transaction(func(tx *gorm.DB) error {
		h := hashToken(raw)
		res := tx.Model(&MeetingSignInToken{}).Where("token_hash = ? AND event_id = ? AND used_at IS NULL AND expires_at > ?", h, eventID, now.UTC()).
			Update("used_at", now.UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrTokenInvalid
		}
		var t MeetingSignInToken
		if err := tx.Where("token_hash = ?", h).Take(&t).Error; err != nil {
			return err
		}
		attendeeID = t.AttendeeID
		// The link in the mail is no secret once used; forget it.
		return tx.Model(&MeetingNotice{}).Where("kind = ? AND participant_id = ? AND reason = ?", NoticeSignIn, t.AttendeeID, raw).Update("reason", "").Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, ErrTokenInvalid
	}
	return attendeeID, err
}

// ForgetExpiredSignIns removes what is left of sign-in links that can no
// longer be used: the raw token kept on the notice for the e-mail, and the
// token rows themselves. It returns how many notices it cleared.
func ForgetExpiredSignIns(db *gorm.DB, now time.Time) (int64, error) {
	cutoff := now.UTC().Add(-SignInTTL)
	res := db.Model(&MeetingNotice{}).Where("kind = ? AND reason <> '' AND created_at < ?", NoticeSignIn, cutoff).
		Update("reason", "")
	if res.Error != nil {
		return 0, res.Error
	}
	if err := db.Where("expires_at < ?", now.UTC()).Delete(&MeetingSignInToken{}).Error; err != nil {
		return res.RowsAffected, err
	}
	return res.RowsAffected, nil
}
