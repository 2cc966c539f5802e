package models

import (
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TwoFactor is a user's TOTP (RFC 6238) second factor. The secret is stored
// encrypted (see SecretKeys) with the id of the key that encrypted it. A row
// without ConfirmedAt is a setup in progress: the person has been shown the
// QR code but has not yet proved, with a first code, that their app has it.
type TwoFactor struct {
	UserID      uint   `gorm:"primaryKey;autoIncrement:false"`
	Secret      []byte `gorm:"not null"`
	KeyID       string `gorm:"size:16;not null"`
	ConfirmedAt *time.Time
	// LastUsedStep is the time step of the last code accepted: a code is
	// accepted only for a later step, so each code signs in once.
	LastUsedStep int64 `gorm:"not null;default:0"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (TwoFactor) TableName() string { return "user_two_factors" }

// Audit actions of two-factor sign-in not among the shared constants.
const AuditRecoveryCodesRenewed = "twofactor.recovery_codes_renewed"

// TOTP parameters: what every authenticator app understands.
const (
	totpPeriod = 30
	totpSkew   = 1 // one step either side: a phone's clock a little off
	totpDigits = otp.DigitsSix
)

var (
	// ErrTwoFactorOn is returned when setting up a second factor that is on already.
	ErrTwoFactorOn = errors.New("two-factor sign-in is already on")
	// ErrTwoFactorOff is returned when the user has no confirmed second factor.
	ErrTwoFactorOff = errors.New("two-factor sign-in is not on")
	// ErrBadCode is returned for a code that is not the app's current one.
	ErrBadCode = errors.New("wrong code")
	// ErrCodeUsed is returned for a code whose time step was used already
	// (a replay, or the same code sent twice at once).
	ErrCodeUsed = errors.New("code already used")
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func secretAAD(userID uint) []byte {
	return []byte("agora totp user " + strconv.FormatUint(uint64(userID), 10))
}

// TwoFactorOf returns the user's second factor row, or nil when there is none.
func TwoFactorOf(db *gorm.DB, userID uint) (*TwoFactor, error) {
	var tf TwoFactor
	err := db.Where("user_id = ?", userID).Take(&tf).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load two-factor: %w", err)
	}
	return &tf, nil
}

// TwoFactorConfirmed reports whether the user signs in with a second factor.
func TwoFactorConfirmed(db *gorm.DB, userID uint) (bool, error) {
	var n int64
	err := db.Model(&TwoFactor{}).Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Count(&n).Error
	return n > 0, err
}

// StartTwoFactorSetup returns the key the person adds to their app (QR code
// and text). The secret is made once and kept, encrypted, until confirmed:
// showing the page again shows the same one, so a code from an app that
// scanned it earlier still confirms.
func StartTwoFactorSetup(db *gorm.DB, keys *SecretKeys, u *User, issuer string, now time.Time) (*otp.Key, error) {
	if keys == nil {
		return nil, ErrNoSecretKey
	}
	tf, err := TwoFactorOf(db, u.ID)
	if err != nil {
		return nil, err
	}
	if tf == nil {
		raw, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod, Digits: totpDigits})
		if err != nil {
			return nil, fmt.Errorf("generate secret: %w", err)
		}
		sealed, keyID, err := keys.seal([]byte(raw.Secret()), secretAAD(u.ID))
		if err != nil {
			return nil, err
		}
		row := TwoFactor{UserID: u.ID, Secret: sealed, KeyID: keyID, CreatedAt: now, UpdatedAt: now}
		// Two tabs at once: the first secret stays, both pages show it.
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return nil, fmt.Errorf("store secret: %w", err)
		}
		if tf, err = TwoFactorOf(db, u.ID); err != nil || tf == nil {
			return nil, fmt.Errorf("reload secret: %w", err)
		}
	}
	if tf.ConfirmedAt != nil {
		return nil, ErrTwoFactorOn
	}
	secret, _, err := keys.open(tf.Secret, tf.KeyID, secretAAD(u.ID))
	if err != nil {
		return nil, err
	}
	rawSecret, err := b32.DecodeString(string(secret))
	if err != nil {
		return nil, fmt.Errorf("stored secret: %w", err)
	}
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod, Digits: totpDigits, Secret: rawSecret})
}

// ConfirmTwoFactor turns the second factor on when code comes from the
// secret being set up, and returns the ten recovery codes to show once. The
// audit entry (one per organization of the user) commits with it.
func ConfirmTwoFactor(db *gorm.DB, keys *SecretKeys, userID uint, code string, now time.Time, audit AuditEntry) ([]string, error) {
	if keys == nil {
		return nil, ErrNoSecretKey
	}
	var codes []string
	err := db.Transaction(func(tx *gorm.DB) error {
		tf, err := TwoFactorOf(tx, userID)
		if err != nil {
			return err
		}
		if tf == nil {
			return ErrTwoFactorOff
		}
		if tf.ConfirmedAt != nil {
			return ErrTwoFactorOn
		}
		step, updates, err := checkCode(keys, tf, code, now)
		if err != nil {
			return err
		}
		updates["confirmed_at"] = now
		updates["last_used_step"] = step
		updates["updated_at"] = now
		res := tx.Model(&TwoFactor{}).Where("user_id = ? AND confirmed_at IS NULL", userID).Updates(updates)
		if res.Error != nil {
			return fmt.Errorf("confirm two-factor: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrTwoFactorOn // confirmed by a request racing this one
		}
		if codes, err = replaceRecoveryCodes(tx, userID, now); err != nil {
			return err
		}
		audit.Action = AuditTwoFactorOn
		return recordUserAudit(tx, userID, audit)
	})
	return codes, err
}

// VerifyTwoFactorCode accepts a code from the user's app once: the code must
// match the secret at now (one step either side) for a time step later than
// the last one used, and that step is recorded by a conditional update, so
// of two requests with the same code only one succeeds. A secret encrypted
// with an old key is re-encrypted with the current one in the same update.
func VerifyTwoFactorCode(db *gorm.DB, keys *SecretKeys, userID uint, code string, now time.Time) error {
	tf, err := TwoFactorOf(db, userID)
	if err != nil {
		return err
	}
	if tf == nil || tf.ConfirmedAt == nil {
		return ErrTwoFactorOff
	}
	if keys == nil {
		return ErrNoSecretKey
	}
	step, updates, err := checkCode(keys, tf, code, now)
	if err != nil {
		return err
	}
	updates["last_used_step"] = step
	res := db.Model(&TwoFactor{}).Where("user_id = ? AND confirmed_at IS NOT NULL AND last_used_step < ?", userID, step).Updates(updates)
	if res.Error != nil {
		return fmt.Errorf("record code use: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrCodeUsed
	}
	return nil
}

// checkCode finds the time step code belongs to (ErrBadCode when none near
// now, ErrCodeUsed when it is not after the last one used). The updates it
// returns re-encrypt the secret when an old key opened it.
func checkCode(keys *SecretKeys, tf *TwoFactor, code string, now time.Time) (int64, map[string]any, error) {
	code = NormalizeTOTPCode(code)
	if !LooksLikeTOTPCode(code) {
		return 0, nil, ErrBadCode
	}
	secret, stale, err := keys.open(tf.Secret, tf.KeyID, secretAAD(tf.UserID))
	if err != nil {
		return 0, nil, err
	}
	updates := map[string]any{}
	if stale {
		sealed, keyID, err := keys.seal(secret, secretAAD(tf.UserID))
		if err != nil {
			return 0, nil, err
		}
		updates["secret"], updates["key_id"] = sealed, keyID
	}
	current := now.Unix() / totpPeriod
	for _, step := range []int64{current, current - 1, current + 1} {
		want, err := totp.GenerateCodeCustom(string(secret), time.Unix(step*totpPeriod, 0),
			totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, nil, fmt.Errorf("compute code: %w", err)
		}
		if constantTimeEqual(want, code) {
			if step <= tf.LastUsedStep {
				return 0, nil, ErrCodeUsed
			}
			return step, updates, nil
		}
	}
	return 0, nil, ErrBadCode
}

// NormalizeTOTPCode drops the spaces people type or paste in a code ("123 456").
func NormalizeTOTPCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}

// LooksLikeTOTPCode reports whether a normalized code is six digits (anything
// else typed in the code field is taken as a recovery code).
func LooksLikeTOTPCode(code string) bool {
	if len(code) != totpDigits.Length() {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// DisableTwoFactor turns the second factor off and drops the recovery
// codes, with its audit entry. The caller has checked the person's current
// code or password and that nothing requires it.
func DisableTwoFactor(db *gorm.DB, userID uint, audit AuditEntry) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Delete(&TwoFactor{})
		if res.Error != nil {
			return fmt.Errorf("delete two-factor: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrTwoFactorOff
		}
		if err := tx.Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
			return fmt.Errorf("delete recovery codes: %w", err)
		}
		audit.Action = AuditTwoFactorOff
		return recordUserAudit(tx, userID, audit)
	})
}

// recordUserAudit writes e (about a user's own account) into the log of each
// organization the user belongs to, inside tx. A site admin in no
// organization has no log to write to.
func recordUserAudit(tx *gorm.DB, userID uint, e AuditEntry) error {
	var orgs []uint
	if err := tx.Model(&Membership{}).Where("user_id = ?", userID).Order("organization_id").Pluck("organization_id", &orgs).Error; err != nil {
		return fmt.Errorf("audit organizations: %w", err)
	}
	if e.Subject == "" {
		e.Subject = "user " + strconv.FormatUint(uint64(userID), 10)
	}
	for _, org := range orgs {
		e.OrganizationID = org
		if err := RecordAudit(tx, e); err != nil {
			return err
		}
	}
	return nil
}
