package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
)

// An embedded form's token is self-contained: a random nonce and an expiry,
// signed with the site's CSRF key. It cannot be bound to a cookie, because
// a frame on another site gets none; what it proves is that the post comes
// from a form this site rendered less than embedTokenLife ago. That is all
// CSRF protection can give here: an embedded registration acts on no
// ambient credential (no session, no cookie) that a forged post could
// borrow. The token is also the "visitor" the order's idempotency key is
// bound to, as the posted CSRF token is on the site itself.
const (
	embedTokenPrefix = "e."
	embedTokenLife   = 12 * time.Hour
	embedNonceLen    = 18
)

// newEmbedToken makes a token valid for embedTokenLife from now.
func (a *App) newEmbedToken() string {
	payload := make([]byte, embedNonceLen+8)
	if _, err := rand.Read(payload[:embedNonceLen]); err != nil {
		panic(err) // the OS random source failing is not recoverable
	}
	binary.BigEndian.PutUint64(payload[embedNonceLen:], uint64(a.now().Add(embedTokenLife).Unix()))
	p := base64.RawURLEncoding.EncodeToString(payload)
	return embedTokenPrefix + p + "." + a.signEmbed(p)
}

// signEmbed signs an embed token's payload; the "embed:" label keeps these
// signatures apart from the anonymous visitors' ones (signNonce).
func (a *App) signEmbed(payload string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte("embed:" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validEmbedToken reports whether tok was made by newEmbedToken and has not
// expired.
func (a *App) validEmbedToken(tok string) bool {
	rest, ok := strings.CutPrefix(tok, embedTokenPrefix)
	if !ok || len(rest) > 200 {
		return false
	}
	p, sig, ok := strings.Cut(rest, ".")
	if !ok || subtle.ConstantTimeCompare([]byte(a.signEmbed(p)), []byte(sig)) != 1 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil || len(payload) != embedNonceLen+8 {
		return false
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(payload[embedNonceLen:])), 0)
	return a.now().Before(expires)
}
