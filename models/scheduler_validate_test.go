package models

import (
	"fmt"
)

// validateSchedule checks a result against its input from scratch, sharing no
// code with the scheduler: every rule a schedule must keep, and honest stats.
func validateSchedule(in ScheduleInput, res ScheduleResult) error {
	type ps struct{ p, s uint }
	slots := map[uint]bool{}
	for _, s := range in.Slots {
		slots[s] = true
	}
	people := map[uint]SchedParticipant{}
	away := map[ps]bool{}
	for _, p := range in.Participants {
		people[p.ID] = p
		for _, s := range p.Unavailable {
			away[ps{p.ID, s}] = true
		}
	}
	tables := map[uint]SchedTable{}
	closed := map[ps]bool{}
	for _, t := range in.Tables {
		tables[t.ID] = t
		for _, s := range t.Unavailable {
			closed[ps{t.ID, s}] = true
		}
	}
	wants := map[[2]uint]bool{}
	for _, w := range in.Wishes {
		wants[[2]uint{w.From, w.To}] = true
	}

	inMeeting := map[ps]bool{}
	tableUse := map[ps]int{}
	count := map[uint]int{}
	met := map[[2]uint]bool{}
	for _, b := range in.Booked {
		inMeeting[ps{b.A, b.Slot}] = true
		inMeeting[ps{b.B, b.Slot}] = true
		tableUse[ps{b.Table, b.Slot}]++
		count[b.A]++
		count[b.B]++
		met[[2]uint{min(b.A, b.B), max(b.A, b.B)}] = true
	}
	newCount := map[uint]int{}
	for _, m := range res.Placements {
		switch {
		case m.A >= m.B:
			return fmt.Errorf("%v: A must be the smaller id", m)
		case !slots[m.Slot]:
			return fmt.Errorf("%v: unknown slot", m)
		case !wants[[2]uint{m.A, m.B}] || !wants[[2]uint{m.B, m.A}]:
			return fmt.Errorf("%v: not a mutual wish", m)
		case met[[2]uint{m.A, m.B}]:
			return fmt.Errorf("%v: pair already meets", m)
		}
		met[[2]uint{m.A, m.B}] = true
		for _, p := range []uint{m.A, m.B} {
			if _, ok := people[p]; !ok {
				return fmt.Errorf("%v: unknown participant %d", m, p)
			}
			if away[ps{p, m.Slot}] {
				return fmt.Errorf("%v: participant %d unavailable", m, p)
			}
			if inMeeting[ps{p, m.Slot}] {
				return fmt.Errorf("%v: participant %d double-booked", m, p)
			}
			inMeeting[ps{p, m.Slot}] = true
			count[p]++
			newCount[p]++
		}
		t, ok := tables[m.Table]
		if !ok {
			return fmt.Errorf("%v: unknown location", m)
		}
		if closed[ps{m.Table, m.Slot}] {
			return fmt.Errorf("%v: location unavailable", m)
		}
		tableUse[ps{m.Table, m.Slot}]++
		limit := max(t.Capacity, 1)
		if !t.Online && tableUse[ps{m.Table, m.Slot}] > limit {
			return fmt.Errorf("%v: location double-booked", m)
		}
	}
	for id := range newCount { // booked meetings alone may exceed a limit; new ones may not
		if lim := people[id].MaxMeetings; lim > 0 && count[id] > lim {
			return fmt.Errorf("participant %d has %d meetings, limit %d", id, count[id], lim)
		}
	}
	st := res.Stats
	if st.Placed != len(res.Placements) {
		return fmt.Errorf("stats say %d placed, %d placements", st.Placed, len(res.Placements))
	}
	if st.Placed > st.UpperBound || st.UpperBound > st.MutualPairs-st.AlreadyBooked {
		return fmt.Errorf("placed %d, upper bound %d, mutual %d, booked %d: bound inconsistent",
			st.Placed, st.UpperBound, st.MutualPairs, st.AlreadyBooked)
	}
	return nil
}
