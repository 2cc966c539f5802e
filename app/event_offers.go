package app

import (
	"time"

	"github.com/agora-events/agora/models"
)

// eventOffers describes each ticket type on sale as a schema.org Offer.
// Availability follows the same rule as the page: the ticket type's own
// places and the event's overall limit.
func eventOffers(baseURL string, e *models.Event, tickets models.TicketSummary) []any {
	eventFull := e.PlacesLeft() == 0
	var offers []any
	for _, t := range tickets.OnSale {
		availability := "https://schema.org/InStock"
		if eventFull || t.PlacesLeft() == 0 {
			availability = "https://schema.org/SoldOut"
		}
		o := map[string]any{
			"@type":         "Offer",
			"name":          t.Name,
			"price":         formatPrice(t.Price),
			"priceCurrency": t.Currency,
			"availability":  availability,
			"url":           baseURL + "/events/" + e.Slug + "/register",
		}
		// validFrom is when sales open; a ticket on sale from the start was
		// on sale from the moment the ticket type was made.
		from := t.CreatedAt
		if t.SalesStartAt != nil {
			from = *t.SalesStartAt
		}
		if !from.IsZero() {
			o["validFrom"] = from.In(e.Location()).Format(time.RFC3339)
		}
		if t.SalesEndAt != nil {
			o["validThrough"] = t.SalesEndAt.In(e.Location()).Format(time.RFC3339)
		}
		offers = append(offers, o)
	}
	return offers
}
