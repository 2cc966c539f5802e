package models

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// mutual returns both wishes of each pair.
func mutual(pairs ...[2]uint) []SchedWish {
	var out []SchedWish
	for _, p := range pairs {
		out = append(out, SchedWish{From: p[0], To: p[1]}, SchedWish{From: p[1], To: p[0]})
	}
	return out
}

func people(limit int, ids ...uint) []SchedParticipant {
	out := make([]SchedParticipant, len(ids))
	for i, id := range ids {
		out[i] = SchedParticipant{ID: id, MaxMeetings: limit}
	}
	return out
}

func tables(ids ...uint) []SchedTable {
	out := make([]SchedTable, len(ids))
	for i, id := range ids {
		out[i] = SchedTable{ID: id}
	}
	return out
}

func runSchedule(t *testing.T, in ScheduleInput) ScheduleResult {
	t.Helper()
	res, err := ScheduleMeetings(in)
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	if err := validateSchedule(in, res); err != nil {
		t.Fatalf("invalid schedule: %v\n%+v", err, res.Placements)
	}
	return res
}

func TestScheduleSmallCasesReachTheOptimum(t *testing.T) {
	cases := []struct {
		name         string
		in           ScheduleInput
		want, bound  int
		mutualPairs  int
		ignoredWants int
	}{
		{
			name: "one mutual pair",
			in: ScheduleInput{Slots: []uint{1}, Tables: tables(10), Participants: people(5, 1, 2),
				Wishes: mutual([2]uint{1, 2})},
			want: 1, bound: 1, mutualPairs: 1,
		},
		{
			name: "one-way wishes, self-wishes and strangers are not scheduled",
			in: ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10), Participants: people(5, 1, 2, 3),
				Wishes: []SchedWish{{1, 2}, {2, 3}, {3, 3}, {1, 99}, {2, 1}, {2, 1}}},
			want: 1, bound: 1, mutualPairs: 1, ignoredWants: 2,
		},
		{
			name: "tables are the limit: three pairs, one slot, two tables",
			in: ScheduleInput{Slots: []uint{1}, Tables: tables(10, 11), Participants: people(5, 1, 2, 3, 4, 5, 6),
				Wishes: mutual([2]uint{1, 2}, [2]uint{3, 4}, [2]uint{5, 6})},
			want: 2, bound: 2, mutualPairs: 3,
		},
		{
			name: "an online room takes the overflow",
			in: ScheduleInput{Slots: []uint{1}, Tables: []SchedTable{{ID: 10}, {ID: 11, Online: true}},
				Participants: people(5, 1, 2, 3, 4, 5, 6),
				Wishes:       mutual([2]uint{1, 2}, [2]uint{3, 4}, [2]uint{5, 6})},
			want: 3, bound: 3, mutualPairs: 3,
		},
		{
			name: "a room with capacity two",
			in: ScheduleInput{Slots: []uint{1}, Tables: []SchedTable{{ID: 10, Capacity: 2}},
				Participants: people(5, 1, 2, 3, 4, 5, 6),
				Wishes:       mutual([2]uint{1, 2}, [2]uint{3, 4}, [2]uint{5, 6})},
			want: 2, bound: 2, mutualPairs: 3,
		},
		{
			name: "limits: a star around person 1 with limit 2",
			in: ScheduleInput{Slots: []uint{1, 2, 3, 4}, Tables: tables(10, 11),
				Participants: append(people(2, 1), people(5, 2, 3, 4, 5)...),
				Wishes:       mutual([2]uint{1, 2}, [2]uint{1, 3}, [2]uint{1, 4}, [2]uint{1, 5})},
			want: 2, bound: 2, mutualPairs: 4,
		},
		{
			// A triangle needs three different slots; with two only two pairs fit.
			name: "triangle in two slots",
			in: ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10, 11), Participants: people(5, 1, 2, 3),
				Wishes: mutual([2]uint{1, 2}, [2]uint{2, 3}, [2]uint{1, 3})},
			want: 2, bound: 2, mutualPairs: 3,
		},
		{
			name: "unavailable slots and a closed table",
			in: ScheduleInput{Slots: []uint{1, 2}, Tables: []SchedTable{{ID: 10, Unavailable: []uint{2}}},
				Participants: []SchedParticipant{{ID: 1, Unavailable: []uint{1}}, {ID: 2}, {ID: 3}, {ID: 4}},
				Wishes:       mutual([2]uint{1, 2}, [2]uint{3, 4})},
			// Person 1 can only meet in slot 2, where the only table is closed.
			want: 1, bound: 1, mutualPairs: 2,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runSchedule(t, c.in)
			st := res.Stats
			if st.Placed != c.want || st.UpperBound != c.bound || st.MutualPairs != c.mutualPairs || st.IgnoredWishes != c.ignoredWants {
				t.Fatalf("placed %d bound %d mutual %d ignored %d; want %d %d %d %d",
					st.Placed, st.UpperBound, st.MutualPairs, st.IgnoredWishes, c.want, c.bound, c.mutualPairs, c.ignoredWants)
			}
		})
	}
}

// A naive first choice (pair 1–2 in slot 1) blocks pair 1–3, whose person 3
// is only there in slot 1. Repair moves 1–2 to slot 2 and places 1–3.
func TestScheduleRepairMovesAMeetingOutOfTheWay(t *testing.T) {
	in := ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10, 11),
		Participants: []SchedParticipant{{ID: 1}, {ID: 2}, {ID: 3, Unavailable: []uint{2}}},
		Wishes:       mutual([2]uint{1, 2}, [2]uint{1, 3})}
	s, err := newScheduler(in)
	if err != nil {
		t.Fatal(err)
	}
	s.place(0, 0) // pairs are sorted: 0 is 1–2; slot index 0 is slot 1
	if cand := make([]uint64, s.w); and3(cand, s.set(0), s.set(2), s.roomSet) {
		t.Fatal("pair 1–3 should not fit without moving 1–2")
	}
	s.repair()
	got := s.placements()
	want := []SchedPlacement{{A: 1, B: 3, Slot: 1, Table: 10}, {A: 1, B: 2, Slot: 2, Table: 10}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after repair: %+v, want %+v", got, want)
	}
	res := ScheduleResult{Placements: got, Stats: ScheduleStats{Placed: len(got), UpperBound: 2, MutualPairs: 2}}
	if err := validateSchedule(in, res); err != nil {
		t.Fatal(err)
	}
}

// One table: a naive choice puts 1–2 in slot 1, the only slot of person 3.
// Repair moves 1–2 to slot 2, which frees the table for 3–4.
func TestScheduleRepairFreesATable(t *testing.T) {
	in := ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10),
		Participants: []SchedParticipant{{ID: 1}, {ID: 2}, {ID: 3, Unavailable: []uint{2}}, {ID: 4}},
		Wishes:       mutual([2]uint{1, 2}, [2]uint{3, 4})}
	s, err := newScheduler(in)
	if err != nil {
		t.Fatal(err)
	}
	s.place(0, 0) // 1–2 in slot 1
	s.repair()
	got := s.placements()
	want := []SchedPlacement{{A: 3, B: 4, Slot: 1, Table: 10}, {A: 1, B: 2, Slot: 2, Table: 10}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after repair: %+v, want %+v", got, want)
	}
	res := ScheduleResult{Placements: got, Stats: ScheduleStats{Placed: 2, UpperBound: 2, MutualPairs: 2}}
	if err := validateSchedule(in, res); err != nil {
		t.Fatal(err)
	}
}

// With limits of one, a naive choice of 1–2 leaves 1–3 and 2–4 out. Repair
// swaps along the augmenting path 3–1–2–4: drop 1–2, place 1–3 and 2–4.
func TestScheduleRepairSwapsAtALimit(t *testing.T) {
	in := ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10, 11), Participants: people(1, 1, 2, 3, 4),
		Wishes: mutual([2]uint{1, 2}, [2]uint{1, 3}, [2]uint{2, 4})}
	s, err := newScheduler(in)
	if err != nil {
		t.Fatal(err)
	}
	s.place(0, 0) // 1–2
	s.repair()
	got := s.placements()
	if len(got) != 2 || slices.ContainsFunc(got, func(p SchedPlacement) bool { return p.A == 1 && p.B == 2 }) {
		t.Fatalf("after repair: %+v, want 1–3 and 2–4", got)
	}
	res := ScheduleResult{Placements: got, Stats: ScheduleStats{Placed: 2, UpperBound: 2, MutualPairs: 3}}
	if err := validateSchedule(in, res); err != nil {
		t.Fatal(err)
	}
	// The whole run gets there too.
	if st := runSchedule(t, in).Stats; st.Placed != 2 || st.UpperBound != 2 {
		t.Fatalf("run: placed %d bound %d, want 2 and 2", st.Placed, st.UpperBound)
	}
}

func TestScheduleKeepsBookedMeetings(t *testing.T) {
	in := ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10), Participants: people(2, 1, 2, 3, 4),
		Wishes: mutual([2]uint{1, 2}, [2]uint{1, 3}, [2]uint{3, 4}, [2]uint{2, 4}),
		// 1–2 already meet at table 10 in slot 1.
		Booked: []SchedPlacement{{A: 1, B: 2, Slot: 1, Table: 10}}}
	before := slices.Clone(in.Booked)
	res := runSchedule(t, in)
	if !reflect.DeepEqual(in.Booked, before) {
		t.Fatal("booked meetings changed")
	}
	st := res.Stats
	// The only table is taken in slot 1, so one more meeting fits, in slot 2.
	if st.MutualPairs != 4 || st.AlreadyBooked != 1 || st.Placed != 1 || st.UpperBound != 1 || res.Placements[0].Slot != 2 {
		t.Fatalf("stats %+v, placements %+v", st, res.Placements)
	}
	// A second table: 3–4 in slot 1, then 1–3 and 2–4 in slot 2; 1–2 is not placed again.
	in.Tables = append(in.Tables, SchedTable{ID: 11})
	res = runSchedule(t, in)
	if res.Stats.Placed != 3 || res.Stats.UpperBound != 3 {
		t.Fatalf("with a second table: %+v %+v", res.Stats, res.Placements)
	}
}

func TestScheduleRejectsInputNoScheduleCanHonour(t *testing.T) {
	base := func() ScheduleInput {
		return ScheduleInput{Slots: []uint{1, 2}, Tables: tables(10), Participants: people(3, 1, 2, 3)}
	}
	cases := map[string]func(*ScheduleInput){
		"participant listed twice": func(in *ScheduleInput) { in.Participants = append(in.Participants, SchedParticipant{ID: 1}) },
		"slot listed twice":        func(in *ScheduleInput) { in.Slots = append(in.Slots, 1) },
		"location listed twice":    func(in *ScheduleInput) { in.Tables = append(in.Tables, SchedTable{ID: 10}) },
		"unknown participant":      func(in *ScheduleInput) { in.Booked = []SchedPlacement{{A: 1, B: 7, Slot: 1, Table: 10}} },
		"with themselves":          func(in *ScheduleInput) { in.Booked = []SchedPlacement{{A: 1, B: 1, Slot: 1, Table: 10}} },
		"unknown slot":             func(in *ScheduleInput) { in.Booked = []SchedPlacement{{A: 1, B: 2, Slot: 9, Table: 10}} },
		"unknown location":         func(in *ScheduleInput) { in.Booked = []SchedPlacement{{A: 1, B: 2, Slot: 1, Table: 9}} },
		"participant twice": func(in *ScheduleInput) {
			in.Tables = tables(10, 11)
			in.Booked = []SchedPlacement{{A: 1, B: 2, Slot: 1, Table: 10}, {A: 1, B: 3, Slot: 1, Table: 11}}
		},
		"table twice": func(in *ScheduleInput) {
			in.Participants = people(3, 1, 2, 3, 4)
			in.Booked = []SchedPlacement{{A: 1, B: 2, Slot: 1, Table: 10}, {A: 3, B: 4, Slot: 1, Table: 10}}
		},
	}
	for name, edit := range cases {
		in := base()
		edit(&in)
		if _, err := ScheduleMeetings(in); err == nil || !strings.HasPrefix(err.Error(), "schedule meetings: ") {
			t.Errorf("%s: err = %v, want a schedule error", name, err)
		}
	}
	// Empty input is fine: nothing to place.
	if res, err := ScheduleMeetings(ScheduleInput{}); err != nil || res.Stats.Placed != 0 {
		t.Fatalf("empty input: %+v, %v", res, err)
	}
}

func TestScheduleIsDeterministic(t *testing.T) {
	spec := schedEventSpec{People: 120, Slots: 8, Tables: 20, Online: 2, Mutual: 600, OneWay: 100, Booked: 20, Seed: 7}
	in := genSchedEvent(spec)
	a, b := runSchedule(t, in), runSchedule(t, in)
	if !reflect.DeepEqual(a.Placements, b.Placements) {
		t.Fatal("two runs on the same input differ")
	}
	in.Seed = 8
	runSchedule(t, in) // another seed: another valid schedule
}

// On tiny random events the exact optimum is found by brute force: the upper
// bound must never be below it, and the scheduler should reach it nearly always.
func TestScheduleAgainstBruteForceOnTinyEvents(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	hits, runs := 0, 300
	for r := 0; r < runs; r++ {
		in := tinyEvent(rng)
		res := runSchedule(t, in)
		opt := bruteForceOptimum(in)
		if res.Stats.UpperBound < opt {
			t.Fatalf("run %d: upper bound %d below the optimum %d: %+v", r, res.Stats.UpperBound, opt, in)
		}
		if res.Stats.Placed > opt {
			t.Fatalf("run %d: placed %d above the optimum %d", r, res.Stats.Placed, opt)
		}
		if res.Stats.Placed == opt {
			hits++
		}
	}
	t.Logf("optimum reached in %d of %d tiny events", hits, runs)
	if hits < runs*9/10 {
		t.Fatalf("optimum reached in only %d of %d tiny events", hits, runs)
	}
}

func tinyEvent(rng *rand.Rand) ScheduleInput {
	in := ScheduleInput{Seed: rng.Uint64()}
	nSlots, nPeople := 2+rng.IntN(2), 4+rng.IntN(3)
	for i := 0; i < nSlots; i++ {
		in.Slots = append(in.Slots, uint(i+1))
	}
	for i := 0; i < 1+rng.IntN(2); i++ {
		t := SchedTable{ID: uint(10 + i), Online: rng.IntN(6) == 0}
		if rng.IntN(4) == 0 {
			t.Unavailable = []uint{uint(1 + rng.IntN(nSlots))}
		}
		in.Tables = append(in.Tables, t)
	}
	for i := 0; i < nPeople; i++ {
		p := SchedParticipant{ID: uint(i + 1), MaxMeetings: 1 + rng.IntN(3)}
		if rng.IntN(3) == 0 {
			p.Unavailable = []uint{uint(1 + rng.IntN(nSlots))}
		}
		in.Participants = append(in.Participants, p)
	}
	for a := 1; a <= nPeople; a++ {
		for b := a + 1; b <= nPeople; b++ {
			if rng.IntN(5) < 2 {
				in.Wishes = append(in.Wishes, mutual([2]uint{uint(a), uint(b)})...)
			}
		}
	}
	if len(in.Wishes) > 16 { // keep brute force small: at most 8 pairs
		in.Wishes = in.Wishes[:16]
	}
	return in
}

// bruteForceOptimum tries every assignment of each mutual pair to no slot or
// one slot and keeps the best valid count. Tables in a slot are
// interchangeable, so a slot fits as many meetings as its open places.
func bruteForceOptimum(in ScheduleInput) int {
	type pair struct{ a, b uint }
	var pairs []pair
	for i := 0; i < len(in.Wishes); i += 2 {
		pairs = append(pairs, pair{in.Wishes[i].From, in.Wishes[i].To})
	}
	places := map[uint]int{}
	for _, s := range in.Slots {
		for _, t := range in.Tables {
			if !slices.Contains(t.Unavailable, s) {
				places[s] += max(t.Capacity, 1)
				if t.Online {
					places[s] += 100
				}
			}
		}
	}
	away := map[[2]uint]bool{}
	limit := map[uint]int{}
	for _, p := range in.Participants {
		limit[p.ID] = p.MaxMeetings
		for _, s := range p.Unavailable {
			away[[2]uint{p.ID, s}] = true
		}
	}
	busy := map[[2]uint]bool{}
	used := map[uint]int{}
	count := map[uint]int{}
	best := 0
	var walk func(i, n int)
	walk = func(i, n int) {
		if n+len(pairs)-i <= best {
			return
		}
		if i == len(pairs) {
			best = n
			return
		}
		p := pairs[i]
		if count[p.a] < limit[p.a] && count[p.b] < limit[p.b] {
			for _, s := range in.Slots {
				if away[[2]uint{p.a, s}] || away[[2]uint{p.b, s}] || busy[[2]uint{p.a, s}] || busy[[2]uint{p.b, s}] || used[s] >= places[s] {
					continue
				}
				busy[[2]uint{p.a, s}], busy[[2]uint{p.b, s}] = true, true
				used[s]++
				count[p.a]++
				count[p.b]++
				walk(i+1, n+1)
				busy[[2]uint{p.a, s}], busy[[2]uint{p.b, s}] = false, false
				used[s]--
				count[p.a]--
				count[p.b]--
			}
		}
		walk(i+1, n)
	}
	walk(0, 0)
	return best
}

func TestScheduleGeneratedEvent(t *testing.T) {
	for _, spec := range []schedEventSpec{
		schedGeneratedEvent,
		// The same event with 100 physical tables and no online rooms: then
		// 15 slots x 100 tables = 1,500 meetings is the ceiling.
		func() schedEventSpec { s := schedGeneratedEvent; s.Online = 0; return s }(),
	} {
		in := genSchedEvent(spec)
		res := runSchedule(t, in)
		st := res.Stats
		t.Logf("%d people, %d slots, %d locations (%d online): mutual %d, already booked %d, placed %d (greedy %d + repair %d) of upper bound %d (pairs %d, people %d, slots %d) = %.2f%%, in %v",
			spec.People, spec.Slots, spec.Tables, spec.Online, st.MutualPairs, st.AlreadyBooked, st.Placed, st.GreedyPlaced, st.Repaired,
			st.UpperBound, st.BoundPairs, st.BoundPeople, st.BoundSlots, 100*float64(st.Placed)/float64(st.UpperBound), st.Duration)
		if st.MutualPairs != spec.Mutual {
			t.Fatalf("mutual pairs %d, generated %d", st.MutualPairs, spec.Mutual)
		}
	}
}

// The validator itself must catch each kind of broken schedule, for the
// right reason, or the tests above prove nothing.
func TestScheduleValidatorCatchesBrokenSchedules(t *testing.T) {
	in := ScheduleInput{Slots: []uint{1, 2}, Tables: []SchedTable{{ID: 10}, {ID: 11, Unavailable: []uint{2}}, {ID: 12}},
		Participants: []SchedParticipant{{ID: 1, MaxMeetings: 1}, {ID: 2}, {ID: 3, Unavailable: []uint{2}}, {ID: 4}, {ID: 5}},
		Wishes:       append(mutual([2]uint{1, 2}, [2]uint{3, 4}, [2]uint{1, 3}, [2]uint{1, 5}), SchedWish{2, 4}),
		Booked:       []SchedPlacement{{A: 2, B: 4, Slot: 2, Table: 10}}}
	// 2 and 4 are booked in slot 2 and 3 is away, and 1 may meet once: 3–4 and one of 1's pairs.
	if st := runSchedule(t, in).Stats; st.Placed != 2 || st.UpperBound != 2 {
		t.Fatalf("placed %d bound %d, want 2 and 2", st.Placed, st.UpperBound)
	}
	broken := []struct {
		why string
		ps  []SchedPlacement
	}{
		{"participant 1 double-booked", []SchedPlacement{{1, 2, 1, 10}, {1, 3, 1, 11}}},
		{"participant 2 double-booked", []SchedPlacement{{1, 2, 2, 11}}}, // clashes with the booked 2–4
		{"location double-booked", []SchedPlacement{{1, 2, 1, 10}, {3, 4, 1, 10}}},
		{"not a mutual wish", []SchedPlacement{{2, 4, 1, 10}}},
		{"pair already meets", []SchedPlacement{{1, 2, 1, 10}, {1, 2, 2, 11}}},
		{"participant 3 unavailable", []SchedPlacement{{3, 4, 2, 10}}},
		{"location unavailable", []SchedPlacement{{1, 5, 2, 11}}},
		{"unknown location", []SchedPlacement{{1, 2, 1, 99}}},
		{"unknown slot", []SchedPlacement{{1, 2, 7, 10}}},
		{"limit 1", []SchedPlacement{{1, 2, 1, 10}, {1, 5, 2, 12}}},
		{"A must be the smaller", []SchedPlacement{{2, 1, 1, 10}}},
	}
	for _, c := range broken {
		res := ScheduleResult{Placements: c.ps, Stats: ScheduleStats{Placed: len(c.ps), UpperBound: 4, MutualPairs: 4}}
		if err := validateSchedule(in, res); err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%v: err = %v, want %q", c.ps, err, c.why)
		}
	}
}
