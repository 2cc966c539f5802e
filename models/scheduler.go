package models

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// The one-to-one meeting auto-scheduler for events in "mutual wishes" mode.
// It is pure Go with no database: the meetings feature loads its rows into a
// ScheduleInput, calls ScheduleMeetings, and saves the placements it returns
// (the unique indexes still guard invariant 2 when they are written).

// SchedTable is a location where one-to-one meetings happen: a numbered table,
// a room, or an online room.
type SchedTable struct {
	ID uint
	// Capacity is how many meetings it hosts in the same slot; 0 means 1.
	Capacity int
	// Online locations (a link per meeting) host any number of meetings at once.
	Online bool
	// Unavailable lists the slot ids when the location cannot be used.
	Unavailable []uint
}

// SchedParticipant is a person who takes part in networking.
type SchedParticipant struct {
	ID uint
	// MaxMeetings caps their meetings, already booked ones included; 0 or less means no limit.
	MaxMeetings int
	// Unavailable lists the slot ids they marked as not available.
	Unavailable []uint
}

// SchedWish says that From wants to meet To. Only mutual wishes are scheduled.
type SchedWish struct {
	From, To uint
}

// SchedPlacement is one meeting: two participants, a slot, a location.
// A is always the smaller id.
type SchedPlacement struct {
	A, B  uint
	Slot  uint
	Table uint
}

// ScheduleInput is everything the scheduler needs for one event.
type ScheduleInput struct {
	Slots        []uint // slot ids in time order
	Tables       []SchedTable
	Participants []SchedParticipant
	Wishes       []SchedWish
	// Booked meetings stay where they are; they occupy their people, slot and
	// table, count towards limits, and a mutual pair already booked is not placed again.
	Booked []SchedPlacement
	// Seed breaks ties in the ordering; the same input and seed give the same result.
	Seed uint64
}

// ScheduleStats explains a run to the organizer: how many it placed out of how
// many could be placed at most.
type ScheduleStats struct {
	Wishes        int // wishes given
	IgnoredWishes int // wishes to oneself or naming an unknown participant
	MutualPairs   int // distinct pairs who both want to meet
	AlreadyBooked int // mutual pairs that already have a booked meeting
	// UpperBound is a proven ceiling on how many of the remaining mutual pairs
	// any schedule could place: the least of BoundPairs, BoundPeople and BoundSlots.
	UpperBound int
	// BoundPairs counts pairs with remaining room on both sides and at least
	// one slot where both are free and a location is open.
	BoundPairs int
	// BoundPeople is a fractional b-matching bound (each person at most
	// min(remaining limit, usable slots) meetings), computed as a max flow.
	BoundPeople int
	// BoundSlots adds up, per slot, the open locations and half the free people.
	BoundSlots   int
	Placed       int // new meetings placed by this run
	GreedyPlaced int // of which placed by the first, greedy phase
	Repaired     int // placed by the repair phase (moving other meetings)
	Duration     time.Duration
}

// ScheduleResult holds the new meetings, sorted by slot order then location.
type ScheduleResult struct {
	Placements []SchedPlacement
	Stats      ScheduleStats
}

// ScheduleMeetings places as many mutual wishes as it can. It fails only on
// input that no schedule can honour: duplicate ids, or booked meetings that
// name unknown people, slots or locations, or clash with each other.
func ScheduleMeetings(in ScheduleInput) (ScheduleResult, error) {
	start := time.Now()
	s, err := newScheduler(in)
	if err != nil {
		return ScheduleResult{}, err
	}
	s.stats.UpperBound, s.stats.BoundPairs, s.stats.BoundPeople, s.stats.BoundSlots = s.upperBound()
	s.greedy()
	s.stats.GreedyPlaced = s.placedCount()
	s.repair()
	s.stats.Placed = s.placedCount()
	s.stats.Repaired = s.stats.Placed - s.stats.GreedyPlaced

	res := ScheduleResult{Placements: s.placements(), Stats: s.stats}
	res.Stats.Duration = time.Since(start)
	return res, nil
}

// placements lists the new meetings in slot order, then location order.
func (s *scheduler) placements() []SchedPlacement {
	live := make([]schedMeeting, 0, s.placedCount())
	for _, m := range s.meetings {
		if !m.booked && !m.dead {
			live = append(live, m)
		}
	}
	slices.SortFunc(live, func(x, y schedMeeting) int {
		if x.slot != y.slot {
			return cmp.Compare(x.slot, y.slot)
		}
		return cmp.Compare(x.table, y.table) // tables differ unless it is an online room
	})
	out := make([]SchedPlacement, len(live))
	for i, m := range live {
		a, b := s.pID[m.a], s.pID[m.b]
		out[i] = SchedPlacement{A: min(a, b), B: max(a, b), Slot: s.slotIDs[m.slot], Table: s.tID[m.table]}
	}
	return out
}

func schedErr(format string, args ...any) error {
	return fmt.Errorf("schedule meetings: "+format, args...)
}
