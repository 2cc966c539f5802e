package models

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrLastOwner is returned when a change would leave an organization
// without an owner: someone must always be able to manage its team.
var ErrLastOwner = errors.New("an organization needs at least one owner")

// ErrAlreadyMember is returned when adding someone who is in the team already.
var ErrAlreadyMember = errors.New("already a member")

// TeamMembers lists an organization's memberships with their users, by name.
func TeamMembers(db *gorm.DB, orgID uint) ([]Membership, error) {
	var ms []Membership
	err := db.Preload("User").Joins("JOIN users ON users.id = memberships.user_id").
		Where("memberships.organization_id = ?", orgID).Order("users.name, users.id").Find(&ms).Error
	return ms, err
}

// lockTeam reads the organization's memberships, locked on PostgreSQL so two
// owners demoting each other at once cannot both succeed (SQLite serialises
// writers already: transactions begin immediate).
func lockTeam(tx *gorm.DB, orgID uint) ([]Membership, error) {
	q := tx.Where("organization_id = ?", orgID)
	if IsPostgres(tx) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ms []Membership
	err := q.Order("id").Find(&ms).Error
	return ms, err
}

// changeTeam applies change to the member userID of orgID after checking that
// at least one owner remains once newRole ("" = removed) replaces theirs.
func changeTeam(db *gorm.DB, orgID, userID uint, newRole string, change func(tx *gorm.DB) error) error {
	return db.Transaction(func(tx *gorm.DB) error {
		ms, err := lockTeam(tx, orgID)
		if err != nil {
			return err
		}
		found, owners := false, 0
		for _, m := range ms {
			role := m.Role
			if m.UserID == userID {
				found = true
				role = newRole
			}
			if role == RoleOwner {
				owners++
			}
		}
		if !found {
			return gorm.ErrRecordNotFound
		}
		if owners == 0 {
			return ErrLastOwner
		}
		return change(tx)
	})
}

// ChangeMemberRole gives a member of orgID another role, refusing to demote the last owner.
func ChangeMemberRole(db *gorm.DB, orgID, userID uint, role string) error {
	if !ValidRole(role) {
		return fmt.Errorf("unknown role %q", role)
	}
	return changeTeam(db, orgID, userID, role, func(tx *gorm.DB) error {
		return tx.Model(&Membership{}).Where("organization_id = ? AND user_id = ?", orgID, userID).Update("role", role).Error
	})
}

// RemoveMember takes a member out of orgID, refusing to remove the last owner.
// The account stays: it may belong to other organizations.
func RemoveMember(db *gorm.DB, orgID, userID uint) error {
	return changeTeam(db, orgID, userID, "", func(tx *gorm.DB) error {
		return tx.Where("organization_id = ? AND user_id = ?", orgID, userID).Delete(&Membership{}).Error
	})
}

// UserByEmail returns the account with that e-mail, or gorm.ErrRecordNotFound.
func UserByEmail(db *gorm.DB, email string) (*User, error) {
	var u User
	if err := db.Where("email = ?", NormalizeEmail(email)).First(&u).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// AddMemberByEmail adds the account with email to orgID with role. When
// there is no such account it creates one with name and password. It
// reports ErrAlreadyMember rather than silently changing a member's role
// (that goes through ChangeMemberRole, which protects the last owner).
func AddMemberByEmail(db *gorm.DB, orgID uint, email, name, password, role string) (created bool, err error) {
	if !ValidRole(role) {
		return false, fmt.Errorf("unknown role %q", role)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		u, err := UserByEmail(tx, email)
		if errors.Is(err, gorm.ErrRecordNotFound) {
			if u, err = CreateUser(tx, email, name, password, false); err != nil {
				return err
			}
			created = true
		} else if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Membership{}).Where("organization_id = ? AND user_id = ?", orgID, u.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadyMember
		}
		return tx.Create(&Membership{OrganizationID: orgID, UserID: u.ID, Role: role}).Error
	})
	return created, err
}
