package mail

import (
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/app/calendar"
	"github.com/agora-events/agora/models"
)

// Paths of the networking area in mails (the web side serves them).
const (
	MeetingsPath   = "/meetings"          // after /events/{slug}: the networking home
	MeetingsSignIn = "/meetings/signin/"  // + token: a one-time sign-in link
	MeetingsInbox  = "/meetings/requests" // requests to answer
	MeetingsAgenda = "/meetings/agenda"   // the personal agenda
)

// meetingData is what the meeting mail templates get; its first fields
// match data, so the shared "top", "event" and "bottom" parts work.
type meetingData struct {
	L        *translator
	Event    models.Event
	When     string
	Place    string
	EventURL string
	Name     string
	Kind     string
	Other    string
	OtherOrg string
	Time     string
	Location string
	Reason   string
	Message  string
	Link     string
	Button   string
	// ics is the meeting as a calendar file, for the mails that book or move it.
	ics []byte
}

// renderMeetingNotice renders one networking e-mail from its notice row.
func (r *Renderer) renderMeetingNotice(L *translator, m models.OutboxMessage) (Message, error) {
	var n models.MeetingNotice
	if err := r.db.Take(&n, m.RefID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Message{}, ErrSkip
		}
		return Message{}, err
	}
	d, err := r.meetingNoticeData(L, n)
	if err != nil {
		return Message{}, err
	}
	out, err := r.renderWith(L, m, L.T("mail.meeting."+n.Kind+".subject", "Event", d.Event.Title, "Other", d.Other), "meeting", d)
	if err == nil && d.ics != nil {
		out.Attachments = append(out.Attachments, Attachment{Filename: d.Event.Slug + "-meeting.ics", ContentType: "text/calendar", Data: d.ics})
	}
	return out, err
}

// meetingCalendarKinds are the notices that carry the meeting as an .ics.
var meetingCalendarKinds = map[string]bool{models.NoticeAccepted: true, models.NoticeBooked: true, models.NoticeMoved: true, models.NoticeReminder: true}

// meetingICS is meeting mt as a calendar file for the person mailed: the
// same UID as in their agenda's subscription, the table within the venue.
func (r *Renderer) meetingICS(L *translator, e *models.Event, mt *models.Meeting, set *models.NetworkingSetting, other, otherOrg string) []byte {
	cal := calendar.New(e.Title, time.Now())
	cal.Meeting(e, mt, r.baseURL, L.T("meetings.ics.title", "Other", other), otherOrg,
		calendar.MeetingPlace(e, mt.Location, set, mt.RoomCode), r.baseURL+"/events/"+e.Slug+MeetingsAgenda)
	return []byte(cal.String())
}

func (r *Renderer) meetingNoticeData(L *translator, n models.MeetingNotice) (*meetingData, error) {
	var eventID uint
	d := &meetingData{L: L, Kind: n.Kind}
	if n.Kind == models.NoticeSignIn {
		var a models.Attendee
		if err := r.db.Take(&a, n.ParticipantID).Error; err != nil {
			return nil, ErrSkip
		}
		if n.Reason == "" {
			return nil, ErrSkip // the link was used already
		}
		eventID, d.Name = a.EventID, a.Name
	} else {
		var me models.MeetingParticipant
		if err := r.db.Take(&me, n.ParticipantID).Error; err != nil {
			return nil, ErrSkip
		}
		eventID, d.Name = me.EventID, me.Name
		var other models.MeetingParticipant
		if n.OtherID != 0 && r.db.Take(&other, n.OtherID).Error == nil {
			d.Other, d.OtherOrg = other.Name, other.Organization
		}
	}
	var e models.Event
	if err := r.db.Take(&e, eventID).Error; err != nil {
		return nil, err
	}
	ed := r.eventData(L, e)
	d.Event, d.When, d.Place, d.EventURL = e, ed.When, ed.Place, ed.EventURL
	loc := e.Location()
	set, err := models.NetworkingFor(r.db, e.ID)
	if err != nil {
		return nil, err
	}
	if n.RequestID != 0 {
		var q models.MeetingRequest
		if r.db.Preload("Slot").Take(&q, n.RequestID).Error == nil {
			d.Time = L.DateTime(q.Slot.StartsAt.In(loc)) + "–" + q.Slot.EndsAt.In(loc).Format("15:04")
			d.Message = q.Message
		}
	}
	if n.MeetingID != 0 {
		var mt models.Meeting
		if r.db.Preload("Slot").Preload("Location").Take(&mt, n.MeetingID).Error == nil {
			if n.Kind == models.NoticeReminder && mt.Status != models.MeetingActive {
				return nil, ErrSkip
			}
			d.Time = L.DateTime(mt.Slot.StartsAt.In(loc)) + "–" + mt.Slot.EndsAt.In(loc).Format("15:04")
			d.Location = mt.Location.Name
			if mt.Location.Online && set.OnlineLinkTemplate != "" {
				d.Location = set.OnlineLink(mt.RoomCode)
			}
			if meetingCalendarKinds[n.Kind] && mt.Status == models.MeetingActive {
				d.ics = r.meetingICS(L, &e, &mt, set, d.Other, d.OtherOrg)
			}
		}
	}
	base := r.baseURL + "/events/" + e.Slug
	switch n.Kind {
	case models.NoticeSignIn:
		d.Link, d.Button = base+MeetingsSignIn+n.Reason, "mail.meeting.button.signin"
	case models.NoticeRequest, models.NoticeProposed:
		d.Link, d.Button, d.Message = base+MeetingsInbox, "mail.meeting.button.answer", n.Reason
	default:
		d.Link, d.Button, d.Reason = base+MeetingsAgenda, "mail.meeting.button.agenda", n.Reason
	}
	return d, nil
}
