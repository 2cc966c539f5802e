package models

// A counter (an event, a ticket type, a session) has "few places left" when
// at most FewPlacesCount remain, or at most FewPlacesPercent of its
// capacity: the pages then show how full it is. One rule for every page.
const (
	FewPlacesCount   = 10
	FewPlacesPercent = 10
)

// placesLeft is capacity minus taken, never below zero; -1 when unlimited.
func placesLeft(capacity, taken int) int {
	if capacity <= 0 {
		return -1
	}
	return max(capacity-taken, 0)
}

// fewPlaces applies the rule above to one counter.
func fewPlaces(capacity, taken int) bool {
	left := placesLeft(capacity, taken)
	if left < 0 {
		return false
	}
	return left <= FewPlacesCount || left*100 <= capacity*FewPlacesPercent
}

// FewLeft reports whether the ticket type is nearly (or fully) sold.
func (t TicketType) FewLeft() bool { return fewPlaces(t.Capacity, t.PlacesTaken) }

// PlacesLeft returns how many of the session's sign-up places remain, or -1
// when it takes no sign-up or has no limit.
func (s Session) PlacesLeft() int {
	if !s.SignUp {
		return -1
	}
	return placesLeft(s.Capacity, s.PlacesTaken)
}

// FewLeft reports whether the session's sign-up is nearly (or fully) taken.
func (s Session) FewLeft() bool { return s.SignUp && fewPlaces(s.Capacity, s.PlacesTaken) }

// PlacesLeft returns how many of the event's overall places remain, or -1
// when it has no overall limit.
func (e Event) PlacesLeft() int { return placesLeft(e.Capacity, e.PlacesTaken) }

// FewLeft reports whether the event as a whole is nearly (or fully) taken.
func (e Event) FewLeft() bool { return fewPlaces(e.Capacity, e.PlacesTaken) }
