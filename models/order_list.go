package models

import (
	"strings"

	"gorm.io/gorm"
)

// OrderFilter narrows a list of an event's orders. Zero values mean "any".
type OrderFilter struct {
	Status string
	// TicketTypeID keeps orders with at least one attendee of the type.
	TicketTypeID uint
	// Query matches the buyer's name or e-mail (contains, any case) or the
	// order's code (exactly, any case; "K7MQ2XWD-2" finds its order).
	Query string
}

// EventOrders is the query of the event's orders matching f, for the caller
// to order and page (the API pages by change time).
func EventOrders(db *gorm.DB, eventID uint, f OrderFilter) *gorm.DB {
	q := db.Model(&Order{}).Where("orders.event_id = ?", eventID)
	if f.Status != "" {
		q = q.Where("orders.status = ?", f.Status)
	}
	if f.TicketTypeID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM attendees WHERE attendees.order_id = orders.id AND attendees.ticket_type_id = ?)", f.TicketTypeID)
	}
	if s := strings.ToLower(strings.TrimSpace(f.Query)); s != "" {
		like := "%" + likeEscaper.Replace(s) + "%"
		q = q.Where(`(LOWER(orders.buyer_name) LIKE ? ESCAPE '\' OR LOWER(orders.buyer_email) LIKE ? ESCAPE '\' OR orders.code = ?)`,
			like, like, orderCodeOf(s))
	}
	return q
}

// orderCodeOf is the order code a search term or ticket code names: upper
// case, without an attendee's "-N".
func orderCodeOf(s string) string {
	code := strings.ToUpper(strings.TrimSpace(s))
	if i := strings.LastIndexByte(code, '-'); i > 0 {
		code = code[:i]
	}
	return code
}
