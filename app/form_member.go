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
	maxPassword = 200
)

// MemberForm adds a person to an organization's team: an existing account by
// e-mail, or a new one with a name and an initial password.
type MemberForm struct {
	Email    string
	Name     string
	Role     string
	Password string
}

func parseMemberForm(c *fiber.Ctx) MemberForm {
	return MemberForm{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("member_name")),
		Role: strings.TrimSpace(c.FormValue("role")), Password: c.FormValue("password")}
}

// Validate checks the form; newAccount says whether the e-mail has no account
// yet, in which case name and password are needed.
func (f MemberForm) Validate(newAccount bool) FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "email", f.Email)
	checkLen(errs, "email", f.Email, maxEmail)
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email {
			errs.Add("email", "form.bad_email")
		}
	}
	if !models.ValidRole(f.Role) {
		errs.Add("role", "form.choose")
	}
	checkLen(errs, "member_name", f.Name, maxUserName)
	if newAccount {
		checkRequired(errs, "member_name", f.Name)
		switch {
		case len(f.Password) < models.MinPasswordLength:
			errs.Add("password", "team.password_short", "Min", models.MinPasswordLength)
		case len(f.Password) > maxPassword:
			errs.Add("password", "form.too_long", "Max", maxPassword)
		}
	}
	return errs
}
