package mail

import (
	"strings"
	"time"

	"github.com/agora-events/agora/models"
)

// reminder is what the "see you soon" mail adds to data.
type reminder struct {
	Text     string // the organizers' own words, plain text
	Venue    string
	Address  string
	Online   string
	Meetings []reminderMeeting
}

// reminderMeeting is one one-to-one meeting as the reminder lists it.
type reminderMeeting struct {
	Time     string
	Location string
	Other    string
	OtherOrg string
}

// reminderData loads, at send time, what the reminder to m.To about event
// m.RefID shows: access details, the person's tickets (QR codes as in the
// confirmation), sessions and meetings. A reminder that no longer makes
// sense (turned off, the event started or was unpublished, every ticket of
// the person cancelled) is skipped.
func (r *Renderer) reminderData(L *translator, m models.OutboxMessage) (*data, []Attachment, error) {
	var e models.Event
	if err := r.db.Take(&e, m.RefID).Error; err != nil {
		return nil, nil, ErrSkip
	}
	set, err := models.EventMailSettingFor(r.db, e.ID)
	if err != nil {
		return nil, nil, err
	}
	if e.Status != models.StatusPublished || !set.RemindersEnabled || !time.Now().Before(e.StartsAt) {
		return nil, nil, ErrSkip
	}
	as, err := models.ReminderAttendees(r.db, e.ID, m.To)
	if err != nil {
		return nil, nil, err
	}
	if len(as) == 0 {
		return nil, nil, ErrSkip
	}
	d := r.eventData(L, e)
	d.Name = as[0].Name
	for _, a := range as {
		if a.Order != nil && normalisedEqual(a.Email, m.To) {
			d.Name = a.Name
			break
		}
	}
	if o := as[0].Order; o != nil {
		d.Order, d.Link = o, r.baseURL+OrderPathPrefix+o.Secret
		if d.Name == "" {
			d.Name = o.BuyerName
		}
	}
	ts, atts, _, err := r.ticketsFor(L, e, as, func(a models.Attendee) string {
		if a.Order != nil {
			return a.Order.Code
		}
		return ""
	})
	if err != nil {
		return nil, nil, err
	}
	d.Tickets = ts
	text := set.ReminderText
	L.localise(func(c *models.Content) { c.ReminderText(e.ID, &text) })
	rem := &reminder{Text: text, Venue: e.Venue, Address: e.Address, Online: e.OnlineURL}
	net, err := models.NetworkingFor(r.db, e.ID)
	if err != nil {
		return nil, nil, err
	}
	if net.Enabled {
		ids := make([]uint, len(as))
		for i, a := range as {
			ids[i] = a.ID
		}
		ms, err := models.ReminderMeetings(r.db, e.ID, ids)
		if err != nil {
			return nil, nil, err
		}
		loc := e.Location()
		for _, x := range ms {
			where := x.Meeting.Location.Name
			if x.Meeting.Location.Online && net.OnlineLinkTemplate != "" {
				where = net.OnlineLink(x.Meeting.RoomCode)
			}
			rem.Meetings = append(rem.Meetings, reminderMeeting{
				Time:     L.DateTime(x.Meeting.Slot.StartsAt.In(loc)) + "–" + x.Meeting.Slot.EndsAt.In(loc).Format("15:04"),
				Location: where, Other: x.Other.Name, OtherOrg: x.Other.Organization,
			})
		}
	}
	d.Reminder = rem
	return d, atts, nil
}

func normalisedEqual(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.EqualFold(a, b)
}
