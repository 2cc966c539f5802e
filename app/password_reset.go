package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/mail"
	"github.com/agora-events/agora/models"
)

const forgotPath = "/manage/password/forgot"

// forgotMinDuration is the least time a "forgot your password?" answer takes.
const forgotMinDuration = 150 * time.Millisecond

// passwordResetRoutes declares "forgot your password?": public pages, so
// they are declared before the organizer area's sign-in gate.
func (a *App) passwordResetRoutes(f fiber.Router) {
	f.Get(forgotPath, a.showForgotPassword)
	f.Post(forgotPath, a.forgotLimiter(), a.formHandler(a.postForgotPassword))
	f.Get(mail.PasswordResetPathPrefix+":token", a.showPasswordReset)
	f.Post(mail.PasswordResetPathPrefix+":token", a.formHandler(a.postPasswordReset))
}

func (a *App) renderForgot(c *fiber.Ctx, status int, email string, errs FieldErrors, sent bool) error {
	return a.renderStatus(c, status, "manage/password_forgot", fiber.Map{"Email": email, "Errors": errs, "ErrorLinks": errorLinks(errs), "Sent": sent})
}

func (a *App) showForgotPassword(c *fiber.Ctx) error {
	return a.renderForgot(c, fiber.StatusOK, "", FieldErrors{}, false)
}

// postForgotPassword e-mails a reset link to the account with that address.
// The page answers the same, word for word, whether or not there is one,
// and does the same work to get there (models.RequestPasswordReset).
func (a *App) postForgotPassword(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	email := strings.TrimSpace(c.FormValue("email"))
	switch {
	case email == "":
		errs.Add("email", "form.required")
	case len(email) > models.MaxEmailLen:
		errs.Add("email", "form.too_long", "Max", models.MaxEmailLen)
	case !models.ValidEmail(models.NormalizeEmail(email)):
		errs.Add("email", "account.email_invalid")
	}
	if errs.Any() {
		return a.renderForgot(c, fiber.StatusUnprocessableEntity, email, errs, false)
	}
	// A real account costs a row and a mail more than an unknown address:
	// the answer takes at least forgotMinDuration either way, so how long
	// it takes tells no one which it was.
	start := time.Now()
	defer func() {
		if d := forgotMinDuration - time.Since(start); d > 0 {
			time.Sleep(d)
		}
	}()
	rnd, err := a.mailRenderer()
	if err != nil {
		return errInternal("mail renderer", err)
	}
	lang := a.lang(c)
	err = models.RequestPasswordReset(a.db, email, a.now(), func(u models.User, raw string) (models.OutboxMessage, error) {
		m, err := rnd.PasswordReset(lang, u.Name, raw)
		return models.OutboxMessage{Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML, Language: lang}, err
	})
	if err != nil {
		return dbErr("request password reset", err)
	}
	a.nudge()
	// The address is not shown back: the answer is the same page for all.
	return a.renderForgot(c, fiber.StatusOK, "", FieldErrors{}, true)
}

// forgotLimiter limits reset e-mails per address typed and per client
// address, like every other e-mailed link (see attemptLimit).
func (a *App) forgotLimiter() fiber.Handler {
	return a.limitAttempts(attemptLimit{
		name: "pwreset", perEmail: a.cfg.LinkLimit, perAddress: a.cfg.LinkAddressLimit, window: a.cfg.LinkWindow,
		refuse: func(c *fiber.Ctx) error {
			errs := FieldErrors{}
			errs.Add(formErrorKey, "account.reset_too_many")
			return a.renderForgot(c, fiber.StatusTooManyRequests, strings.TrimSpace(c.FormValue("email")), errs, false)
		},
	})
}

// renderReset shows the "choose a new password" form of a live link, or
// the page saying the link does not work (unknown, used and expired alike).
func (a *App) renderReset(c *fiber.Ctx, status int, token string, u *models.User, errs FieldErrors) error {
	// The token is in the address: no other site may see it as a referrer.
	c.Set("Referrer-Policy", "no-referrer")
	if u == nil {
		return a.renderStatus(c, fiber.StatusGone, "manage/password_reset_invalid", fiber.Map{"ForgotPath": forgotPath})
	}
	return a.renderStatus(c, status, "manage/password_reset", fiber.Map{"Action": mail.PasswordResetPathPrefix + token,
		"Account": u, "Errors": errs, "ErrorLinks": errorLinks(errs)})
}

// showPasswordReset shows the form; opening the link never uses it (mail
// scanners open links too).
func (a *App) showPasswordReset(c *fiber.Ctx) error {
	token := c.Params("token")
	u, err := models.PasswordResetUser(a.db, token, a.now())
	if err != nil && !errors.Is(err, models.ErrResetInvalid) {
		return dbErr("password reset", err)
	}
	return a.renderReset(c, fiber.StatusOK, token, u, FieldErrors{})
}

// postPasswordReset sets the new password, ends every session of the
// account and signs this browser in (through completeSignIn, like every
// other way in).
func (a *App) postPasswordReset(c *fiber.Ctx) error {
	token := c.Params("token")
	u, err := models.PasswordResetUser(a.db, token, a.now())
	if errors.Is(err, models.ErrResetInvalid) {
		return a.renderReset(c, fiber.StatusGone, token, nil, nil)
	}
	if err != nil {
		return dbErr("password reset", err)
	}
	errs := csrfErrors(c)
	pw, confirm := c.FormValue("new_password"), c.FormValue("new_password_confirm")
	newPasswordErrors(errs, pw, confirm)
	if errs.Any() {
		return a.renderReset(c, fiber.StatusUnprocessableEntity, token, u, errs)
	}
	entry := models.AuditEntry{IP: a.clientIP(c), CreatedAt: a.now()}
	done, err := models.CompletePasswordReset(a.db, token, pw, a.now(), entry)
	switch {
	case err == nil:
		return a.completeSignIn(c, done, "/manage")
	case errors.Is(err, models.ErrResetInvalid):
		return a.renderReset(c, fiber.StatusGone, token, nil, nil)
	case errors.Is(err, models.ErrPasswordBusy):
		c.Set(fiber.HeaderRetryAfter, "5")
		errs.Add(formErrorKey, "signin.busy")
		return a.renderReset(c, fiber.StatusServiceUnavailable, token, u, errs)
	case passwordRuleError(errs, err):
		return a.renderReset(c, fiber.StatusUnprocessableEntity, token, u, errs)
	}
	return dbErr("password reset", err)
}
