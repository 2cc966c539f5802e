package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

func (a *App) renderDeletePage(c *fiber.Ctx, status int, e *models.Event, errs FieldErrors) error {
	sum, err := models.EventDeletionPreview(a.db, e.ID)
	if err != nil {
		return errInternal("deletion preview", err)
	}
	return a.renderStatus(c, status, "manage/event_delete", fiber.Map{"Event": e, "Summary": sum, "Errors": errs})
}

// deleteEventPage says what deleting would do, or why it cannot be done.
func (a *App) deleteEventPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	return a.renderDeletePage(c, fiber.StatusOK, e, FieldErrors{})
}

// deleteEvent deletes an event without payments once the box is ticked
// (models.DeleteEvent cancels its registrations and tells the people).
func (a *App) deleteEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	if c.FormValue("confirm") != "yes" {
		errs.Add("confirm", "eventdelete.confirm_required")
	}
	if errs.Any() {
		return a.renderDeletePage(c, fiber.StatusUnprocessableEntity, e, errs)
	}
	err = models.Audited(a.db, a.auditEventEntry(c, e, models.AuditEventDeleted), func(tx *gorm.DB, en *models.AuditEntry) error {
		en.Subject = fmt.Sprintf("event %d", e.ID)
		en.Detail = e.Title
		return models.DeleteEvent(tx, e.ID, a.now())
	})
	switch {
	case errors.Is(err, models.ErrEventHasPayments):
		errs.Add(formErrorKey, "eventdelete.has_payments")
		return a.renderDeletePage(c, fiber.StatusConflict, e, errs)
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errNotFound()
	case err != nil:
		return errInternal("delete event", err)
	}
	a.nudge()
	a.flash(c, "eventdelete.deleted")
	return c.Redirect("/manage", fiber.StatusSeeOther)
}
