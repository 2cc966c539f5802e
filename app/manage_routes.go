package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// manageRoutes declares the organizer area (all behind requireUser). Every
// handler under /manage/events/:id loads its event through loadManagedEvent.
func (a *App) manageRoutes(m fiber.Router) {
	m.Get("/", a.manageDashboard)

	m.Get("/events/new", a.newEvent)
	a.postForm(m, "/events", a.createEvent)
	m.Get("/events/:id", a.eventOverview)
	m.Get("/events/:id/edit", a.editEvent)
	a.postForm(m, "/events/:id/edit", a.updateEvent)
	a.postAction(m, "/events/:id/publish", a.setStatus(models.StatusPublished, "event.published_flash", models.StatusDraft, models.StatusCancelled))
	a.postAction(m, "/events/:id/unpublish", a.setStatus(models.StatusDraft, "event.unpublished_flash", models.StatusPublished, models.StatusCancelled))
	a.postAction(m, "/events/:id/cancel", a.setStatus(models.StatusCancelled, "event.cancelled_flash", models.StatusDraft, models.StatusPublished))

	m.Get("/events/:id/agenda", a.agendaPage)
	for _, k := range agendaKinds {
		base := "/events/:id/" + k.name + "s"
		a.postForm(m, base, a.createAgendaItem(k))
		m.Get(base+"/:itemID/edit", a.editAgendaItem(k))
		a.postForm(m, base+"/:itemID/edit", a.updateAgendaItem(k))
		a.postAction(m, base+"/:itemID/delete", a.deleteAgendaItem(k))
	}
	m.Get("/events/:id/sessions/new", a.newSession)
	a.postForm(m, "/events/:id/sessions", a.saveSession)
	m.Get("/events/:id/sessions/:sid/edit", a.editSession)
	a.postForm(m, "/events/:id/sessions/:sid/edit", a.saveSession)
	a.postAction(m, "/events/:id/sessions/:sid/delete", a.deleteSession)

	a.registrationAdminRoutes(m)
	a.paymentAdminRoutes(m)
	a.manageMeetingRoutes(m)

	m.Get("/orgs/:orgID/team", a.teamPage)
	a.postForm(m, "/orgs/:orgID/team", a.addTeamMember)
	a.postAction(m, "/orgs/:orgID/team/:userID/role", a.changeTeamRole)
	a.postAction(m, "/orgs/:orgID/team/:userID/remove", a.removeTeamMember)
}

// adminRoutes declares the site admin area (behind requireUser and requireAdmin).
func (a *App) adminRoutes(r fiber.Router) {
	r.Get("/", a.adminOrganizations)
	r.Get("/orgs/new", a.newOrg)
	a.postForm(r, "/orgs/new", a.createOrg)
	r.Get("/orgs/:id/edit", a.editOrg)
	a.postForm(r, "/orgs/:id/edit", a.updateOrg)
	a.postForm(r, "/orgs/:id/members", a.addOrgMember)
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
	return a.render(c, "manage/dashboard", fiber.Map{"Events": events, "Memberships": currentMemberships(c),
		"CanCreate": len(editableMemberships(c)) > 0})
}
