package models

import (
	"fmt"

	"gorm.io/gorm"
)

// AuditForUser writes entry to the audit log of each organization userID is
// a member of, through tx. An account belongs to no single organization, so
// what happens to it (a sign-in, a new password) is in each of their logs;
// an account of no organization (a site admin only) writes nothing.
func AuditForUser(tx *gorm.DB, userID uint, entry AuditEntry) error {
	var orgIDs []uint
	if err := tx.Model(&Membership{}).Where("user_id = ?", userID).Order("organization_id").Pluck("organization_id", &orgIDs).Error; err != nil {
		return fmt.Errorf("audit: memberships: %w", err)
	}
	if entry.Subject == "" {
		entry.Subject = fmt.Sprintf("user %d", userID)
	}
	for _, id := range orgIDs {
		entry.OrganizationID = id
		if err := RecordAudit(tx, entry); err != nil {
			return err
		}
	}
	return nil
}

// RecordFailedSignIn writes signin.failed to the logs of the organizations
// of the account with that e-mail. An unknown address writes nothing: there
// is no organization whose log it would belong to.
func RecordFailedSignIn(db *gorm.DB, email string, entry AuditEntry) error {
	var u User
	err := db.Where("email = ?", NormalizeEmail(email)).Limit(1).Find(&u).Error
	if err != nil || u.ID == 0 {
		return err
	}
	entry.Action = AuditSignInFailed
	// The actor is the account tried, not a signed-in person.
	id := u.ID
	entry.ActorUserID, entry.ActorEmail = &id, u.Email
	return db.Transaction(func(tx *gorm.DB) error { return AuditForUser(tx, u.ID, entry) })
}
