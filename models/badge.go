package models

import (
	"strconv"

	"gorm.io/gorm"
)

// BadgeSelection says whose badges to print: everyone with a confirmed
// ticket, narrowed by ticket type, category or a list of attendee ids
// (zero values mean "any").
type BadgeSelection struct {
	TicketTypeID uint
	Category     string
	AttendeeIDs  []uint
}

// BadgeHolder is what a badge shows of one person. QRSecret is the value of
// the ticket's QR code, which the door scanner reads (see CheckIn); Code is
// what staff type instead. NoPhotos is set when the event asks for photo
// consent and the person has not given it (or withdrew it).
type BadgeHolder struct {
	AttendeeID   uint
	Name         string
	Organization string
	Category     string
	TicketType   string
	QRSecret     string
	Code         string
	NoPhotos     bool
}

// BadgeHolders returns the badges of an event's active attendees of
// confirmed orders matching sel, sorted by name, in three queries whatever
// their number.
func BadgeHolders(db *gorm.DB, eventID uint, sel BadgeSelection) ([]BadgeHolder, error) {
	var rows []struct {
		BadgeHolder
		OrderCode   string
		Position    int
		OrderSize   int
		PhotosGiven int
	}
	q := db.Table("attendees").
		Select(`attendees.id AS attendee_id, attendees.name, attendees.organization, attendees.category,
			ticket_types.name AS ticket_type, attendees.qr_secret, orders.code AS order_code, attendees.position,
			(SELECT COUNT(*) FROM attendees o WHERE o.order_id = attendees.order_id) AS order_size,
			(SELECT COUNT(*) FROM consent_records r JOIN consent_texts t ON t.id = r.consent_text_id
				WHERE r.attendee_id = attendees.id AND t.kind = ? AND r.withdrawn_at IS NULL) AS photos_given`, ConsentPhotos).
		Joins("JOIN orders ON orders.id = attendees.order_id").
		Joins("JOIN ticket_types ON ticket_types.id = attendees.ticket_type_id").
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status = ?", eventID, AttendeeActive, OrderConfirmed)
	if sel.TicketTypeID != 0 {
		q = q.Where("attendees.ticket_type_id = ?", sel.TicketTypeID)
	}
	if sel.Category != "" {
		q = q.Where("attendees.category = ?", sel.Category)
	}
	if sel.AttendeeIDs != nil {
		q = q.Where("attendees.id IN ?", sel.AttendeeIDs)
	}
	if err := q.Order("LOWER(attendees.name), attendees.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	var asksPhotos int64
	if err := db.Model(&ConsentText{}).Where("event_id = ? AND kind = ?", eventID, ConsentPhotos).Count(&asksPhotos).Error; err != nil {
		return nil, err
	}
	out := make([]BadgeHolder, len(rows))
	for i, r := range rows {
		b := r.BadgeHolder
		b.Code = r.OrderCode
		if r.OrderSize > 1 {
			b.Code += "-" + strconv.Itoa(r.Position)
		}
		b.NoPhotos = asksPhotos > 0 && r.PhotosGiven == 0
		out[i] = b
	}
	return out, nil
}
