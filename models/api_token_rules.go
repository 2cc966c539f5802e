package models

import (
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Audit actions of the organization's API tokens (a change to who may do
// what, so each is written in the same transaction as the change).
const (
	AuditAPITokenCreated = "api.token_created"
	AuditAPITokenRevoked = "api.token_revoked"
)

// MaxAPITokenName bounds a token's name (its column's size).
const MaxAPITokenName = 100

// MaxAPITokenLifetime is the furthest an expiry may be set: a token meant to
// live longer is made without one and revoked by hand.
const MaxAPITokenLifetime = 5 * 365 * 24 * time.Hour

// APITokenProblem is what is wrong with one field of a new token.
type APITokenProblem struct {
	Field string // "name", "scopes" or "expires_at"
	Code  string // "required", "too_long", "unknown", "past", "too_far"
}

// CheckAPITokenInput returns what keeps in from being a token at now
// (nothing when it is fine). CreateAPIToken's callers check first.
func CheckAPITokenInput(in NewAPITokenInput, now time.Time) []APITokenProblem {
	var out []APITokenProblem
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		out = append(out, APITokenProblem{"name", "required"})
	case utf8.RuneCountInString(name) > MaxAPITokenName:
		out = append(out, APITokenProblem{"name", "too_long"})
	}
	if len(in.Scopes) == 0 {
		out = append(out, APITokenProblem{"scopes", "required"})
	}
	for _, s := range in.Scopes {
		if !ValidAPIScope(s) {
			out = append(out, APITokenProblem{"scopes", "unknown"})
			break
		}
	}
	if in.ExpiresAt != nil {
		switch {
		case !in.ExpiresAt.After(now):
			out = append(out, APITokenProblem{"expires_at", "past"})
		case in.ExpiresAt.Sub(now) > MaxAPITokenLifetime:
			out = append(out, APITokenProblem{"expires_at", "too_far"})
		}
	}
	return out
}

// OrganizationAPIToken loads one of an organization's tokens; another
// organization's id is gorm.ErrRecordNotFound like a missing one.
func OrganizationAPIToken(db *gorm.DB, orgID, tokenID uint) (*APIToken, error) {
	var t APIToken
	if err := db.Where("id = ? AND organization_id = ?", tokenID, orgID).Take(&t).Error; err != nil {
		return nil, err
	}
	return &t, nil
}
