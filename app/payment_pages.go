package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// orderBySecret loads the order of a self-service link; unknown is a 404.
func (a *App) orderBySecret(c *fiber.Ctx) (*models.Order, error) {
	o, err := models.OrderBySecret(a.db, c.Params("secret"))
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, dbErr("load order", err)
	}
	return o, nil
}

// paymentPage shows what the order owes and how to pay: by card through
// Stripe (again, after a cancelled checkout, while the hold lasts) or by
// bank transfer when the event allows it.
func (a *App) paymentPage(c *fiber.Ctx) error {
	o, err := a.orderBySecret(c)
	if err != nil {
		return err
	}
	return a.renderPaymentPage(c, o, "")
}

func (a *App) renderPaymentPage(c *fiber.Ctx, o *models.Order, outcome string) error {
	settings, err := models.PaymentSettings(a.db, o.EventID)
	if err != nil {
		return dbErr("payment settings", err)
	}
	inv, err := models.InvoicePending(a.db, o.ID)
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return dbErr("invoice", err)
	}
	payable := o.Status == models.OrderPending && o.ExpiresAt != nil && o.ExpiresAt.After(a.now())
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := fiber.Map{
		"Order": o, "Total": formatMoney(a.lang(c), o.Total, o.Currency), "Outcome": outcome, "Payable": payable,
		"CanCard": payable && a.pay != nil, "CanInvoice": payable && settings.AllowInvoice && inv == nil,
		"Invoice": inv, "Settings": settings, "NoWay": payable && a.pay == nil && !settings.AllowInvoice,
	}
	if o.ExpiresAt != nil {
		data["HoldUntil"] = o.ExpiresAt.In(o.Event.Location())
	}
	return a.render(c, "payment/pay", data)
}

// startPayment is the "pay now" button: a new or reused Checkout Session.
func (a *App) startPayment(c *fiber.Ctx) error {
	o, err := a.orderBySecret(c)
	if err != nil {
		return err
	}
	return a.beginPayment(c, o)
}

// chooseInvoice is the "pay by bank transfer or invoice" button.
func (a *App) chooseInvoice(c *fiber.Ctx) error {
	o, err := a.orderBySecret(c)
	if err != nil {
		return err
	}
	if _, err := models.ChooseInvoice(a.db, o.ID, a.now()); err != nil &&
		!errors.Is(err, models.ErrNotPayable) && !errors.Is(err, models.ErrInvoiceNotAllowed) {
		return dbErr("choose invoice", err)
	}
	return c.Redirect("/orders/"+o.Secret+"/payment", fiber.StatusSeeOther)
}

// paymentReturn is Stripe's success_url: it re-fetches the session and runs
// the same fulfilment as the webhook, then says where the payment stands.
func (a *App) paymentReturn(c *fiber.Ctx) error {
	o, err := a.orderBySecret(c)
	if err != nil {
		return err
	}
	sid := c.Query("session_id")
	var p models.Payment
	if err := a.db.Where("order_id = ? AND provider = ? AND provider_session_id = ?", o.ID, models.ProviderStripe, sid).Take(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return c.Redirect("/orders/"+o.Secret+"/payment", fiber.StatusSeeOther)
		}
		return dbErr("load payment", err)
	}
	outcome := ""
	if a.pay != nil {
		res, err := a.fulfilSession(sid, false)
		if err != nil {
			// The webhook will get there; say what we know without failing.
			a.log.Error("payment return: fulfil", "order", o.ID, "err", err)
		} else {
			outcome = res.Outcome
		}
	}
	if o, err = a.orderBySecret(c); err != nil {
		return err
	}
	return a.renderPaymentPage(c, o, outcome)
}

// fulfilSession re-fetches a Checkout Session, applies it, and refunds a
// payment that found no room. Webhook and return page both come here.
func (a *App) fulfilSession(sessionID string, asyncFailed bool) (*models.FulfilResult, error) {
	s, err := a.pay.GetCheckoutSession(sessionID)
	if err != nil {
		return nil, err
	}
	s.AsyncFailed = asyncFailed
	res, err := models.FulfilCheckout(a.db, s, a.now())
	if err != nil {
		return nil, err
	}
	switch res.Outcome {
	case models.FulfilTampered:
		a.log.Error("checkout session does not match its order: not confirmed", "session", s.ID, "order", res.Order.ID,
			"amount", s.AmountTotal, "currency", s.Currency, "expected", res.Payment.Amount, "expected_currency", res.Payment.Currency)
	case models.FulfilRefundDue:
		done, err := a.refundLatePayment(res.Payment)
		if err != nil {
			return nil, err
		}
		if done {
			res.Outcome = models.FulfilRefunded
		}
		// Not done: another request (or the late-refunds job) is making
		// this refund; the outcome stays refund_due.
	case models.FulfilConfirmed:
		a.nudge()
	}
	return res, nil
}

// refundLatePayment gives back a payment that arrived after its hold ended
// with no room left (once, see payment.RefundLate) and e-mails the buyer.
func (a *App) refundLatePayment(p models.Payment) (done bool, err error) {
	done, err = a.pay.RefundLate(a.db, p.ID, a.now())
	if done {
		a.log.Warn("late payment refunded: no room left", "order", p.OrderID, "payment", p.ID)
		a.nudge()
	}
	return done, err
}
