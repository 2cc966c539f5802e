package app

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// stripeWebhook receives Stripe's events. A bad signature is a 400 that
// changes nothing; an event seen before is acknowledged and ignored; the
// session or charge is re-fetched from Stripe (the payload is not trusted)
// and applied; a failure answers 500 so that Stripe retries.
func (a *App) stripeWebhook(c *fiber.Ctx) error {
	if a.pay == nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("payments are not configured")
	}
	ev, err := a.pay.VerifyEvent(c.Body(), c.Get("Stripe-Signature"))
	if err != nil {
		a.log.Warn("stripe webhook: rejected", "err", err, "ip", a.clientIP(c))
		return c.Status(fiber.StatusBadRequest).SendString("bad signature")
	}
	if seen, err := models.StripeEventSeen(a.db, ev.ID); err != nil {
		a.log.Error("stripe webhook: event lookup", "event", ev.ID, "err", err)
		return c.Status(fiber.StatusInternalServerError).SendString("try again")
	} else if seen {
		return c.SendString("duplicate")
	}
	var obj struct {
		ID     string `json:"id"`
		Object string `json:"object"`
	}
	if ev.Data != nil {
		_ = json.Unmarshal(ev.Data.Raw, &obj)
	}
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		if obj.Object != "checkout.session" || obj.ID == "" {
			return c.Status(fiber.StatusBadRequest).SendString("no session")
		}
		_, err = a.fulfilSession(obj.ID, ev.Type == "checkout.session.async_payment_failed")
		if errors.Is(err, models.ErrUnknownPayment) {
			// Not one of ours (another site on the same account): nothing to do.
			a.log.Info("stripe webhook: unknown session", "event", ev.ID, "session", obj.ID)
			err = nil
		}
	case "charge.refunded":
		err = a.syncChargeRefunds(obj.ID)
	default:
		return c.SendString("ignored")
	}
	if err != nil {
		a.log.Error("stripe webhook: processing failed", "event", ev.ID, "type", ev.Type, "err", err)
		return c.Status(fiber.StatusInternalServerError).SendString("processing failed")
	}
	if _, err := models.RecordStripeEvent(a.db, ev.ID, string(ev.Type), a.now()); err != nil {
		a.log.Error("stripe webhook: record event", "event", ev.ID, "err", err)
	}
	return c.SendString("ok")
}

// syncChargeRefunds records refunds made in the Stripe dashboard.
func (a *App) syncChargeRefunds(chargeID string) error {
	if chargeID == "" {
		return nil
	}
	ch, err := a.pay.GetCharge(chargeID)
	if err != nil {
		return err
	}
	if ch.PaymentIntent == "" {
		return nil
	}
	_, err = models.SyncProviderRefunds(a.db, ch.PaymentIntent, ch.AmountRefunded, ch.ID, a.now())
	if err == nil {
		a.nudge()
	}
	return err
}
