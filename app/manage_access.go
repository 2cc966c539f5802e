package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// membershipIn returns the signed-in user's membership in orgID, or nil.
func membershipIn(c *fiber.Ctx, orgID uint) *models.Membership {
	for _, m := range currentMemberships(c) {
		if m.OrganizationID == orgID {
			m := m
			return &m
		}
	}
	return nil
}

// editableMemberships lists the organizations where the user may create and change events.
func editableMemberships(c *fiber.Ctx) []models.Membership {
	var out []models.Membership
	for _, m := range currentMemberships(c) {
		if m.CanEditEvents() {
			out = append(out, m)
		}
	}
	return out
}

// loadManagedEvent is the one place that decides whether the signed-in
// organizer may see (or, with needEdit, change) the event named by the :id
// parameter. Another organization's event is a 404, exactly like a missing
// one; check-in staff of the right organization get a 403 on edits.
func (a *App) loadManagedEvent(c *fiber.Ctx, needEdit bool) (*models.Event, *models.Membership, error) {
	id := parseID(c.Params("id"))
	if id == 0 {
		return nil, nil, errNotFound()
	}
	e, err := models.EventForOrgs(a.db, id, orgIDs(c))
	if err != nil {
		return nil, nil, dbErr("load event", err)
	}
	m := membershipIn(c, e.OrganizationID)
	if m == nil {
		return nil, nil, errNotFound()
	}
	if needEdit && !m.CanEditEvents() {
		return nil, nil, errForbidden()
	}
	return e, m, nil
}

// loadTeamOrg returns the user's membership in the organization named by
// :orgID; non-members get a 404, and members who are not owners a 403 when
// needOwner is set.
func (a *App) loadTeamOrg(c *fiber.Ctx, needOwner bool) (*models.Membership, error) {
	id := parseID(c.Params("orgID"))
	m := membershipIn(c, id)
	if id == 0 || m == nil {
		return nil, errNotFound()
	}
	if needOwner && !m.CanManageTeam() {
		return nil, errForbidden()
	}
	return m, nil
}
