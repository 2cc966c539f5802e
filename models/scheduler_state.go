package models

import (
	"math/bits"
	"sort"
)

// schedOnlineCap stands for "any number of meetings at once".
const schedOnlineCap = 1 << 30

// schedMeeting is a meeting held by the scheduler, booked or placed by it.
// Repair moves a placed meeting by changing slot and table in place.
type schedMeeting struct {
	a, b, slot, table int
	pair              int // index in pairs, or -1 for a booked meeting
	booked            bool
	dead              bool // removed (kept so indexes stay stable)
}

// schedPair is one mutual wish still to place.
type schedPair struct {
	a, b    int
	meeting int // index in meetings, or -1 while unplaced
}

// scheduler is the working state of one run. People, slots and tables are
// dense indexes; slot sets are bitsets of w words per person or table.
type scheduler struct {
	nSlots, w int
	slotIDs   []uint
	pID       []uint
	tID       []uint

	avail []uint64 // per person: slots not marked unavailable
	free  []uint64 // per person: available and not in a meeting
	rem   []int    // per person: meetings still allowed (may go negative from booked ones)
	busy  []int32  // person*nSlots+slot: meeting index or -1

	tCap    []int
	tAvail  []uint64 // per table: slots when it can be used
	tUsed   []int    // table*nSlots+slot
	tOrder  []int    // physical tables first, then online ones
	room    []int    // per slot: free places at physical tables
	online  []bool   // per slot: some online location is open
	roomSet []uint64 // slots with a free place anywhere

	meetings []schedMeeting
	pairs    []schedPair
	adj      [][]int32 // per person: indexes of their pairs
	placed   int

	roomScans int // budget left for freeAPlace

	seed  uint64
	stats ScheduleStats
}

func (s *scheduler) set(p int) []uint64      { return s.free[p*s.w : (p+1)*s.w] }
func (s *scheduler) availSet(p int) []uint64 { return s.avail[p*s.w : (p+1)*s.w] }

func (s *scheduler) placedCount() int { return s.placed }

func newScheduler(in ScheduleInput) (*scheduler, error) {
	s := &scheduler{nSlots: len(in.Slots), seed: in.Seed}
	s.w = (s.nSlots + 63) / 64
	if s.w == 0 {
		s.w = 1
	}
	s.slotIDs = in.Slots
	slotIdx := make(map[uint]int, len(in.Slots))
	for i, id := range in.Slots {
		if _, dup := slotIdx[id]; dup {
			return nil, schedErr("slot %d listed twice", id)
		}
		slotIdx[id] = i
	}
	slotsOf := func(ids []uint) []int {
		out := make([]int, 0, len(ids))
		for _, id := range ids {
			if i, ok := slotIdx[id]; ok { // unknown slots in a list of holes change nothing
				out = append(out, i)
			}
		}
		return out
	}

	// Tables.
	nT := len(in.Tables)
	s.tID = make([]uint, nT)
	s.tCap = make([]int, nT)
	s.tAvail = make([]uint64, nT*s.w)
	s.tUsed = make([]int, nT*s.nSlots)
	tIdx := make(map[uint]int, nT)
	for i, t := range in.Tables {
		if _, dup := tIdx[t.ID]; dup {
			return nil, schedErr("location %d listed twice", t.ID)
		}
		tIdx[t.ID] = i
		s.tID[i] = t.ID
		switch {
		case t.Online:
			s.tCap[i] = schedOnlineCap
		case t.Capacity > 0:
			s.tCap[i] = t.Capacity
		default:
			s.tCap[i] = 1
		}
		set := s.tAvail[i*s.w : (i+1)*s.w]
		fillSet(set, s.nSlots)
		for _, sl := range slotsOf(t.Unavailable) {
			clearBit(set, sl)
		}
	}
	for i := range in.Tables {
		if !in.Tables[i].Online {
			s.tOrder = append(s.tOrder, i)
		}
	}
	for i := range in.Tables {
		if in.Tables[i].Online {
			s.tOrder = append(s.tOrder, i)
		}
	}

	// Participants.
	n := len(in.Participants)
	s.pID = make([]uint, n)
	s.avail = make([]uint64, n*s.w)
	s.free = make([]uint64, n*s.w)
	s.rem = make([]int, n)
	s.busy = make([]int32, n*s.nSlots)
	for i := range s.busy {
		s.busy[i] = -1
	}
	pIdx := make(map[uint]int, n)
	for i, p := range in.Participants {
		if _, dup := pIdx[p.ID]; dup {
			return nil, schedErr("participant %d listed twice", p.ID)
		}
		pIdx[p.ID] = i
		s.pID[i] = p.ID
		s.rem[i] = p.MaxMeetings
		if p.MaxMeetings <= 0 {
			s.rem[i] = s.nSlots
		}
		set := s.availSet(i)
		fillSet(set, s.nSlots)
		for _, sl := range slotsOf(p.Unavailable) {
			clearBit(set, sl)
		}
		copy(s.set(i), set)
	}

	// Booked meetings: validated strictly, since they cannot be moved.
	booked := make(map[uint64]bool, len(in.Booked))
	for _, bk := range in.Booked {
		a, okA := pIdx[bk.A]
		b, okB := pIdx[bk.B]
		sl, okS := slotIdx[bk.Slot]
		t, okT := tIdx[bk.Table]
		switch {
		case !okA || !okB:
			return nil, schedErr("booked meeting names an unknown participant (%d, %d)", bk.A, bk.B)
		case a == b:
			return nil, schedErr("booked meeting of participant %d with themselves", bk.A)
		case !okS:
			return nil, schedErr("booked meeting in unknown slot %d", bk.Slot)
		case !okT:
			return nil, schedErr("booked meeting at unknown location %d", bk.Table)
		case s.busy[a*s.nSlots+sl] >= 0 || s.busy[b*s.nSlots+sl] >= 0:
			return nil, schedErr("booked meetings put a participant twice in slot %d", bk.Slot)
		case s.tUsed[t*s.nSlots+sl] >= s.tCap[t]:
			return nil, schedErr("booked meetings overfill location %d in slot %d", bk.Table, bk.Slot)
		}
		s.meetings = append(s.meetings, schedMeeting{a: a, b: b, slot: sl, table: t, pair: -1, booked: true})
		s.occupy(len(s.meetings) - 1)
		booked[pairKey(a, b)] = true
	}

	// Free places per slot, after booked meetings.
	s.room = make([]int, s.nSlots)
	s.online = make([]bool, s.nSlots)
	s.roomSet = make([]uint64, s.w)
	for sl := 0; sl < s.nSlots; sl++ {
		for t := range s.tID {
			if !hasBit(s.tAvail[t*s.w:(t+1)*s.w], sl) {
				continue
			}
			if s.tCap[t] == schedOnlineCap {
				s.online[sl] = true
			} else if left := s.tCap[t] - s.tUsed[t*s.nSlots+sl]; left > 0 {
				s.room[sl] += left
			}
		}
		s.refreshRoom(sl)
	}

	// Mutual pairs: a wish each way. Bit 1 is "smaller index wants larger".
	s.stats.Wishes = len(in.Wishes)
	dir := make(map[uint64]uint8, len(in.Wishes))
	for _, wsh := range in.Wishes {
		a, okA := pIdx[wsh.From]
		b, okB := pIdx[wsh.To]
		if !okA || !okB || a == b {
			s.stats.IgnoredWishes++
			continue
		}
		if a < b {
			dir[pairKey(a, b)] |= 1
		} else {
			dir[pairKey(a, b)] |= 2
		}
	}
	for k, d := range dir {
		if d != 3 {
			continue
		}
		s.stats.MutualPairs++
		if booked[k] {
			s.stats.AlreadyBooked++
			continue
		}
		s.pairs = append(s.pairs, schedPair{a: int(k >> 32), b: int(k & 0xffffffff), meeting: -1})
	}
	sort.Slice(s.pairs, func(i, j int) bool {
		if s.pairs[i].a != s.pairs[j].a {
			return s.pairs[i].a < s.pairs[j].a
		}
		return s.pairs[i].b < s.pairs[j].b
	})
	s.adj = make([][]int32, n)
	for i, p := range s.pairs {
		s.adj[p.a] = append(s.adj[p.a], int32(i))
		s.adj[p.b] = append(s.adj[p.b], int32(i))
	}
	return s, nil
}

// pairKey is an order-free key for two person indexes.
func pairKey(a, b int) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

// occupy takes the people, slot and table of meeting mi.
func (s *scheduler) occupy(mi int) {
	m := &s.meetings[mi]
	for _, p := range [2]int{m.a, m.b} {
		s.busy[p*s.nSlots+m.slot] = int32(mi)
		clearBit(s.set(p), m.slot)
		s.rem[p]--
	}
	s.tUsed[m.table*s.nSlots+m.slot]++
	if s.room != nil && s.tCap[m.table] != schedOnlineCap && hasBit(s.tAvail[m.table*s.w:(m.table+1)*s.w], m.slot) {
		s.room[m.slot]--
		s.refreshRoom(m.slot)
	}
}

// release gives back what occupy took.
func (s *scheduler) release(mi int) {
	m := &s.meetings[mi]
	for _, p := range [2]int{m.a, m.b} {
		s.busy[p*s.nSlots+m.slot] = -1
		setBit(s.set(p), m.slot)
		s.rem[p]++
	}
	s.tUsed[m.table*s.nSlots+m.slot]--
	if s.tCap[m.table] != schedOnlineCap && hasBit(s.tAvail[m.table*s.w:(m.table+1)*s.w], m.slot) {
		s.room[m.slot]++
		s.refreshRoom(m.slot)
	}
}

func (s *scheduler) refreshRoom(sl int) {
	if s.room[sl] > 0 || s.online[sl] {
		setBit(s.roomSet, sl)
	} else {
		clearBit(s.roomSet, sl)
	}
}

// pickTable returns a location with a free place in slot sl, physical tables
// first so online rooms are used only when the hall is full; -1 if none.
func (s *scheduler) pickTable(sl int) int {
	for _, t := range s.tOrder {
		if s.tUsed[t*s.nSlots+sl] < s.tCap[t] && hasBit(s.tAvail[t*s.w:(t+1)*s.w], sl) {
			return t
		}
	}
	return -1
}

// place books pair pi into slot sl (which must be free for both, with room).
func (s *scheduler) place(pi, sl int) {
	p := &s.pairs[pi]
	s.meetings = append(s.meetings, schedMeeting{a: p.a, b: p.b, slot: sl, table: s.pickTable(sl), pair: pi})
	p.meeting = len(s.meetings) - 1
	s.occupy(p.meeting)
	s.placed++
}

// move takes placed meeting mi to slot sl (free for both people, with room).
func (s *scheduler) move(mi, sl int) {
	s.release(mi)
	s.meetings[mi].slot = sl
	s.meetings[mi].table = s.pickTable(sl)
	s.occupy(mi)
}

// Bitset helpers over w words.

func fillSet(set []uint64, n int) {
	for i := range set {
		set[i] = 0
	}
	for i := 0; i < n; i++ {
		setBit(set, i)
	}
}

func setBit(set []uint64, i int)      { set[i>>6] |= 1 << (uint(i) & 63) }
func clearBit(set []uint64, i int)    { set[i>>6] &^= 1 << (uint(i) & 63) }
func hasBit(set []uint64, i int) bool { return set[i>>6]&(1<<(uint(i)&63)) != 0 }
func countSet(set []uint64) (n int) {
	for _, x := range set {
		n += bits.OnesCount64(x)
	}
	return n
}

// and3 writes a&b&c into dst and reports whether any bit is set.
func and3(dst, a, b, c []uint64) bool {
	union := uint64(0)
	for i := range dst {
		dst[i] = a[i] & b[i] & c[i]
		union |= dst[i]
	}
	return union != 0
}

// forEachBit calls f for every set bit, lowest first.
func forEachBit(set []uint64, f func(int)) {
	for wi, x := range set {
		for x != 0 {
			f(wi<<6 + bits.TrailingZeros64(x))
			x &= x - 1
		}
	}
}
