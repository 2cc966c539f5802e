package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Session keys of a sign-in waiting for its second step. The person is not
// signed in yet: requireUser looks only at sessUserID.
const (
	sessPendingUser  = "2fa.uid"
	sessPendingNext  = "2fa.next"
	sessPendingUntil = "2fa.until" // unix seconds, on the app's clock
)

const (
	signInCodeURL = "/manage/login/code"
	// pendingSignInLife is how long the password step stays good for the code step.
	pendingSignInLife = 5 * time.Minute
	// A second factor takes 5 tries per user per 15 minutes, counted in the
	// shared store before each check (so parallel guesses count too); a
	// right code starts the count again. Guessing one of a million codes,
	// each good for about 90 seconds, gets nowhere at that pace.
	twoFactorTries  = 5
	twoFactorWindow = 15 * time.Minute
)

// twoFactorSignInRoutes declares the second step of signing in. It is
// public (the person is not signed in yet), so it is registered before the
// organizer area's requireUser.
func (a *App) twoFactorSignInRoutes(f *fiber.App) {
	f.Get(signInCodeURL, a.showSignInCode)
	a.postForm(f, signInCodeURL, a.signInCode)
}

// startPendingSignIn keeps who passed the password step, and where they
// were going, for a few minutes under a new session id, and asks for the code.
func (a *App) startPendingSignIn(c *fiber.Ctx, u *models.User, next string) error {
	s, err := a.session(c)
	if err != nil {
		return errInternal("session", err)
	}
	if err := s.Regenerate(); err != nil {
		return errInternal("session regenerate", err)
	}
	s.Delete(sessUserID) // someone else's sign-in in this browser ends here
	s.Set(sessPendingUser, u.ID)
	s.Set(sessPendingNext, strings.Clone(next))
	s.Set(sessPendingUntil, a.now().Add(pendingSignInLife).Unix())
	s.Set(sessCSRF, randomToken(32))
	if err := a.storeSession(c, s); err != nil {
		return errInternal("session save", err)
	}
	return c.Redirect(signInCodeURL, fiber.StatusSeeOther)
}

// pendingSignIn returns the user waiting for their second step, or nil when
// there is none or it expired.
func (a *App) pendingSignIn(c *fiber.Ctx) (*models.User, string, error) {
	s, err := a.session(c)
	if err != nil {
		return nil, "", errInternal("session", err)
	}
	uid, _ := s.Get(sessPendingUser).(uint)
	until, _ := s.Get(sessPendingUntil).(int64)
	next, _ := s.Get(sessPendingNext).(string)
	if uid == 0 || a.now().Unix() > until {
		return nil, "", nil
	}
	var u models.User
	if err := a.db.Take(&u, uid).Error; err != nil {
		return nil, "", nil // the account went away meanwhile
	}
	return &u, safeNext(next), nil
}

// signInAgain sends someone whose password step expired back to the start.
func (a *App) signInAgain(c *fiber.Ctx) error {
	a.flash(c, "twofactor.signin_expired")
	return c.Redirect("/manage/login", fiber.StatusSeeOther)
}

func (a *App) renderSignInCode(c *fiber.Ctx, status int, errs FieldErrors) error {
	return a.renderStatus(c, status, "manage/login_code", fiber.Map{"Errors": errs})
}

func (a *App) showSignInCode(c *fiber.Ctx) error {
	u, _, err := a.pendingSignIn(c)
	if err != nil {
		return err
	}
	if u == nil {
		return a.signInAgain(c)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.renderSignInCode(c, fiber.StatusOK, FieldErrors{})
}

// signInCode checks the code from the app (or a recovery code) and then
// starts the session.
func (a *App) signInCode(c *fiber.Ctx) error {
	u, next, err := a.pendingSignIn(c)
	if err != nil {
		return err
	}
	if u == nil {
		return a.signInAgain(c)
	}
	errs := csrfErrors(c)
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		errs.Add("code", "form.required")
	}
	if errs.Any() {
		return a.renderSignInCode(c, fiber.StatusUnprocessableEntity, errs)
	}
	usedRecovery, status, err := a.checkSecondFactor(c, u, code, errs)
	if err != nil {
		return err
	}
	if errs.Any() {
		return a.renderSignInCode(c, status, errs)
	}
	s, err := a.session(c)
	if err != nil {
		return errInternal("session", err)
	}
	for _, k := range []string{sessPendingUser, sessPendingNext, sessPendingUntil} {
		s.Delete(k)
	}
	if usedRecovery {
		s.Set(sessFlash, "twofactor.recovery_signed_in")
	}
	return a.startStaffSession(c, u, next)
}

// checkSecondFactor checks a code typed by u, against their app's codes
// when it is six digits and their recovery codes otherwise, within the
// per-user limit. What is wrong goes into errs (with the status to answer);
// usedRecovery says a recovery code was spent.
func (a *App) checkSecondFactor(c *fiber.Ctx, u *models.User, code string, errs FieldErrors) (usedRecovery bool, status int, err error) {
	key := twoFactorLimitKey(u.ID)
	n, err := a.kv.Hit(key, twoFactorWindow)
	if err != nil {
		return false, 0, errInternal("rate limit", err)
	}
	if n > twoFactorTries {
		a.log.Warn("rate limited", "limit", "twofactor", "user_id", u.ID, "ip", a.clientIP(c), "request_id", requestID(c))
		errs.Add(formErrorKey, "twofactor.too_many")
		return false, fiber.StatusTooManyRequests, nil
	}
	if models.LooksLikeTOTPCode(models.NormalizeTOTPCode(code)) {
		err = models.VerifyTwoFactorCode(a.db, a.secrets, u.ID, code, a.now())
	} else {
		usedRecovery = true
		e := a.auditEntry(c, 0, models.AuditRecoveryCodeUsed)
		id := u.ID
		e.ActorUserID, e.ActorEmail = &id, u.Email
		err = models.UseRecoveryCode(a.db, u.ID, code, a.now(), e)
	}
	switch {
	case err == nil:
		_ = a.kv.Delete(key) // a right code: the count starts again
		return usedRecovery, 0, nil
	case errors.Is(err, models.ErrBadCode):
		errs.Add("code", "twofactor.bad_code")
	case errors.Is(err, models.ErrCodeUsed):
		errs.Add("code", "twofactor.code_used")
	case errors.Is(err, models.ErrRecoveryCodeUsed):
		errs.Add("code", "twofactor.recovery_bad")
	case errors.Is(err, models.ErrNoSecretKey), errors.Is(err, models.ErrSecretKeyUnknown):
		a.log.Error("two-factor secret cannot be decrypted: is AGORA_SECRET_KEY (or the old key) missing?", "user_id", u.ID, "err", err)
		errs.Add("code", "twofactor.key_missing_signin")
	case errors.Is(err, models.ErrTwoFactorOff):
		errs.Add("code", "twofactor.bad_code")
	default:
		return false, 0, errInternal("check code", err)
	}
	// A wrong second factor means someone has the password: the owners see
	// it in the log as a failed sign-in.
	entry := models.AuditEntry{IP: a.clientIP(c), CreatedAt: a.now(), Detail: "wrong second factor (code or recovery code)"}
	if err := models.RecordFailedSignIn(a.db, u.Email, entry); err != nil {
		return false, 0, dbErr("audit failed sign-in", err)
	}
	return false, fiber.StatusUnprocessableEntity, nil
}

func twoFactorLimitKey(userID uint) string {
	return "rl:twofactor:user:" + strconv.FormatUint(uint64(userID), 10)
}
