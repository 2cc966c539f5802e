package models

import (
	"encoding/json"

	"gorm.io/gorm"
)

// Check-in filter values of an audience.
const (
	CheckedInYes = "yes"
	CheckedInNo  = "no"
)

// AudienceFilter says who a message goes to: the confirmed attendees of the
// event, narrowed by every field that is set, or (Waitlist) the people
// waiting for a place, narrowed by ticket type and session.
type AudienceFilter struct {
	Waitlist     bool   `json:"waitlist,omitempty"`
	TicketTypeID uint   `json:"ticket_type_id,omitempty"`
	Category     string `json:"category,omitempty"`
	SessionID    uint   `json:"session_id,omitempty"`
	CheckedIn    string `json:"checked_in,omitempty"`
	Meetings     bool   `json:"meetings,omitempty"`
}

// JSON is the filter as stored on a message.
func (f AudienceFilter) JSON() string {
	b, _ := json.Marshal(f)
	return string(b)
}

// Recipient is one person an audience reaches, with what the message's
// placeholders need. OrderSecret is set only when the person is the buyer of
// the order, so a delegate never gets the link to someone else's order.
type Recipient struct {
	Email           string
	Name            string
	Language        string
	OrderID         uint
	AttendeeID      uint
	WaitlistEntryID uint
	OrderSecret     string
	// TicketSecret is a delegate's own link secret (/tickets/{secret}): their
	// {order_link} leads to their own ticket page.
	TicketSecret string
}

type audienceRow struct {
	ID         uint
	Name       string
	Email      string
	Language   string
	OrderID    uint
	Secret     string
	BuyerEmail string
}

// MessageAudience returns the people filter reaches in event eventID, each
// e-mail address once (the earliest registration wins), in one query:
// active, not anonymised attendees of confirmed orders who have an e-mail
// address, or live waitlist entries.
func MessageAudience(db *gorm.DB, eventID uint, f AudienceFilter) ([]Recipient, error) {
	var rows []audienceRow
	if f.Waitlist {
		q := db.Table("waitlist_entries w").
			Select("w.id, w.name, w.email, w.language").
			Where("w.event_id = ? AND w.status IN ? AND w.email <> ''", eventID, []string{WaitlistWaiting, WaitlistOffered})
		if f.TicketTypeID != 0 {
			q = q.Where("w.ticket_type_id = ?", f.TicketTypeID)
		}
		if f.SessionID != 0 {
			q = q.Where("w.session_id = ?", f.SessionID)
		}
		if err := q.Order("w.id").Scan(&rows).Error; err != nil {
			return nil, err
		}
	} else {
		q := db.Table("attendees a").Joins("JOIN orders o ON o.id = a.order_id").
			Select("a.id, a.name, a.email, o.language, o.id AS order_id, o.secret, o.buyer_email").
			Where("a.event_id = ? AND a.status = ? AND o.status = ? AND a.anonymised_at IS NULL AND a.email <> ''",
				eventID, AttendeeActive, OrderConfirmed)
		if f.TicketTypeID != 0 {
			q = q.Where("a.ticket_type_id = ?", f.TicketTypeID)
		}
		if f.Category != "" {
			q = q.Where("a.category = ?", f.Category)
		}
		if f.SessionID != 0 {
			q = q.Where("EXISTS (SELECT 1 FROM session_signups s WHERE s.attendee_id = a.id AND s.session_id = ?)", f.SessionID)
		}
		switch f.CheckedIn {
		case CheckedInYes:
			q = q.Where("a.checked_in_at IS NOT NULL")
		case CheckedInNo:
			q = q.Where("a.checked_in_at IS NULL")
		}
		if f.Meetings {
			q = q.Where("EXISTS (SELECT 1 FROM meeting_participants p WHERE p.attendee_id = a.id AND p.active = ?)", true)
		}
		if err := q.Order("a.id").Scan(&rows).Error; err != nil {
			return nil, err
		}
	}
	seen := make(map[string]bool, len(rows))
	out := make([]Recipient, 0, len(rows))
	for _, r := range rows {
		email := NormalizeEmail(r.Email)
		if email == "" || seen[email] {
			continue
		}
		seen[email] = true
		rc := Recipient{Email: email, Name: r.Name, Language: r.Language}
		if f.Waitlist {
			rc.WaitlistEntryID = r.ID
		} else {
			rc.AttendeeID, rc.OrderID = r.ID, r.OrderID
			if NormalizeEmail(r.BuyerEmail) == email {
				rc.OrderSecret = r.Secret
			}
		}
		out = append(out, rc)
	}
	return out, nil
}

// CountAudience is how many people MessageAudience reaches.
func CountAudience(db *gorm.DB, eventID uint, f AudienceFilter) (int, error) {
	rs, err := MessageAudience(db, eventID, f)
	return len(rs), err
}
