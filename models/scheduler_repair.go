package models

// The repair phase: for each pair the greedy phase left out, look for a short
// chain of changes that makes room for it without losing a meeting:
//   - move a meeting of one (or both) of its people to another slot those
//     people share, freeing a slot the pair has in common;
//   - when both are free in a slot whose tables are all taken, move another
//     meeting out of that slot;
//   - when one of them is at their limit, swap out one of their meetings
//     and place the partner left behind with someone else (an augmenting path).
// Every attempt that fails is undone, so the schedule stays valid throughout.

// schedMaxRepairRounds bounds the passes over the unplaced pairs.
const schedMaxRepairRounds = 4

// schedRoomScanBudget bounds the meetings looked at to free a place at a table.
const schedRoomScanBudget = 2_000_000

// schedUndo records one change so a failed attempt can be rolled back.
type schedUndo struct {
	meeting     int
	slot, table int
	kind        uint8 // undoMove, undoPlace, undoRemove
}

const (
	undoMove uint8 = iota
	undoPlace
	undoRemove
)

func (s *scheduler) repair() {
	s.roomScans = schedRoomScanBudget
	cand := make([]uint64, s.w)
	score := make([]int, s.nSlots)
	var log []schedUndo
	for round := 0; round < schedMaxRepairRounds; round++ {
		gained := 0
		for pi := range s.pairs {
			if s.pairs[pi].meeting >= 0 {
				continue
			}
			log = log[:0]
			if s.tryPlace(pi, cand, score, &log, true) {
				gained++
			} else {
				s.undo(log)
			}
		}
		if gained == 0 {
			return
		}
	}
}

// tryPlace tries to place pair pi, directly, by moving meetings out of the
// way, or (when deep) by an augmenting swap at a person's limit.
func (s *scheduler) tryPlace(pi int, cand []uint64, score []int, log *[]schedUndo, deep bool) bool {
	p := s.pairs[pi]
	if s.rem[p.a] > 0 && s.rem[p.b] > 0 {
		if s.placeDirect(pi, cand, score, log) {
			return true
		}
		return s.placeByMoving(pi, cand, score, log)
	}
	if !deep {
		return false
	}
	return s.placeBySwap(pi, cand, score, log)
}

func (s *scheduler) placeDirect(pi int, cand []uint64, score []int, log *[]schedUndo) bool {
	p := s.pairs[pi]
	if !and3(cand, s.set(p.a), s.set(p.b), s.roomSet) {
		return false
	}
	s.place(pi, s.bestSlot(pi, cand, score))
	*log = append(*log, schedUndo{meeting: s.pairs[pi].meeting, kind: undoPlace})
	return true
}

// placeByMoving looks for a slot where both are available and a location is
// open, but one or both are in a movable meeting; it moves those meetings to
// another slot their own people share.
func (s *scheduler) placeByMoving(pi int, cand []uint64, score []int, log *[]schedUndo) bool {
	p := s.pairs[pi]
	for sl := 0; sl < s.nSlots; sl++ {
		if !hasBit(s.availSet(p.a), sl) || !hasBit(s.availSet(p.b), sl) || !s.slotOpenable(sl) {
			continue
		}
		ma, mb := int(s.busy[p.a*s.nSlots+sl]), int(s.busy[p.b*s.nSlots+sl])
		mark := len(*log)
		if ma < 0 && mb < 0 {
			// Both free, but every location is taken: move another meeting out.
			if s.freeAPlace(sl, cand, log) {
				s.place(pi, sl)
				*log = append(*log, schedUndo{meeting: s.pairs[pi].meeting, kind: undoPlace})
				return true
			}
			continue
		}
		ok := true
		for _, mi := range [2]int{ma, mb} {
			if mi >= 0 && !s.moveAway(mi, cand, log) {
				ok = false
				break
			}
		}
		if ok && hasBit(s.roomSet, sl) && hasBit(s.set(p.a), sl) && hasBit(s.set(p.b), sl) {
			s.place(pi, sl)
			*log = append(*log, schedUndo{meeting: s.pairs[pi].meeting, kind: undoPlace})
			return true
		}
		s.undo((*log)[mark:])
		*log = (*log)[:mark]
	}
	return false
}

// freeAPlace moves some placed meeting at a physical table in slot sl to another
// slot, so a place opens in sl. It scans the meetings, so a budget keeps a
// hall that is full in every slot from costing time for nothing.
func (s *scheduler) freeAPlace(sl int, cand []uint64, log *[]schedUndo) bool {
	if s.roomScans <= 0 || countSet(s.roomSet) == 0 {
		return false
	}
	for mi := range s.meetings {
		s.roomScans--
		m := s.meetings[mi]
		if m.slot != sl || m.booked || m.dead || s.tCap[m.table] == schedOnlineCap {
			continue
		}
		if s.moveAway(mi, cand, log) {
			return true
		}
	}
	return false
}

// slotOpenable reports whether a location could ever host a meeting in sl,
// counting places that moving a meeting would free.
func (s *scheduler) slotOpenable(sl int) bool {
	if hasBit(s.roomSet, sl) {
		return true
	}
	for _, t := range s.tOrder {
		if hasBit(s.tAvail[t*s.w:(t+1)*s.w], sl) {
			return true
		}
	}
	return false
}

// moveAway moves placed meeting mi to another slot free for both its people.
func (s *scheduler) moveAway(mi int, cand []uint64, log *[]schedUndo) bool {
	m := s.meetings[mi]
	if m.booked {
		return false
	}
	if !and3(cand, s.set(m.a), s.set(m.b), s.roomSet) {
		return false
	}
	// Any slot will do; take the one with the most room so tables spread out.
	best := -1
	forEachBit(cand, func(sl int) {
		if best < 0 || s.roomOf(sl) > s.roomOf(best) {
			best = sl
		}
	})
	*log = append(*log, schedUndo{meeting: mi, slot: m.slot, table: m.table, kind: undoMove})
	s.move(mi, best)
	return true
}

// placeBySwap handles a pair where one person is at their limit: it drops
// one of that person's meetings, places the pair, and then must place the
// partner left behind in a new pair (or give up), so the count rises by one.
func (s *scheduler) placeBySwap(pi int, cand []uint64, score []int, log *[]schedUndo) bool {
	p := s.pairs[pi]
	full, other := p.a, p.b
	if s.rem[full] > 0 {
		full, other = other, full
	}
	if s.rem[other] <= 0 || s.rem[full] < 0 {
		return false // both at their limit, or over it from booked meetings
	}
	for _, qi := range s.adj[full] {
		mi := s.pairs[qi].meeting
		if mi < 0 || s.meetings[mi].booked {
			continue
		}
		left := s.meetings[mi].a
		if left == full {
			left = s.meetings[mi].b
		}
		mark := len(*log)
		s.remove(mi, log)
		if s.placeDirect(pi, cand, score, log) && s.placeOneOf(left, int(qi), cand, score, log) {
			return true
		}
		s.undo((*log)[mark:])
		*log = (*log)[:mark]
	}
	return false
}

// placeOneOf places any unplaced pair of person x other than skip, directly.
func (s *scheduler) placeOneOf(x, skip int, cand []uint64, score []int, log *[]schedUndo) bool {
	for _, qi := range s.adj[x] {
		if int(qi) == skip || s.pairs[qi].meeting >= 0 {
			continue
		}
		q := s.pairs[qi]
		if s.rem[q.a] > 0 && s.rem[q.b] > 0 && s.placeDirect(int(qi), cand, score, log) {
			return true
		}
	}
	return false
}

func (s *scheduler) remove(mi int, log *[]schedUndo) {
	m := &s.meetings[mi]
	*log = append(*log, schedUndo{meeting: mi, slot: m.slot, table: m.table, kind: undoRemove})
	s.release(mi)
	m.dead = true
	s.pairs[m.pair].meeting = -1
	s.placed--
}

// undo rolls back the changes in log, newest first.
func (s *scheduler) undo(log []schedUndo) {
	for i := len(log) - 1; i >= 0; i-- {
		u := log[i]
		m := &s.meetings[u.meeting]
		switch u.kind {
		case undoMove:
			s.release(u.meeting)
			m.slot, m.table = u.slot, u.table
			s.occupy(u.meeting)
		case undoPlace:
			s.release(u.meeting)
			m.dead = true
			s.pairs[m.pair].meeting = -1
			s.placed--
			if u.meeting == len(s.meetings)-1 {
				s.meetings = s.meetings[:u.meeting] // reuse the space for the next attempt
			}
		case undoRemove:
			m.dead = false
			s.occupy(u.meeting)
			s.pairs[m.pair].meeting = u.meeting
			s.placed++
		}
	}
}
