package app

import (
	"time"

	"github.com/agora-events/agora/models"
)

// cardTickets sums up the tickets on sale of each upcoming event for its
// card (price, places left when few), with one query for all of them.
func (a *App) cardTickets(events []models.Event, now time.Time) (map[uint]models.TicketSummary, error) {
	ids := make([]uint, 0, len(events))
	for _, e := range events {
		ids = append(ids, e.ID)
	}
	byEvent, err := models.PublicTicketTypes(a.db, ids)
	if err != nil {
		return nil, errInternal("card tickets", err)
	}
	out := make(map[uint]models.TicketSummary, len(events))
	for _, e := range events {
		out[e.ID] = models.SummariseTickets(e, byEvent[e.ID], now)
	}
	return out, nil
}
