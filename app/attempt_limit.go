package app

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Default limits (Config can change each). Per e-mail: a person who mistypes
// a password a few times, or asks for a link again because the mail is slow,
// is never stopped; a password guesser gets 10 guesses per account per
// quarter of an hour. Per client address: generous, because one address may
// be a whole venue's Wi-Fi; it only stops one machine trying many accounts.
const (
	defaultSignInLimit        = 10
	defaultSignInAddressLimit = 100
	defaultLinkLimit          = 5
	defaultLinkAddressLimit   = 300
	defaultLimitWindow        = 15 * time.Minute
)

// attemptLimit limits a form by what it attacks: the e-mail address typed
// into it (an account to guess the password of, an inbox to flood), with a
// much looser limit per client address as a second net. A limit per address
// alone would lock out everyone behind one address (a venue's Wi-Fi, an
// office) when one of them misbehaves; per e-mail, a person is limited only
// by what is done to their own address.
type attemptLimit struct {
	name       string // key prefix in the shared store
	perEmail   int
	perAddress int
	window     time.Duration
	// refuse answers an attempt over the limit: the form again, with what
	// the person typed and the message.
	refuse func(c *fiber.Ctx) error
}

// limitAttempts is middleware that counts each post in the shared store (so
// several instances share the limits) and refuses it when either count is over.
func (a *App) limitAttempts(l attemptLimit) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ip := a.clientIP(c)
		by, err := a.overLimit(l, ip, c.FormValue("email"))
		if err != nil {
			return errInternal("rate limit", err)
		}
		if by != "" {
			a.log.Warn("rate limited", "limit", l.name, "by", by, "ip", ip, "request_id", requestID(c))
			return l.refuse(c)
		}
		return c.Next()
	}
}

// overLimit counts one attempt from ip for email and says which limit, if
// any, it is over ("address" or "email"). An attempt refused per address does
// not count against the e-mail, so a flood from one place does not use up
// the person's own allowance.
func (a *App) overLimit(l attemptLimit, ip, email string) (string, error) {
	n, err := a.kv.Hit("rl:"+l.name+":ip:"+ip, l.window)
	if err != nil {
		return "", err
	}
	if n > l.perAddress {
		return "address", nil
	}
	email = models.NormalizeEmail(email)
	if email == "" {
		return "", nil // nothing to count: the form answers "required"
	}
	// Hashed: the key fits the store's column and keeps addresses out of it.
	sum := sha256.Sum256([]byte(email))
	n, err = a.kv.Hit("rl:"+l.name+":email:"+hex.EncodeToString(sum[:16]), l.window)
	if err != nil {
		return "", err
	}
	if n > l.perEmail {
		return "email", nil
	}
	return "", nil
}
