package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/agora-events/agora/models"
)

// problemMessages says in words what each models.Problem code means.
var problemMessages = map[string]string{
	models.ProblemRequired:      "is required",
	models.ProblemEmailInvalid:  "is not a valid e-mail address",
	models.ProblemInvalidChoice: "is not one of the choices",
	models.ProblemInvalid:       "is not valid here",
	models.ProblemTooFew:        "needs at least one",
}

// problemMessage is the message of p (too_long and too_many name the limit).
func problemMessage(p models.Problem) string {
	switch p.Code {
	case models.ProblemTooLong:
		return fmt.Sprintf("is longer than %d characters", p.Max)
	case models.ProblemTooMany:
		return fmt.Sprintf("has more than %d", p.Max)
	}
	if m, ok := problemMessages[p.Code]; ok {
		return m
	}
	return p.Code
}

// answerRefs maps, per attendee, a question id to the index of its answer
// in the request body (for error locations).
type answerRefs []map[uint]int

// location turns a models field name ("attendees.0.answers.12",
// "buyer_email", "email") into the JSON location of the input it came from
// ("body.attendees[0].answers[3].value"); prefix is the path of the object
// the fields belong to ("body", or "body.attendees[0]" for one person).
func location(prefix, field string, refs answerRefs) string {
	parts := strings.Split(field, ".")
	var b strings.Builder
	b.WriteString(prefix)
	person := 0
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		n, err := strconv.Atoi(part)
		switch {
		case err == nil && i > 0 && parts[i-1] == "attendees":
			person = n
			fmt.Fprintf(&b, "[%d]", n)
			continue
		case part == "answers" && i+1 < len(parts):
			qid, _ := strconv.ParseUint(parts[i+1], 10, 64)
			b.WriteString(".answers")
			if person < len(refs) {
				if j, ok := refs[person][uint(qid)]; ok {
					fmt.Fprintf(&b, "[%d].value", j)
				}
			}
			return b.String()
		case part == "sessions":
			part = "session_ids"
		}
		b.WriteString("." + part)
	}
	return b.String()
}

// validationProblem is a 422 listing each problem of ve beside its input.
func validationProblem(prefix string, ve *models.ValidationError, refs answerRefs) error {
	details := make([]error, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		details = append(details, &huma.ErrorDetail{Location: location(prefix, p.Field, refs), Message: problemMessage(p)})
	}
	return huma.Error422UnprocessableEntity("The registration has problems; each is listed with where it is.", details...)
}

// fieldProblem is a 422 about one input.
func fieldProblem(loc, msg string, value any) error {
	return huma.Error422UnprocessableEntity(msg, &huma.ErrorDetail{Location: loc, Message: msg, Value: value})
}

// placeProblem turns the errors of models.PlaceStaffOrder into problems;
// ok is false for an error that is a fault on our side.
func placeProblem(err error, in *createOrderBody, refs answerRefs) (error, bool) {
	var ve *models.ValidationError
	var sf models.ErrSessionFull
	switch {
	case errors.As(err, &ve):
		return validationProblem("body", ve, refs), true
	case errors.Is(err, models.ErrTicketTypeFull):
		return huma.Error409Conflict("This ticket type has no places left.",
			&huma.ErrorDetail{Location: "body.ticket_type_id", Message: "sold out", Value: in.TicketTypeID}), true
	case errors.Is(err, models.ErrEventFull):
		return huma.Error409Conflict("The event has no places left."), true
	case errors.As(err, &sf):
		return huma.Error409Conflict("A chosen session has no places left.",
			&huma.ErrorDetail{Location: sessionLocation(in, sf.SessionID), Message: "full", Value: sf.SessionID}), true
	case errors.Is(err, models.ErrIdempotencyKeyTaken):
		return huma.Error409Conflict("This Idempotency-Key made another registration (another token or another buyer e-mail); send a new key.",
			&huma.ErrorDetail{Location: "header.Idempotency-Key", Message: "used for another registration"}), true
	case errors.Is(err, models.ErrEventNotOpen):
		return huma.Error409Conflict("The event is cancelled: it takes no registrations."), true
	case errors.Is(err, models.ErrInvalidTicketType):
		return fieldProblem("body.ticket_type_id", "No ticket type with this id at this event.", in.TicketTypeID), true
	case errors.Is(err, models.ErrInvoiceNotAllowed):
		return fieldProblem("body.kind", "This event does not take bank transfers or invoices (see its payment settings).", in.Kind), true
	case errors.Is(err, models.ErrUnknownStaffKind):
		return fieldProblem("body.kind", "Not a kind of registration.", in.Kind), true
	case errors.Is(err, models.ErrTooManyAttendees):
		return fieldProblem("body.attendees", "Too many people for one order of this ticket type.", len(in.Attendees)), true
	case errors.Is(err, models.ErrNoAttendees):
		return fieldProblem("body.attendees", "An order needs at least one person.", nil), true
	case errors.Is(err, models.ErrInvalidSession):
		return fieldProblem("body.attendees", "A session_ids entry is not a session with sign-up of this event.", nil), true
	}
	return nil, false
}

// sessionLocation is where session id was asked for in the body.
func sessionLocation(in *createOrderBody, id uint) string {
	for i, a := range in.Attendees {
		for j, s := range a.SessionIDs {
			if s == id {
				return fmt.Sprintf("body.attendees[%d].session_ids[%d]", i, j)
			}
		}
	}
	return "body.attendees"
}
