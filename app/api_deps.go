package app

import (
	"github.com/agora-events/agora/app/api"
	"github.com/agora-events/agora/models"
)

// apiPayments is the payment provider the API refunds through: nil (not a
// nil *payment.Stripe inside the interface) when Stripe is not configured,
// so the API can say so.
func (a *App) apiPayments() api.Payments {
	if a.pay == nil {
		return nil
	}
	return a.pay
}

// placeStaffOrder registers people for the organizers through the commit
// batcher when there is one (SQLite): the API registers many at once.
func (a *App) placeStaffOrder(in models.StaffOrderInput) (*models.Order, error) {
	if a.orders != nil {
		return a.orders.PlaceStaffOrder(in)
	}
	return models.PlaceStaffOrder(a.db, in)
}
