package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func teamURL(orgID uint) string { return fmt.Sprintf("/manage/orgs/%d/team", orgID) }

func (a *App) renderTeam(c *fiber.Ctx, status int, m *models.Membership, f MemberForm, errs FieldErrors) error {
	members, err := models.TeamMembers(a.db, m.OrganizationID)
	if err != nil {
		return errInternal("list team", err)
	}
	return a.renderStatus(c, status, "manage/team", fiber.Map{
		"Org": m.Organization, "Me": m, "Members": members, "Roles": optionsOf(models.Roles),
		"Form": f, "Errors": errs, "Action": teamURL(m.OrganizationID),
	})
}

// teamPage lists an organization's members; owners also get the forms to change it.
func (a *App) teamPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	return a.renderTeam(c, fiber.StatusOK, m, MemberForm{Role: models.RoleManager}, FieldErrors{})
}

// addTeamMember adds an existing account, or creates one, with a role.
func (a *App) addTeamMember(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f, err := a.addMember(c, m.OrganizationID, errs)
	if err != nil {
		return err
	}
	if !errs.Any() {
		a.flash(c, "team.added")
		return c.Redirect(teamURL(m.OrganizationID), fiber.StatusSeeOther)
	}
	return a.renderTeam(c, fiber.StatusUnprocessableEntity, m, f, errs)
}

// addMember parses and applies the member form for orgID, adding messages to
// errs when it cannot; the team page and the site admin share it.
func (a *App) addMember(c *fiber.Ctx, orgID uint, errs FieldErrors) (MemberForm, error) {
	f := parseMemberForm(c)
	_, lookup := models.UserByEmail(a.db, f.Email)
	if lookup != nil && !errors.Is(lookup, gorm.ErrRecordNotFound) {
		return f, errInternal("find user", lookup)
	}
	errs.merge(f.Validate(lookup != nil))
	if !errs.Any() {
		_, err := models.AddMemberByEmail(a.db, orgID, f.Email, f.Name, f.Password, f.Role)
		switch {
		case errors.Is(err, models.ErrAlreadyMember):
			errs.Add("email", "team.already_member")
		case errors.Is(err, models.ErrEmailTaken):
			errs.Add("email", "team.try_again")
		case errors.Is(err, models.ErrPasswordBusy):
			errs.Add(formErrorKey, "signin.busy")
		case err != nil:
			return f, errInternal("add member", err)
		}
	}
	f.Password = "" // never echo a password back
	return f, nil
}

// changeTeamRole gives a member another role; the last owner stays an owner.
func (a *App) changeTeamRole(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	role := c.FormValue("role")
	if !models.ValidRole(role) {
		a.flash(c, "team.bad_role")
		return c.Redirect(teamURL(m.OrganizationID), fiber.StatusSeeOther)
	}
	err = models.ChangeMemberRole(a.db, m.OrganizationID, parseID(c.Params("userID")), role)
	return a.afterTeamChange(c, m, err, "team.role_changed")
}

// removeTeamMember takes someone out of the team; the last owner cannot go.
func (a *App) removeTeamMember(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	uid := parseID(c.Params("userID"))
	err = models.RemoveMember(a.db, m.OrganizationID, uid)
	if err == nil && uid == m.UserID {
		a.flash(c, "team.left")
		return c.Redirect("/manage", fiber.StatusSeeOther)
	}
	return a.afterTeamChange(c, m, err, "team.removed")
}

func (a *App) afterTeamChange(c *fiber.Ctx, m *models.Membership, err error, ok string) error {
	switch {
	case errors.Is(err, models.ErrLastOwner):
		a.flash(c, "team.last_owner")
	case err != nil:
		return dbErr("change team", err)
	default:
		a.flash(c, ok)
	}
	return c.Redirect(teamURL(m.OrganizationID), fiber.StatusSeeOther)
}
