package app

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/agora-events/agora/models"
)

// Registration form fields (the contract shared with the other pages):
// ticket_type_id, idempotency_key, buyer_name, buyer_email, someone_else
// ("yes" when the contact registers another person: attendee 1's name and
// e-mail are then posted, else they are the contact's), and per attendee
// N (from 0) attendees.N.name, .email, .organization, .answers.<questionID>,
// .needs.<key>, .sessions (repeated), .consents.<kind> = "yes".
// consent_text.<kind> carries the id of the consent text version shown, so
// what a person agrees to is the text they read.

// needKeys are the structured access needs, in the order shown.
var needKeys = []string{"step_free", "interpretation", "easy_read", "dietary", "companion", "note"}

// attendeeForm is one person's part of the form, as typed.
type attendeeForm struct {
	Name         string
	Email        string
	Organization string
	Answers      map[string]string // by question id
	Needs        models.AccessNeeds
	NeedsNote    string
	Sessions     map[string]bool // session id -> chosen
	Consents     map[string]bool // consent kind -> ticked
}

// registerForm is the whole registration form, as typed.
type registerForm struct {
	TicketTypeID   uint
	IdempotencyKey string
	BuyerName      string
	BuyerEmail     string
	// SomeoneElse is the box "I am registering someone else": without it
	// the contact is the first attendee.
	SomeoneElse bool
	Attendees   []attendeeForm
	// ConsentTextIDs maps a consent kind to the text version the form showed.
	ConsentTextIDs map[string]uint
	// VoucherCode is the optional voucher (field voucher_code), as typed.
	VoucherCode string
}

// maxAttendeeIndex bounds the attendee numbers read from a post: anything
// beyond the cap is "too many", without allocating for a forged index.
const maxAttendeeIndex = models.MaxAttendeeCap

func newAttendeeForm() attendeeForm {
	return attendeeForm{Answers: map[string]string{}, Sessions: map[string]bool{}, Consents: map[string]bool{}}
}

// blankRegisterForm is the form for n attendees before anything is typed.
func blankRegisterForm(ticketID uint, n int, key string) registerForm {
	f := registerForm{TicketTypeID: ticketID, IdempotencyKey: key, ConsentTextIDs: map[string]uint{}}
	for i := 0; i < n; i++ {
		f.Attendees = append(f.Attendees, newAttendeeForm())
	}
	return f
}

// parseRegisterForm reads a posted registration. The number of attendees is
// the highest attendee number posted plus one (capped just above the
// largest order allowed, so that "too many" is still reported).
func parseRegisterForm(v url.Values) registerForm {
	f := blankRegisterForm(parseID(v.Get("ticket_type_id")), 0, strings.TrimSpace(v.Get("idempotency_key")))
	f.BuyerName = v.Get("buyer_name")
	f.BuyerEmail = v.Get("buyer_email")
	f.SomeoneElse = v.Get("someone_else") == "yes"
	f.VoucherCode = strings.TrimSpace(v.Get("voucher_code"))
	n := 0
	for k := range v {
		if rest, ok := strings.CutPrefix(k, "attendees."); ok {
			num, _, _ := strings.Cut(rest, ".")
			i, err := strconv.Atoi(num)
			if err != nil || i < 0 {
				continue
			}
			if i > maxAttendeeIndex {
				i = maxAttendeeIndex
			}
			if i+1 > n {
				n = i + 1
			}
		}
		if kind, ok := strings.CutPrefix(k, "consent_text."); ok && models.ValidConsentKind(kind) {
			f.ConsentTextIDs[kind] = parseID(v.Get(k))
		}
	}
	for i := 0; i < n; i++ {
		f.Attendees = append(f.Attendees, parseAttendee(v, "attendees."+strconv.Itoa(i)+"."))
	}
	return f
}

// parseAttendee reads one attendee's fields under prefix p ("attendees.0.").
func parseAttendee(v url.Values, p string) attendeeForm {
	a := newAttendeeForm()
	a.Name = v.Get(p + "name")
	a.Email = v.Get(p + "email")
	a.Organization = v.Get(p + "organization")
	for k := range v {
		if q, ok := strings.CutPrefix(k, p+"answers."); ok {
			a.Answers[q] = v.Get(k)
		}
		if kind, ok := strings.CutPrefix(k, p+"consents."); ok && v.Get(k) == "yes" {
			a.Consents[kind] = true
		}
	}
	a.Needs = models.AccessNeeds{
		StepFree:       v.Get(p+"needs.step_free") == "yes",
		Interpretation: v.Get(p + "needs.interpretation"),
		EasyRead:       v.Get(p+"needs.easy_read") == "yes",
		Dietary:        v.Get(p + "needs.dietary"),
		Companion:      v.Get(p+"needs.companion") == "yes",
	}
	a.NeedsNote = v.Get(p + "needs.note")
	for _, s := range v[p+"sessions"] {
		if id := parseID(s); id != 0 {
			a.Sessions[strconv.FormatUint(uint64(id), 10)] = true
		} else {
			a.Sessions[s] = true // kept, so the check below reports it
		}
	}
	return a
}

// input turns the form into what models.PlaceOrder takes. Answers to
// unknown questions and sessions that are not numbers are passed on as an
// invalid id (0), so validation reports them instead of dropping them.
// Unless SomeoneElse is ticked, the first attendee is the contact (models
// copies the contact's name and e-mail).
func (f registerForm) input(rf *models.RegistrationForm) models.PlaceOrderInput {
	in := models.PlaceOrderInput{TicketTypeID: f.TicketTypeID, BuyerName: f.BuyerName, BuyerEmail: f.BuyerEmail, IdempotencyKey: f.IdempotencyKey,
		VoucherCode: f.VoucherCode, ContactAttends: !f.SomeoneElse}
	for _, a := range f.Attendees {
		in.Attendees = append(in.Attendees, attendeeInput(a, rf, f.ConsentTextIDs))
	}
	return in
}

// attendeeInput maps one attendee's fields to the domain's input.
func attendeeInput(a attendeeForm, rf *models.RegistrationForm, shown map[string]uint) models.AttendeeInput {
	ai := models.AttendeeInput{Name: a.Name, Email: a.Email, Organization: a.Organization, Needs: a.Needs, NeedsNote: a.NeedsNote,
		Answers: map[uint]string{}}
	for q, val := range a.Answers {
		ai.Answers[parseID(q)] = val
	}
	for _, q := range rf.Questions {
		if q.Kind == models.QuestionCheckbox {
			if _, ok := a.Answers[strconv.FormatUint(uint64(q.ID), 10)]; !ok {
				ai.Answers[q.ID] = ""
			}
		}
	}
	for s := range a.Sessions {
		ai.SessionIDs = append(ai.SessionIDs, parseID(s))
	}
	sort.Slice(ai.SessionIDs, func(i, j int) bool { return ai.SessionIDs[i] < ai.SessionIDs[j] })
	for _, kind := range models.ConsentKinds {
		if a.Consents[kind] {
			ai.ConsentTextIDs = append(ai.ConsentTextIDs, consentTextFor(rf, kind, shown[kind]))
		}
	}
	return ai
}

// consentTextFor returns the version of kind the person was shown when it
// is one of the event's texts of that kind, else the current one.
func consentTextFor(rf *models.RegistrationForm, kind string, shown uint) uint {
	var latest models.ConsentText
	for _, c := range rf.ConsentTexts {
		if c.Kind != kind {
			continue
		}
		if c.ID == shown && shown != 0 {
			return c.ID
		}
		if c.Version > latest.Version {
			latest = c
		}
	}
	return latest.ID
}

// formFieldOf names the form field of a domain problem: the domain calls the
// needs note "note" ("attendees.N.note"), the forms post it as "needs.note".
func formFieldOf(field string) string {
	switch {
	case field == "note":
		return "needs.note"
	case strings.HasSuffix(field, ".note") && !strings.HasSuffix(field, ".needs.note"):
		return strings.TrimSuffix(field, ".note") + ".needs.note"
	}
	return field
}

// problemMsgPrefix + a models.Problem code is the message shown for it.
const problemMsgPrefix = "register.error."

// problemErrors turns the domain's problems into messages beside fields.
func problemErrors(errs FieldErrors, ps []models.Problem) FieldErrors {
	for _, p := range ps {
		field := formFieldOf(p.Field)
		if p.Max > 0 {
			errs.Add(field, problemMsgPrefix+p.Code, "Max", p.Max)
		} else {
			errs.Add(field, problemMsgPrefix+p.Code)
		}
	}
	return errs
}

// validateRegistration checks the form without touching the database:
// what models.ValidateRegistration finds, plus a ticket type that must be chosen.
func validateRegistration(errs FieldErrors, f registerForm, rf *models.RegistrationForm) FieldErrors {
	if f.TicketTypeID == 0 {
		errs.Add("ticket_type_id", "register.error.choose_ticket")
		return errs
	}
	in := f.input(rf)
	models.TrimRegistration(&in) // as PlaceOrder will: "  " is no name
	return problemErrors(errs, models.ValidateRegistration(in, *rf))
}

// errorLink is one entry of the error summary: a message and the field it is about.
type errorLink struct {
	Field string
	Msg   Message
	Label fieldLabel // empty on forms that do not name their fields
}

// errorLinks lists field errors for the summary at the top of a form,
// in the order the fields appear (attendee numbers compared as numbers).
func errorLinks(errs FieldErrors) []errorLink {
	var out []errorLink
	for k, m := range errs {
		if k != formErrorKey {
			out = append(out, errorLink{Field: k, Msg: m})
		}
	}
	sort.Slice(out, func(i, j int) bool { return fieldOrder(out[i].Field) < fieldOrder(out[j].Field) })
	return out
}

// fieldOrder makes "attendees.10.name" sort after "attendees.2.name".
func fieldOrder(f string) string {
	rank := map[string]string{"ticket_type_id": "0", "buyer_name": "1", "buyer_email": "2", "attendees": "3"}
	if r, ok := rank[f]; ok {
		return r
	}
	if rest, ok := strings.CutPrefix(f, "attendees."); ok {
		num, tail, _ := strings.Cut(rest, ".")
		n, _ := strconv.Atoi(num)
		part, _, _ := strings.Cut(tail, ".")
		within := map[string]string{"name": "0", "email": "1", "organization": "2", "answers": "3", "needs": "4", "sessions": "5", "consents": "6"}
		return "4" + strings.Repeat("0", 4-min(4, len(strconv.Itoa(n)))) + strconv.Itoa(n) + "." + within[part] + tail
	}
	return "9" + f
}
