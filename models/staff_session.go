package models

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// StaffSession is one signed-in browser of an organizer. The browser's
// cookie session holds a random id; only its SHA-256 hash is stored here, so
// a copy of the database signs no one in. Because the row is in the
// database, every instance sees at once when it ends: sign-out, "sign out of
// all other sessions", a password change or reset, or expiry.
type StaffSession struct {
	ID         uint      `gorm:"primaryKey"`
	TokenHash  string    `gorm:"size:64;not null;uniqueIndex"`
	UserID     uint      `gorm:"not null;index"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	UserAgent  string    `gorm:"size:300;not null;default:''"`
	IP         string    `gorm:"size:64;not null;default:''"`
	EndedAt    *time.Time
}

// SessionLimits say how long a staff session lives: Idle after the last
// request, Max after signing in, whatever happens in between.
type SessionLimits struct {
	Idle time.Duration
	Max  time.Duration
}

// Defaults of SessionLimits (AGORA_SESSION_IDLE, AGORA_SESSION_MAX).
const (
	DefaultSessionIdle = 12 * time.Hour
	DefaultSessionMax  = 7 * 24 * time.Hour
)

// lastSeenEvery is how often a session's LastSeenAt is written: a request
// within a minute of the last write does not write again, so browsing does
// not turn every page into a database write.
const lastSeenEvery = time.Minute

// forgetSessionsAfter is how long an ended session's row is kept.
const forgetSessionsAfter = 30 * 24 * time.Hour

// maxUserAgent bounds the stored user agent (a header can be kilobytes).
const maxUserAgent = 300

// ErrSessionEnded is returned for a session that was ended or has expired.
var ErrSessionEnded = errors.New("the session has ended")

// StartStaffSession stores a new session for userID and returns its raw id
// (for the cookie session) and row. It writes signin.ok to the audit log of
// each of the user's organizations, in the same transaction: entry carries
// the actor, address and time.
func StartStaffSession(db *gorm.DB, userID uint, userAgent, ip string, now time.Time, entry AuditEntry) (string, *StaffSession, error) {
	raw := NewSecret()
	now = now.UTC()
	s := &StaffSession{TokenHash: hashToken(raw), UserID: userID, CreatedAt: now, LastSeenAt: now,
		UserAgent: cutRunes(userAgent, maxUserAgent), IP: cutRunes(ip, maxAuditIP)}
	if !utf8.ValidString(s.UserAgent) {
		s.UserAgent = ""
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		// The person's sessions that ended (or lapsed) a month ago are
		// forgotten: the list shows live ones, the audit log keeps history.
		cutoff := now.Add(-forgetSessionsAfter)
		if err := tx.Where("user_id = ? AND (ended_at < ? OR last_seen_at < ?)", userID, cutoff, cutoff).Delete(&StaffSession{}).Error; err != nil {
			return err
		}
		if err := tx.Create(s).Error; err != nil {
			return err
		}
		entry.Action = AuditSignIn
		return AuditForUser(tx, userID, entry)
	})
	if err != nil {
		return "", nil, err
	}
	return raw, s, nil
}

// CheckStaffSession returns the live session whose raw id is raw, or
// ErrSessionEnded when it was ended, was idle longer than lim.Idle or began
// longer than lim.Max ago. It records the request as "last seen", at most
// once a minute.
func CheckStaffSession(db *gorm.DB, raw string, now time.Time, lim SessionLimits) (*StaffSession, error) {
	if !LooksLikeSecret(raw) {
		return nil, ErrSessionEnded
	}
	now = now.UTC()
	var s StaffSession
	// The hash is looked up, never compared byte by byte in Go: what the
	// index finds leaks nothing of the raw id.
	if err := db.Where("token_hash = ?", hashToken(raw)).Take(&s).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrSessionEnded
		}
		return nil, err
	}
	if s.EndedAt != nil {
		return nil, ErrSessionEnded
	}
	if !s.liveAt(now, lim) {
		// Expired: mark it ended, so lists and counts agree with what the
		// person sees.
		if err := db.Model(&StaffSession{}).Where("id = ? AND ended_at IS NULL", s.ID).Update("ended_at", now).Error; err != nil {
			return nil, err
		}
		return nil, ErrSessionEnded
	}
	if now.Sub(s.LastSeenAt) >= lastSeenEvery {
		res := db.Model(&StaffSession{}).Where("id = ? AND ended_at IS NULL", s.ID).Update("last_seen_at", now)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 0 {
			return nil, ErrSessionEnded // ended by another request meanwhile
		}
		s.LastSeenAt = now
	}
	return &s, nil
}

// liveAt reports whether the session is within both limits at now.
func (s *StaffSession) liveAt(now time.Time, lim SessionLimits) bool {
	return s.EndedAt == nil && now.Sub(s.LastSeenAt) <= lim.Idle && now.Sub(s.CreatedAt) <= lim.Max
}

// ActiveStaffSessions lists the user's live sessions, the most recently
// seen first.
func ActiveStaffSessions(db *gorm.DB, userID uint, now time.Time, lim SessionLimits) ([]StaffSession, error) {
	now = now.UTC()
	var out []StaffSession
	err := db.Where("user_id = ? AND ended_at IS NULL AND last_seen_at >= ? AND created_at >= ?", userID, now.Add(-lim.Idle), now.Add(-lim.Max)).
		Order("last_seen_at DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// EndStaffSession ends the session whose raw id is raw (signing out). An
// unknown or already ended one is no error.
func EndStaffSession(db *gorm.DB, raw string, now time.Time) error {
	if !LooksLikeSecret(raw) {
		return nil
	}
	return db.Model(&StaffSession{}).Where("token_hash = ? AND ended_at IS NULL", hashToken(raw)).Update("ended_at", now.UTC()).Error
}

// endUserSessions ends every live session of userID except keepID (0 = none)
// and returns how many it ended. Callers run it inside the transaction of
// the change that demands it (a new password).
func endUserSessions(tx *gorm.DB, userID, keepID uint, now time.Time) (int64, error) {
	res := tx.Model(&StaffSession{}).Where("user_id = ? AND id <> ? AND ended_at IS NULL", userID, keepID).Update("ended_at", now.UTC())
	return res.RowsAffected, res.Error
}

// SignOutOtherSessions ends all of the user's sessions but keepID, and
// writes session.signed_out_others to the audit log of each of their
// organizations in the same transaction. It returns how many it ended.
func SignOutOtherSessions(db *gorm.DB, userID, keepID uint, now time.Time, entry AuditEntry) (int64, error) {
	var n int64
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		if n, err = endUserSessions(tx, userID, keepID, now); err != nil {
			return err
		}
		entry.Action = AuditSignOutOthers
		entry.Subject = fmt.Sprintf("user %d", userID)
		entry.Detail = fmt.Sprintf("sessions ended: %d", n)
		return AuditForUser(tx, userID, entry)
	})
	return n, err
}
