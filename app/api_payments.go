package app

import "github.com/agora-events/agora/app/api"

// apiPayments is the payment provider the API refunds through: nil (not a
// nil *payment.Stripe inside the interface) when Stripe is not configured,
// so the API can say so.
func (a *App) apiPayments() api.Payments {
	if a.pay == nil {
		return nil
	}
	return a.pay
}
