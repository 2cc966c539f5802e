package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// selfRefundView is what the cancel page says about the money: computed by
// models.QuoteSelfCancel, formatted here.
type selfRefundView struct {
	Paid     bool   // there is a payment with money left on it
	ByHand   bool   // paid by bank transfer: the organizers refund it themselves
	Amount   string // what will be refunded
	PaidLeft string // what was paid (minus refunds made already)
	Fee      string // what the policy keeps, "" when nothing
	Refunds  bool   // Amount > 0
	Policy   string
	Expired  bool
	Until    string // the refund deadline in the event's zone, "" when none
	OrgName  string
}

func (a *App) selfRefundView(lang string, o *models.Order, q models.SelfCancelQuote) selfRefundView {
	v := selfRefundView{Policy: q.Policy.Policy, ByHand: q.ByHand}
	if q.Payment == nil || q.Refund.Paid <= 0 {
		return v
	}
	v.Paid, v.Refunds, v.Expired = true, q.Refund.Amount > 0, q.Refund.Expired
	v.Amount, v.PaidLeft = formatMoney(lang, q.Refund.Amount, q.Currency), formatMoney(lang, q.Refund.Paid, q.Currency)
	if q.Refund.Fee > 0 {
		v.Fee = formatMoney(lang, q.Refund.Fee, q.Currency)
	}
	if q.Policy.Until != nil {
		v.Until = q.Policy.Until.In(o.Event.Location()).Format("2006-01-02 15:04") + " (" + o.Event.TimeZone + ")"
	}
	var org models.Organization
	if err := a.db.Select("name").Take(&org, o.Event.OrganizationID).Error; err == nil {
		v.OrgName = org.Name
	}
	return v
}

// cancelPageData adds to the cancel page what cancelling gives back now.
func (a *App) cancelPageData(lang string, o *models.Order, data fiber.Map) error {
	if !o.IsLive() {
		return nil
	}
	q, err := models.QuoteSelfCancel(a.db, o, a.now())
	if err != nil {
		return errInternal("refund quote", err)
	}
	data["Refund"] = a.selfRefundView(lang, o, q)
	return nil
}

// cancelOrderBySelf cancels the order of the self-service link and makes
// the refund its event's policy gives, through Stripe, once (the key is
// stored with the cancellation; should Stripe fail now, the late-refunds
// job asks again with it). It returns the flash to show.
func (a *App) cancelOrderBySelf(o *models.Order) (string, error) {
	res, err := models.CancelOrderBySelf(a.db, o.ID, a.now())
	if err != nil {
		return "", errInternal("cancel order", err)
	}
	if !res.Done {
		return "", nil
	}
	flash := "order.cancelled_flash"
	if res.RefundPaymentID != 0 {
		flash = "selfcancel.refund_pending_flash"
		if a.pay != nil {
			if done, err := a.pay.RefundDue(a.db, res.RefundPaymentID, a.now()); err != nil {
				a.log.Warn("self-cancellation refund failed; the late-refunds job retries it", "order", o.ID, "err", err)
			} else if done {
				flash = "selfcancel.refunded_flash"
			}
		}
	}
	a.nudge()
	return flash, nil
}
