package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ErrCurrentPasswordWrong is returned when a person changing their password
// mistypes the current one.
var ErrCurrentPasswordWrong = errors.New("the current password is wrong")

// ChangePassword sets a signed-in person's new password after checking the
// current one. The new one must pass CheckNewPassword (its errors come back
// as they are, so the form can say which rule). In the same transaction
// every other session of the person ends (keepSessionID stays: the browser
// that changed it) and password.changed goes to the audit log of each of
// their organizations. It may return ErrPasswordBusy.
func ChangePassword(db *gorm.DB, userID uint, current, newPassword string, keepSessionID uint, now time.Time, entry AuditEntry) error {
	var u User
	if err := db.Take(&u, userID).Error; err != nil {
		return fmt.Errorf("load user: %w", err)
	}
	// The cheap rules first: a refused new password costs no hash.
	if err := CheckNewPassword(newPassword, u.Email, u.Name); err != nil {
		return err
	}
	ok, err := checkPassword(current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return ErrCurrentPasswordWrong
	}
	hash, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	return db.Transaction(func(tx *gorm.DB) error {
		// Conditional on the hash checked above: two changes at once cannot
		// both pass with the same old password.
		res := tx.Model(&User{}).Where("id = ? AND password_hash = ?", u.ID, u.PasswordHash).
			Updates(map[string]any{"password_hash": hash, "updated_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrCurrentPasswordWrong
		}
		n, err := endUserSessions(tx, u.ID, keepSessionID, now)
		if err != nil {
			return err
		}
		entry.Action = AuditPasswordChanged
		entry.Detail = fmt.Sprintf("other sessions ended: %d", n)
		return AuditForUser(tx, u.ID, entry)
	})
}
