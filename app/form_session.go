package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

const (
	maxSessionTitle       = 200
	maxSessionDescription = 5000
	maxSessionCapacity    = 100000
)

// SessionForm is the session form as typed.
type SessionForm struct {
	Title       string
	Description string
	Format      string
	StartsAt    string
	EndsAt      string
	RoomID      string
	TrackID     string
	SpeakerIDs  []string
	Capacity    string
	SignUp      bool
	// AttendanceCounted gives the session its own check-in list.
	AttendanceCounted bool
}

func parseSessionForm(c *fiber.Ctx) SessionForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := SessionForm{Title: v("title"), Description: strings.TrimRight(c.FormValue("description"), " \t\r\n"),
		Format: v("format"), StartsAt: v("starts_at"), EndsAt: v("ends_at"), RoomID: v("room_id"),
		TrackID: v("track_id"), Capacity: v("capacity"), SignUp: c.FormValue("sign_up") != "",
		AttendanceCounted: c.FormValue("attendance_counted") != ""}
	for _, b := range c.Request().PostArgs().PeekMulti("speaker_ids") {
		f.SpeakerIDs = append(f.SpeakerIDs, strings.TrimSpace(string(b)))
	}
	return f
}

func sessionFormFrom(s *models.Session, loc *time.Location) SessionForm {
	f := SessionForm{Title: s.Title, Description: s.Description, Format: s.Format,
		StartsAt: s.StartsAt.In(loc).Format("2006-01-02T15:04"), EndsAt: s.EndsAt.In(loc).Format("2006-01-02T15:04"),
		Capacity: itoa(s.Capacity), SignUp: s.SignUp, AttendanceCounted: s.AttendanceCounted}
	if s.RoomID != nil {
		f.RoomID = itoa(int(*s.RoomID))
	}
	if s.TrackID != nil {
		f.TrackID = itoa(int(*s.TrackID))
	}
	for _, sp := range s.Speakers {
		f.SpeakerIDs = append(f.SpeakerIDs, itoa(int(sp.ID)))
	}
	return f
}

// HasSpeaker reports whether the form has the speaker id ticked (for the checkboxes).
func (f SessionForm) HasSpeaker(id uint) bool {
	for _, s := range f.SpeakerIDs {
		if s == itoa(int(id)) {
			return true
		}
	}
	return false
}

// Validate checks the form against the event (times inside it) and its
// agenda (room, track and speakers must be the event's own).
func (f SessionForm) Validate(e *models.Event, ag *models.Agenda) FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "title", f.Title)
	checkLen(errs, "title", f.Title, maxSessionTitle)
	checkLen(errs, "description", f.Description, maxSessionDescription)
	if !models.ValidFormat(f.Format) {
		errs.Add("format", "form.choose")
	}
	loc := e.Location()
	start, okStart := SessionForm{}.time(errs, "starts_at", f.StartsAt, loc)
	end, okEnd := SessionForm{}.time(errs, "ends_at", f.EndsAt, loc)
	if okStart && okEnd {
		switch {
		case !end.After(start):
			errs.Add("ends_at", "form.end_before_start")
		case start.Before(e.StartsAt):
			errs.Add("starts_at", "session.outside_event")
		case end.After(e.EndsAt):
			errs.Add("ends_at", "session.outside_event")
		}
	}
	if f.RoomID != "" && !hasID(parseID(f.RoomID), len(ag.Rooms), func(i int) uint { return ag.Rooms[i].ID }) {
		errs.Add("room_id", "form.choose_listed")
	}
	if f.TrackID != "" && !hasID(parseID(f.TrackID), len(ag.Tracks), func(i int) uint { return ag.Tracks[i].ID }) {
		errs.Add("track_id", "form.choose_listed")
	}
	for _, s := range f.SpeakerIDs {
		if !hasID(parseID(s), len(ag.Speakers), func(i int) uint { return ag.Speakers[i].ID }) {
			errs.Add("speaker_ids", "form.choose_listed")
		}
	}
	parseCount(errs, "capacity", f.Capacity, maxSessionCapacity)
	return errs
}

func (SessionForm) time(errs FieldErrors, field, value string, loc *time.Location) (time.Time, bool) {
	if value == "" {
		errs.Add(field, "form.required")
		return time.Time{}, false
	}
	t, ok := parseLocal(value, loc)
	if !ok {
		errs.Add(field, "form.bad_datetime")
	}
	return t, ok
}

func hasID(id uint, n int, at func(int) uint) bool {
	if id == 0 {
		return false
	}
	for i := 0; i < n; i++ {
		if at(i) == id {
			return true
		}
	}
	return false
}

// Apply copies a validated form onto s and returns the chosen speaker ids.
func (f SessionForm) Apply(e *models.Event, s *models.Session) []uint {
	loc := e.Location()
	s.EventID = e.ID
	s.Title, s.Description, s.Format, s.SignUp = f.Title, f.Description, f.Format, f.SignUp
	s.AttendanceCounted = f.AttendanceCounted
	if t, ok := parseLocal(f.StartsAt, loc); ok {
		s.StartsAt = t.UTC()
	}
	if t, ok := parseLocal(f.EndsAt, loc); ok {
		s.EndsAt = t.UTC()
	}
	s.RoomID, s.TrackID = nil, nil
	if id := parseID(f.RoomID); id != 0 {
		s.RoomID = &id
	}
	if id := parseID(f.TrackID); id != 0 {
		s.TrackID = &id
	}
	s.Capacity = parseCount(FieldErrors{}, "", f.Capacity, maxSessionCapacity)
	var ids []uint
	for _, v := range f.SpeakerIDs {
		if id := parseID(v); id != 0 {
			ids = append(ids, id)
		}
	}
	return ids
}
