package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// API scopes: what a token may do. A token holds one or more; each endpoint
// of /api/v1 names the one it needs (its OpenAPI security requirement).
const (
	ScopeEventsRead         = "events:read"
	ScopeRegistrationsRead  = "registrations:read"
	ScopeRegistrationsWrite = "registrations:write"
	ScopeCheckin            = "checkin"
	ScopeMeetings           = "meetings"
)

// APIScopes lists every scope in the order the token form shows them.
var APIScopes = []string{ScopeEventsRead, ScopeRegistrationsRead, ScopeRegistrationsWrite, ScopeCheckin, ScopeMeetings}

// apiTokenPrefix starts every token, so a leaked one is recognisable (secret
// scanners, logs) and cannot be mistaken for an attendee's link secret.
const apiTokenPrefix = "agora_"

// APIToken lets another system (a CRM, a website, a reporting sheet) use the
// REST API for one organization. Only the SHA-256 hash of the token is
// stored; the token itself is shown once, when it is made. Revoking keeps the
// row (the list still shows it, and when it was last used).
type APIToken struct {
	ID             uint   `gorm:"primaryKey"`
	OrganizationID uint   `gorm:"not null;index"`
	Name           string `gorm:"size:100;not null"`
	// Scopes is the space-separated list of the token's scopes.
	Scopes    string `gorm:"size:200;not null"`
	TokenHash string `gorm:"size:64;not null;uniqueIndex"`
	// Hint is the token's first characters, for telling tokens apart.
	Hint        string `gorm:"size:20;not null"`
	CreatedByID *uint
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
	CreatedAt   time.Time
}

// errNoSuchAPIToken ends a revocation that found no token (nothing to log).
var errNoSuchAPIToken = errors.New("no such api token")

// ErrAPITokenInvalid is every reason a token does not work (unknown,
// revoked, expired), deliberately not told apart to the caller.
var ErrAPITokenInvalid = errors.New("api token not valid")

// NewAPITokenInput is what the owner chose for a new token.
type NewAPITokenInput struct {
	OrganizationID uint
	Name           string
	Scopes         []string
	ExpiresAt      *time.Time
	CreatedByID    *uint
}

// HasScope says whether the token may do what scope allows.
func (t APIToken) HasScope(scope string) bool {
	return slices.Contains(strings.Fields(t.Scopes), scope)
}

// ScopeList returns the token's scopes.
func (t APIToken) ScopeList() []string { return strings.Fields(t.Scopes) }

// Usable says whether the token works at now.
func (t APIToken) Usable(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// ValidAPIScope says whether s names a scope.
func ValidAPIScope(s string) bool { return slices.Contains(APIScopes, s) }

func hashAPIToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// CreateAPIToken makes a token, records it with the audit entry e in one
// transaction, and returns the token text, which is never stored.
func CreateAPIToken(db *gorm.DB, in NewAPITokenInput, e AuditEntry) (string, *APIToken, error) {
	var buf [32]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", nil, err
	}
	raw := apiTokenPrefix + base64.RawURLEncoding.EncodeToString(buf[:])
	scopes := slices.Clone(in.Scopes)
	slices.Sort(scopes)
	t := &APIToken{OrganizationID: in.OrganizationID, Name: strings.TrimSpace(in.Name), Scopes: strings.Join(slices.Compact(scopes), " "),
		TokenHash: hashAPIToken(raw), Hint: raw[:len(apiTokenPrefix)+4], CreatedByID: in.CreatedByID, ExpiresAt: in.ExpiresAt}
	e.OrganizationID = t.OrganizationID
	err := Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		e.Subject = "api token " + t.Hint
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return raw, t, nil
}

// RevokeAPIToken stops an organization's token at once; revoking a revoked
// token changes nothing. It reports whether a token of that organization
// was found.
func RevokeAPIToken(db *gorm.DB, orgID, tokenID uint, now time.Time, e AuditEntry) (bool, error) {
	found := false
	e.OrganizationID = orgID
	err := Audited(db, e, func(tx *gorm.DB, e *AuditEntry) error {
		var t APIToken
		if err := tx.Where("id = ? AND organization_id = ?", tokenID, orgID).First(&t).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errNoSuchAPIToken
			}
			return err
		}
		found = true
		e.Subject = "api token " + t.Hint
		return tx.Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", t.ID).Update("revoked_at", now).Error
	})
	if errors.Is(err, errNoSuchAPIToken) {
		err = nil
	}
	return found, err
}

// OrganizationAPITokens lists an organization's tokens, newest first.
func OrganizationAPITokens(db *gorm.DB, orgID uint) ([]APIToken, error) {
	var ts []APIToken
	err := db.Where("organization_id = ?", orgID).Order("id DESC").Find(&ts).Error
	return ts, err
}

// lastUsedGranularity limits the "last used" write to one per token per
// minute, so a busy integration does not turn every read into a write.
const lastUsedGranularity = time.Minute

// AuthenticateAPIToken finds the usable token whose text is raw, and notes
// when it was used.
func AuthenticateAPIToken(db *gorm.DB, raw string, now time.Time) (*APIToken, error) {
	if !strings.HasPrefix(raw, apiTokenPrefix) || len(raw) > 100 {
		return nil, ErrAPITokenInvalid
	}
	var t APIToken
	if err := db.Where("token_hash = ?", hashAPIToken(raw)).Take(&t).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrAPITokenInvalid
		}
		return nil, err
	}
	if !t.Usable(now) {
		return nil, ErrAPITokenInvalid
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUsedGranularity {
		if err := db.Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
			return nil, err
		}
		t.LastUsedAt = &now
	}
	return &t, nil
}
