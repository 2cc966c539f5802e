package app

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
)

// beginPayment sends the buyer of a pending paid order to pay: a Stripe
// Checkout Session for this attempt (an open one is reused), 303 to its
// page. Without Stripe, an event that takes bank transfers shows its payment
// page; otherwise the hold is released and the buyer told that paid tickets
// cannot be bought online now. The registration form calls this after
// PlaceOrder for a pending order.
func (a *App) beginPayment(c *fiber.Ctx, order *models.Order) error {
	payPage := "/orders/" + order.Secret + "/payment"
	if a.pay == nil {
		s, err := models.PaymentSettings(a.db, order.EventID)
		if err != nil {
			return dbErr("payment settings", err)
		}
		if s.AllowInvoice {
			return c.Redirect(payPage, fiber.StatusSeeOther)
		}
		if _, err := models.ReleaseHold(a.db, order.ID, a.now()); err != nil {
			return dbErr("release hold", err)
		}
		a.log.Warn("paid order refused: no Stripe key configured", "order", order.ID)
		return a.renderStatus(c, fiber.StatusServiceUnavailable, "payment/unavailable", fiber.Map{"Order": order})
	}
	p, reuse, err := models.PreparePayment(a.db, order.ID, a.now())
	if errors.Is(err, models.ErrNotPayable) {
		return c.Redirect(payPage, fiber.StatusSeeOther)
	}
	if err != nil {
		return dbErr("prepare payment", err)
	}
	if reuse {
		return c.Redirect(p.CheckoutURL, fiber.StatusSeeOther)
	}
	in, err := a.checkoutInput(order.ID, p)
	if err != nil {
		return err
	}
	s, err := a.pay.CreateCheckoutSession(in)
	if err != nil {
		a.log.Error("create checkout session", "order", order.ID, "payment", p.ID, "err", err)
		_ = models.MarkPaymentFailed(a.db, p.ID, "could not create the checkout session", a.now())
		return a.renderStatus(c, fiber.StatusBadGateway, "payment/error", fiber.Map{"Order": order})
	}
	if err := models.AttachCheckoutSession(a.db, p.ID, s.ID, s.URL, s.ExpiresAt); err != nil {
		return dbErr("attach checkout session", err)
	}
	return c.Redirect(s.URL, fiber.StatusSeeOther)
}

// checkoutInput builds the session of payment p from the order's rows: one
// line item per ticket, amounts from the stored order total (which the
// server computed from the ticket price and any voucher).
func (a *App) checkoutInput(orderID uint, p *models.Payment) (payment.CheckoutInput, error) {
	var o models.Order
	err := a.db.Preload("Event").Preload("Attendees", func(db *gorm.DB) *gorm.DB {
		return db.Where("status = ?", models.AttendeeActive).Order("position, id")
	}).Preload("Attendees.TicketType").Take(&o, orderID).Error
	if err != nil {
		return payment.CheckoutInput{}, dbErr("load order", err)
	}
	base := a.cfg.BaseURL + "/orders/" + url.PathEscape(o.Secret) + "/payment"
	in := payment.CheckoutInput{PaymentID: p.ID, Order: o, Currency: p.Currency,
		SuccessURL: base + "/return?session_id={CHECKOUT_SESSION_ID}", CancelURL: base,
		ExpiresAt: a.now().Add(models.CheckoutSessionLife)}
	in.Items = lineItems(o, p.Amount)
	return in, nil
}

// lineItems splits amount over the order's tickets, one line each; a
// remainder (from a voucher that does not divide evenly) goes on the
// first lines, a cent each, so the lines always add up to the amount.
func lineItems(o models.Order, amount int64) []payment.LineItem {
	n := int64(len(o.Attendees))
	if n == 0 {
		return []payment.LineItem{{Name: o.Event.Title, UnitAmount: amount, Quantity: 1}}
	}
	unit, rest := amount/n, amount%n
	items := make([]payment.LineItem, 0, n)
	for i, at := range o.Attendees {
		u := unit
		if int64(i) < rest {
			u++
		}
		items = append(items, payment.LineItem{Name: fmt.Sprintf("%s — %s (%s)", o.Event.Title, at.TicketType.Name, at.Name), UnitAmount: u, Quantity: 1})
	}
	return items
}
