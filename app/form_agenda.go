package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/agora-events/agora/models"
)

// Limits of the room, track and speaker forms, matching the columns.
const (
	maxAgendaName   = 120
	maxSpeakerField = 200
	maxSpeakerBio   = 5000
	maxRoomCapacity = 100000
)

// RoomForm is the add/edit room form as typed.
type RoomForm struct {
	Name     string
	Capacity string
}

func parseRoomForm(c *fiber.Ctx) RoomForm {
	return RoomForm{Name: strings.TrimSpace(c.FormValue("room_name")), Capacity: strings.TrimSpace(c.FormValue("room_capacity"))}
}

func roomFormFrom(r models.Room) RoomForm { return RoomForm{Name: r.Name, Capacity: itoa(r.Capacity)} }

// Validate checks the room form; field keys are the input names.
func (f RoomForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "room_name", f.Name)
	checkLen(errs, "room_name", f.Name, maxAgendaName)
	parseCount(errs, "room_capacity", f.Capacity, maxRoomCapacity)
	return errs
}

// Columns returns the validated values to store.
func (f RoomForm) Columns() map[string]any {
	return map[string]any{"name": f.Name, "capacity": parseCount(FieldErrors{}, "", f.Capacity, maxRoomCapacity)}
}

// TrackForm is the add/edit track form as typed.
type TrackForm struct{ Name string }

func parseTrackForm(c *fiber.Ctx) TrackForm {
	return TrackForm{Name: strings.TrimSpace(c.FormValue("track_name"))}
}

// Validate checks the track form.
func (f TrackForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "track_name", f.Name)
	checkLen(errs, "track_name", f.Name, maxAgendaName)
	return errs
}

// SpeakerForm is the add/edit speaker form as typed.
type SpeakerForm struct {
	Name         string
	Role         string
	Organization string
	Bio          string
}

func parseSpeakerForm(c *fiber.Ctx) SpeakerForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return SpeakerForm{Name: v("speaker_name"), Role: v("speaker_role"), Organization: v("speaker_organization"), Bio: v("speaker_bio")}
}

func speakerFormFrom(s models.Speaker) SpeakerForm {
	return SpeakerForm{Name: s.Name, Role: s.Role, Organization: s.Organization, Bio: s.Bio}
}

// Validate checks the speaker form.
func (f SpeakerForm) Validate() FieldErrors {
	errs := FieldErrors{}
	checkRequired(errs, "speaker_name", f.Name)
	checkLen(errs, "speaker_name", f.Name, maxSpeakerField)
	checkLen(errs, "speaker_role", f.Role, maxSpeakerField)
	checkLen(errs, "speaker_organization", f.Organization, maxSpeakerField)
	checkLen(errs, "speaker_bio", f.Bio, maxSpeakerBio)
	return errs
}

// Columns returns the validated values to store.
func (f SpeakerForm) Columns() map[string]any {
	return map[string]any{"name": f.Name, "role": f.Role, "organization": f.Organization, "bio": f.Bio}
}
