package models

import (
	"strings"
	"time"

	"gorm.io/gorm"
)

// AttendeeDetails are the facts about a person they may change themselves
// after registering: name, organization and access needs. (The e-mail
// address is not among them: it is how their links and sign-ins find them.)
type AttendeeDetails struct {
	Name         string
	Organization string
	Needs        AccessNeeds
	NeedsNote    string
}

// UpdateAttendeeDetails changes an active attendee's details after the
// registration form's checks (trimmed, required name, the same limits);
// problems come back as *ValidationError with fields named "name",
// "organization", "needs.interpretation", "needs.dietary", "note".
func UpdateAttendeeDetails(db *gorm.DB, attendeeID uint, d AttendeeDetails, now time.Time) error {
	var a Attendee
	if err := db.Take(&a, attendeeID).Error; err != nil {
		return err
	}
	if a.Status != AttendeeActive || a.AnonymisedAt != nil {
		return ErrAttendeeNotActive
	}
	in := PlaceOrderInput{BuyerName: "x", BuyerEmail: "x@x.example", Attendees: []AttendeeInput{{
		Name: d.Name, Email: "x@x.example", Organization: d.Organization, Needs: d.Needs, NeedsNote: d.NeedsNote}}}
	TrimRegistration(&in)
	var ps []Problem
	for _, p := range ValidateRegistration(in, RegistrationForm{TicketType: TicketType{MaxPerOrder: 1}}) {
		if f, ok := strings.CutPrefix(p.Field, "attendees.0."); ok && f != "email" {
			p.Field = f
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	t := in.Attendees[0]
	return db.Transaction(func(tx *gorm.DB) error {
		return updateAttendeeDetails(tx, a.EventID, a.ID, t, now)
	})
}

func updateAttendeeDetails(db *gorm.DB, eventID, id uint, t AttendeeInput, now time.Time) error {
	res := db.Model(&Attendee{}).Where("id = ? AND status = ? AND anonymised_at IS NULL", id, AttendeeActive).Updates(map[string]any{
		"name": t.Name, "organization": t.Organization, "need_step_free": t.Needs.StepFree, "need_interpretation": t.Needs.Interpretation,
		"need_easy_read": t.Needs.EasyRead, "need_dietary": t.Needs.Dietary, "need_companion": t.Needs.Companion,
		"needs_note": t.NeedsNote, "updated_at": now.UTC(),
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrAttendeeNotActive
	}
	return attendeeWebhook(db, WebhookAttendeeChanged, eventID, id, changeStamp(now), now, map[string]any{"change": "details"})
}
