package app

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Paths of a person's own account pages.
const (
	accountPath   = "/manage/account"
	twoFactorPath = "/manage/account/two-factor" // built by the two-factor area
)

// accountRoutes declares a signed-in person's own account: any organizer,
// whatever their role, manages only themselves here.
func (a *App) accountRoutes(o organizerArea) {
	o.signedIn.get("/account", a.accountPage)
	o.signedIn.form("/account/password", a.changePassword)
	o.signedIn.action("/account/sessions/sign-out-others", a.signOutOthers)
}

// passwordChangeForm is what the password form posts. Passwords are never
// echoed back into the page.
type passwordChangeForm struct {
	Current, New, Confirm string
}

func parsePasswordChange(c *fiber.Ctx) passwordChangeForm {
	return passwordChangeForm{Current: c.FormValue("current_password"), New: c.FormValue("new_password"), Confirm: c.FormValue("new_password_confirm")}
}

// Validate checks what needs no database: every field given, the new one
// typed the same twice. The password rules are models.CheckNewPassword's.
func (f passwordChangeForm) Validate(errs FieldErrors) {
	if f.Current == "" {
		errs.Add("current_password", "form.required")
	}
	newPasswordErrors(errs, f.New, f.Confirm)
}

// newPasswordErrors is the check of a "new password, twice" pair shared by
// the change and reset forms.
func newPasswordErrors(errs FieldErrors, pw, confirm string) {
	switch {
	case pw == "":
		errs.Add("new_password", "form.required")
	case confirm == "":
		errs.Add("new_password_confirm", "form.required")
	case pw != confirm:
		errs.Add("new_password_confirm", "account.password_mismatch")
	}
}

// passwordRuleError puts a models.CheckNewPassword error beside the field;
// it reports whether err was one.
func passwordRuleError(errs FieldErrors, err error) bool {
	switch {
	case errors.Is(err, models.ErrPasswordTooShort):
		errs.Add("new_password", "account.password_too_short", "Min", models.MinPasswordLength)
	case errors.Is(err, models.ErrPasswordTooLong):
		errs.Add("new_password", "account.password_too_long", "Max", models.MaxPasswordLength)
	case errors.Is(err, models.ErrPasswordCommon):
		errs.Add("new_password", "account.password_common")
	default:
		return false
	}
	return true
}

// sessionRow is one of a person's sessions as the account page lists it.
type sessionRow struct {
	ID                uint
	Browser, System   string
	IP                string
	Started, LastSeen time.Time
	Current           bool
}

func (a *App) renderAccount(c *fiber.Ctx, status int, errs FieldErrors) error {
	u := currentUser(c)
	live, err := models.ActiveStaffSessions(a.db, u.ID, a.now(), a.sessionLimits())
	if err != nil {
		return dbErr("list sessions", err)
	}
	cur := currentStaffSession(c)
	rows := make([]sessionRow, 0, len(live))
	others := 0
	for _, s := range live {
		b, sys := device(s.UserAgent)
		r := sessionRow{ID: s.ID, Browser: b, System: sys, IP: s.IP, Started: s.CreatedAt.UTC(), LastSeen: s.LastSeenAt.UTC(), Current: cur != nil && s.ID == cur.ID}
		if !r.Current {
			others++
		}
		rows = append(rows, r)
	}
	return a.renderStatus(c, status, "manage/account", fiber.Map{"Account": u, "Sessions": rows, "Others": others,
		"Errors": errs, "ErrorLinks": errorLinks(errs), "TwoFactorPath": twoFactorPath})
}

func (a *App) accountPage(c *fiber.Ctx) error {
	return a.renderAccount(c, fiber.StatusOK, FieldErrors{})
}

// changePassword sets a new password once the current one is confirmed;
// the person's other sessions end with it (models.ChangePassword).
func (a *App) changePassword(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	f := parsePasswordChange(c)
	f.Validate(errs)
	if errs.Any() {
		return a.renderAccount(c, fiber.StatusUnprocessableEntity, errs)
	}
	u := currentUser(c)
	// Each try checks the current password: limited like sign-ins, per
	// account, so a borrowed session is no way to guess it.
	by, err := a.overLimit(attemptLimit{name: "pwchange", perEmail: a.cfg.SignInLimit, perAddress: a.cfg.SignInAddressLimit, window: a.cfg.SignInWindow}, a.clientIP(c), u.Email)
	if err != nil {
		return errInternal("rate limit", err)
	}
	if by != "" {
		errs.Add(formErrorKey, "account.change_too_many")
		return a.renderAccount(c, fiber.StatusTooManyRequests, errs)
	}
	var keep uint
	if s := currentStaffSession(c); s != nil {
		keep = s.ID
	}
	err = models.ChangePassword(a.db, u.ID, f.Current, f.New, keep, a.now(), a.auditEntry(c, 0, models.AuditPasswordChanged))
	switch {
	case err == nil:
		a.flash(c, "account.password_changed")
		return c.Redirect(accountPath, fiber.StatusSeeOther)
	case errors.Is(err, models.ErrCurrentPasswordWrong):
		errs.Add("current_password", "account.current_wrong")
	case errors.Is(err, models.ErrPasswordBusy):
		c.Set(fiber.HeaderRetryAfter, "5")
		errs.Add(formErrorKey, "signin.busy")
		return a.renderAccount(c, fiber.StatusServiceUnavailable, errs)
	case passwordRuleError(errs, err):
	default:
		return dbErr("change password", err)
	}
	return a.renderAccount(c, fiber.StatusUnprocessableEntity, errs)
}

// signOutOthers ends every session of the person but this one.
func (a *App) signOutOthers(c *fiber.Ctx) error {
	u := currentUser(c)
	var keep uint
	if s := currentStaffSession(c); s != nil {
		keep = s.ID
	}
	if _, err := models.SignOutOtherSessions(a.db, u.ID, keep, a.now(), a.auditEntry(c, 0, models.AuditSignOutOthers)); err != nil {
		return dbErr("sign out other sessions", err)
	}
	a.flash(c, "account.signed_out_others")
	return c.Redirect(accountPath, fiber.StatusSeeOther)
}
