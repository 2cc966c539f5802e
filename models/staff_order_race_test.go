package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// Staff and public registrations racing from three instances for the last
// four places: four succeed, the rest are told it is full.
func TestStaffAndPublicRegistrationsNeverOversell(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 4, 0, 1)
	pools := append(extraPools(t, dsn, 2), db)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			in := orderInput(t, db, ev, tt, 1)
			in.BuyerEmail = fmt.Sprintf("racer%d@example.org", i)
			in.Attendees[0].Email = in.BuyerEmail
			in.Now = time.Now()
			var err error
			if i%2 == 0 {
				_, err = models.PlaceStaffOrder(pools[i%3], models.StaffOrderInput{PlaceOrderInput: in, Kind: models.StaffComplimentary, Actor: models.Actor{Name: "Staff"}})
			} else {
				_, err = models.PlaceOrder(pools[i%3], in)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrTicketTypeFull):
				full++
			default:
				t.Errorf("register %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	if ok != 4 || full != 8 || placesTaken(t, db, "ticket_types", tt.ID) != 4 {
		t.Fatalf("ok %d full %d taken %d", ok, full, placesTaken(t, db, "ticket_types", tt.ID))
	}
}

// The same file imported twice and run by two instances at once registers
// each person once.
func TestImportRacedByTwoInstancesRegistersEachOnce(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	ticketType(t, db, ev.ID, 0, 0, 1)
	var lines []models.ImportLine
	for i := 0; i < 60; i++ {
		lines = append(lines, models.ImportLine{Line: i + 2, Name: fmt.Sprintf("Guest %d", i), Email: fmt.Sprintf("guest%d@example.org", i)})
	}
	now := time.Now()
	var ids []uint
	for i := 0; i < 2; i++ {
		imp, err := models.CreateImport(db, ev.ID, models.Actor{Name: "Staff"}, "same.csv", lines, []string{"en"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := models.ConfirmImport(db, ev.ID, imp.ID, false, now); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, imp.ID)
	}
	pools := extraPools(t, dsn, 2)
	var wg sync.WaitGroup
	for i, p := range pools {
		for _, id := range ids {
			wg.Add(1)
			go func(holder string, id uint) {
				defer wg.Done()
				for k := 0; k < 50; k++ {
					done, err := models.ProcessImport(p, id, holder, time.Now(), 9)
					if err != nil {
						t.Errorf("process: %v", err)
						return
					}
					if done {
						return
					}
				}
			}(fmt.Sprintf("instance-%d", i), id)
		}
	}
	wg.Wait()
	var n int64
	db.Model(&models.Attendee{}).Where("event_id = ?", ev.ID).Count(&n)
	if n != 60 {
		t.Fatalf("%d attendees for 60 people", n)
	}
	var created, skipped int64
	db.Model(&models.ImportRow{}).Where("state = ?", models.ImportRowCreated).Count(&created)
	db.Model(&models.ImportRow{}).Where("state = ?", models.ImportRowRegistered).Count(&skipped)
	if created != 60 || skipped != 60 {
		t.Fatalf("created %d, skipped as registered %d", created, skipped)
	}
}
