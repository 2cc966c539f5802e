package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Closing and reopening a table, and what is refused: a cell with a
// meeting, an online location, another event's table or slot.
func TestCloseAndReopenTable(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 2, 2, 2, models.NetworkingSetting{})
	other := newNetEvent(t, db, 0, 1, 1, models.NetworkingSetting{})
	t1, s0, s1 := n.tables[0].ID, n.slots[0].ID, n.slots[1].ID
	if err := models.CloseTable(db, n.ev.ID, t1, s0); err != nil {
		t.Fatal(err)
	}
	if err := models.CloseTable(db, n.ev.ID, t1, s0); err != nil {
		t.Fatalf("closing again: %v", err)
	}
	cells, err := models.ClosedCells(db, n.ev.ID)
	if err != nil || len(cells) != 1 || !cells[models.MeetingCell{LocationID: t1, SlotID: s0}] {
		t.Fatalf("closed cells: %v %v", cells, err)
	}
	for name, c := range map[string][3]uint{
		"other event's table": {n.ev.ID, other.tables[0].ID, s0},
		"other event's slot":  {n.ev.ID, t1, other.slots[0].ID},
		"through other event": {other.ev.ID, t1, s0},
	} {
		if err := models.CloseTable(db, c[0], c[1], c[2]); !errors.Is(err, gorm.ErrRecordNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if err := models.ReopenTable(db, other.ev.ID, t1, s0); !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Errorf("reopened through another event: %v", err)
	}
	online := &models.MeetingLocation{EventID: n.ev.ID, Name: "Online", Online: true}
	if err := models.AddLocation(db, online); err != nil {
		t.Fatal(err)
	}
	if err := models.CloseTable(db, n.ev.ID, online.ID, s0); !errors.Is(err, models.ErrOnlineNotClosed) {
		t.Errorf("online closed: %v", err)
	}
	m, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: s1, A: n.people[0].ID, B: n.people[1].ID, LocationID: t1})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.CloseTable(db, n.ev.ID, t1, s1); !errors.Is(err, models.ErrCellHasMeeting) {
		t.Fatalf("closed over a meeting: %v", err)
	}
	if err := models.CancelMeeting(db, n.ev.ID, 0, m.ID, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := models.CloseTable(db, n.ev.ID, t1, s1); err != nil {
		t.Fatalf("closing once the meeting is cancelled: %v", err)
	}
	if err := models.ReopenTable(db, n.ev.ID, t1, s0); err != nil {
		t.Fatal(err)
	}
	if err := models.ReopenTable(db, n.ev.ID, t1, s0); !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Fatalf("reopened twice: %v", err)
	}
	if cells, _ := models.ClosedCells(db, n.ev.ID); len(cells) != 1 || !cells[models.MeetingCell{LocationID: t1, SlotID: s1}] {
		t.Fatalf("closed cells after reopening: %v", cells)
	}
}

// Every way of placing a meeting skips a closed table: automatic picks take
// the next table, an explicit closed table is refused, a move into it too,
// and a slot whose tables are all closed is not offered for requests.
func TestBookingSkipsClosedTables(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 6, 2, 2, models.NetworkingSetting{})
	t1, t2, s0, s1 := n.tables[0].ID, n.tables[1].ID, n.slots[0].ID, n.slots[1].ID
	if err := models.CloseTable(db, n.ev.ID, t1, s0); err != nil {
		t.Fatal(err)
	}
	p := func(i int) uint { return n.people[i].ID }
	r := n.request(t, db, 4, 5, 0) // sent while one table of s0 is still open
	m, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: s0, A: p(0), B: p(1)})
	if err != nil || m.LocationID != t2 {
		t.Fatalf("automatic pick: %+v %v, want table %d", m, err, t2)
	}
	if _, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: s0, A: p(2), B: p(3), LocationID: t1}); !errors.Is(err, models.ErrTableClosed) {
		t.Fatalf("explicit closed table: %v", err)
	}
	if _, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: s0, A: p(2), B: p(3)}); !errors.Is(err, models.ErrNoLocationFree) {
		t.Fatalf("only a closed table left: %v", err)
	}
	// The request for s0 finds no open table when accepted.
	if _, err := models.AcceptRequest(db, n.ev.ID, p(5), r.ID, time.Now()); !errors.Is(err, models.ErrNoLocationFree) {
		t.Fatalf("accepted into a closed table: %v", err)
	}
	free, err := models.FreeSlots(db, n.ev.ID, p(4), p(5), time.Now())
	if err != nil || len(free) != 1 || free[0].ID != s1 {
		t.Fatalf("free slots: %+v %v, want only slot %d", free, err, s1)
	}
	// Moving the meeting into the closed cell is refused; it stays put.
	m2, err := models.OrganizerBookMeeting(db, models.OrganizerBookInput{EventID: n.ev.ID, SlotID: s1, A: p(2), B: p(3), LocationID: t1})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.MoveMeeting(db, n.ev.ID, m2.ID, s0, t1); !errors.Is(err, models.ErrTableClosed) {
		t.Fatalf("moved into a closed table: %v", err)
	}
	var kept models.Meeting
	db.First(&kept, m2.ID)
	if kept.SlotID != s1 || kept.LocationID != t1 {
		t.Fatalf("a refused move changed the meeting: %+v", kept)
	}
}

// The scheduler leaves closed cells empty.
func TestSchedulerSkipsClosedTables(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 12, 3, 3, models.NetworkingSetting{Mode: models.ModeWishes})
	for i := range n.people {
		for d := 1; d <= 3; d++ {
			j := (i + d) % len(n.people)
			for _, w := range [][2]int{{i, j}, {j, i}} {
				if err := models.SetWish(db, n.ev.ID, n.people[w[0]].ID, n.people[w[1]].ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	closed := []models.MeetingCell{{LocationID: n.tables[0].ID, SlotID: n.slots[0].ID}, {LocationID: n.tables[1].ID, SlotID: n.slots[0].ID},
		{LocationID: n.tables[2].ID, SlotID: n.slots[1].ID}}
	for _, c := range closed {
		if err := models.CloseTable(db, n.ev.ID, c.LocationID, c.SlotID); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := models.RunScheduler(db, n.ev.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// 9 cells, 3 closed: 6 open at most, and all of them can be filled.
	if got := activeMeetings(t, db, n.ev.ID); stats.Placed == 0 || got != int64(stats.Placed) || got > 6 {
		t.Fatalf("%d meetings stored, stats %+v", got, stats)
	}
	for _, c := range closed {
		var k int64
		db.Model(&models.Meeting{}).Where("status = ? AND location_id = ? AND slot_id = ?", models.MeetingActive, c.LocationID, c.SlotID).Count(&k)
		if k != 0 {
			t.Fatalf("the scheduler used closed cell %+v", c)
		}
	}
}

// Organizers close tables while people book at once, on several
// connection pools: whatever the order, no active meeting ends up in a
// closed cell (meetDB's CheckMeetings checks it too), and every refusal is
// one of the clear errors.
func TestRacingClosuresAndBookings(t *testing.T) {
	db, dsn := meetDB(t)
	const slots, tables = 3, 4
	n := newNetEvent(t, db, 24, slots, tables, models.NetworkingSetting{})
	pools := append(extraPools(t, dsn, 3), db)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var booked, closedN int
	start := make(chan struct{}) // everyone starts at once
	report := func(err error, ok *int, allowed ...error) {
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			*ok++
			return
		}
		for _, a := range allowed {
			if errors.Is(err, a) {
				return
			}
		}
		t.Errorf("unexpected error: %v", err)
	}
	// 12 pairs each book in every slot, some asking for a table, some not.
	for pair := 0; pair < 12; pair++ {
		for s := 0; s < slots; s++ {
			wg.Add(1)
			go func(pair, s int) {
				defer wg.Done()
				<-start
				in := models.OrganizerBookInput{EventID: n.ev.ID, SlotID: n.slots[s].ID, A: n.people[2*pair].ID, B: n.people[2*pair+1].ID}
				if pair%2 == 0 {
					in.LocationID = n.tables[pair/2%tables].ID
				}
				_, err := models.OrganizerBookMeeting(pools[(pair+s)%len(pools)], in)
				report(err, &booked, models.ErrTableClosed, models.ErrTableTaken, models.ErrNoLocationFree, models.ErrSlotTaken)
			}(pair, s)
		}
	}
	// Meanwhile every cell is closed once.
	for s := 0; s < slots; s++ {
		for l := 0; l < tables; l++ {
			wg.Add(1)
			go func(s, l int) {
				defer wg.Done()
				<-start
				err := models.CloseTable(pools[(s+l)%len(pools)], n.ev.ID, n.tables[l].ID, n.slots[s].ID)
				report(err, &closedN, models.ErrCellHasMeeting)
			}(s, l)
		}
	}
	close(start)
	wg.Wait()
	cells, err := models.ClosedCells(db, n.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ms []models.Meeting
	db.Where("event_id = ? AND status = ?", n.ev.ID, models.MeetingActive).Find(&ms)
	for _, m := range ms {
		if cells[models.MeetingCell{LocationID: m.LocationID, SlotID: m.SlotID}] {
			t.Fatalf("meeting %d sits in a closed cell", m.ID)
		}
	}
	// Each cell ends up either closed or booked, never both, never neither
	// (every cell is closed unless a meeting was there first).
	if len(ms) != booked || len(cells) != closedN || booked+closedN != slots*tables {
		t.Fatalf("%d booked (%d stored), %d closed (%d stored), want %d cells in all", booked, len(ms), closedN, len(cells), slots*tables)
	}
	t.Logf("%d meetings, %d closed cells", booked, closedN)
}
