package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Organization is a tenant: a cluster, a hospital Living Lab, a university.
// Organizers see and change only their organization's records.
type Organization struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null"`
	Slug      string `gorm:"size:100;not null;uniqueIndex"`
	LegalName string `gorm:"size:200"`
	Address   string `gorm:"size:500"`
	VATID     string `gorm:"column:vat_id;size:50"`
	// RequireTwoFactor makes everyone in the organization sign in with a
	// second factor (see MustUseTwoFactor).
	RequireTwoFactor bool `gorm:"not null;default:false"`
	// ContactName and ContactEmail are whom attendees reach by replying to
	// an e-mail about one of the organization's events (see EventContact).
	ContactName  string `gorm:"size:200;not null;default:''"`
	ContactEmail string `gorm:"size:254;not null;default:''"`
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// RetentionMonths is its events' default retention period (retention.go).
	RetentionMonths int `gorm:"not null;default:12"`

	// Logo is the organization's logo when a page asked for it (image.go).
	Logo *Picture `gorm:"-"`
}

// Roles a user may hold in an organization.
const (
	RoleOwner   = "owner"
	RoleManager = "manager"
	RoleCheckin = "checkin"
)

// Roles lists the roles in the order they are offered.
var Roles = []string{RoleOwner, RoleManager, RoleCheckin}

// Membership ties a user to an organization with a role.
type Membership struct {
	ID             uint   `gorm:"primaryKey"`
	OrganizationID uint   `gorm:"not null;uniqueIndex:idx_membership_org_user"`
	UserID         uint   `gorm:"not null;uniqueIndex:idx_membership_org_user;index"`
	Role           string `gorm:"size:20;not null"`
	// AccessCoordinator is the permission to see access and health needs,
	// sensitive answers and research consents; it goes with any role.
	AccessCoordinator bool `gorm:"not null;default:false"`
	CreatedAt         time.Time
	Organization      Organization
	User              User
}

// roleRank orders the roles: each may do all that the ones below it may.
var roleRank = map[string]int{RoleCheckin: 1, RoleManager: 2, RoleOwner: 3}

// HasRole reports whether the membership's role is min or one above it.
// An unknown role (or min) grants nothing.
func (m Membership) HasRole(min string) bool {
	need, ok := roleRank[min]
	return ok && roleRank[m.Role] >= need
}

// CanEditEvents reports whether the role may create and change events and agendas.
func (m Membership) CanEditEvents() bool { return m.HasRole(RoleManager) }

// CanManageTeam reports whether the role may add and remove team members.
func (m Membership) CanManageTeam() bool { return m.HasRole(RoleOwner) }

// CanSeeSensitive reports whether the member may see access and health
// needs, sensitive answers and research consents (on screen and in exports).
// Without it a manager sees only that a need exists.
func (m Membership) CanSeeSensitive() bool { return m.AccessCoordinator }

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// FindOrCreateOrganization returns the organization with name, creating it
// (with a slug from the name) when there is none.
func FindOrCreateOrganization(db *gorm.DB, name string) (*Organization, error) {
	var o Organization
	err := db.Where("name = ?", name).First(&o).Error
	if err == nil {
		return &o, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	o = Organization{Name: name, Slug: Slugify(name)}
	if err := db.Create(&o).Error; err != nil {
		return nil, fmt.Errorf("create organization: %w", err)
	}
	return &o, nil
}

// AddMember gives user a role in org, or changes the role they have.
func AddMember(db *gorm.DB, orgID, userID uint, role string) error {
	if !ValidRole(role) {
		return fmt.Errorf("unknown role %q", role)
	}
	m := Membership{OrganizationID: orgID, UserID: userID, Role: role}
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "organization_id"}, {Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"role"}),
	}).Create(&m).Error
}
