package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/app/calendar"
	"github.com/agora-events/agora/models"
)

// agendaItem is one line of a personal agenda: a meeting or a session.
type agendaItem struct {
	Meeting *models.Meeting
	Other   models.MeetingParticipant
	Place   string
	Session *models.Session
}

// personalAgenda lists a participant's active meetings and their attendee's
// chosen sessions, in time order.
func (a *App) personalAgenda(set *models.NetworkingSetting, p *models.MeetingParticipant, attendeeID uint) ([]agendaItem, []models.Session, error) {
	var ms []models.Meeting
	if p != nil {
		if err := a.db.Preload("Slot").Preload("Location").Preload("A").Preload("B").
			Where("status = ? AND (a_participant_id = ? OR b_participant_id = ?)", models.MeetingActive, p.ID, p.ID).Find(&ms).Error; err != nil {
			return nil, nil, err
		}
	}
	items := make([]agendaItem, 0, len(ms))
	for i := range ms {
		m := &ms[i]
		it := agendaItem{Meeting: m, Other: m.A, Place: m.Location.Name}
		if m.AParticipantID == p.ID {
			it.Other = m.B
		}
		if m.Location.Online && set.OnlineLinkTemplate != "" {
			it.Place = set.OnlineLink(m.RoomCode)
		}
		items = append(items, it)
	}
	// Sorted by slot start.
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].Meeting.Slot.StartsAt.Before(items[j-1].Meeting.Slot.StartsAt); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	var sessions []models.Session
	err := a.db.Joins("JOIN session_signups ON session_signups.session_id = sessions.id").
		Where("session_signups.attendee_id = ?", attendeeID).Order("starts_at, sessions.id").Find(&sessions).Error
	return items, sessions, err
}

func (a *App) meetingAgenda(c *fiber.Ctx) error {
	mc := meetingContext(c)
	items, sessions, err := a.personalAgenda(mc.Set, mc.Me, mc.Attendee.ID)
	if err != nil {
		return errInternal("agenda", err)
	}
	ics := ""
	if mc.Me != nil {
		ics = a.cfg.BaseURL + meetingsBase(mc.Event) + "/agenda/" + mc.Me.CalendarToken + ".ics"
	}
	return a.render(c, "meetings/agenda", fiber.Map{"M": mc, "Items": items, "Sessions": sessions, "ICS": ics, "Loc": mc.Event.Location()})
}

// meetingAgendaICS is the secret subscription URL calendar apps follow.
func (a *App) meetingAgendaICS(c *fiber.Ctx) error {
	e, set, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	tok := c.Params("token")
	if !models.LooksLikeSecret(tok) {
		return errNotFound()
	}
	var p models.MeetingParticipant
	if err := a.db.Where("event_id = ? AND calendar_token = ?", e.ID, tok).Take(&p).Error; err != nil {
		return dbErr("load participant", err)
	}
	items, sessions, err := a.personalAgenda(set, &p, p.AttendeeID)
	if err != nil {
		return errInternal("agenda", err)
	}
	L := newTranslator(a.bundle, a.lang(c))
	cal := newCalendar(e, a.now())
	url := a.cfg.BaseURL + meetingsBase(e) + "/agenda"
	for _, it := range items {
		m := it.Meeting
		cal.Meeting(e, m, a.cfg.BaseURL, L.T("meetings.ics.title", "Other", it.Other.Name), strings.TrimSpace(it.Other.Organization),
			calendar.MeetingPlace(e, m.Location, set, m.RoomCode), url)
	}
	for i := range sessions {
		cal.Session(e, &sessions[i], a.cfg.BaseURL, "")
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.SendString(cal.String())
}
