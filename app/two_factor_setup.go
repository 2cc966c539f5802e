package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

const twoFactorSetupURL = "/manage/account/two-factor"

// twoFactorRoutes declares the person's own two-factor page: set it up
// (QR code, first code), see how many recovery codes are left, make new
// ones, turn it off. The organization's requirement is on its own page.
func (a *App) twoFactorRoutes(o organizerArea) {
	o.signedIn.get("/account/two-factor", a.twoFactorPage)
	o.signedIn.form("/account/two-factor", a.confirmTwoFactor)
	o.signedIn.form("/account/two-factor/recovery-codes", a.renewRecoveryCodes)
	o.signedIn.form("/account/two-factor/disable", a.disableTwoFactor)
	o.owners.get("/orgs/:orgID/two-factor", a.orgTwoFactorPage)
	o.owners.form("/orgs/:orgID/two-factor", a.saveOrgTwoFactor)
	o.owners.action("/orgs/:orgID/two-factor/reset/:userID", a.resetMemberTwoFactor)
}

// twoFactorRequired reports whether the signed-in person may not turn the
// second factor off: they must use it, and it can be enforced (a key is set).
func (a *App) twoFactorRequired(c *fiber.Ctx) bool {
	return a.secrets != nil && models.MustUseTwoFactor(currentUser(c), currentMemberships(c))
}

// renderTwoFactor shows the page in whichever state the person is: not set
// up (the QR code and the first-code form), or on (recovery codes left,
// renew, turn off). errs belong to the form named by form.
func (a *App) renderTwoFactor(c *fiber.Ctx, status int, form string, errs FieldErrors) error {
	u := currentUser(c)
	tf, err := models.TwoFactorOf(a.db, u.ID)
	if err != nil {
		return dbErr("two-factor", err)
	}
	data := fiber.Map{"KeyMissing": a.secrets == nil, "Required": a.twoFactorRequired(c),
		"MustUse": models.MustUseTwoFactor(u, currentMemberships(c)), "Form": form, "Errors": errs}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if tf != nil && tf.ConfirmedAt != nil {
		left, err := models.RecoveryCodesLeft(a.db, u.ID)
		if err != nil {
			return dbErr("recovery codes", err)
		}
		data["On"], data["ConfirmedAt"], data["CodesLeft"] = true, *tf.ConfirmedAt, left
		return a.renderStatus(c, status, "manage/two_factor", data)
	}
	if a.secrets != nil {
		key, err := models.StartTwoFactorSetup(a.db, a.secrets, u, a.twoFactorIssuer(), a.now())
		if errors.Is(err, models.ErrSecretKeyUnknown) {
			// A setup begun under a key since dropped: begin again.
			if err = a.db.Where("user_id = ? AND confirmed_at IS NULL", u.ID).Delete(&models.TwoFactor{}).Error; err == nil {
				key, err = models.StartTwoFactorSetup(a.db, a.secrets, u, a.twoFactorIssuer(), a.now())
			}
		}
		if err != nil {
			return errInternal("two-factor setup", err)
		}
		qr, err := qrDataURL(key.URL())
		if err != nil {
			return errInternal("qr code", err)
		}
		data["QR"], data["Secret"], data["SecretGroups"] = qr, key.Secret(), groupSecret(key.Secret())
	}
	return a.renderStatus(c, status, "manage/two_factor", data)
}

// groupSecret writes the secret in blocks of four, as apps show it, for
// typing by hand.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (a *App) twoFactorPage(c *fiber.Ctx) error {
	return a.renderTwoFactor(c, fiber.StatusOK, "", FieldErrors{})
}

// showRecoveryCodes shows new recovery codes, this once: only their hashes are kept.
func (a *App) showRecoveryCodes(c *fiber.Ctx, codes []string, first bool) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, "manage/two_factor_codes", fiber.Map{"Codes": codes, "First": first})
}

// confirmTwoFactor turns the second factor on with a first code from the app.
func (a *App) confirmTwoFactor(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	if a.secrets == nil {
		errs.Add(formErrorKey, "twofactor.no_key")
		return a.renderTwoFactor(c, fiber.StatusUnprocessableEntity, "setup", errs)
	}
	code := c.FormValue("code")
	if strings.TrimSpace(code) == "" {
		errs.Add("code", "form.required")
	}
	if errs.Any() {
		return a.renderTwoFactor(c, fiber.StatusUnprocessableEntity, "setup", errs)
	}
	u := currentUser(c)
	codes, err := models.ConfirmTwoFactor(a.db, a.secrets, u.ID, code, a.now(), a.auditEntry(c, 0, models.AuditTwoFactorOn))
	switch {
	case err == nil:
		// Also logged: a site admin in no organization has no audit log.
		a.log.Info("two-factor sign-in turned on", "user_id", u.ID, "ip", a.clientIP(c), "request_id", requestID(c))
		return a.showRecoveryCodes(c, codes, true)
	case errors.Is(err, models.ErrBadCode):
		errs.Add("code", "twofactor.bad_code_setup")
	case errors.Is(err, models.ErrCodeUsed):
		errs.Add("code", "twofactor.code_used")
	case errors.Is(err, models.ErrTwoFactorOn):
		a.flash(c, "twofactor.already_on")
		return c.Redirect(twoFactorSetupURL, fiber.StatusSeeOther)
	case errors.Is(err, models.ErrTwoFactorOff), errors.Is(err, models.ErrSecretKeyUnknown):
		errs.Add(formErrorKey, "twofactor.setup_again") // the page makes a new secret
	default:
		return errInternal("confirm two-factor", err)
	}
	return a.renderTwoFactor(c, fiber.StatusUnprocessableEntity, "setup", errs)
}

// checkCodeOrPassword checks the confirmation field of the renew and
// turn-off forms: a current code from the app, or the account's password, within
// the same per-user limit as signing in.
func (a *App) checkCodeOrPassword(c *fiber.Ctx, field string, errs FieldErrors) (int, error) {
	u := currentUser(c)
	v := c.FormValue(field)
	if strings.TrimSpace(v) == "" {
		errs.Add(field, "form.required")
		return fiber.StatusUnprocessableEntity, nil
	}
	if errs.Any() {
		return fiber.StatusUnprocessableEntity, nil
	}
	key := twoFactorLimitKey(u.ID)
	n, err := a.kv.Hit(key, twoFactorWindow)
	if err != nil {
		return 0, errInternal("rate limit", err)
	}
	if n > twoFactorTries {
		errs.Add(formErrorKey, "twofactor.too_many")
		return fiber.StatusTooManyRequests, nil
	}
	if models.LooksLikeTOTPCode(models.NormalizeTOTPCode(v)) {
		err = models.VerifyTwoFactorCode(a.db, a.secrets, u.ID, v, a.now())
	} else {
		_, err = models.Authenticate(a.db, u.Email, v)
	}
	switch {
	case err == nil:
		_ = a.kv.Delete(key)
		return 0, nil
	case errors.Is(err, models.ErrBadCode), errors.Is(err, models.ErrBadCredentials), errors.Is(err, models.ErrTwoFactorOff):
		errs.Add(field, "twofactor.bad_confirm")
	case errors.Is(err, models.ErrCodeUsed):
		errs.Add(field, "twofactor.code_used")
	case errors.Is(err, models.ErrPasswordBusy):
		errs.Add(formErrorKey, "signin.busy")
		c.Set(fiber.HeaderRetryAfter, "5")
		return fiber.StatusServiceUnavailable, nil
	case errors.Is(err, models.ErrNoSecretKey), errors.Is(err, models.ErrSecretKeyUnknown):
		errs.Add(field, "twofactor.key_missing_confirm")
	default:
		return 0, errInternal("check code or password", err)
	}
	return fiber.StatusUnprocessableEntity, nil
}

// renewRecoveryCodes replaces the recovery codes (the old ones stop working).
func (a *App) renewRecoveryCodes(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	status, err := a.checkCodeOrPassword(c, "renew_confirm", errs)
	if err != nil {
		return err
	}
	if errs.Any() {
		return a.renderTwoFactor(c, status, "renew", errs)
	}
	codes, err := models.RenewRecoveryCodes(a.db, currentUser(c).ID, a.now(), a.auditEntry(c, 0, models.AuditRecoveryCodesRenewed))
	if errors.Is(err, models.ErrTwoFactorOff) {
		return c.Redirect(twoFactorSetupURL, fiber.StatusSeeOther)
	}
	if err != nil {
		return errInternal("renew recovery codes", err)
	}
	return a.showRecoveryCodes(c, codes, false)
}

// disableTwoFactor turns the second factor off, unless the person must use it.
func (a *App) disableTwoFactor(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	if a.twoFactorRequired(c) {
		errs.Add(formErrorKey, "twofactor.cannot_disable")
		return a.renderTwoFactor(c, fiber.StatusUnprocessableEntity, "disable", errs)
	}
	status, err := a.checkCodeOrPassword(c, "disable_confirm", errs)
	if err != nil {
		return err
	}
	if errs.Any() {
		return a.renderTwoFactor(c, status, "disable", errs)
	}
	err = models.DisableTwoFactor(a.db, currentUser(c).ID, a.auditEntry(c, 0, models.AuditTwoFactorOff))
	if err != nil && !errors.Is(err, models.ErrTwoFactorOff) {
		return errInternal("disable two-factor", err)
	}
	a.log.Info("two-factor sign-in turned off", "user_id", currentUser(c).ID, "ip", a.clientIP(c), "request_id", requestID(c))
	a.flash(c, "twofactor.disabled_flash")
	return c.Redirect(twoFactorSetupURL, fiber.StatusSeeOther)
}
