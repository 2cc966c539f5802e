package models

import "errors"

// Errors of the meeting rules, each shown to a person as a clear message.
var (
	ErrNetworkingOff     = errors.New("networking is not open for this event")
	ErrNotParticipant    = errors.New("that person does not take part in networking")
	ErrSelfRequest       = errors.New("you cannot request a meeting with yourself")
	ErrSlotNotFree       = errors.New("that slot is not free for both of you")
	ErrNotAvailable      = errors.New("one of you marked that slot as not available")
	ErrNoLocationFree    = errors.New("no table is free in that slot")
	ErrMeetingLimit      = errors.New("the meeting limit is reached")
	ErrPendingLimit      = errors.New("too many requests are waiting for an answer")
	ErrAlreadyRequested  = errors.New("a request between you is already waiting")
	ErrRequestNotPending = errors.New("that request is no longer waiting for an answer")
	ErrMeetingNotActive  = errors.New("that meeting is no longer booked")
	ErrNotEligible       = errors.New("this registration cannot take part in networking")
	ErrWrongMode         = errors.New("this event's networking does not work that way")
	// ErrSlotTaken means a unique index refused a seat: one of the two people
	// was booked in that slot by someone else a moment ago.
	ErrSlotTaken = errors.New("that slot was just taken")
	// ErrTableTaken means the chosen table was booked in that slot a moment ago.
	ErrTableTaken = errors.New("that table was just taken in that slot")
	// ErrTokenInvalid covers unknown, used and expired sign-in links alike.
	ErrTokenInvalid = errors.New("the sign-in link is not valid any more")
)

// MeetingLimitError says whose limit was reached (mine or the other person's).
type MeetingLimitError struct{ ParticipantID uint }

func (e MeetingLimitError) Error() string { return ErrMeetingLimit.Error() }

// Is lets errors.Is(err, ErrMeetingLimit) match.
func (e MeetingLimitError) Is(target error) bool { return target == ErrMeetingLimit }
