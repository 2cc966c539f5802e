package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Many people ask the same person for the same slot; she accepts all at
// once: exactly one meeting, the rest learn the slot was just taken.
func TestRacingAcceptsSamePersonSlot(t *testing.T) {
	db, dsn := meetDB(t)
	n := newNetEvent(t, db, 9, 2, 20, models.NetworkingSetting{})
	var reqs []*models.MeetingRequest
	for i := 1; i < 9; i++ {
		reqs = append(reqs, n.request(t, db, i, 0, 0))
	}
	pools := append(extraPools(t, dsn, 3), db)
	var wg sync.WaitGroup
	errs := make([]error, len(reqs))
	for i, r := range reqs {
		wg.Add(1)
		go func(i int, r *models.MeetingRequest) {
			defer wg.Done()
			_, errs[i] = models.AcceptRequest(pools[i%len(pools)], n.ev.ID, n.people[0].ID, r.ID, time.Now())
		}(i, r)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, models.ErrSlotTaken):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || activeMeetings(t, db, n.ev.ID) != 1 {
		t.Fatalf("want exactly one meeting, got %d accepted, %d stored", ok, activeMeetings(t, db, n.ev.ID))
	}
}

// Pairs of different people accept at once in a slot with fewer tables
// than pairs: each table hosts one meeting, the others are told no table
// is free, and the losers' requests stay pending (their transaction rolled back).
func TestRacingAcceptsForTables(t *testing.T) {
	db, dsn := meetDB(t)
	n := newNetEvent(t, db, 16, 1, 3, models.NetworkingSetting{})
	var reqs []*models.MeetingRequest
	for i := 0; i < 16; i += 2 {
		reqs = append(reqs, n.request(t, db, i, i+1, 0))
	}
	pools := append(extraPools(t, dsn, 3), db)
	var wg sync.WaitGroup
	errs := make([]error, len(reqs))
	for i, r := range reqs {
		wg.Add(1)
		go func(i int, r *models.MeetingRequest) {
			defer wg.Done()
			_, errs[i] = models.AcceptRequest(pools[i%len(pools)], n.ev.ID, r.ToParticipantID, r.ID, time.Now())
		}(i, r)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, models.ErrNoLocationFree), errors.Is(err, models.ErrSlotTaken):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 3 || activeMeetings(t, db, n.ev.ID) != 3 {
		t.Fatalf("want 3 meetings (3 tables), got %d accepted, %d stored", ok, activeMeetings(t, db, n.ev.ID))
	}
	var pending int64
	db.Model(&models.MeetingRequest{}).Where("status = ?", models.RequestPending).Count(&pending)
	if pending != 5 {
		t.Fatalf("losing requests should stay pending: %d", pending)
	}
}

// A mix: everyone requests everyone in random slots, then all accept at once.
// The unique indexes leave no person or table in two meetings per slot.
func TestRacingAcceptsMixed(t *testing.T) {
	db, dsn := meetDB(t)
	n := newNetEvent(t, db, 12, 3, 2, models.NetworkingSetting{MaxMeetings: 2})
	var reqs []*models.MeetingRequest
	for i := 0; i < 12; i++ {
		for j := i + 1; j < 12; j += 3 {
			r, err := models.SendRequest(db, models.RequestInput{EventID: n.ev.ID, From: n.people[i].ID, To: n.people[j].ID, SlotID: n.slots[(i+j)%3].ID, Now: time.Now()})
			if err == nil {
				reqs = append(reqs, r)
			}
		}
	}
	pools := append(extraPools(t, dsn, 3), db)
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func(i int, r *models.MeetingRequest) {
			defer wg.Done()
			_, err := models.AcceptRequest(pools[i%len(pools)], n.ev.ID, r.ToParticipantID, r.ID, time.Now())
			if err != nil && !errors.Is(err, models.ErrSlotTaken) && !errors.Is(err, models.ErrNoLocationFree) && !errors.Is(err, models.ErrMeetingLimit) && !errors.Is(err, models.ErrNotAvailable) {
				t.Errorf("accept: %v", err)
			}
		}(i, r)
	}
	wg.Wait()
	var dup int64
	db.Raw(`SELECT COUNT(*) FROM (SELECT slot_id, location_id FROM meetings WHERE status = 'active' GROUP BY slot_id, location_id HAVING COUNT(*) > 1) x`).Scan(&dup)
	if dup != 0 {
		t.Fatalf("%d tables host two meetings at once", dup)
	}
	var over int64
	db.Model(&models.MeetingParticipant{}).Where("meetings_count > 2").Count(&over)
	if over != 0 {
		t.Fatalf("%d people past the meeting limit", over)
	}
	if activeMeetings(t, db, n.ev.ID) == 0 {
		t.Fatal("no meeting was booked at all")
	}
}

// The limit holds when a person's requests are accepted at once by others.
func TestRacingAcceptsMeetingLimit(t *testing.T) {
	db, dsn := meetDB(t)
	n := newNetEvent(t, db, 7, 6, 10, models.NetworkingSetting{MaxMeetings: 2})
	var reqs []*models.MeetingRequest
	for i := 1; i < 7; i++ {
		reqs = append(reqs, n.request(t, db, i, 0, i-1))
	}
	pools := append(extraPools(t, dsn, 3), db)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, limit := 0, 0
	for i, r := range reqs {
		wg.Add(1)
		go func(i int, r *models.MeetingRequest) {
			defer wg.Done()
			_, err := models.AcceptRequest(pools[i%len(pools)], n.ev.ID, n.people[0].ID, r.ID, time.Now())
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrMeetingLimit):
				limit++
			default:
				t.Errorf("accept: %v", err)
			}
		}(i, r)
	}
	wg.Wait()
	if ok != 2 || limit != 4 {
		t.Fatalf("want 2 meetings and 4 refusals, got %d and %d", ok, limit)
	}
}

// The unique indexes hold even for a write that skips the rules.
func TestSeatIndexRefusesRawDoubleBooking(t *testing.T) {
	db, _ := meetDB(t)
	n := newNetEvent(t, db, 3, 1, 2, models.NetworkingSetting{})
	r := n.request(t, db, 1, 0, 0)
	m, err := models.AcceptRequest(db, n.ev.ID, n.people[0].ID, r.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = db.Create(&models.MeetingSeat{MeetingID: m.ID, ParticipantID: n.people[0].ID, SlotID: n.slots[0].ID}).Error
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Fatal("a second seat for the same person and slot was stored")
	}
	other := &models.Meeting{EventID: n.ev.ID, SlotID: n.slots[0].ID, LocationID: m.LocationID, AParticipantID: n.people[1].ID,
		BParticipantID: n.people[2].ID, Status: models.MeetingCancelled, RoomCode: "x"}
	if err := db.Create(other).Error; err != nil {
		t.Fatal(err)
	}
	err = db.Create(&models.MeetingTableBooking{MeetingID: other.ID, LocationID: m.LocationID, SlotID: n.slots[0].ID}).Error
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Fatal("a second booking of the same table and slot was stored")
	}
}
