package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// manageRoutes declares the organizer area (all behind requireUser). Each
// route is declared through the least role it needs (see organizerArea):
// check-in staff get the door and the event list that leads there,
// managers and owners run events, owners alone change the team.
func (a *App) manageRoutes(m fiber.Router) {
	o := a.organizerArea(m)
	o.signedIn.get("/", a.manageDashboard)

	o.editors.get("/events/new", a.newEvent)
	o.editors.form("/events", a.createEvent)
	o.editors.get("/events/:id", a.eventOverview)
	o.editors.get("/events/:id/edit", a.editEvent)
	o.editors.form("/events/:id/edit", a.updateEvent)
	o.editors.action("/events/:id/publish", a.setStatus(models.StatusPublished, "event.published_flash", models.StatusDraft, models.StatusCancelled))
	o.editors.action("/events/:id/unpublish", a.setStatus(models.StatusDraft, "event.unpublished_flash", models.StatusPublished, models.StatusCancelled))

	o.editors.get("/events/:id/agenda", a.agendaPage)
	for _, k := range agendaKinds {
		base := "/events/:id/" + k.name + "s"
		o.editors.form(base, a.createAgendaItem(k))
		o.editors.get(base+"/:itemID/edit", a.editAgendaItem(k))
		o.editors.form(base+"/:itemID/edit", a.updateAgendaItem(k))
		o.editors.action(base+"/:itemID/delete", a.deleteAgendaItem(k))
	}
	o.editors.get("/events/:id/sessions/new", a.newSession)
	o.editors.form("/events/:id/sessions", a.saveSession)
	o.editors.get("/events/:id/sessions/:sid/edit", a.editSession)
	o.editors.form("/events/:id/sessions/:sid/edit", a.saveSession)
	o.editors.action("/events/:id/sessions/:sid/delete", a.deleteSession)

	a.staffRegistrationRoutes(o) // before registrationAdminRoutes: see there
	a.badgeRoutes(o)             // before registrationAdminRoutes: its :action would take badge.pdf
	a.registrationAdminRoutes(o)
	a.paymentAdminRoutes(o)
	a.manageMeetingRoutes(o)
	a.eventLifecycleRoutes(o)
	a.eventMailRoutes(o)
	a.messageRoutes(o)
	a.cancellationRoutes(o)
	a.checkinRoutes(o)
	a.certificateOrganizerRoutes(o)
	a.twoFactorRoutes(o)
	a.retentionRoutes(o)
	a.auditRoutes(o)
	a.apiTokenRoutes(o) // the organization's API tokens (app/manage_api_tokens.go)
	a.feedbackRoutes(o)
	a.webhookRoutes(o) // signed outgoing webhooks (app/manage_webhooks.go)
	a.accountRoutes(o)
	a.embedManageRoutes(o) // sites allowed to embed, snippets (app/manage_embed.go)
	a.liveBoardRoutes(o)   // live boards, moderation and polls (app/live_moderation.go)

	a.teamRoutes(o) // the team and its invitations (app/manage_team.go)

	a.imageRoutes(o) // event covers and organization logos (app/images.go)
}

// adminRoutes declares the site admin area (behind requireUser and requireAdmin).
func (a *App) adminRoutes(r fiber.Router) {
	r.Get("/", a.adminOrganizations)
	r.Get("/orgs/new", a.newOrg)
	a.postForm(r, "/orgs/new", a.createOrg)
	r.Get("/orgs/:id/edit", a.editOrg)
	a.postForm(r, "/orgs/:id/edit", a.updateOrg)
	a.postForm(r, "/orgs/:id/members", a.inviteOrgMember)
	a.postAction(r, "/orgs/:id/invitations/:invID/resend", a.adminResendInvitation)
	a.postAction(r, "/orgs/:id/invitations/:invID/withdraw", a.adminWithdrawInvitation)
}

// orgIDs lists the organizations the signed-in user belongs to.
func orgIDs(c *fiber.Ctx) []uint {
	ms := currentMemberships(c)
	ids := make([]uint, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.OrganizationID)
	}
	return ids
}

// manageDashboard lists the events of the organizer's organizations and the
// organizations themselves, with links to their team pages.
func (a *App) manageDashboard(c *fiber.Ctx) error {
	events, err := models.EventsForOrgs(a.db, orgIDs(c))
	if err != nil {
		return errInternal("list events", err)
	}
	// Each event links to its overview, or for check-in staff to its door.
	editable := map[uint]bool{}
	for _, m := range editableMemberships(c) {
		editable[m.OrganizationID] = true
	}
	places, err := a.dashboardPlaces(c, events, editable)
	if err != nil {
		return err
	}
	return a.render(c, "manage/dashboard", fiber.Map{"Events": events, "Memberships": currentMemberships(c),
		"CanCreate": len(editable) > 0, "Editable": editable, "Places": places})
}
