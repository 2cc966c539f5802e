package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// currentUser returns the signed-in organizer, or nil.
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals("agora.user").(*models.User)
	return u
}

// currentMemberships returns the signed-in organizer's organizations and roles.
func currentMemberships(c *fiber.Ctx) []models.Membership {
	ms, _ := c.Locals("agora.memberships").([]models.Membership)
	return ms
}

// requireUser loads the signed-in organizer and their memberships, or sends
// the visitor to the sign-in page. The staff session row must be live on
// every request (not ended, not idle too long, not too old), so a sign-out
// or an expiry takes effect on every instance at once.
func (a *App) requireUser(c *fiber.Ctx) error {
	ss, err := a.liveStaffSession(c)
	if err != nil {
		return err
	}
	if ss != nil {
		var u models.User
		if err := a.db.First(&u, ss.UserID).Error; err == nil {
			ms, err := models.Memberships(a.db, u.ID)
			if err != nil {
				return errInternal("memberships", err)
			}
			c.Locals("agora.user", &u)
			c.Locals("agora.memberships", ms)
			c.Locals(staffSessionKey, ss)
			c.Set(fiber.HeaderCacheControl, "no-store")
			return a.twoFactorGate(c, &u, ms)
		}
	}
	return c.Redirect("/manage/login?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// requireAdmin lets only site admins through.
func (a *App) requireAdmin(c *fiber.Ctx) error {
	if u := currentUser(c); u == nil || !u.IsAdmin {
		return errNotFound()
	}
	return c.Next()
}

type signInForm struct {
	Email    string
	Password string
	Next     string
}

func (a *App) showSignIn(c *fiber.Ctx) error {
	return a.render(c, "manage/login", fiber.Map{"Form": signInForm{Next: safeNext(c.Query("next", "/manage"))}, "Errors": FieldErrors{}})
}

func (a *App) signIn(c *fiber.Ctx) error {
	f := signInForm{Email: strings.TrimSpace(c.FormValue("email")), Password: c.FormValue("password"), Next: safeNext(c.FormValue("next"))}
	errs := csrfErrors(c)
	if f.Email == "" {
		errs.Add("email", "form.required")
	}
	if f.Password == "" {
		errs.Add("password", "form.required")
	}
	if !errs.Any() {
		u, err := models.Authenticate(a.db, f.Email, f.Password)
		switch {
		case errors.Is(err, models.ErrBadCredentials):
			errs.Add(formErrorKey, "signin.bad_credentials")
			// In the log of the account's organizations; an unknown address
			// writes nothing.
			entry := models.AuditEntry{IP: a.clientIP(c), CreatedAt: a.now()}
			if err := models.RecordFailedSignIn(a.db, f.Email, entry); err != nil {
				return dbErr("audit failed sign-in", err)
			}
		case errors.Is(err, models.ErrPasswordBusy):
			// Too many sign-ins are being checked at once; the form comes back
			// with the e-mail kept, and Retry-After says when to try again.
			errs.Add(formErrorKey, "signin.busy")
			c.Set(fiber.HeaderRetryAfter, "5")
			f.Password = ""
			return a.renderStatus(c, fiber.StatusServiceUnavailable, "manage/login", fiber.Map{"Form": f, "Errors": errs})
		case err != nil:
			return errInternal("authenticate", err)
		default:
			return a.completeSignIn(c, u, f.Next)
		}
	}
	f.Password = "" // never echo a password back
	return a.renderStatus(c, fiber.StatusUnprocessableEntity, "manage/login", fiber.Map{"Form": f, "Errors": errs})
}

func (a *App) signOut(c *fiber.Ctx) error {
	if err := a.endStaffSession(c); err != nil {
		return dbErr("end staff session", err)
	}
	s, err := a.session(c)
	if err == nil {
		_ = s.Destroy()
	}
	// The door's offline copy (IndexedDB, the service worker's cache) goes
	// with the session: nothing of the attendees stays on a shared phone.
	c.Set("Clear-Site-Data", `"cache", "storage"`)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// signInLimiter limits password sign-ins per e-mail address, and more
// loosely per client address (see attemptLimit).
func (a *App) signInLimiter() fiber.Handler {
	return a.limitAttempts(attemptLimit{
		name: "signin", perEmail: a.cfg.SignInLimit, perAddress: a.cfg.SignInAddressLimit, window: a.cfg.SignInWindow,
		refuse: func(c *fiber.Ctx) error {
			f := signInForm{Email: strings.TrimSpace(c.FormValue("email")), Next: safeNext(c.FormValue("next"))}
			errs := FieldErrors{}
			errs.Add(formErrorKey, "signin.too_many")
			return a.renderStatus(c, fiber.StatusTooManyRequests, "manage/login", fiber.Map{"Form": f, "Errors": errs})
		},
	})
}
