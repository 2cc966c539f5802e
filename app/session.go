package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
)

const (
	sessUserID = "uid"
	sessCSRF   = "csrf"
	sessFlash  = "flash"
)

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the OS random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (a *App) session(c *fiber.Ctx) (*session.Session, error) {
	if s, ok := c.Locals("agora.session").(*session.Session); ok {
		return s, nil
	}
	s, err := a.sessions.Get(c)
	if err != nil {
		return nil, err
	}
	c.Locals("agora.session", s)
	return s, nil
}

// storeSession saves s and forgets it for the rest of the request: Fiber
// recycles a session once saved, so a later read (the flash after the CSRF
// token was stored, on the same page) loads it afresh instead.
func (a *App) storeSession(c *fiber.Ctx, s *session.Session) error {
	err := s.Save()
	c.Locals("agora.session", nil)
	return err
}

// csrfToken returns the token forms carry, masked afresh for each page
// (app/csrf_mask.go). A visitor with a session (an
// organizer, a signed-in participant, anyone shown a flash) gets the
// session's token. An anonymous visitor gets a token bound to a random value
// in their own cookie (signed double submit), so showing a form to a
// stranger writes nothing to the database.
func (a *App) csrfToken(c *fiber.Ctx) (string, error) {
	tok, err := a.plainCSRFToken(c)
	return maskCSRF(tok), err
}

func (a *App) plainCSRFToken(c *fiber.Ctx) (string, error) {
	s, err := a.session(c)
	if err != nil {
		return "", err
	}
	if !s.Fresh() {
		if tok, ok := s.Get(sessCSRF).(string); ok && tok != "" {
			return tok, nil
		}
		// Derived, not stored: two pages of one session rendered at once
		// (a redirect's page and a live list's refresh) must not each store
		// a token of their own, the second overwriting the first's forms.
		return a.sessionToken(s.ID()), nil
	}
	nonce := c.Cookies(csrfCookie)
	if len(nonce) < 20 || len(nonce) > 64 {
		nonce = randomToken(18)
		c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: nonce, Path: "/", MaxAge: int(csrfCookieLife.Seconds()),
			HTTPOnly: true, Secure: a.cfg.Secure, SameSite: "Lax"})
	}
	return a.signNonce(nonce), nil
}

const (
	csrfCookie = "agora_csrf"
	// csrfCookieLife bounds how long an anonymous visitor's form stays valid.
	csrfCookieLife = 12 * time.Hour
)

// signNonce binds an anonymous visitor's cookie value to the site's key.
func (a *App) signNonce(nonce string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte(nonce))
	return "a." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sessionToken is the CSRF token of a session that was given none at sign-in:
// bound to the session's id, which changes whenever the session is renewed.
func (a *App) sessionToken(id string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte("session:"))
	m.Write([]byte(id))
	return "s." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF reports whether the posted _csrf field matches the session's
// token or, for an anonymous visitor, the signature of their cookie.
func (a *App) validCSRF(c *fiber.Ctx) bool {
	return a.csrfTokenOK(c, c.FormValue("_csrf"))
}

// csrfTokenOK checks a CSRF token however it came (a form field, or the
// X-CSRF-Token header of a script's JSON request).
func (a *App) csrfTokenOK(c *fiber.Ctx, got string) bool {
	got = unmaskCSRF(got)
	if got == "" {
		return false
	}
	if s, err := a.session(c); err == nil && !s.Fresh() {
		want, _ := s.Get(sessCSRF).(string)
		if want == "" {
			want = a.sessionToken(s.ID())
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1 {
			return true
		}
	}
	nonce := c.Cookies(csrfCookie)
	return nonce != "" && subtle.ConstantTimeCompare([]byte(a.signNonce(nonce)), []byte(got)) == 1
}

const csrfFailedKey = "agora.csrf_failed"

// postForm registers a POST whose handler re-renders its form: on a bad or
// expired CSRF token the handler still runs, but bindForm reports the token
// as a form error, so nothing is saved and what the person typed comes back.
func (a *App) postForm(r fiber.Router, path string, h fiber.Handler) {
	r.Post(path, a.formHandler(h))
}

// formHandler is postForm's wrapper on its own, for a route that needs a
// middleware (a rate limit) before it.
func (a *App) formHandler(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !a.validCSRF(c) {
			c.Locals(csrfFailedKey, true)
		}
		return h(c)
	}
}

// postAction registers a POST with no form to re-render (publish, delete,
// sign out): a bad CSRF token stops it with a friendly page.
func (a *App) postAction(r fiber.Router, path string, h fiber.Handler) {
	r.Post(path, a.actionHandler(h))
}

// actionHandler is postAction's wrapper on its own, for a route that needs a
// middleware (the organizer area's role gate) before it.
func (a *App) actionHandler(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !a.validCSRF(c) {
			return &Error{Status: fiber.StatusForbidden, MsgID: "error.csrf"}
		}
		return h(c)
	}
}

// csrfErrors starts a form's error set: it holds the form-level message when
// the CSRF token was missing or expired, and a message beside each field whose
// value checkInput had to clean. Every postForm handler starts here.
func csrfErrors(c *fiber.Ctx) FieldErrors {
	errs := FieldErrors{}
	if failed, _ := c.Locals(csrfFailedKey).(bool); failed {
		errs.Add(formErrorKey, "form.csrf_expired")
	}
	inputErrors(c, errs)
	return errs
}

// flash stores a message shown once on the next page.
func (a *App) flash(c *fiber.Ctx, id string) {
	s, err := a.session(c)
	if err != nil {
		return
	}
	s.Set(sessFlash, id)
	_ = a.storeSession(c, s)
}

func (a *App) popFlash(c *fiber.Ctx) string {
	s, err := a.session(c)
	if err != nil {
		return ""
	}
	id, _ := s.Get(sessFlash).(string)
	if id != "" {
		s.Delete(sessFlash)
		_ = a.storeSession(c, s)
	}
	return id
}
