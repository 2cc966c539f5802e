package api

import (
	"time"

	"github.com/agora-events/agora/models"
)

// Session is one item of an event's programme.
type Session struct {
	ID                uint      `json:"id" doc:"The session's id."`
	Title             Texts     `json:"title" doc:"The title in each language."`
	Description       Texts     `json:"description" doc:"Markdown."`
	Format            string    `json:"format" enum:"talk,panel,agora,workshop,networking" doc:"What kind of session it is."`
	StartsAt          time.Time `json:"starts_at" doc:"Start, UTC."`
	EndsAt            time.Time `json:"ends_at" doc:"End, UTC."`
	RoomID            *uint     `json:"room_id,omitempty" doc:"The room (see the rooms list); absent when none is set."`
	TrackID           *uint     `json:"track_id,omitempty" doc:"The track (see the tracks list); absent when none is set."`
	SpeakerIDs        []uint    `json:"speaker_ids" doc:"The session's speakers (see the speakers list)."`
	SignUp            bool      `json:"sign_up" doc:"People choose this session when they register; its capacity limits them."`
	Capacity          int       `json:"capacity" doc:"Places for sign-up; 0 = no limit."`
	PlacesTaken       int       `json:"places_taken" doc:"People signed up (and places held for the waiting list)."`
	PlacesLeft        *int      `json:"places_left,omitempty" doc:"Places left for sign-up; absent when there is no limit or no sign-up."`
	AttendanceCounted bool      `json:"attendance_counted" doc:"Attendance is checked in on the session's own list (certificates)."`
}

func sessionJSON(s models.Session, ct *models.Content, langs []string) Session {
	out := Session{ID: s.ID, Format: s.Format, StartsAt: s.StartsAt.UTC(), EndsAt: s.EndsAt.UTC(), RoomID: s.RoomID, TrackID: s.TrackID,
		Title:       texts(ct, langs, models.OwnerSession, s.ID, "title", s.Title),
		Description: texts(ct, langs, models.OwnerSession, s.ID, "description", s.Description),
		SpeakerIDs:  make([]uint, 0, len(s.Speakers)),
		SignUp:      s.SignUp, Capacity: s.Capacity, PlacesTaken: s.PlacesTaken, AttendanceCounted: s.AttendanceCounted}
	for _, sp := range s.Speakers {
		out.SpeakerIDs = append(out.SpeakerIDs, sp.ID)
	}
	if s.SignUp && s.Capacity > 0 {
		left := max(s.Capacity-s.PlacesTaken, 0)
		out.PlacesLeft = &left
	}
	return out
}

// Room is a place within the event's venue.
type Room struct {
	ID       uint  `json:"id" doc:"The room's id."`
	Name     Texts `json:"name" doc:"The name in each language."`
	Capacity int   `json:"capacity" doc:"Seats; 0 = not given."`
}

func roomJSON(r models.Room, ct *models.Content, langs []string) Room {
	return Room{ID: r.ID, Name: texts(ct, langs, models.OwnerRoom, r.ID, "name", r.Name), Capacity: r.Capacity}
}

// Track groups sessions by theme.
type Track struct {
	ID   uint  `json:"id" doc:"The track's id."`
	Name Texts `json:"name" doc:"The name in each language."`
}

func trackJSON(t models.Track, ct *models.Content, langs []string) Track {
	return Track{ID: t.ID, Name: texts(ct, langs, models.OwnerTrack, t.ID, "name", t.Name)}
}

// Speaker is a person speaking at the event, as the event page shows them.
type Speaker struct {
	ID           uint   `json:"id" doc:"The speaker's id."`
	Name         string `json:"name" doc:"As the event page shows it."`
	Role         string `json:"role,omitempty" doc:"Their role or title."`
	Organization string `json:"organization,omitempty" doc:"Where they work."`
	Bio          Texts  `json:"bio" doc:"Markdown."`
	SessionIDs   []uint `json:"session_ids" doc:"The sessions the speaker speaks in."`
}

func speakerJSON(s models.Speaker, ct *models.Content, langs []string, sessions []uint) Speaker {
	if sessions == nil {
		sessions = []uint{}
	}
	return Speaker{ID: s.ID, Name: s.Name, Role: s.Role, Organization: s.Organization,
		Bio: texts(ct, langs, models.OwnerSpeaker, s.ID, "bio", s.Bio), SessionIDs: sessions}
}

// TicketType is what a person registers for, with what is left of it now.
type TicketType struct {
	ID           uint         `json:"id" doc:"The ticket type's id (for registrations)."`
	Name         Texts        `json:"name" doc:"The name in each language."`
	Description  Texts        `json:"description" doc:"The description in each language."`
	Price        int64        `json:"price" doc:"In minor units of the currency (cents); 0 = free."`
	Currency     string       `json:"currency" doc:"ISO 4217 code."`
	Category     string       `json:"category" enum:"patient_citizen,carer,clinician,researcher,industry,public_authority,other" doc:"The participant category the ticket is meant for."`
	MaxPerOrder  int          `json:"max_per_order" doc:"Most people one registration of this type may hold."`
	Hidden       bool         `json:"hidden" doc:"Sold only through a secret link or voucher; never in the public API."`
	Position     int          `json:"position" doc:"Display order."`
	SalesStartAt *time.Time   `json:"sales_start_at,omitempty" doc:"Sales open at (absent: open now)."`
	SalesEndAt   *time.Time   `json:"sales_end_at,omitempty" doc:"Sales close at (absent: until registration closes)."`
	Availability Availability `json:"availability" doc:"What is left now."`
	CreatedAt    time.Time    `json:"created_at" doc:"When the ticket type was made."`
	UpdatedAt    time.Time    `json:"updated_at" doc:"When the ticket type itself last changed; places taken change without it."`
}

// Availability is what is left of a ticket type at the time of the answer.
type Availability struct {
	Capacity    int  `json:"capacity" doc:"The ticket type's own limit; 0 = none."`
	PlacesTaken int  `json:"places_taken" doc:"Places of pending and confirmed registrations (and offers to the waiting list)."`
	PlacesLeft  *int `json:"places_left,omitempty" doc:"Places left, counting the event's overall capacity too; absent when neither limits it."`
	OnSale      bool `json:"on_sale" doc:"Now is inside the ticket type's sales window."`
	SoldOut     bool `json:"sold_out" doc:"No place left on the ticket type or the event."`
	Available   bool `json:"available" doc:"Someone could register for it now: the event takes registrations, it is on sale and not sold out."`
}

func (s *Server) ticketTypeJSON(t models.TicketType, e *models.Event, ct *models.Content, langs []string) TicketType {
	return TicketType{ID: t.ID, Price: t.Price, Currency: t.Currency, Category: t.Category, MaxPerOrder: t.MaxAttendees(),
		Name:        texts(ct, langs, models.OwnerTicketType, t.ID, "name", t.Name),
		Description: texts(ct, langs, models.OwnerTicketType, t.ID, "description", t.Description),
		Hidden:      t.Hidden, Position: t.Position, SalesStartAt: t.SalesStartAt, SalesEndAt: t.SalesEndAt,
		Availability: availability(t, e, s.d.Now()), CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

// availability reads the ticket type's and the event's counters with the
// models' own rules (PlacesLeft, OnSale, RegistrationOpen).
func availability(t models.TicketType, e *models.Event, now time.Time) Availability {
	out := Availability{Capacity: t.Capacity, PlacesTaken: t.PlacesTaken, OnSale: t.OnSale(now)}
	left := t.PlacesLeft()
	if e.Capacity > 0 {
		ev := max(e.Capacity-e.PlacesTaken, 0)
		if left < 0 || ev < left {
			left = ev
		}
	}
	if left >= 0 {
		out.PlacesLeft = &left
	}
	out.SoldOut = left == 0
	out.Available = models.RegistrationOpen(*e, now) && out.OnSale && !out.SoldOut
	return out
}
