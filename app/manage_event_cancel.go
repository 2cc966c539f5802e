package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// cancellationRoutes declares cancelling an event (with its message and
// refunds) and the event's refund policy for attendees who cancel.
func (a *App) cancellationRoutes(o organizerArea) {
	o.editors.get("/events/:id/cancel", a.cancelEventPage)
	o.editors.form("/events/:id/cancel", a.cancelEvent)
	o.editors.action("/events/:id/cancel/retry", a.retryCancellationRefunds)
	o.editors.get("/events/:id/refund-policy", a.refundPolicyPage)
	o.editors.form("/events/:id/refund-policy", a.saveRefundPolicy)
}

// cancelEventPage asks for the message to the attendees and a confirmation,
// or, once the event is cancelled, shows how its refunds are going.
func (a *App) cancelEventPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	L := newTranslator(a.bundle, a.lang(c))
	f := CancelEventForm{Subject: L.T("cancelevent.subject_default", "Event", e.Title)}
	return a.renderCancelEvent(c, fiber.StatusOK, e, f, FieldErrors{})
}

func (a *App) renderCancelEvent(c *fiber.Ctx, status int, e *models.Event, f CancelEventForm, errs FieldErrors) error {
	prog, err := models.CancellationOf(a.db, e.ID)
	if err != nil {
		return dbErr("cancellation progress", err)
	}
	var live struct{ Orders, Paid int64 }
	if prog == nil {
		if err := a.db.Model(&models.Order{}).Where("event_id = ? AND status IN ?", e.ID, []string{models.OrderPending, models.OrderConfirmed}).
			Count(&live.Orders).Error; err != nil {
			return dbErr("count orders", err)
		}
		if err := a.db.Model(&models.Order{}).Where("event_id = ? AND status = ? AND total > 0", e.ID, models.OrderConfirmed).
			Count(&live.Paid).Error; err != nil {
			return dbErr("count paid orders", err)
		}
	}
	return a.renderStatus(c, status, "manage/event_cancel", fiber.Map{"Event": e, "Form": f, "Errors": errs,
		"Progress": prog, "Live": live, "Cancelled": e.Status == models.StatusCancelled})
}

// cancelEvent cancels the event with its message: everything that must
// happen at once happens in models.CancelEvent; the refunds follow in the
// cancellation job.
func (a *App) cancelEvent(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseCancelEventForm(postValues(c))
	errs.merge(f.Validate())
	if e.Status == models.StatusCancelled {
		a.flash(c, "cancelevent.already")
		return c.Redirect(eventURL(e)+"/cancel", fiber.StatusSeeOther)
	}
	if errs.Any() {
		return a.renderCancelEvent(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	var uid uint
	if u := currentUser(c); u != nil {
		uid = u.ID
	}
	audit := a.auditEventEntry(c, e, models.AuditEventCancelled)
	_, err = models.CancelEvent(a.db, models.CancelEventInput{EventID: e.ID, UserID: uid, Subject: f.Subject, Body: f.Body,
		BodyHTML: string(renderMarkdown(f.Body)), Now: a.now(), Audit: &audit})
	switch {
	case errors.Is(err, models.ErrEventAlreadyCancelled):
		a.flash(c, "cancelevent.already")
	case err != nil:
		return errInternal("cancel event", err)
	default:
		a.nudge()
		a.flash(c, "event.cancelled_flash")
	}
	return c.Redirect(eventURL(e)+"/cancel", fiber.StatusSeeOther)
}

// retryCancellationRefunds queues the failed refunds again, with their keys.
func (a *App) retryCancellationRefunds(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	n, err := models.RetryCancellationRefunds(a.db, e.ID, a.now())
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		return errInternal("retry refunds", err)
	case n > 0:
		a.flash(c, "cancelevent.retry_queued")
	}
	return c.Redirect(eventURL(e)+"/cancel", fiber.StatusSeeOther)
}
