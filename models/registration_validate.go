package models

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Field limits of a registration; longer input is refused with a message,
// never cut silently.
const (
	MaxNameLen     = 200
	MaxEmailLen    = 254
	MaxOrgLen      = 200
	MaxNeedLen     = 500
	MaxNoteLen     = 2000
	MaxAnswerLen   = 2000
	MaxAttendeeCap = 50 // no order holds more, whatever the ticket type says
)

// Problem codes returned by ValidateRegistration. The UI maps each to a
// translated message (e.g. "registration.error." + Code).
const (
	ProblemRequired      = "required"
	ProblemTooLong       = "too_long"
	ProblemEmailInvalid  = "email_invalid"
	ProblemInvalidChoice = "invalid_choice"
	ProblemConsentNeeded = "consent_required"
	ProblemInvalid       = "invalid"
	ProblemTooMany       = "too_many"
	ProblemTooFew        = "too_few"
)

// Problem is one thing wrong with one field. Field names are stable so the
// UI can put the message beside the right input:
//
//	buyer_name, buyer_email, language, attendees
//	attendees.N.name, .email, .organization, .category, .note,
//	attendees.N.needs.interpretation, attendees.N.needs.dietary,
//	attendees.N.answers.QID, attendees.N.consents.KIND, attendees.N.sessions
//
// (N counts from 0.) Max is the limit for too_long and too_many.
type Problem struct {
	Field string
	Code  string
	Max   int
}

// RegistrationForm is what a registration is validated against: the ticket
// type chosen, the event's questions, current consent texts and the sessions
// open for sign-up. Loading it is the caller's job; validating is pure.
type RegistrationForm struct {
	TicketType     TicketType
	Questions      []Question
	ConsentTexts   []ConsentText // every version that may be agreed to
	SignupSessions []Session     // sessions with SignUp of this event
}

// AttendeeInput is one person on a registration.
type AttendeeInput struct {
	Name         string
	Email        string
	Organization string
	// Category defaults to the ticket type's category when empty.
	Category  string
	Needs     AccessNeeds
	NeedsNote string
	// Answers maps question id to value ("yes" or "" for a checkbox).
	Answers map[uint]string
	// ConsentTextIDs are the consent text versions the person agreed to, as
	// shown on the form they posted.
	ConsentTextIDs []uint
	SessionIDs     []uint
}

// ValidateRegistration checks a registration's buyer and attendees against
// form and returns every problem found (nil when there are none). It trims
// nothing: callers pass trimmed input (TrimRegistration).
func ValidateRegistration(in PlaceOrderInput, form RegistrationForm) []Problem {
	ContactAsFirstAttendee(&in)
	var ps []Problem
	add := func(field, code string, max int) { ps = append(ps, Problem{field, code, max}) }
	text := func(field, v string, required bool, max int) {
		switch {
		case v == "" && required:
			add(field, ProblemRequired, 0)
		case utf8.RuneCountInString(v) > max:
			add(field, ProblemTooLong, max)
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			add(field, ProblemInvalid, 0)
		}
	}
	email := func(field, v string) {
		text(field, v, true, MaxEmailLen)
		if v != "" && len(v) <= MaxEmailLen && !ValidEmail(v) {
			add(field, ProblemEmailInvalid, 0)
		}
	}
	text("buyer_name", in.BuyerName, true, MaxNameLen)
	email("buyer_email", in.BuyerEmail)
	max := form.TicketType.MaxAttendees()
	if max > MaxAttendeeCap {
		max = MaxAttendeeCap
	}
	switch {
	case len(in.Attendees) == 0:
		add("attendees", ProblemTooFew, 0)
	case len(in.Attendees) > max:
		add("attendees", ProblemTooMany, max)
		return ps // do not list problems of attendees that cannot be registered anyway
	}
	questions := map[uint]Question{}
	for _, q := range form.Questions {
		questions[q.ID] = q
	}
	consents := map[uint]ConsentText{}
	hasPrivacy := false
	for _, c := range form.ConsentTexts {
		consents[c.ID] = c
		hasPrivacy = hasPrivacy || c.Kind == ConsentPrivacy
	}
	sessions := map[uint]bool{}
	for _, s := range form.SignupSessions {
		sessions[s.ID] = s.SignUp
	}
	for i, a := range in.Attendees {
		p := "attendees." + strconv.Itoa(i) + "."
		if i > 0 || !in.ContactAttends { // else they are the buyer's, checked above: each problem once
			text(p+"name", a.Name, true, MaxNameLen)
			email(p+"email", a.Email)
		}
		text(p+"organization", a.Organization, false, MaxOrgLen)
		if a.Category != "" && !ValidCategory(a.Category) {
			add(p+"category", ProblemInvalidChoice, 0)
		}
		text(p+"needs.interpretation", a.Needs.Interpretation, false, MaxNeedLen)
		text(p+"needs.dietary", a.Needs.Dietary, false, MaxNeedLen)
		text(p+"note", a.NeedsNote, false, MaxNoteLen)
		for qid := range a.Answers {
			if _, ok := questions[qid]; !ok {
				add(p+"answers."+strconv.FormatUint(uint64(qid), 10), ProblemInvalid, 0)
			}
		}
		for _, q := range form.Questions {
			f := p + "answers." + strconv.FormatUint(uint64(q.ID), 10)
			v := a.Answers[q.ID]
			switch q.Kind {
			case QuestionCheckbox:
				if v != "" && v != CheckboxYes {
					add(f, ProblemInvalid, 0)
				} else if q.Required && v == "" {
					add(f, ProblemRequired, 0)
				}
			case QuestionChoice:
				if v == "" {
					if q.Required {
						add(f, ProblemRequired, 0)
					}
				} else if !contains(q.OptionList(), v) {
					add(f, ProblemInvalidChoice, 0)
				}
			default:
				text(f, v, q.Required, MaxAnswerLen)
			}
		}
		agreedPrivacy := false
		seenKind := map[string]bool{}
		for _, id := range a.ConsentTextIDs {
			c, ok := consents[id]
			if !ok || seenKind[c.Kind] {
				add(p+"consents", ProblemInvalid, 0)
				continue
			}
			seenKind[c.Kind] = true
			agreedPrivacy = agreedPrivacy || c.Kind == ConsentPrivacy
		}
		if hasPrivacy && !agreedPrivacy {
			add(p+"consents."+ConsentPrivacy, ProblemConsentNeeded, 0)
		}
		seen := map[uint]bool{}
		for _, sid := range a.SessionIDs {
			if !sessions[sid] || seen[sid] {
				add(p+"sessions", ProblemInvalid, 0)
				break
			}
			seen[sid] = true
		}
	}
	return ps
}

// ValidEmail reports whether s is one plain address ("a@b.example"), with no
// display name, and a dot in the domain.
func ValidEmail(s string) bool {
	if len(s) > MaxEmailLen || strings.ContainsAny(s, " <>\r\n,;") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, ".")
}

// TrimRegistration trims spaces from the text a person typed and normalises
// e-mail addresses, so "  Ana " and "Ana" are one name. It replaces the
// attendee slice and answer maps with trimmed copies and never writes into
// the caller's, so one input may be shared between goroutines.
func TrimRegistration(in *PlaceOrderInput) {
	in.BuyerName = strings.TrimSpace(in.BuyerName)
	in.BuyerEmail = NormalizeEmail(in.BuyerEmail)
	in.Attendees = append([]AttendeeInput(nil), in.Attendees...)
	for i := range in.Attendees {
		a := &in.Attendees[i]
		answers := make(map[uint]string, len(a.Answers))
		for k, v := range a.Answers {
			answers[k] = v
		}
		a.Answers = answers
		a.ConsentTextIDs = append([]uint(nil), a.ConsentTextIDs...)
		a.SessionIDs = append([]uint(nil), a.SessionIDs...)
		a.Name = strings.TrimSpace(a.Name)
		a.Email = NormalizeEmail(a.Email)
		a.Organization = strings.TrimSpace(a.Organization)
		a.Needs.Interpretation = strings.TrimSpace(a.Needs.Interpretation)
		a.Needs.Dietary = strings.TrimSpace(a.Needs.Dietary)
		a.NeedsNote = strings.TrimSpace(a.NeedsNote)
		for k, v := range a.Answers {
			a.Answers[k] = strings.TrimSpace(v)
		}
	}
	ContactAsFirstAttendee(in)
}

// ContactAsFirstAttendee applies ContactAttends: the buyer's name and e-mail
// become the first attendee's. It replaces the attendee slice, never
// writing into the caller's. This is the one place the rule is written.
func ContactAsFirstAttendee(in *PlaceOrderInput) {
	if !in.ContactAttends || len(in.Attendees) == 0 {
		return
	}
	in.Attendees = append([]AttendeeInput(nil), in.Attendees...)
	in.Attendees[0].Name, in.Attendees[0].Email = in.BuyerName, in.BuyerEmail
}

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
