package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// refundPolicyPage shows the event's refund policy for attendees who cancel
// a paid order themselves.
func (a *App) refundPolicyPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	p, err := models.RefundPolicyOf(a.db, e.ID)
	if err != nil {
		return dbErr("refund policy", err)
	}
	return a.renderRefundPolicy(c, fiber.StatusOK, e, refundPolicyFormFrom(p, e.Location()), FieldErrors{})
}

func (a *App) renderRefundPolicy(c *fiber.Ctx, status int, e *models.Event, f RefundPolicyForm, errs FieldErrors) error {
	return a.renderStatus(c, status, "manage/refund_policy", fiber.Map{"Event": e, "Form": f, "Errors": errs,
		"Policies": models.RefundPolicies, "StripeReady": a.paymentsConfigured()})
}

func (a *App) saveRefundPolicy(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseRefundPolicyForm(postValues(c))
	p, ferrs := f.Validate(e.Location())
	errs.merge(ferrs)
	if errs.Any() {
		return a.renderRefundPolicy(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	p.ID = e.ID
	if err := models.SaveRefundPolicy(a.db, p); err != nil {
		return errInternal("save refund policy", err)
	}
	a.flash(c, "refundpolicy.saved")
	return c.Redirect(eventURL(e)+"/refund-policy", fiber.StatusSeeOther)
}
