package models

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/argon2id"
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

// argonParams are argon2id's recommended defaults with a memory cost that
// still suits a small server.
var argonParams = &argon2id.Params{Memory: 32 * 1024, Iterations: 2, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// NormalizeEmail lowercases and trims an address so lookups are stable.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// HashPassword returns an argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	return argon2id.CreateHash(pw, argonParams)
}

// CreateUser stores a new user with a hashed password.
func CreateUser(db *gorm.DB, email, name, password string, admin bool) (*User, error) {
	if len(password) < MinPasswordLength {
		return nil, fmt.Errorf("password must have at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(password)
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

// dummyHash is compared against when the e-mail is unknown, so a sign-in
// takes as long whether or not the account exists.
// It is made on first use, not at start-up: hashing costs 32 MiB and tens of
// milliseconds that a starting instance should not spend.
var dummyHash = sync.OnceValue(func() string {
	h, _ := argon2id.CreateHash("agora-dummy-password", argonParams)
	return h
})

// Authenticate returns the user whose e-mail and password match.
func Authenticate(db *gorm.DB, email, password string) (*User, error) {
	var u User
	err := db.Where("email = ?", NormalizeEmail(email)).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash())
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	ok, err := argon2id.ComparePasswordAndHash(password, u.PasswordHash)
	if err != nil || !ok {
		return nil, ErrBadCredentials
	}
	return &u, nil
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
