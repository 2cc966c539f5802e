package models

import (
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// MustUseTwoFactor reports whether u has to sign in with a second factor:
// site admins always, everyone else when one of their organizations
// requires it. ms are u's memberships with their organizations loaded (as
// Memberships returns them).
func MustUseTwoFactor(u *User, ms []Membership) bool {
	if u.IsAdmin {
		return true
	}
	for _, m := range ms {
		if m.Organization.RequireTwoFactor {
			return true
		}
	}
	return false
}

// SetRequireTwoFactor turns the organization's requirement on or off, with
// its audit entry; nothing is written when it does not change.
func SetRequireTwoFactor(db *gorm.DB, orgID uint, on bool, audit AuditEntry) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Organization{}).Where("id = ? AND require_two_factor <> ?", orgID, on).Update("require_two_factor", on)
		if res.Error != nil {
			return fmt.Errorf("require two-factor: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		audit.OrganizationID, audit.Action = orgID, AuditTwoFactorRequired
		audit.Subject = "organization " + strconv.FormatUint(uint64(orgID), 10)
		audit.Detail = map[bool]string{true: "required", false: "not required"}[on]
		return RecordAudit(tx, audit)
	})
}

// TeamTwoFactor says, for each user of the organization, whether they have
// confirmed a second factor (for the owner's overview).
func TeamTwoFactor(db *gorm.DB, orgID uint) (map[uint]bool, error) {
	var ids []uint
	err := db.Model(&TwoFactor{}).Joins("JOIN memberships ON memberships.user_id = user_two_factors.user_id").
		Where("memberships.organization_id = ? AND user_two_factors.confirmed_at IS NOT NULL", orgID).
		Pluck("user_two_factors.user_id", &ids).Error
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// CountAdmins counts the site admins (the start-up warning when they must
// use two-factor sign-in but no key is set).
func CountAdmins(db *gorm.DB) (int64, error) {
	var n int64
	err := db.Model(&User{}).Where("is_admin = ?", true).Count(&n).Error
	return n, err
}
