package app

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// staffRegisterForm is the organizer's "register someone" form: the public
// form's fields (ticket_type_id, buyer_*, attendees.N.*) plus kind,
// language and send_confirmation.
type staffRegisterForm struct {
	registerForm
	Kind     string
	Language string
	Send     bool
}

func blankStaffRegisterForm(n int, lang string) staffRegisterForm {
	return staffRegisterForm{registerForm: blankRegisterForm(0, n, randomToken(24)), Kind: models.StaffComplimentary,
		Language: lang, Send: true}
}

func parseStaffRegisterForm(v url.Values) staffRegisterForm {
	f := staffRegisterForm{registerForm: parseRegisterForm(v), Kind: strings.TrimSpace(v.Get("kind")),
		Language: strings.TrimSpace(v.Get("language")), Send: v.Get("send_confirmation") == "yes"}
	if len(f.Attendees) == 0 {
		f.Attendees = []attendeeForm{newAttendeeForm()}
	}
	if len(f.IdempotencyKey) < 16 || len(f.IdempotencyKey) > 100 {
		f.IdempotencyKey = randomToken(24)
	}
	return f
}

// Validate checks what the domain rule does not: a ticket type, a kind and
// a language chosen from the lists.
func (f staffRegisterForm) Validate() FieldErrors {
	errs := FieldErrors{}
	if f.TicketTypeID == 0 {
		errs.Add("ticket_type_id", "register.error.choose_ticket")
	}
	if !contains(models.StaffKinds, f.Kind) {
		errs.Add("kind", "staffreg.error.kind")
	}
	if !contains(Languages, f.Language) {
		errs.Add("language", "staffreg.error.language")
	}
	return errs
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// attendeeEditForm is the organizer's edit of one attendee: the fields of
// the attendee's own form (name, email, organization, answers.QID,
// needs.*), unprefixed. Without view's permission the sensitive fields are
// not sent on (the rule keeps their stored values).
func attendeeEdit(f attendeeForm, rf *models.RegistrationForm, view models.SensitiveView) models.AttendeeEdit {
	ai := attendeeInput(f, rf, nil)
	return models.AttendeeEdit{Name: f.Name, Email: f.Email, Organization: f.Organization, Answers: ai.Answers,
		Needs: f.Needs, NeedsNote: f.NeedsNote, Sensitive: view.Allowed()}
}

// attendeeFormOf fills the edit form from the stored attendee.
func attendeeFormOf(at *models.Attendee) attendeeForm {
	f := newAttendeeForm()
	f.Name, f.Email, f.Organization, f.Needs, f.NeedsNote = at.Name, at.Email, at.Organization, at.Needs, at.NeedsNote
	for _, ans := range at.Answers {
		f.Answers[strconv.FormatUint(uint64(ans.QuestionID), 10)] = ans.Value
	}
	return f
}
