package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ErrResetNotAllowed is returned when an owner tries to reset the second
// factor of someone outside their organization or of a site admin.
var ErrResetNotAllowed = errors.New("two-factor reset not allowed for this person")

// ResetMemberTwoFactor is the way back in for a team member who lost both
// their phone and their recovery codes: an owner of orgID removes the
// member's second factor and recovery codes, so at the next sign-in they
// set it up again (where it is required, they must). A site admin's second
// factor is reset only by the operator (`agora user reset-two-factor`): an
// owner of one organization must not weaken the site's own accounts.
// audit is the owner's entry; it goes into every organization of the member.
func ResetMemberTwoFactor(db *gorm.DB, orgID, userID uint, now time.Time, audit AuditEntry) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var u User
		err := tx.Joins("JOIN memberships ON memberships.user_id = users.id AND memberships.organization_id = ?", orgID).
			Take(&u, userID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && u.IsAdmin) {
			return ErrResetNotAllowed
		}
		if err != nil {
			return err
		}
		return resetTwoFactor(tx, &u, now, audit)
	})
}

// ResetTwoFactorByOperator removes anyone's second factor from the command
// line, for a site admin who lost theirs.
func ResetTwoFactorByOperator(db *gorm.DB, email string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		u, err := UserByEmail(tx, email)
		if err != nil {
			return err
		}
		return resetTwoFactor(tx, u, now, AuditEntry{CreatedAt: now, Detail: "reset by the operator (agora user reset-two-factor)"})
	})
}

// resetTwoFactor removes u's second factor and ends all their sessions: a
// session that was opened with the lost phone must not outlive it.
func resetTwoFactor(tx *gorm.DB, u *User, now time.Time, audit AuditEntry) error {
	res := tx.Where("user_id = ?", u.ID).Delete(&TwoFactor{})
	if res.Error != nil {
		return fmt.Errorf("delete two-factor: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrTwoFactorOff
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&RecoveryCode{}).Error; err != nil {
		return fmt.Errorf("delete recovery codes: %w", err)
	}
	if _, err := endUserSessions(tx, u.ID, 0, now); err != nil {
		return err
	}
	audit.Action = AuditTwoFactorOff
	audit.Subject = u.Email
	if audit.Detail == "" {
		audit.Detail = "reset by an owner (lost phone and recovery codes)"
	}
	return recordUserAudit(tx, u.ID, audit)
}
