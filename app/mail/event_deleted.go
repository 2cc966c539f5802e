package mail

import (
	"bytes"
	"errors"
	"fmt"
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
	out := Message{To: m.To, Subject: L.T("mail.event_deleted.subject", "Event", e.Title)}
	var buf bytes.Buffer
	if err := r.html.ExecuteTemplate(&buf, "event_deleted.html.tmpl", d); err != nil {
		return Message{}, fmt.Errorf("render event_deleted html: %w", err)
	}
	out.HTML = buf.String()
	buf.Reset()
	if err := r.text.ExecuteTemplate(&buf, "event_deleted.txt.tmpl", d); err != nil {
		return Message{}, fmt.Errorf("render event_deleted text: %w", err)
	}
	out.Text = buf.String()
	if len(*L.missing) > 0 {
		return Message{}, fmt.Errorf("mail event_deleted: missing messages %v", *L.missing)
	}
	return out, nil
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
