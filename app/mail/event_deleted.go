package mail

import (
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// renderEventDeleted tells one person that a deleted event will not take
// place and their registration or waitlist place is cancelled. The event
// page is gone, so the mail links to nothing; the name is the one the
// person gave for this address.
func (r *Renderer) renderEventDeleted(L *translator, m models.OutboxMessage) (Message, error) {
	var e models.Event
	if err := r.db.Take(&e, m.RefID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Message{}, ErrSkip
		}
		return Message{}, err
	}
	d := r.eventData(L, e)
	d.EventURL = ""
	d.Name = r.nameForAddress(e.ID, m.To)
	return r.renderWith(L, m, L.T("mail.event_deleted.subject", "Event", d.Event.Title), "event_deleted", d)
}

// nameForAddress finds the name given with addr in the event: as a buyer,
// an attendee or on the waitlist; else the address itself.
func (r *Renderer) nameForAddress(eventID uint, addr string) string {
	lower := strings.ToLower(addr)
	var names []string
	r.db.Model(&models.Order{}).Where("event_id = ? AND LOWER(buyer_email) = ?", eventID, lower).Order("id").Limit(1).Pluck("buyer_name", &names)
	if len(names) == 0 {
		r.db.Model(&models.Attendee{}).Where("event_id = ? AND LOWER(email) = ?", eventID, lower).Order("id").Limit(1).Pluck("name", &names)
	}
	if len(names) == 0 {
		r.db.Model(&models.WaitlistEntry{}).Where("event_id = ? AND LOWER(email) = ?", eventID, lower).Order("id").Limit(1).Pluck("name", &names)
	}
	if len(names) == 0 || names[0] == "" {
		return addr
	}
	return names[0]
}
