package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// manageRoutes declares the organizer area (all behind requireUser).
func (a *App) manageRoutes(m fiber.Router) {
	m.Get("/", a.manageDashboard)
}

// adminRoutes declares the site admin area (behind requireUser and requireAdmin).
func (a *App) adminRoutes(r fiber.Router) {
	r.Get("/", a.adminOrganizations)
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

// manageDashboard lists the events of the organizer's organizations.
func (a *App) manageDashboard(c *fiber.Ctx) error {
	events, err := models.EventsForOrgs(a.db, orgIDs(c))
	if err != nil {
		return errInternal("list events", err)
	}
	return a.render(c, "manage/dashboard", fiber.Map{"Events": events, "Memberships": currentMemberships(c)})
}

// adminOrganizations lists every organization for the site admin.
func (a *App) adminOrganizations(c *fiber.Ctx) error {
	var orgs []models.Organization
	if err := a.db.Order("name").Find(&orgs).Error; err != nil {
		return errInternal("list organizations", err)
	}
	return a.render(c, "admin/organizations", fiber.Map{"Organizations": orgs})
}
