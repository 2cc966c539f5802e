package models_test

import (
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// TestRaceForLastPlaces: 200 people at once for the last 10 places of an
// event, of a ticket type, and of a session. Exactly 10 get in; everyone
// else is told it is full; the counters agree with the rows. Each case runs
// with separate commits (PlaceOrder) and with grouped commits (one
// OrderBatcher per connection pool, as each instance of the app has).
func TestRaceForLastPlaces(t *testing.T) {
	for _, batched := range []bool{false, true} {
		name := "separate commits"
		if batched {
			name = "grouped commits"
		}
		t.Run(name, func(t *testing.T) { raceForLastPlaces(t, batched) })
	}
}

func raceForLastPlaces(t *testing.T, batched bool) {
	cases := []struct {
		name                  string
		eventCap, ttCap, sCap int
		full                  func(err error, sessionID uint) bool
	}{
		{"event", 15, 0, 0, func(err error, _ uint) bool { return errors.Is(err, models.ErrEventFull) }},
		{"ticket type", 0, 15, 0, func(err error, _ uint) bool { return errors.Is(err, models.ErrTicketTypeFull) }},
		{"session", 0, 0, 15, func(err error, sid uint) bool { return errors.Is(err, models.ErrSessionFull{SessionID: sid}) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, dsn := regDB(t)
			ev := openEvent(t, db, c.eventCap)
			tt := ticketType(t, db, ev.ID, c.ttCap, 0, 5)
			s := signupSession(t, db, ev.ID, c.sCap)
			// Five places gone already: ten are left.
			place(t, db, orderInput(t, db, ev, tt, 5, s.ID))
			in := orderInput(t, db, ev, tt, 1, s.ID)
			pools := append([]*gorm.DB{db}, extraPools(t, dsn, 3)...)
			batchers := make([]*models.OrderBatcher, len(pools))
			for i, p := range pools {
				batchers[i] = models.NewOrderBatcher(p)
			}

			const racers = 200
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok, full := 0, 0
			var other []error
			start := make(chan struct{})
			for i := 0; i < racers; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					var err error
					if batched {
						_, err = batchers[i%len(batchers)].PlaceOrder(in)
					} else {
						_, err = models.PlaceOrder(pools[i%len(pools)], in)
					}
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						ok++
					case c.full(err, s.ID):
						full++
					default:
						other = append(other, err)
					}
				}(i)
			}
			close(start)
			wg.Wait()
			if len(other) > 0 {
				t.Fatalf("unexpected errors (%d), first: %v", len(other), other[0])
			}
			if ok != 10 || full != racers-10 {
				t.Fatalf("ok=%d full=%d, want 10 and %d", ok, full, racers-10)
			}
			var confirmed int64
			db.Model(&models.Attendee{}).Joins("JOIN orders ON orders.id = attendees.order_id").
				Where("orders.event_id = ? AND orders.status = ?", ev.ID, models.OrderConfirmed).Count(&confirmed)
			if confirmed != 15 {
				t.Fatalf("confirmed attendees = %d, want 15", confirmed)
			}
			if n := outboxCount(t, db, models.MailOrderConfirmation); n != 11 {
				t.Fatalf("confirmation mails = %d, want 11 (one per order)", n)
			}
			if err := models.CheckCounters(db); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSameFormPostedConcurrentlyMakesOneOrder(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	in := orderInput(t, db, ev, tt, 2)
	in.IdempotencyKey = "form-token-123"
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 3)...)
	var wg sync.WaitGroup
	ids := make([]uint, 30)
	errs := make([]error, 30)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			o, err := models.PlaceOrder(pools[i%len(pools)], in)
			errs[i] = err
			if o != nil {
				ids[i] = o.ID
			}
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if ids[i] != ids[0] {
			t.Fatalf("call %d got order %d, call 0 got %d", i, ids[i], ids[0])
		}
	}
	var orders, attendees int64
	db.Model(&models.Order{}).Where("event_id = ?", ev.ID).Count(&orders)
	db.Model(&models.Attendee{}).Where("event_id = ?", ev.ID).Count(&attendees)
	if orders != 1 || attendees != 2 {
		t.Fatalf("orders=%d attendees=%d, want 1 and 2", orders, attendees)
	}
	if got := placesTaken(t, db, "events", ev.ID); got != 2 {
		t.Fatalf("event places_taken = %d, want 2", got)
	}
	o := place(t, db, in) // and once more, later
	if o.ID != ids[0] || !o.Reused {
		t.Fatalf("replay gave order %d reused=%v, want %d reused", o.ID, o.Reused, ids[0])
	}
}

func TestConcurrentDoubleCancelFreesOnce(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 10)
	tt := ticketType(t, db, ev.ID, 10, 0, 3)
	s := signupSession(t, db, ev.ID, 10)
	o := place(t, db, orderInput(t, db, ev, tt, 3, s.ID))
	other := place(t, db, orderInput(t, db, ev, tt, 1))
	pools := append([]*gorm.DB{db}, extraPools(t, dsn, 3)...)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var done bool
			var err error
			if i%2 == 0 {
				done, err = models.CancelOrder(pools[i%len(pools)], o.ID, o.CreatedAt)
			} else {
				done, err = models.CancelAttendee(pools[i%len(pools)], o.Attendees[0].ID, o.CreatedAt)
			}
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			if done && i%2 == 0 {
				wins++
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d cancels of the order won, want exactly 1", wins)
	}
	if got := placesTaken(t, db, "events", ev.ID); got != 1 {
		t.Fatalf("event places_taken = %d, want 1 (the other order)", got)
	}
	if got := placesTaken(t, db, "sessions", s.ID); got != 0 {
		t.Fatalf("session places_taken = %d, want 0", got)
	}
	var st string
	db.Model(&models.Order{}).Where("id = ?", o.ID).Pluck("status", &st)
	if st != models.OrderCancelled {
		t.Fatalf("order status %q, want cancelled", st)
	}
	if done, err := models.CancelOrder(db, other.ID, other.CreatedAt); err != nil || !done {
		t.Fatalf("cancel other: %v %v", done, err)
	}
	if got := placesTaken(t, db, "ticket_types", tt.ID); got != 0 {
		t.Fatalf("ticket type places_taken = %d, want 0", got)
	}
}
