package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// meetingCtx is what every networking page of a signed-in attendee knows.
type meetingCtx struct {
	Event    *models.Event
	Set      *models.NetworkingSetting
	Attendee *models.Attendee
	Me       *models.MeetingParticipant // nil until they opt in
}

// sessMeetingKey scopes a networking sign-in to one event.
func sessMeetingKey(eventID uint) string { return "mtg." + strconv.FormatUint(uint64(eventID), 10) }

// networkingEvent loads a published event whose networking is on.
func (a *App) networkingEvent(c *fiber.Ctx) (*models.Event, *models.NetworkingSetting, error) {
	e, err := models.PublicEventBySlug(a.db, c.Params("slug"))
	if err != nil {
		return nil, nil, dbErr("load event", err)
	}
	set, err := models.NetworkingFor(a.db, e.ID)
	if err != nil {
		return nil, nil, errInternal("load networking", err)
	}
	if !set.Enabled {
		return nil, nil, errNotFound()
	}
	return e, set, nil
}

// requireMeetingAttendee lets through attendees signed in to this event's
// networking who are still eligible; others go to the sign-in page.
func (a *App) requireMeetingAttendee(c *fiber.Ctx) error {
	e, set, err := a.networkingEvent(c)
	if err != nil {
		return err
	}
	s, err := a.session(c)
	if err != nil {
		return errInternal("session", err)
	}
	aid, _ := s.Get(sessMeetingKey(e.ID)).(uint)
	if aid == 0 {
		return c.Redirect("/events/"+e.Slug+"/meetings/signin", fiber.StatusSeeOther)
	}
	att, err := models.NetworkingAttendee(a.db, set, aid)
	if errors.Is(err, models.ErrNotEligible) {
		s.Delete(sessMeetingKey(e.ID))
		_ = s.Save()
		return c.Redirect("/events/"+e.Slug+"/meetings/signin", fiber.StatusSeeOther)
	}
	if err != nil {
		return errInternal("load attendee", err)
	}
	me, err := models.ParticipantOf(a.db, e.ID, att.ID)
	if err != nil {
		return errInternal("load participant", err)
	}
	if me != nil && !me.Active {
		me = nil
	}
	c.Locals("agora.meeting", &meetingCtx{Event: e, Set: set, Attendee: att, Me: me})
	return c.Next()
}

func meetingContext(c *fiber.Ctx) *meetingCtx {
	mc, _ := c.Locals("agora.meeting").(*meetingCtx)
	return mc
}

// meetingsBase is the networking home of an event.
func meetingsBase(e *models.Event) string { return "/events/" + e.Slug + "/meetings" }

// signInAttendee stores the attendee in the session, under a new session id.
func (a *App) signInAttendee(c *fiber.Ctx, eventID, attendeeID uint) error {
	s, err := a.session(c)
	if err != nil {
		return errInternal("session", err)
	}
	if err := s.Regenerate(); err != nil {
		return errInternal("session", err)
	}
	s.Set(sessMeetingKey(eventID), attendeeID)
	return s.Save()
}

// needProfile sends attendees who have not opted in to the networking home.
func needProfile(c *fiber.Ctx, mc *meetingCtx) error {
	if mc.Me == nil {
		return c.Redirect(meetingsBase(mc.Event), fiber.StatusSeeOther)
	}
	return nil
}

// meetingErrorMsg maps a rule's error to the message a person sees; ok is
// false for an unexpected error.
func meetingErrorMsg(err error) (string, bool) {
	switch {
	case errors.Is(err, models.ErrSlotTaken):
		return "meetings.err.slot_taken", true
	case errors.Is(err, models.ErrTableTaken), errors.Is(err, models.ErrNoLocationFree):
		return "meetings.err.no_table", true
	case errors.Is(err, models.ErrSlotNotFree):
		return "meetings.err.slot_not_free", true
	case errors.Is(err, models.ErrNotAvailable):
		return "meetings.err.not_available", true
	case errors.Is(err, models.ErrMeetingLimit):
		return "meetings.err.limit", true
	case errors.Is(err, models.ErrPendingLimit):
		return "meetings.err.pending_limit", true
	case errors.Is(err, models.ErrSelfRequest):
		return "meetings.err.self", true
	case errors.Is(err, models.ErrNotParticipant):
		return "meetings.err.not_participant", true
	case errors.Is(err, models.ErrAlreadyRequested):
		return "meetings.err.already_requested", true
	case errors.Is(err, models.ErrRequestNotPending):
		return "meetings.err.not_pending", true
	case errors.Is(err, models.ErrMeetingNotActive):
		return "meetings.err.not_active", true
	case errors.Is(err, models.ErrWrongMode):
		return "meetings.err.wrong_mode", true
	case errors.Is(err, models.ErrNetworkingOff):
		return "meetings.err.off", true
	case errors.Is(err, models.ErrBlockInUse):
		return "meetings.err.in_use", true
	case errors.Is(err, models.ErrTableClosed):
		return "meetings.err.table_closed", true
	case errors.Is(err, models.ErrCellHasMeeting):
		return "meetings.err.has_meeting", true
	}
	return "", false
}
