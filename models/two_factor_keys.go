package models

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SecretKeys encrypts two-factor secrets at rest (AES-256-GCM). The current
// key encrypts; older keys (kept during a rotation) only decrypt. Each
// ciphertext is stored with the id of the key that made it, so decryption
// knows which key to use and a secret made with an old key can be
// re-encrypted with the current one the next time it is used.
type SecretKeys struct {
	current secretKey
	old     []secretKey
}

type secretKey struct {
	id   string
	aead cipher.AEAD
}

// ErrNoSecretKey is returned when two-factor secrets are needed but the
// operator has not configured AGORA_SECRET_KEY.
var ErrNoSecretKey = errors.New("no secret key configured (AGORA_SECRET_KEY)")

// ErrSecretKeyUnknown is returned for a ciphertext made with a key that is
// neither the current nor one of the old ones (a key dropped too early).
var ErrSecretKeyUnknown = errors.New("secret encrypted with a key that is no longer configured")

// ParseSecretKeys reads the current key and the old ones (comma-separated).
// Each is 32 bytes written as 64 hex digits or in base64 (standard or URL,
// padded or not). Both empty means no key: nil, nil. A malformed key is an
// error that names which one, never a silent fallback.
func ParseSecretKeys(current, old string) (*SecretKeys, error) {
	current = strings.TrimSpace(current)
	if current == "" {
		if strings.TrimSpace(old) != "" {
			return nil, errors.New("AGORA_SECRET_KEY_OLD is set but AGORA_SECRET_KEY is not: set the new key too")
		}
		return nil, nil
	}
	cur, err := newSecretKey(current)
	if err != nil {
		return nil, fmt.Errorf("AGORA_SECRET_KEY: %w", err)
	}
	ks := &SecretKeys{current: cur}
	for i, s := range strings.Split(old, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := newSecretKey(s)
		if err != nil {
			return nil, fmt.Errorf("AGORA_SECRET_KEY_OLD (key %d): %w", i+1, err)
		}
		if k.id != cur.id {
			ks.old = append(ks.old, k)
		}
	}
	return ks, nil
}

func newSecretKey(s string) (secretKey, error) {
	raw, err := decodeKey(s)
	if err != nil {
		return secretKey{}, err
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return secretKey{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return secretKey{}, err
	}
	return secretKey{id: KeyFingerprint(raw), aead: aead}, nil
}

// decodeKey accepts 32 bytes as hex or base64.
func decodeKey(s string) ([]byte, error) {
	if len(s) == 64 {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != 32 {
				return nil, fmt.Errorf("the key is %d bytes long; it must be 32 (for example the output of `openssl rand -base64 32`)", len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("the key is neither 64 hex digits nor base64 of 32 bytes (make one with `openssl rand -base64 32`)")
}

// KeyFingerprint names a key without revealing it: the first 8 bytes of a
// SHA-256 of it, in hex. It is stored beside each ciphertext.
func KeyFingerprint(raw []byte) string {
	sum := sha256.Sum256(append([]byte("agora secret key id\x00"), raw...))
	return hex.EncodeToString(sum[:8])
}

// CurrentID is the fingerprint of the key new secrets are encrypted with.
func (ks *SecretKeys) CurrentID() string { return ks.current.id }

// OldCount is how many previous keys are kept for decrypting.
func (ks *SecretKeys) OldCount() int { return len(ks.old) }

// seal encrypts plain with the current key. aad binds the ciphertext to its
// row (the user id), so a secret copied onto another user's row does not
// decrypt there.
func (ks *SecretKeys) seal(plain, aad []byte) (ciphertext []byte, keyID string, err error) {
	nonce := make([]byte, ks.current.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", err
	}
	return ks.current.aead.Seal(nonce, nonce, plain, aad), ks.current.id, nil
}

// open decrypts a ciphertext made by seal with the key named keyID; stale
// says it was an old key, so the caller should seal it again.
func (ks *SecretKeys) open(ciphertext []byte, keyID string, aad []byte) (plain []byte, stale bool, err error) {
	k, stale, ok := ks.byID(keyID)
	if !ok {
		return nil, false, ErrSecretKeyUnknown
	}
	n := k.aead.NonceSize()
	if len(ciphertext) < n {
		return nil, false, errors.New("ciphertext too short")
	}
	plain, err = k.aead.Open(nil, ciphertext[:n], ciphertext[n:], aad)
	if err != nil {
		return nil, false, fmt.Errorf("decrypt secret: %w", err)
	}
	return plain, stale, nil
}

func (ks *SecretKeys) byID(id string) (secretKey, bool, bool) {
	if ks.current.id == id {
		return ks.current, false, true
	}
	for _, k := range ks.old {
		if k.id == id {
			return k, true, true
		}
	}
	return secretKey{}, false, false
}
