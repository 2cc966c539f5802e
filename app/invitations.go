package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// invitationRoutes serves the link of a team invitation mail
// (mail.InvitationPathPrefix + token). A person without an account chooses
// their name and password here; one with an account is sent to sign in and
// accept under /manage/invitations/{token} (teamRoutes). A GET never uses
// the invitation up, so mail scanners following links change nothing.
func (a *App) invitationRoutes(f fiber.Router) {
	f.Get("/invitations/:token", a.secretHeaders, a.invitationPage)
	f.Post("/invitations/:token", a.secretHeaders, a.formHandler(a.acceptInvitationNewAccount))
}

// accountInvitationPath is where the invited person accepts with the account they have.
func accountInvitationPath(token string) string { return "/manage/invitations/" + token }

// openInvitation loads the invitation of the request's link; an unusable
// one comes back as the page that says why (errPage set).
func (a *App) openInvitation(c *fiber.Ctx) (inv *models.Invitation, token string, errPage error) {
	token = c.Params("token")
	inv, err := models.InvitationByToken(a.db, token, a.now())
	if err != nil {
		return nil, token, a.invitationGone(c, err)
	}
	return inv, token, nil
}

// invitationGone explains why a link cannot be used: unknown (or replaced
// by a newer mail) is a 404, expired, withdrawn or used a 410.
func (a *App) invitationGone(c *fiber.Ctx, err error) error {
	reason, status := "", fiber.StatusGone
	switch {
	case errors.Is(err, models.ErrInvitationUnknown):
		reason, status = "unknown", fiber.StatusNotFound
	case errors.Is(err, models.ErrInvitationExpired):
		reason = "expired"
	case errors.Is(err, models.ErrInvitationWithdrawn):
		reason = "withdrawn"
	case errors.Is(err, models.ErrInvitationUsed):
		reason = "used"
	default:
		return errInternal("load invitation", err)
	}
	return a.renderStatus(c, status, "manage/invitation_gone", fiber.Map{"Reason": reason})
}

// hasAccount reports whether email has an account.
func (a *App) hasAccount(email string) (bool, error) {
	_, err := models.UserByEmail(a.db, email)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (a *App) renderAccountForm(c *fiber.Ctx, status int, inv *models.Invitation, token string, f AccountForm, errs FieldErrors) error {
	f.Password, f.Confirm = "", "" // never echo a password back
	return a.renderStatus(c, status, "manage/invitation_accept", fiber.Map{"Inv": inv, "Form": f, "Errors": errs,
		"Action": "/invitations/" + token})
}

func (a *App) renderSignInToAccept(c *fiber.Ctx, inv *models.Invitation, token string) error {
	return a.render(c, "manage/invitation_sign_in", fiber.Map{"Inv": inv, "Next": accountInvitationPath(token)})
}

// invitationPage shows what the invitation is and how to accept it.
func (a *App) invitationPage(c *fiber.Ctx) error {
	inv, token, gone := a.openInvitation(c)
	if inv == nil {
		return gone
	}
	known, err := a.hasAccount(inv.Email)
	if err != nil {
		return errInternal("find account", err)
	}
	if known {
		return a.renderSignInToAccept(c, inv, token)
	}
	return a.renderAccountForm(c, fiber.StatusOK, inv, token, AccountForm{}, FieldErrors{})
}

// acceptInvitationNewAccount creates the invited person's account with the
// password they chose, and their membership, then signs them in.
func (a *App) acceptInvitationNewAccount(c *fiber.Ctx) error {
	inv, token, gone := a.openInvitation(c)
	if inv == nil {
		return gone
	}
	errs := csrfErrors(c)
	f := parseAccountForm(c)
	errs.merge(f.Validate(inv.Email))
	if !errs.Any() {
		u, err := models.AcceptInvitationNewAccount(a.db, token, f.Name, f.Password, a.now(), a.auditEntry(c, inv.OrganizationID, models.AuditInviteAccepted))
		switch {
		case err == nil:
			a.log.Info("invitation accepted", "organization_id", inv.OrganizationID, "user_id", u.ID)
			return a.completeSignIn(c, u, "/manage")
		case errors.Is(err, models.ErrInvitationHasAccount):
			return a.renderSignInToAccept(c, inv, token)
		case errors.Is(err, models.ErrPasswordBusy):
			c.Set(fiber.HeaderRetryAfter, "5")
			errs.Add(formErrorKey, "signin.busy")
		case errors.Is(err, models.ErrPasswordTooShort), errors.Is(err, models.ErrPasswordTooLong), errors.Is(err, models.ErrPasswordCommon):
			errs.Add("password", passwordProblem(err), "Min", models.MinPasswordLength, "Max", models.MaxPasswordLength)
		default:
			if gerr := a.invitationGone(c, err); !isInternal(gerr) {
				return gerr // used, withdrawn or expired while the form was open
			}
			return errInternal("accept invitation", err)
		}
	}
	return a.renderAccountForm(c, fiber.StatusUnprocessableEntity, inv, token, f, errs)
}

func isInternal(err error) bool {
	var ae *Error
	return errors.As(err, &ae) && ae.Status >= 500
}

// invitationForAccount is the signed-in side of an invitation: accept it as
// this account, or be told it is for another one.
func (a *App) invitationForAccount(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	inv, token, gone := a.openInvitation(c)
	if inv == nil {
		return gone
	}
	return a.renderJoin(c, fiber.StatusOK, inv, token, FieldErrors{})
}

func (a *App) renderJoin(c *fiber.Ctx, status int, inv *models.Invitation, token string, errs FieldErrors) error {
	u := currentUser(c)
	other := !strings.EqualFold(u.Email, inv.Email)
	return a.renderStatus(c, status, "manage/invitation_join", fiber.Map{"Inv": inv, "Me": u, "OtherAccount": other,
		"AlreadyMember": membershipIn(c, inv.OrganizationID) != nil, "Errors": errs, "Action": accountInvitationPath(token)})
}

// acceptInvitationAsAccount makes the signed-in person, whose address the
// invitation is for, a member.
func (a *App) acceptInvitationAsAccount(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer")
	inv, token, gone := a.openInvitation(c)
	if inv == nil {
		return gone
	}
	errs := csrfErrors(c)
	if errs.Any() {
		return a.renderJoin(c, fiber.StatusUnprocessableEntity, inv, token, errs)
	}
	res, err := models.AcceptInvitation(a.db, token, currentUser(c), a.now(), a.auditEntry(c, inv.OrganizationID, models.AuditInviteAccepted))
	switch {
	case err == nil && res.AlreadyMember:
		a.flash(c, "invitations.already_member")
	case err == nil:
		a.flash(c, "invitations.joined")
	case errors.Is(err, models.ErrInvitationOtherAccount):
		errs.Add(formErrorKey, "invitations.other_account_error")
		return a.renderJoin(c, fiber.StatusUnprocessableEntity, inv, token, errs)
	default:
		if gerr := a.invitationGone(c, err); !isInternal(gerr) {
			return gerr
		}
		return errInternal("accept invitation", err)
	}
	return c.Redirect("/manage", fiber.StatusSeeOther)
}
