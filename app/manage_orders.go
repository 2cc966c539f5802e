package app

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/agora-events/agora/app/payment"
	"github.com/agora-events/agora/models"
)

func orderAdminURL(e *models.Event, orderID uint) string {
	return fmt.Sprintf("%s/orders/%d", eventURL(e), orderID)
}

// loadEventOrder returns the event's order named by :oid (404 otherwise).
func (a *App) loadEventOrder(c *fiber.Ctx, e *models.Event) (*models.Order, error) {
	var o models.Order
	err := a.db.Where("id = ? AND event_id = ?", parseID(c.Params("oid")), e.ID).
		Preload("Attendees", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Preload("Attendees.TicketType").Take(&o).Error
	if err != nil {
		return nil, dbErr("load order", err)
	}
	return &o, nil
}

// refundable is the Stripe payment of an order that can still be refunded
// (models.RefundableOf: the rule is shared with the API's cancellation).
type refundable = models.Refundable

func (a *App) refundableOf(orderID uint) (*refundable, error) {
	return models.RefundableOf(a.db, orderID)
}

// orderPage shows an order's payment state: attempts, amounts, voucher,
// refunds, and the organizer's actions (refund and cancel, mark paid).
func (a *App) orderPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	o, err := a.loadEventOrder(c, e)
	if err != nil {
		return err
	}
	r, err := a.refundableOf(o.ID)
	if err != nil {
		return errInternal("refundable payment", err)
	}
	f := RefundForm{Cancel: true}
	if r != nil {
		f.Amount, f.Seq = formatPrice(r.Left), strconv.FormatInt(r.Seq, 10)
	}
	return a.renderOrderPage(c, fiber.StatusOK, e, o, r, f, FieldErrors{})
}

func (a *App) renderOrderPage(c *fiber.Ctx, status int, e *models.Event, o *models.Order, r *refundable, f RefundForm, errs FieldErrors) error {
	payments, err := models.PaymentsOf(a.db, o.ID)
	if err != nil {
		return errInternal("payments", err)
	}
	refunds, err := models.RefundsOf(a.db, o.ID)
	if err != nil {
		return errInternal("refunds", err)
	}
	var voucherCode string
	var discount int64
	if red, err := models.VoucherRedemptionOf(a.db, o.ID); err == nil {
		discount = red.Discount
		var v models.Voucher
		if a.db.Select("code").Take(&v, red.VoucherID).Error == nil {
			voucherCode = v.Code
		}
	}
	lang := a.lang(c)
	money := func(n int64) string { return formatMoney(lang, n, o.Currency) }
	return a.renderStatus(c, status, "manage/order", fiber.Map{"Event": e, "Loc": e.Location(), "Order": o,
		"Payments": payments, "Refunds": refunds, "Refundable": r, "Form": f, "Errors": errs, "Money": money,
		"VoucherCode": voucherCode, "Discount": discount, "URL": orderAdminURL(e, o.ID),
		"CanMarkPaid": o.Total > 0 && (o.Status == models.OrderPending || o.Status == models.OrderExpired),
		"StripeReady": a.pay != nil})
}

// postRefund refunds part or all of an order's Stripe payment (and cancels
// the order when asked): the amount is checked against what is left, the
// Stripe request carries an idempotency key, the refund is recorded and
// the buyer told by mail.
func (a *App) postRefund(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	o, err := a.loadEventOrder(c, e)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parseRefundForm(postValues(c))
	r, err := a.refundableOf(o.ID)
	if err != nil {
		return errInternal("refundable payment", err)
	}
	if r == nil {
		errs.Add(formErrorKey, "payadmin.error.nothing_to_refund")
		return a.renderOrderPage(c, fiber.StatusUnprocessableEntity, e, o, r, f, errs)
	}
	amount, ferrs := f.Validate(r.Left)
	errs.merge(ferrs)
	if !errs.Any() && f.Seq != strconv.FormatInt(r.Seq, 10) {
		// Posted twice, or someone refunded meanwhile: show the new state.
		errs.Add(formErrorKey, "payadmin.error.stale")
		f.Seq = strconv.FormatInt(r.Seq, 10)
	}
	if !errs.Any() && a.pay == nil {
		errs.Add(formErrorKey, "payadmin.error.no_stripe")
	}
	if errs.Any() {
		return a.renderOrderPage(c, fiber.StatusUnprocessableEntity, e, o, r, f, errs)
	}
	rid, err := a.pay.Refund(*r.Payment.ProviderPaymentID, amount, payment.RefundKey(r.Payment.ID, models.RefundOrganizer, int(r.Seq)))
	if err != nil {
		a.log.Error("organizer refund", "order", o.ID, "payment", r.Payment.ID, "err", err)
		errs.Add(formErrorKey, "payadmin.error.stripe_failed")
		return a.renderOrderPage(c, fiber.StatusBadGateway, e, o, r, f, errs)
	}
	if _, _, err := models.RecordRefundBy(a.db, a.auditEntry(c, e.OrganizationID, models.AuditRefund), r.Payment.ID, amount, rid, models.RefundOrganizer, models.MailOrderRefunded, a.now()); err != nil {
		return errInternal("record refund", err)
	}
	if f.Cancel {
		if _, err := models.CancelOrder(a.db, o.ID, a.now()); err != nil {
			return errInternal("cancel order", err)
		}
	}
	a.nudge()
	a.flash(c, "payadmin.refunded_flash")
	return c.Redirect(orderAdminURL(e, o.ID), fiber.StatusSeeOther)
}

// postMarkPaid confirms an order paid by bank transfer or invoice.
func (a *App) postMarkPaid(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	o, err := a.loadEventOrder(c, e)
	if err != nil {
		return err
	}
	switch {
	case o.Status == models.OrderConfirmed:
		a.flash(c, "payadmin.already_paid_flash")
	case o.Status == models.OrderCancelled || o.Total <= 0:
		a.flash(c, "payadmin.cannot_mark_paid_flash")
	default:
		_, err := models.MarkInvoicePaid(a.db, o.ID, a.now())
		switch {
		case err == nil:
			a.nudge()
			a.flash(c, "payadmin.marked_paid_flash")
		case errors.Is(err, models.ErrHoldLost), errors.Is(err, models.ErrOrderNotActive):
			a.flash(c, "payadmin.hold_lost_flash")
		default:
			return errInternal("mark paid", err)
		}
	}
	return c.Redirect(orderAdminURL(e, o.ID), fiber.StatusSeeOther)
}

// paymentSettingsPage shows the event's payment settings form.
func (a *App) paymentSettingsPage(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	s, err := models.PaymentSettings(a.db, e.ID)
	if err != nil {
		return dbErr("payment settings", err)
	}
	return a.renderPaymentSettings(c, fiber.StatusOK, e, paymentSettingsFormFrom(s), FieldErrors{})
}

func (a *App) renderPaymentSettings(c *fiber.Ctx, status int, e *models.Event, f PaymentSettingsForm, errs FieldErrors) error {
	return a.renderStatus(c, status, "manage/payments", fiber.Map{"Event": e, "Form": f, "Errors": errs,
		"StripeReady": a.paymentsConfigured()})
}

func (a *App) savePaymentSettings(c *fiber.Ctx) error {
	e, _, err := managedEvent(c)
	if err != nil {
		return err
	}
	errs := csrfErrors(c)
	f := parsePaymentSettingsForm(postValues(c))
	s, ferrs := f.Validate()
	errs.merge(ferrs)
	if errs.Any() {
		return a.renderPaymentSettings(c, fiber.StatusUnprocessableEntity, e, f, errs)
	}
	s.ID = e.ID
	if err := models.SavePaymentSettings(a.db, s); err != nil {
		return errInternal("save payment settings", err)
	}
	a.flash(c, "payadmin.settings_saved")
	return c.Redirect(eventURL(e)+"/payments", fiber.StatusSeeOther)
}
