package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

func orgTwoFactorURL(id uint) string { return fmt.Sprintf("/manage/orgs/%d/two-factor", id) }

// renderOrgTwoFactor shows the owner's setting and who in the team has a
// second factor, so they see whom turning it on will send to the setup page.
func (a *App) renderOrgTwoFactor(c *fiber.Ctx, status int, m *models.Membership, require bool, errs FieldErrors) error {
	team, err := models.TeamMembers(a.db, m.OrganizationID)
	if err != nil {
		return dbErr("team", err)
	}
	on, err := models.TeamTwoFactor(a.db, m.OrganizationID)
	if err != nil {
		return dbErr("team two-factor", err)
	}
	return a.renderStatus(c, status, "manage/org_two_factor", fiber.Map{"Org": m.Organization, "Me": m, "Require": require,
		"Team": team, "HasTwoFactor": on, "KeyMissing": a.secrets == nil, "Errors": errs, "Action": orgTwoFactorURL(m.OrganizationID)})
}

func (a *App) orgTwoFactorPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	return a.renderOrgTwoFactor(c, fiber.StatusOK, m, m.Organization.RequireTwoFactor, FieldErrors{})
}

// saveOrgTwoFactor turns the organization's requirement on or off (owners).
// It cannot be turned on without a key: nobody could meet it.
func (a *App) saveOrgTwoFactor(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	require := c.FormValue("require") != ""
	if require && a.secrets == nil {
		errs.Add(formErrorKey, "twofactor.no_key_org")
	}
	if errs.Any() {
		return a.renderOrgTwoFactor(c, fiber.StatusUnprocessableEntity, m, require, errs)
	}
	if err := models.SetRequireTwoFactor(a.db, m.OrganizationID, require, a.auditEntry(c, m.OrganizationID, models.AuditTwoFactorRequired)); err != nil {
		return errInternal("require two-factor", err)
	}
	a.flash(c, "twofactor.org_saved")
	return c.Redirect(orgTwoFactorURL(m.OrganizationID), fiber.StatusSeeOther)
}

// resetMemberTwoFactor is an owner's answer to "I lost my phone and my
// recovery codes": the member's second factor goes, their sessions end, and
// at their next sign-in they set it up again (the gate sends them there when
// it is required). Site admins are reset only by the operator.
func (a *App) resetMemberTwoFactor(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	uid := parseID(c.Params("userID"))
	err = models.ResetMemberTwoFactor(a.db, m.OrganizationID, uid, a.now(), a.auditEntry(c, m.OrganizationID, models.AuditTwoFactorOff))
	switch {
	case errors.Is(err, models.ErrResetNotAllowed):
		return errNotFound()
	case errors.Is(err, models.ErrTwoFactorOff):
		a.flash(c, "twofactor.reset_none")
	case err != nil:
		return dbErr("reset two-factor", err)
	default:
		a.flash(c, "twofactor.reset_done")
	}
	return c.Redirect(orgTwoFactorURL(m.OrganizationID), fiber.StatusSeeOther)
}
