package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PasswordResetTTL is how long a "forgot your password?" link works.
const PasswordResetTTL = time.Hour

// PasswordReset is a single-use link to set a new password. Only the
// SHA-256 hash of its token is stored.
type PasswordReset struct {
	ID        uint      `gorm:"primaryKey"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	UserID    uint      `gorm:"not null;index"`
	CreatedAt time.Time `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
}

// ErrResetInvalid is returned for a reset link that is unknown, used or
// expired: the page says the same for all three.
var ErrResetInvalid = errors.New("the password reset link is not valid any more")

// ResetMail composes the e-mail carrying a reset link for u; raw is the
// token to put in the link. It returns an outbox message with its content
// (To, Subject, bodies, Language); RequestPasswordReset sets the rest.
type ResetMail func(u User, raw string) (OutboxMessage, error)

// resetMailKey is the outbox dedupe key of a reset's e-mail.
func resetMailKey(resetID uint) string { return fmt.Sprintf("password_reset:%d", resetID) }

// RequestPasswordReset makes a reset link for the account with that e-mail
// and queues its e-mail in the same transaction. It says nothing about
// whether the account exists: an unknown address returns nil too, so the
// page answers the same for every address.
func RequestPasswordReset(db *gorm.DB, email string, now time.Time, compose ResetMail) error {
	email = NormalizeEmail(email)
	if email == "" || len(email) > MaxEmailLen {
		return nil
	}
	now = now.UTC()
	return db.Transaction(func(tx *gorm.DB) error {
		// Both answers do the same work up to here, and both write: spent
		// and expired links are forgotten on every request.
		if err := tx.Where("expires_at < ?", now.Add(-PasswordResetTTL)).Delete(&PasswordReset{}).Error; err != nil {
			return err
		}
		var u User
		if err := tx.Where("email = ?", email).Limit(1).Find(&u).Error; err != nil || u.ID == 0 {
			return err
		}
		raw := NewSecret()
		r := &PasswordReset{TokenHash: hashToken(raw), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(PasswordResetTTL)}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		m, err := compose(u, raw)
		if err != nil {
			return fmt.Errorf("compose reset mail: %w", err)
		}
		m.To, m.Kind, m.RefID = u.Email, "", r.ID
		m.DedupeKey = resetMailKey(r.ID)
		m.Status, m.NextAttemptAt = OutboxPending, now
		return tx.Create(&m).Error
	})
}

// liveReset finds the unused, unexpired reset of raw.
func liveReset(db *gorm.DB, raw string, now time.Time) (*PasswordReset, error) {
	if !LooksLikeSecret(raw) {
		return nil, ErrResetInvalid
	}
	var r PasswordReset
	// Looked up by hash: nothing of the token is compared in Go.
	err := db.Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashToken(raw), now.UTC()).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrResetInvalid
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// PasswordResetUser returns the account a live reset link is for, without
// using the link (opening it shows the form; mail scanners open links too).
func PasswordResetUser(db *gorm.DB, raw string, now time.Time) (*User, error) {
	r, err := liveReset(db, raw, now)
	if err != nil {
		return nil, err
	}
	var u User
	if err := db.Take(&u, r.UserID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrResetInvalid
		}
		return nil, err
	}
	return &u, nil
}

// CompletePasswordReset uses the link raw once to set the account's new
// password (which must pass CheckNewPassword; its errors come back as they
// are). In the same transaction it spends every other open link of the
// account, ends all of its sessions, clears the links from the sent
// e-mails, and writes password.reset to the audit log of each of its
// organizations. It returns the account, to be signed in. It may return
// ErrPasswordBusy.
func CompletePasswordReset(db *gorm.DB, raw, newPassword string, now time.Time, entry AuditEntry) (*User, error) {
	u, err := PasswordResetUser(db, raw, now)
	if err != nil {
		return nil, err
	}
	if err := CheckNewPassword(newPassword, u.Email, u.Name); err != nil {
		return nil, err
	}
	hash, err := HashPassword(newPassword)
	if err != nil {
		return nil, err
	}
	now = now.UTC()
	err = db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&PasswordReset{}).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashToken(raw), now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrResetInvalid // used meanwhile by another request
		}
		var ids []uint
		if err := tx.Model(&PasswordReset{}).Where("user_id = ?", u.ID).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if err := tx.Model(&PasswordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		keys := make([]string, 0, len(ids))
		for _, id := range ids {
			keys = append(keys, resetMailKey(id))
		}
		if len(keys) > 0 {
			// A sent mail's link is spent now; keep no copy of it.
			if err := tx.Model(&OutboxMessage{}).Where("dedupe_key IN ? AND status = ?", keys, OutboxSent).
				Updates(map[string]any{"text_body": "", "html_body": ""}).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		n, err := endUserSessions(tx, u.ID, 0, now)
		if err != nil {
			return err
		}
		id := u.ID
		entry.ActorUserID, entry.ActorEmail = &id, u.Email
		entry.Action = AuditPasswordReset
		entry.Detail = fmt.Sprintf("sessions ended: %d", n)
		return AuditForUser(tx, u.ID, entry)
	})
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	return u, nil
}
