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
// at least one owner remains once newRole ("" = removed, "-" = unchanged)
// replaces theirs, and writes e in the same transaction, its Subject naming
// the member by e-mail.
// change gets the member's membership as it was.
func changeTeam(db *gorm.DB, orgID, userID uint, newRole string, e AuditEntry, change func(tx *gorm.DB, was Membership, e *AuditEntry) error) error {
	return Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		ms, err := lockTeam(tx, orgID)
		if err != nil {
			return err
		}
		var was *Membership
		owners := 0
		for i, m := range ms {
			role := m.Role
			if m.UserID == userID {
				was = &ms[i]
				if newRole != "-" {
					role = newRole
				}
			}
			if role == RoleOwner {
				owners++
			}
		}
		if was == nil {
			return gorm.ErrRecordNotFound
		}
		if owners == 0 {
			return ErrLastOwner
		}
		var email []string
		if err := tx.Model(&User{}).Where("id = ?", userID).Pluck("email", &email).Error; err != nil {
			return err
		}
		e.Subject = fmt.Sprintf("user %d", userID)
		if len(email) == 1 {
			e.Subject = email[0] // staff, not attendees: the e-mail is fine here
		}
		return change(tx, *was, e)
	})
}

// ChangeMemberRole gives a member of orgID another role, refusing to demote
// the last owner; e (AuditRoleChanged) records old → new.
func ChangeMemberRole(db *gorm.DB, orgID, userID uint, role string, e AuditEntry) error {
	if !ValidRole(role) {
		return fmt.Errorf("unknown role %q", role)
	}
	e.Action = AuditRoleChanged
	return changeTeam(db, orgID, userID, role, e, func(tx *gorm.DB, was Membership, e *AuditEntry) error {
		e.Detail = was.Role + " → " + role
		return tx.Model(&Membership{}).Where("organization_id = ? AND user_id = ?", orgID, userID).Update("role", role).Error
	})
}

// RemoveMember takes a member out of orgID, refusing to remove the last owner;
// e (AuditMemberRemoved) records the role they had. The account stays: it
// may belong to other organizations.
func RemoveMember(db *gorm.DB, orgID, userID uint, e AuditEntry) error {
	e.Action = AuditMemberRemoved
	return changeTeam(db, orgID, userID, "", e, func(tx *gorm.DB, was Membership, e *AuditEntry) error {
		e.Detail = "role: " + was.Role
		if was.AccessCoordinator {
			e.Detail += "; access coordinator"
		}
		return tx.Where("organization_id = ? AND user_id = ?", orgID, userID).Delete(&Membership{}).Error
	})
}

// SetAccessCoordinator grants or revokes a member's access coordinator
// permission (it goes with any role); e (AuditPermissionChanged) records
// the change. Setting what is already set changes and records nothing.
func SetAccessCoordinator(db *gorm.DB, orgID, userID uint, on bool, e AuditEntry) error {
	e.Action = AuditPermissionChanged
	err := changeTeam(db, orgID, userID, "-", e, func(tx *gorm.DB, was Membership, e *AuditEntry) error {
		if was.AccessCoordinator == on {
			return errNoChange
		}
		e.Detail = "access coordinator: revoked"
		if on {
			e.Detail = "access coordinator: granted"
		}
		e.Detail += " (role " + was.Role + ")"
		return tx.Model(&Membership{}).Where("id = ?", was.ID).Update("access_coordinator", on).Error
	})
	if errors.Is(err, errNoChange) {
		return nil
	}
	return err
}

var errNoChange = errors.New("nothing to change")

// UserByEmail returns the account with that e-mail, or gorm.ErrRecordNotFound.
func UserByEmail(db *gorm.DB, email string) (*User, error) {
	var u User
	if err := db.Where("email = ?", NormalizeEmail(email)).First(&u).Error; err != nil {
		return nil, err
	}
	return &u, nil
}

// AddMemberByOperator is AddMember for the operator's command line (`agora
// user add --org`), the one way in without an invitation: the change is
// written to the organization's audit log (AuditMemberAdded, no actor) in
// the same transaction.
func AddMemberByOperator(db *gorm.DB, orgID, userID uint, role string) error {
	e := AuditEntry{OrganizationID: orgID, Action: AuditMemberAdded, Detail: "role: " + role + "; by the operator (agora user add)"}
	return Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return err
		}
		e.Subject = u.Email
		if err := AddMember(tx, orgID, userID, role); err != nil {
			return err
		}
		if role != RoleOwner {
			return nil
		}
		// The operator's owner is the one who can grant the permission to
		// others; like the owners migration 17 found, they hold it.
		e.Detail += "; access coordinator"
		return tx.Model(&Membership{}).Where("organization_id = ? AND user_id = ?", orgID, userID).Update("access_coordinator", true).Error
	})
}
