package models

import (
	"bufio"
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode/utf8"
)

// Password rules for a password a person chooses (invitation, reset,
// change, `agora user add`), after OWASP ASVS 2.1: long enough, not absurdly
// long, and not one of the passwords attackers try first.
var (
	ErrPasswordTooShort = errors.New("password too short")
	ErrPasswordTooLong  = errors.New("password too long")
	ErrPasswordCommon   = errors.New("password is a commonly used one")
)

// MaxPasswordLength bounds what is hashed (in bytes).
const MaxPasswordLength = 200

//go:embed passwords/common.txt
var commonPasswordsFile string

var (
	commonOnce      sync.Once
	commonPasswords map[string]struct{}
)

// CheckNewPassword applies the rules to a password being chosen. email and
// name are the person's own: a password that is their address or name (or
// the part before the @) counts as common.
func CheckNewPassword(password, email, name string) error {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLength:
		return ErrPasswordTooShort
	case len(password) > MaxPasswordLength:
		return ErrPasswordTooLong
	}
	p := strings.ToLower(strings.TrimSpace(password))
	if IsCommonPassword(p) {
		return ErrPasswordCommon
	}
	email = NormalizeEmail(email)
	local, _, _ := strings.Cut(email, "@")
	for _, own := range []string{email, local, strings.ToLower(strings.TrimSpace(name)), strings.ReplaceAll(strings.ToLower(name), " ", "")} {
		if own != "" && len(own) >= 4 && strings.Contains(p, own) && len(p)-len(own) < 4 {
			return ErrPasswordCommon
		}
	}
	return nil
}

// IsCommonPassword reports whether p (lowercased) is on the embedded list of
// common passwords.
func IsCommonPassword(p string) bool {
	commonOnce.Do(func() {
		commonPasswords = map[string]struct{}{}
		sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
		for sc.Scan() {
			if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
				commonPasswords[strings.ToLower(w)] = struct{}{}
			}
		}
	})
	_, ok := commonPasswords[p]
	return ok
}

// CommonPasswordCount is how many passwords the embedded list holds.
func CommonPasswordCount() int {
	IsCommonPassword("")
	return len(commonPasswords)
}
