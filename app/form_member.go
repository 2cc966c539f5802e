package app

import (
	"net/mail"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

const (
	maxEmail    = 254
	maxUserName = 200
	maxPassword = models.MaxPasswordLength
)

// InviteForm invites a person to an organization's team by e-mail with a
// role and, if ticked, the access coordinator permission. The person sets
// their own password when they accept: no one types it for them.
type InviteForm struct {
	Email       string
	Role        string
	Coordinator bool
}

func parseInviteForm(c *fiber.Ctx) InviteForm {
	return InviteForm{Email: strings.TrimSpace(c.FormValue("email")), Role: strings.TrimSpace(c.FormValue("role")),
		Coordinator: c.FormValue("access_coordinator") == "1"}
}

// Validate checks the form.
func (f InviteForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkEmailField(errs, "email", f.Email, true)
	if !models.ValidRole(f.Role) {
		errs.Add("role", "form.choose")
	}
	return errs
}

// checkEmailField checks one address field: required or not, its length, its form.
func checkEmailField(errs FieldErrors, field, v string, required bool) {
	if required {
		checkRequired(errs, field, v)
	}
	checkLen(errs, field, v, maxEmail)
	if v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			errs.Add(field, "form.bad_email")
		}
	}
}

// AccountForm is what a person invited without an account chooses: their
// name and their password, twice.
type AccountForm struct {
	Name     string
	Password string
	Confirm  string
}

func parseAccountForm(c *fiber.Ctx) AccountForm {
	return AccountForm{Name: strings.TrimSpace(c.FormValue("name")), Password: c.FormValue("password"), Confirm: c.FormValue("password_confirm")}
}

// Validate checks the form against the password rules for email.
func (f AccountForm) Validate(email string) FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "name", f.Name)
	checkLen(errs, "name", f.Name, maxUserName)
	if f.Password == "" {
		errs.Add("password", "form.required")
	} else if err := models.CheckNewPassword(f.Password, email, f.Name); err != nil {
		errs.Add("password", passwordProblem(err), "Min", models.MinPasswordLength, "Max", models.MaxPasswordLength)
	}
	if f.Confirm != f.Password && errs["password"].ID == "" {
		errs.Add("password_confirm", "invitations.password_mismatch")
	}
	return errs
}

// passwordProblem names the message for a password CheckNewPassword refused.
func passwordProblem(err error) string {
	switch err {
	case models.ErrPasswordTooShort:
		return "invitations.password_short"
	case models.ErrPasswordTooLong:
		return "invitations.password_long"
	}
	return "invitations.password_common"
}
