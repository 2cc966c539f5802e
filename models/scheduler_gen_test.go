package models

import (
	"math/rand/v2"
)

// schedEventSpec describes a generated networking event.
type schedEventSpec struct {
	People, Slots, Tables, Online int // Online of the Tables are online rooms
	Mutual                        int // distinct mutual pairs wanted
	OneWay                        int // extra wishes that are not returned
	Booked                        int // meetings already booked (attempted)
	Seed                          uint64
}

// schedGeneratedEvent is the event the issue names: 1,000 participants,
// 15 slots, 100 locations (10 of them online rooms), 8,000 mutual wishes.
var schedGeneratedEvent = schedEventSpec{People: 1000, Slots: 15, Tables: 100, Online: 10, Mutual: 8000, OneWay: 3000, Booked: 150, Seed: 42}

// genSchedEvent builds a reproducible event: ~10% availability holes per
// person, ~3% per table, limits 8–12, and a wish graph clustered by interest
// (80% of pairs share one of 25 topics of skewed popularity, and within a
// topic some people are far more wanted than others), the rest uniform.
func genSchedEvent(spec schedEventSpec) ScheduleInput {
	rng := rand.New(rand.NewPCG(spec.Seed, 0x5eed))
	var in ScheduleInput
	in.Seed = spec.Seed
	for i := 0; i < spec.Slots; i++ {
		in.Slots = append(in.Slots, uint(500+i))
	}
	for i := 0; i < spec.Tables; i++ {
		t := SchedTable{ID: uint(9000 + i), Online: i >= spec.Tables-spec.Online}
		for _, sl := range in.Slots {
			if !t.Online && rng.Float64() < 0.03 {
				t.Unavailable = append(t.Unavailable, sl)
			}
		}
		in.Tables = append(in.Tables, t)
	}
	const topics = 25
	members := make([][]int, topics)
	for i := 0; i < spec.People; i++ {
		p := SchedParticipant{ID: uint(100000 + 7*i), MaxMeetings: 8 + rng.IntN(5)}
		for _, sl := range in.Slots {
			if rng.Float64() < 0.10 {
				p.Unavailable = append(p.Unavailable, sl)
			}
		}
		in.Participants = append(in.Participants, p)
		for k := 1 + rng.IntN(3); k > 0; k-- {
			tp := skewed(rng, topics)
			members[tp] = append(members[tp], i)
		}
	}

	seen := make(map[uint64]bool)
	pick := func() (int, int) {
		if rng.Float64() < 0.8 {
			m := members[skewed(rng, topics)]
			if len(m) >= 2 {
				return m[skewed(rng, len(m))], m[rng.IntN(len(m))]
			}
		}
		return rng.IntN(spec.People), rng.IntN(spec.People)
	}
	id := func(i int) uint { return in.Participants[i].ID }
	for made := 0; made < spec.Mutual; {
		a, b := pick()
		if a == b || seen[pairKey(a, b)] {
			continue
		}
		seen[pairKey(a, b)] = true
		in.Wishes = append(in.Wishes, SchedWish{From: id(a), To: id(b)}, SchedWish{From: id(b), To: id(a)})
		made++
	}
	for made := 0; made < spec.OneWay; {
		a, b := pick()
		if a == b || seen[pairKey(a, b)] {
			continue
		}
		seen[pairKey(a, b)] = true
		in.Wishes = append(in.Wishes, SchedWish{From: id(a), To: id(b)})
		made++
	}
	rng.Shuffle(len(in.Wishes), func(i, j int) { in.Wishes[i], in.Wishes[j] = in.Wishes[j], in.Wishes[i] })

	// Booked meetings: some between mutual pairs, some not, all consistent.
	busy := make(map[[2]uint]bool)
	tableBusy := make(map[[2]uint]bool)
	pairBooked := make(map[[2]uint]bool)
	for i := 0; i < spec.Booked; i++ {
		w := in.Wishes[rng.IntN(len(in.Wishes))]
		sl := in.Slots[rng.IntN(len(in.Slots))]
		t := in.Tables[rng.IntN(spec.Tables-spec.Online)].ID
		a, b := min(w.From, w.To), max(w.From, w.To)
		if busy[[2]uint{w.From, sl}] || busy[[2]uint{w.To, sl}] || tableBusy[[2]uint{t, sl}] || pairBooked[[2]uint{a, b}] {
			continue
		}
		pairBooked[[2]uint{a, b}] = true
		busy[[2]uint{w.From, sl}], busy[[2]uint{w.To, sl}], tableBusy[[2]uint{t, sl}] = true, true, true
		in.Booked = append(in.Booked, SchedPlacement{A: a, B: b, Slot: sl, Table: t})
	}
	return in
}

// skewed draws from [0, n) with low numbers far more likely.
func skewed(rng *rand.Rand, n int) int {
	r := rng.Float64()
	return int(r * r * float64(n))
}
