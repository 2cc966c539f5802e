package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// eventLifecycleRoutes declares copying, previewing and deleting an event.
func (a *App) eventLifecycleRoutes(o organizerArea) {
	o.editors.get("/events/:id/copy", a.copyEventForm)
	o.editors.form("/events/:id/copy", a.copyEvent)
	o.editors.get("/events/:id/preview", a.previewEvent)
	o.editors.get("/events/:id/delete", a.deleteEventPage)
	o.editors.form("/events/:id/delete", a.deleteEvent)
}

func (a *App) renderCopyForm(c *fiber.Ctx, status int, e *models.Event, f EventCopyForm, errs FieldErrors) error {
	return a.renderStatus(c, status, "manage/event_copy", fiber.Map{"Event": e, "Form": f, "Errors": errs})
}

// copyEventForm offers a copy a year later, with a free slug.
func (a *App) copyEventForm(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	in, err := models.SuggestEventCopy(a.db, e)
	if err != nil {
		return errInternal("suggest copy", err)
	}
	return a.renderCopyForm(c, fiber.StatusOK, e, eventCopyFormFrom(in, e.Location()), FieldErrors{})
}

// copyEvent makes the copy as a draft of the same organization and opens it.
func (a *App) copyEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseEventCopyForm(c)
	loc := e.Location()
	errs.merge(f.Validate(loc))
	if !errs.Any() {
		cp, err := models.CopyEvent(a.db, e.ID, f.Input(loc))
		if err == nil {
			a.flash(c, "eventcopy.copied")
			return c.Redirect(eventURL(cp), fiber.StatusSeeOther)
		}
		if !errors.Is(err, models.ErrSlugTaken) {
			return errInternal("copy event", err)
		}
		errs.Add("slug", "event.slug_taken")
	}
	return a.renderCopyForm(c, fiber.StatusUnprocessableEntity, e, f, errs)
}
