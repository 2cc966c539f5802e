package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Self-service erasure (the right to erasure) under the two secret links:
// the buyer erases the whole order, a delegate themselves only. The rule is
// models.EraseOwnOrder / EraseOwnPlace; these pages explain what goes and
// what stays, ask to confirm, and send a live registration for an event to
// come to the cancel flow first. The POST path says "delete" so the
// hostile-input crawler does not erase its own fixtures.

// orderErasureRoutes declares the buyer's pages under an order's link.
func (a *App) orderErasureRoutes(o fiber.Router) {
	o.Get("/erase", a.showEraseOrder)
	a.postAction(o, "/delete-my-data", a.postEraseOrder)
}

// ticketErasureRoutes declares the delegate's pages under their own link.
func (a *App) ticketErasureRoutes(t fiber.Router) {
	t.Get("/erase", a.showEraseTicket)
	a.postAction(t, "/delete-my-data", a.postEraseTicket)
}

// eraseData is what views/register/erase.html shows.
func eraseData(o *models.Order, base string, whole, erased bool, block error) fiber.Map {
	return fiber.Map{
		"Order": o, "Event": &o.Event, "Base": base, "Whole": whole, "Erased": erased,
		"NeedsCancel": errors.Is(block, models.ErrErasureNeedsCancel),
		"PaymentOpen": errors.Is(block, models.ErrErasurePaymentOpen),
		"Allowed":     block == nil && !erased,
	}
}

// showEraseOrder explains the erasure of the whole order and asks to confirm.
func (a *App) showEraseOrder(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	erased, err := models.OrderErased(a.db, o.ID)
	if err != nil {
		return errInternal("order erased", err)
	}
	block, err := a.erasureBlock(*o, nil)
	if err != nil {
		return err
	}
	data := eraseData(o, "/orders/"+o.Secret, true, erased, block)
	_, err = models.PaidPayment(a.db, o.ID)
	data["Paid"] = err == nil
	return a.render(c, "register/erase", data)
}

// postEraseOrder erases the whole order's personal data.
func (a *App) postEraseOrder(c *fiber.Ctx) error {
	o, err := a.orderFromLink(c)
	if err != nil {
		return err
	}
	base := "/orders/" + o.Secret
	done, err := models.EraseOwnOrder(a.db, o.ID, a.clientIP(c), a.now())
	return a.afterErasure(c, base, done, err)
}

// showEraseTicket explains the erasure of the delegate's own data and asks
// to confirm.
func (a *App) showEraseTicket(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	block, err := a.erasureBlock(*s.Order, s.Attendee)
	if err != nil {
		return err
	}
	return a.render(c, "register/erase", eraseData(s.Order, s.Back, false, s.Attendee.AnonymisedAt != nil, block))
}

// postEraseTicket erases the delegate's own personal data.
func (a *App) postEraseTicket(c *fiber.Ctx) error {
	s, err := a.ticketScope(c)
	if err != nil {
		return err
	}
	done, err := models.EraseOwnPlace(a.db, s.Attendee.ID, a.clientIP(c), a.now())
	return a.afterErasure(c, s.Back, done, err)
}

// erasureBlock is models.SelfErasureBlock with its database error made a
// page error.
func (a *App) erasureBlock(o models.Order, at *models.Attendee) (block, err error) {
	block = models.SelfErasureBlock(a.db, o, at, a.now())
	if block != nil && !errors.Is(block, models.ErrErasureNeedsCancel) && !errors.Is(block, models.ErrErasurePaymentOpen) {
		return nil, errInternal("erasure check", block)
	}
	return block, nil
}

// afterErasure redirects after an erasure: to the link's page with a flash,
// or back to the erasure page, which explains why it was refused.
func (a *App) afterErasure(c *fiber.Ctx, base string, done bool, err error) error {
	switch {
	case errors.Is(err, models.ErrErasureNeedsCancel), errors.Is(err, models.ErrErasurePaymentOpen):
		return c.Redirect(base+"/erase", fiber.StatusSeeOther)
	case err != nil:
		return errInternal("self erasure", err)
	case done:
		a.flash(c, "erasure.done_flash")
	default:
		a.flash(c, "erasure.already_flash")
	}
	return c.Redirect(base, fiber.StatusSeeOther)
}
