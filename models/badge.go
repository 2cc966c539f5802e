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

// BadgeHolders returns the badges of an event's active, not anonymised
// attendees of confirmed orders matching sel, sorted by name, in two queries whatever
// their number.
func BadgeHolders(db *gorm.DB, eventID uint, sel BadgeSelection) ([]BadgeHolder, error) {
	var rows []struct {
		BadgeHolder
		OrderCode   string
		Position    int
		OrderSize   int
		PhotosGiven int
	}
	// Order sizes and live photo consents are joined as grouped subqueries
	// of the event, not counted per row.
	sizes := db.Table("attendees").Select("order_id, COUNT(*) AS n").Where("event_id = ?", eventID).Group("order_id")
	photos := db.Table("consent_records r").Select("DISTINCT r.attendee_id").
		Joins("JOIN consent_texts t ON t.id = r.consent_text_id").
		Where("t.event_id = ? AND t.kind = ? AND r.withdrawn_at IS NULL", eventID, ConsentPhotos)
	q := db.Table("attendees").
		Select(`attendees.id AS attendee_id, attendees.name, attendees.organization, attendees.category,
			ticket_types.name AS ticket_type, attendees.qr_secret, orders.code AS order_code, attendees.position,
			sizes.n AS order_size, CASE WHEN photos.attendee_id IS NULL THEN 0 ELSE 1 END AS photos_given`).
		Joins("JOIN orders ON orders.id = attendees.order_id").
		Joins("JOIN ticket_types ON ticket_types.id = attendees.ticket_type_id").
		Joins("JOIN (?) sizes ON sizes.order_id = attendees.order_id", sizes).
		Joins("LEFT JOIN (?) photos ON photos.attendee_id = attendees.id", photos).
		Where("attendees.event_id = ? AND attendees.status = ? AND orders.status = ? AND attendees.anonymised_at IS NULL", eventID, AttendeeActive, OrderConfirmed)
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
