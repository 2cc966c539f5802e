package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func adminOrgURL(id uint) string { return fmt.Sprintf("/admin/orgs/%d/edit", id) }

// adminOrganizations lists every organization for the site admin.
func (a *App) adminOrganizations(c *fiber.Ctx) error {
	var orgs []models.Organization
	if err := a.db.Order("name").Find(&orgs).Error; err != nil {
		return errInternal("list organizations", err)
	}
	return a.render(c, "admin/organizations", fiber.Map{"Organizations": orgs})
}

func (a *App) renderOrgForm(c *fiber.Ctx, status int, o *models.Organization, f OrgForm, errs FieldErrors, mf InviteForm, merrs FieldErrors) error {
	data := fiber.Map{"Org": o, "Form": f, "Errors": errs, "MemberForm": mf, "MemberErrors": merrs,
		"Roles": optionsOf(models.Roles), "Action": "/admin/orgs/new"}
	if o != nil {
		members, err := models.TeamMembers(a.db, o.ID)
		if err != nil {
			return errInternal("list team", err)
		}
		data["Members"] = members
		invs, err := models.OpenInvitations(a.db, o.ID)
		if err != nil {
			return errInternal("list invitations", err)
		}
		data["Invitations"] = invs
		data["Action"] = adminOrgURL(o.ID)
	}
	return a.renderStatus(c, status, "admin/org_form", data)
}

func (a *App) loadAdminOrg(c *fiber.Ctx) (*models.Organization, error) {
	var o models.Organization
	if err := a.db.First(&o, parseID(c.Params("id"))).Error; err != nil {
		return nil, dbErr("load organization", err)
	}
	return &o, nil
}

func (a *App) newOrg(c *fiber.Ctx) error {
	return a.renderOrgForm(c, fiber.StatusOK, nil, OrgForm{}, FieldErrors{}, InviteForm{Role: models.RoleOwner, Coordinator: true}, FieldErrors{})
}

func (a *App) createOrg(c *fiber.Ctx) error {
	errs := csrfErrors(c)
	f := parseOrgForm(c)
	errs.merge(f.Validate())
	if !errs.Any() {
		o := &models.Organization{}
		f.Apply(o)
		err := models.CreateOrganization(a.db, o)
		if err == nil {
			a.flash(c, "admin.org_created")
			return c.Redirect(adminOrgURL(o.ID), fiber.StatusSeeOther)
		}
		if !errors.Is(err, models.ErrOrgSlugTaken) {
			return errInternal("create organization", err)
		}
		errs.Add("slug", "admin.slug_taken")
	}
	return a.renderOrgForm(c, fiber.StatusUnprocessableEntity, nil, f, errs, InviteForm{Role: models.RoleOwner, Coordinator: true}, FieldErrors{})
}

func (a *App) editOrg(c *fiber.Ctx) error {
	o, err := a.loadAdminOrg(c)
	if err != nil {
		return err
	}
	return a.renderOrgForm(c, fiber.StatusOK, o, orgFormFrom(o), FieldErrors{}, InviteForm{Role: models.RoleOwner, Coordinator: true}, FieldErrors{})
}

func (a *App) updateOrg(c *fiber.Ctx) error {
	o, err := a.loadAdminOrg(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseOrgForm(c)
	errs.merge(f.Validate())
	if !errs.Any() {
		f.Apply(o)
		err := models.SaveOrganization(a.db, o)
		if err == nil {
			a.flash(c, "admin.org_saved")
			return c.Redirect(adminOrgURL(o.ID), fiber.StatusSeeOther)
		}
		if !errors.Is(err, models.ErrOrgSlugTaken) {
			return errInternal("save organization", err)
		}
		errs.Add("slug", "admin.slug_taken")
	}
	return a.renderOrgForm(c, fiber.StatusUnprocessableEntity, o, f, errs, InviteForm{Role: models.RoleOwner, Coordinator: true}, FieldErrors{})
}

// inviteOrgMember lets the site admin invite an organization's first owner
// (or another member) by e-mail; the person sets their own password.
func (a *App) inviteOrgMember(c *fiber.Ctx) error {
	o, err := a.loadAdminOrg(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	mf, err := a.invite(c, o.ID, errs)
	if err != nil {
		return err
	}
	if !errs.Any() {
		a.flash(c, "invitations.sent")
		return c.Redirect(adminOrgURL(o.ID), fiber.StatusSeeOther)
	}
	return a.renderOrgForm(c, fiber.StatusUnprocessableEntity, o, orgFormFrom(o), FieldErrors{}, mf, errs)
}

// adminResendInvitation mails an organization's open invitation again with a
// new link: before its first owner is in, only the site admin can.
func (a *App) adminResendInvitation(c *fiber.Ctx) error {
	o, err := a.loadAdminOrg(c)
	if err != nil {
		return err
	}
	compose, err := a.invitationMail(c)
	if err != nil {
		return err
	}
	_, err = models.ResendInvitation(a.db, o.ID, parseID(c.Params("invID")), a.now(), a.auditEntry(c, o.ID, models.AuditInviteResent), compose)
	if err == nil {
		a.nudge()
	}
	return a.afterAdminInvitationChange(c, o, err, "invitations.resent")
}

// adminWithdrawInvitation closes an organization's open invitation.
func (a *App) adminWithdrawInvitation(c *fiber.Ctx) error {
	o, err := a.loadAdminOrg(c)
	if err != nil {
		return err
	}
	err = models.WithdrawInvitation(a.db, o.ID, parseID(c.Params("invID")), a.now(), a.auditEntry(c, o.ID, models.AuditInviteWithdrawn))
	return a.afterAdminInvitationChange(c, o, err, "invitations.withdrawn")
}

func (a *App) afterAdminInvitationChange(c *fiber.Ctx, o *models.Organization, err error, ok string) error {
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errNotFound()
	case errors.Is(err, models.ErrInvitationNotOpen):
		a.flash(c, "invitations.not_open")
	case err != nil:
		return errInternal("change invitation", err)
	default:
		a.flash(c, ok)
	}
	return c.Redirect(adminOrgURL(o.ID), fiber.StatusSeeOther)
}
