package app

import (
	"errors"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// orderLinks says which other areas the self-service page links to: the
// networking area when the event has it and someone on the order may take
// part, and the receipt once something was paid.
type orderLinks struct {
	Meetings bool
	Receipt  bool
}

func (a *App) linksOfOrder(o *models.Order) (orderLinks, error) {
	var out orderLinks
	if o.Status == models.OrderConfirmed {
		set, err := models.NetworkingFor(a.db, o.EventID)
		if err != nil {
			return out, err
		}
		if set.Enabled {
			for _, at := range o.Attendees {
				_, err := models.NetworkingAttendee(a.db, set, at.ID)
				if err == nil {
					out.Meetings = true
					break
				}
				if !errors.Is(err, models.ErrNotEligible) {
					return out, err
				}
			}
		}
	}
	_, err := models.PaidPayment(a.db, o.ID)
	switch {
	case err == nil:
		out.Receipt = true
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return out, err
	}
	return out, nil
}
