package models

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RecoveryCode is one of a user's single-use codes for signing in without
// their phone. Only a hash is stored: the codes are shown once, when made.
type RecoveryCode struct {
	ID        uint   `gorm:"primaryKey"`
	UserID    uint   `gorm:"not null;uniqueIndex:idx_recovery_user_code,priority:1"`
	CodeHash  string `gorm:"size:64;not null;uniqueIndex:idx_recovery_user_code,priority:2"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

// RecoveryCodeCount is how many codes a person gets at a time.
const RecoveryCodeCount = 10

// ErrRecoveryCodeUsed is returned for a recovery code that is unknown or
// was used already (the same answer for both).
var ErrRecoveryCodeUsed = errors.New("recovery code unknown or used")

// recoveryAlphabet has no 0/o, 1/l/i: codes are read off paper.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCode is ten characters (about 49 bits), shown as xxxxx-xxxxx.
func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the OS random source failing is not recoverable
	}
	out := make([]byte, 0, 11)
	for i, x := range b {
		if i == 5 {
			out = append(out, '-')
		}
		// 256 is not a multiple of 31: the bias (under 1%) costs a fraction of a bit.
		out = append(out, recoveryAlphabet[int(x)%len(recoveryAlphabet)])
	}
	return string(out)
}

// NormalizeRecoveryCode lowercases a typed code and drops spaces and dashes.
func NormalizeRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\u00a0':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, strings.TrimSpace(code))
}

func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("agora recovery code\x00" + NormalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// replaceRecoveryCodes drops the user's codes and makes a new set, in tx.
func replaceRecoveryCodes(tx *gorm.DB, userID uint, now time.Time) ([]string, error) {
	if err := tx.Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
		return nil, fmt.Errorf("drop recovery codes: %w", err)
	}
	codes := make([]string, RecoveryCodeCount)
	rows := make([]RecoveryCode, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		rows[i] = RecoveryCode{UserID: userID, CodeHash: hashRecoveryCode(codes[i]), CreatedAt: now}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return nil, fmt.Errorf("store recovery codes: %w", err)
	}
	return codes, nil
}

// RenewRecoveryCodes replaces the user's recovery codes with ten new ones
// (the old ones stop working), with its audit entry.
func RenewRecoveryCodes(db *gorm.DB, userID uint, now time.Time, audit AuditEntry) ([]string, error) {
	var codes []string
	err := db.Transaction(func(tx *gorm.DB) error {
		on, err := TwoFactorConfirmed(tx, userID)
		if err != nil {
			return err
		}
		if !on {
			return ErrTwoFactorOff
		}
		if codes, err = replaceRecoveryCodes(tx, userID, now); err != nil {
			return err
		}
		audit.Action = AuditRecoveryCodesRenewed
		return recordUserAudit(tx, userID, audit)
	})
	return codes, err
}

// UseRecoveryCode spends one of the user's recovery codes: a conditional
// update marks it used, so a code works once even when sent twice at once.
// The audit entry commits with it.
func UseRecoveryCode(db *gorm.DB, userID uint, code string, now time.Time, audit AuditEntry) error {
	if NormalizeRecoveryCode(code) == "" {
		return ErrRecoveryCodeUsed
	}
	return db.Transaction(func(tx *gorm.DB) error {
		on, err := TwoFactorConfirmed(tx, userID)
		if err != nil {
			return err
		}
		if !on {
			return ErrTwoFactorOff
		}
		res := tx.Model(&RecoveryCode{}).Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, hashRecoveryCode(code)).
			Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("use recovery code: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrRecoveryCodeUsed
		}
		audit.Action = AuditRecoveryCodeUsed
		return recordUserAudit(tx, userID, audit)
	})
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func RecoveryCodesLeft(db *gorm.DB, userID uint) (int64, error) {
	var n int64
	err := db.Model(&RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return n, err
}
