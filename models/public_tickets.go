package models

import (
	"time"

	"gorm.io/gorm"
)

// TicketSummary is what the public pages say about an event's tickets on
// sale: the lowest price, and how many places are left when few.
type TicketSummary struct {
	OnSale []TicketType // visible ticket types inside their sales window
	// LowestPaid is the cheapest on-sale price above zero (with its
	// currency); HasFree and HasPaid say which kinds exist.
	LowestPaid       int64
	Currency         string
	HasFree, HasPaid bool
	// Left is how many people can still register (the event's limit and the
	// on-sale types' together), -1 when nothing limits it; Few applies the
	// few-places rule to that figure.
	Left int
	Few  bool
}

// SoldOut reports whether tickets are on sale but no place is left.
func (s TicketSummary) SoldOut() bool { return len(s.OnSale) > 0 && s.Left == 0 }

// PublicTicketTypes lists the visible ticket types of the given events in
// display order, by event, in one query.
func PublicTicketTypes(db *gorm.DB, eventIDs []uint) (map[uint][]TicketType, error) {
	return ticketTypesByEvent(db.Where("hidden = ?", false), eventIDs)
}

// TicketTypesOfEvents lists every ticket type (hidden ones too) of the
// given events in display order, by event, in one query.
func TicketTypesOfEvents(db *gorm.DB, eventIDs []uint) (map[uint][]TicketType, error) {
	return ticketTypesByEvent(db, eventIDs)
}

func ticketTypesByEvent(q *gorm.DB, eventIDs []uint) (map[uint][]TicketType, error) {
	out := map[uint][]TicketType{}
	if len(eventIDs) == 0 {
		return out, nil
	}
	var ts []TicketType
	if err := q.Where("event_id IN ?", eventIDs).Order("event_id, position, id").Find(&ts).Error; err != nil {
		return nil, err
	}
	for _, t := range ts {
		out[t.EventID] = append(out[t.EventID], t)
	}
	return out, nil
}

// SummariseTickets applies the rules to the event's visible ticket types.
func SummariseTickets(e Event, visible []TicketType, now time.Time) TicketSummary {
	s := TicketSummary{Left: -1}
	typesCap, typesTaken, limited := 0, 0, true
	for _, t := range visible {
		if t.Hidden || !t.OnSale(now) {
			continue
		}
		s.OnSale = append(s.OnSale, t)
		if t.Price == 0 {
			s.HasFree = true
		} else if !s.HasPaid || t.Price < s.LowestPaid {
			s.HasPaid, s.LowestPaid, s.Currency = true, t.Price, t.Currency
		}
		if t.Capacity <= 0 {
			limited = false
		} else {
			typesCap, typesTaken = typesCap+t.Capacity, typesTaken+min(t.PlacesTaken, t.Capacity)
		}
	}
	if len(s.OnSale) == 0 {
		return s
	}
	if limited {
		s.Left, s.Few = placesLeft(typesCap, typesTaken), fewPlaces(typesCap, typesTaken)
	}
	if l := e.PlacesLeft(); l >= 0 && (s.Left < 0 || l < s.Left) {
		s.Left, s.Few = l, e.FewLeft()
	}
	return s
}
