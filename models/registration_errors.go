package models

import (
	"errors"
	"fmt"
)

// Errors of the registration rules. The UI turns each into a message beside
// the field it concerns; none of them is a server fault.
var (
	ErrEventNotOpen      = errors.New("registration for this event is not open")
	ErrEventFull         = errors.New("the event is full")
	ErrTicketTypeFull    = errors.New("this ticket type is sold out")
	ErrSalesClosed       = errors.New("this ticket type is not on sale now")
	ErrTooManyAttendees  = errors.New("too many attendees for one order")
	ErrNoAttendees       = errors.New("an order needs at least one attendee")
	ErrInvalidTicketType = errors.New("no such ticket type for this event")
	ErrInvalidSession    = errors.New("no such session with sign-up for this event")
	ErrOrderNotActive    = errors.New("the order is cancelled or expired")
	ErrAttendeeNotActive = errors.New("the attendee is cancelled")
	ErrHoldLost          = errors.New("the hold expired and the places are gone")
	ErrOfferNotFound     = errors.New("no such waitlist offer")
	ErrOfferExpired      = errors.New("the waitlist offer has expired")
	ErrOfferUsed         = errors.New("the waitlist offer was already used")
	ErrNotCheckedIn      = errors.New("no ticket matches this code")
	ErrAmbiguousCode     = errors.New("the order has several attendees; add -1, -2, ... to the code")
	ErrOrderNotConfirmed = errors.New("the order is not confirmed")
	ErrAlreadyOnWaitlist = errors.New("this e-mail is already on the waitlist")
)

// ErrSessionFull says which chosen session has no place left.
type ErrSessionFull struct{ SessionID uint }

func (e ErrSessionFull) Error() string { return fmt.Sprintf("session %d is full", e.SessionID) }

// IsFull reports whether err means some capacity (event, ticket type or
// session) had no room: the cue to offer the waitlist.
func IsFull(err error) bool {
	var sf ErrSessionFull
	return errors.Is(err, ErrEventFull) || errors.Is(err, ErrTicketTypeFull) || errors.As(err, &sf)
}

// ValidationError carries per-field problems found by ValidateRegistration
// when PlaceOrder is given input the form should have refused.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	if len(e.Problems) == 0 {
		return "invalid registration"
	}
	return fmt.Sprintf("invalid registration: %s: %s", e.Problems[0].Field, e.Problems[0].Code)
}
