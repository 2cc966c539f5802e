package app

import (
	"errors"
	"strings"

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

// organizerArea hands the organizer routes out by the least role each
// needs. Route files get this, never the bare router, so no route can be
// declared without saying who may use it; the gate in front of each
// handler enforces it before the handler runs.
type organizerArea struct {
	signedIn roleRoutes // any signed-in person (the dashboard)
	door     roleRoutes // check-in staff, managers and owners
	editors  roleRoutes // managers and owners
	owners   roleRoutes // owners only
}

func (a *App) organizerArea(r fiber.Router) organizerArea {
	return organizerArea{
		signedIn: roleRoutes{a: a, r: r},
		door:     roleRoutes{a: a, r: r, min: models.RoleCheckin},
		editors:  roleRoutes{a: a, r: r, min: models.RoleManager},
		owners:   roleRoutes{a: a, r: r, min: models.RoleOwner},
	}
}

// roleRoutes registers routes that all need the same least role (min; ""
// means any signed-in person).
type roleRoutes struct {
	a   *App
	r   fiber.Router
	min string
}

func (rr roleRoutes) get(path string, h fiber.Handler) {
	rr.r.Get(path, rr.a.roleGate(path, rr.min), h)
}

// form is postForm behind the role's gate.
func (rr roleRoutes) form(path string, h fiber.Handler) {
	rr.r.Post(path, rr.a.roleGate(path, rr.min), rr.a.formHandler(h))
}

// action is postAction behind the role's gate.
func (rr roleRoutes) action(path string, h fiber.Handler) {
	rr.r.Post(path, rr.a.roleGate(path, rr.min), rr.a.actionHandler(h))
}

const (
	managedEventKey      = "agora.managed_event"
	managedMembershipKey = "agora.managed_membership"
)

// roleGate decides, from the route's path, which organization a request is
// about and lets it through only for a member of it with at least min:
//   - /events/:id…   the event's organization; the event is loaded once here
//   - /orgs/:orgID…  that organization
//   - anything else  min in any of the user's organizations
//
// An organization the user is not in is a 404, exactly like a missing
// record; a member whose role is too low gets a 403.
func (a *App) roleGate(path, min string) fiber.Handler {
	scoped := strings.HasPrefix(path, "/events/:id") || strings.HasPrefix(path, "/orgs/:orgID")
	if scoped && min == "" {
		panic("organizer route " + path + " names an organization's records: give it a role")
	}
	switch {
	case strings.HasPrefix(path, "/events/:id"):
		return func(c *fiber.Ctx) error {
			id := parseID(c.Params("id"))
			if id == 0 {
				return errNotFound()
			}
			e, err := models.EventForOrgs(a.db, id, orgIDs(c))
			if err != nil {
				return dbErr("load event", err)
			}
			m := membershipIn(c, e.OrganizationID)
			if m == nil {
				return errNotFound()
			}
			if !m.HasRole(min) {
				return errForbidden()
			}
			c.Locals(managedEventKey, e)
			c.Locals(managedMembershipKey, m)
			return c.Next()
		}
	case strings.HasPrefix(path, "/orgs/:orgID"):
		return func(c *fiber.Ctx) error {
			id := parseID(c.Params("orgID"))
			m := membershipIn(c, id)
			if id == 0 || m == nil {
				return errNotFound()
			}
			if !m.HasRole(min) {
				return errForbidden()
			}
			c.Locals(managedMembershipKey, m)
			return c.Next()
		}
	}
	return func(c *fiber.Ctx) error {
		if min == "" {
			return c.Next()
		}
		for _, m := range currentMemberships(c) {
			if m.HasRole(min) {
				return c.Next()
			}
		}
		return errForbidden()
	}
}

var errNoGate = errors.New("organizer route registered without its role gate")

// managedEvent returns the event named by :id and the user's membership in
// its organization, as the route's gate loaded and checked them.
func managedEvent(c *fiber.Ctx) (*models.Event, *models.Membership, error) {
	e, _ := c.Locals(managedEventKey).(*models.Event)
	m, _ := c.Locals(managedMembershipKey).(*models.Membership)
	if e == nil || m == nil {
		return nil, nil, errInternal("managed event", errNoGate)
	}
	return e, m, nil
}

// teamMembership returns the user's membership in the organization named
// by :orgID, as the route's gate checked it.
func teamMembership(c *fiber.Ctx) (*models.Membership, error) {
	m, _ := c.Locals(managedMembershipKey).(*models.Membership)
	if m == nil {
		return nil, errInternal("team membership", errNoGate)
	}
	return m, nil
}
