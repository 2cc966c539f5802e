package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// User is an organizer or a site admin. Attendees are not users: they reach
// their own records through secret links.
type User struct {
	ID           uint   `gorm:"primaryKey"`
	Email        string `gorm:"size:254;not null;uniqueIndex"`
	Name         string `gorm:"size:200;not null"`
	PasswordHash string `gorm:"size:200;not null"`
	IsAdmin      bool   `gorm:"not null;default:false"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ErrBadCredentials is returned for an unknown e-mail or a wrong password alike.
var ErrBadCredentials = errors.New("wrong e-mail or password")

// ErrEmailTaken is returned when a user with that e-mail exists.
var ErrEmailTaken = errors.New("e-mail already in use")

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// NormalizeEmail lowercases and trims an address so lookups are stable.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// CreateUser stores a new user with a hashed password.
func CreateUser(db *gorm.DB, email, name, password string, admin bool) (*User, error) {
	if len(password) < MinPasswordLength {
		return nil, fmt.Errorf("password must have at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(password)
	if errors.Is(err, ErrPasswordBusy) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	u := &User{Email: NormalizeEmail(email), Name: strings.TrimSpace(name), PasswordHash: hash, IsAdmin: admin}
	if err := db.Create(u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, ErrEmailTaken
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// Authenticate returns the user whose e-mail and password match. An unknown
// e-mail costs a hash like a known one, so timing tells no one which exist.
// It returns ErrPasswordBusy when too many passwords are being checked.
func Authenticate(db *gorm.DB, email, password string) (*User, error) {
	var u User
	err := db.Where("email = ?", NormalizeEmail(email)).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if _, err := checkPassword(password, ""); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	ok, err := checkPassword(password, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	if !hashIsCurrent(u.PasswordHash) {
		upgradeHash(db, &u, password)
	}
	return &u, nil
}

// upgradeHash stores a hash with today's parameters for a password made
// under older ones. It is best effort: the sign-in succeeds either way, and
// a busy moment leaves it for the next sign-in.
func upgradeHash(db *gorm.DB, u *User, password string) {
	hash, err := HashPassword(password)
	if err != nil {
		return
	}
	if db.Model(&User{}).Where("id = ? AND password_hash = ?", u.ID, u.PasswordHash).
		Update("password_hash", hash).Error == nil {
		u.PasswordHash = hash
	}
}

// Memberships returns the user's organizations with roles, by organization name.
func Memberships(db *gorm.DB, userID uint) ([]Membership, error) {
	var ms []Membership
	err := db.Preload("Organization").Joins("JOIN organizations ON organizations.id = memberships.organization_id").
		Where("memberships.user_id = ?", userID).Order("organizations.name").Find(&ms).Error
	return ms, err
}

// MembershipFor returns the user's membership in org, or gorm.ErrRecordNotFound.
func MembershipFor(db *gorm.DB, userID, orgID uint) (*Membership, error) {
	var m Membership
	err := db.Where("user_id = ? AND organization_id = ?", userID, orgID).First(&m).Error
	if err != nil {
		return nil, err
	}
	return &m, nil
}
