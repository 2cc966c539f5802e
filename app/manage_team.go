package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func teamURL(orgID uint) string { return fmt.Sprintf("/manage/orgs/%d/team", orgID) }

// teamRoutes declares the team page: managers see who is on the team and
// who is invited; owners invite, resend, withdraw, change roles and the
// access coordinator permission, and remove (models.team keeps the last owner).
func (a *App) teamRoutes(o organizerArea) {
	o.editors.get("/orgs/:orgID/team", a.teamPage)
	o.owners.form("/orgs/:orgID/team", a.inviteTeamMember)
	o.owners.action("/orgs/:orgID/team/invitations/:invID/resend", a.resendInvitation)
	o.owners.action("/orgs/:orgID/team/invitations/:invID/withdraw", a.withdrawInvitation)
	o.owners.action("/orgs/:orgID/team/:userID/role", a.changeTeamRole)
	o.owners.action("/orgs/:orgID/team/:userID/coordinator", a.setTeamCoordinator)
	o.owners.action("/orgs/:orgID/team/:userID/remove", a.removeTeamMember)
	// The invited person, signed in to the account the invitation is for.
	o.signedIn.get("/invitations/:token", a.invitationForAccount)
	o.signedIn.form("/invitations/:token", a.acceptInvitationAsAccount)
}

// invitationRow is an open invitation as the team page lists it.
type invitationRow struct {
	models.Invitation
	Expired bool
}

func (a *App) renderTeam(c *fiber.Ctx, status int, m *models.Membership, f InviteForm, errs FieldErrors) error {
	members, err := models.TeamMembers(a.db, m.OrganizationID)
	if err != nil {
		return errInternal("list team", err)
	}
	invs, err := models.OpenInvitations(a.db, m.OrganizationID)
	if err != nil {
		return errInternal("list invitations", err)
	}
	rows := make([]invitationRow, len(invs))
	for i, inv := range invs {
		rows[i] = invitationRow{inv, inv.State(a.now()) == models.InvitationExpired}
	}
	return a.renderStatus(c, status, "manage/team", fiber.Map{
		"Org": m.Organization, "Me": m, "Members": members, "Invitations": rows, "Roles": optionsOf(models.Roles),
		"Form": f, "Errors": errs, "Action": teamURL(m.OrganizationID),
	})
}

// teamPage lists an organization's members and open invitations; owners
// also get the forms to change them.
func (a *App) teamPage(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	return a.renderTeam(c, fiber.StatusOK, m, InviteForm{Role: models.RoleManager}, FieldErrors{})
}

// inviteTeamMember sends an invitation by e-mail.
func (a *App) inviteTeamMember(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f, err := a.invite(c, m.OrganizationID, errs)
	if err != nil {
		return err
	}
	if !errs.Any() {
		a.flash(c, "invitations.sent")
		return c.Redirect(teamURL(m.OrganizationID), fiber.StatusSeeOther)
	}
	return a.renderTeam(c, fiber.StatusUnprocessableEntity, m, f, errs)
}

// invite parses and applies the invitation form for orgID, adding messages
// to errs when it cannot; the team page and the site admin share it.
func (a *App) invite(c *fiber.Ctx, orgID uint, errs FieldErrors) (InviteForm, error) {
	f := parseInviteForm(c)
	errs.merge(f.Validate())
	if errs.Any() {
		return f, nil
	}
	compose, err := a.invitationMail(c)
	if err != nil {
		return f, err
	}
	_, err = models.Invite(a.db, models.InviteInput{OrganizationID: orgID, Email: f.Email, Role: f.Role, AccessCoordinator: f.Coordinator,
		InvitedBy: currentUser(c), Language: a.lang(c), Now: a.now()}, a.auditEntry(c, orgID, models.AuditInvited), compose)
	switch {
	case errors.Is(err, models.ErrAlreadyMember):
		errs.Add("email", "team.already_member")
	case errors.Is(err, models.ErrAlreadyInvited):
		errs.Add("email", "invitations.already_invited")
	case err != nil:
		return f, errInternal("invite", err)
	default:
		a.nudge()
	}
	return f, nil
}

// invitationMail composes invitation mails as the signed-in person, in the
// language of this request.
func (a *App) invitationMail(c *fiber.Ctx) (models.InvitationMail, error) {
	r, err := a.mailRenderer()
	if err != nil {
		return nil, errInternal("mail renderer", err)
	}
	inviter := ""
	if u := currentUser(c); u != nil {
		inviter = u.Name
	}
	return func(inv models.Invitation, token string) (models.OutboxMessage, error) {
		return r.ComposeInvitation(inv, token, inviter)
	}, nil
}

// resendInvitation mails an open invitation again with a new link.
func (a *App) resendInvitation(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	compose, err := a.invitationMail(c)
	if err != nil {
		return err
	}
	_, err = models.ResendInvitation(a.db, m.OrganizationID, parseID(c.Params("invID")), a.now(),
		a.auditEntry(c, m.OrganizationID, models.AuditInviteResent), compose)
	if err == nil {
		a.nudge()
	}
	return a.afterInvitationChange(c, m, err, "invitations.resent")
}

// withdrawInvitation closes an open invitation: its link stops working.
func (a *App) withdrawInvitation(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	err = models.WithdrawInvitation(a.db, m.OrganizationID, parseID(c.Params("invID")), a.now(),
		a.auditEntry(c, m.OrganizationID, models.AuditInviteWithdrawn))
	return a.afterInvitationChange(c, m, err, "invitations.withdrawn")
}

func (a *App) afterInvitationChange(c *fiber.Ctx, m *models.Membership, err error, ok string) error {
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errNotFound() // not this organization's
	case errors.Is(err, models.ErrInvitationNotOpen):
		a.flash(c, "invitations.not_open")
	case err != nil:
		return errInternal("change invitation", err)
	default:
		a.flash(c, ok)
	}
	return c.Redirect(teamURL(m.OrganizationID), fiber.StatusSeeOther)
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
	err = models.ChangeMemberRole(a.db, m.OrganizationID, parseID(c.Params("userID")), role,
		a.auditEntry(c, m.OrganizationID, models.AuditRoleChanged))
	return a.afterTeamChange(c, m, err, "team.role_changed")
}

// setTeamCoordinator grants or revokes the access coordinator permission.
func (a *App) setTeamCoordinator(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	on := c.FormValue("access_coordinator") == "1"
	err = models.SetAccessCoordinator(a.db, m.OrganizationID, parseID(c.Params("userID")), on,
		a.auditEntry(c, m.OrganizationID, models.AuditPermissionChanged))
	msg := "invitations.coordinator_revoked"
	if on {
		msg = "invitations.coordinator_granted"
	}
	return a.afterTeamChange(c, m, err, msg)
}

// removeTeamMember takes someone out of the team; the last owner cannot go.
func (a *App) removeTeamMember(c *fiber.Ctx) error {
	m, err := teamMembership(c)
	if err != nil {
		return err
	}
	uid := parseID(c.Params("userID"))
	err = models.RemoveMember(a.db, m.OrganizationID, uid, a.auditEntry(c, m.OrganizationID, models.AuditMemberRemoved))
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
