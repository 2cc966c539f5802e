package app

import "github.com/gofiber/fiber/v2"

// checkinRoutes declares the door (check-in staff and up): the page per
// list with its forms, and the JSON the scanner and the offline page use.
func (a *App) checkinRoutes(o organizerArea) {
	o.door.get("/events/:id/checkin", a.checkInPage)
	o.door.form("/events/:id/checkin", a.checkInCode)
	o.door.form("/events/:id/checkin/person", a.checkInPerson)
	o.door.action("/events/:id/checkin/undo", a.undoCheckIn)
	o.door.action("/events/:id/checkin/checkout", a.checkOutCheckIn)
	o.door.get("/events/:id/checkin/people.json", a.doorPeopleJSON)
	o.door.get("/events/:id/checkin/changes.json", a.doorChangesJSON)
	o.door.json("/events/:id/checkin/sync", a.doorSync)
	o.door.get("/events/:id/checkin-sw.js", a.doorServiceWorker)
}

// json registers a POST taking a JSON body from the page's own script: the
// session's CSRF token must come in the X-CSRF-Token header.
func (rr roleRoutes) json(path string, h fiber.Handler) {
	rr.r.Post(path, rr.a.roleGate(path, rr.min), func(c *fiber.Ctx) error {
		if !rr.a.csrfTokenOK(c, c.Get("X-CSRF-Token")) {
			return c.Status(fiber.StatusForbidden).JSON(fiber.Map{"error": "csrf"})
		}
		return h(c)
	})
}
