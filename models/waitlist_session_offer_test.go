package models_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// TestSessionOfferToTicketHolderAddsTheSessionUnderRace: people who hold a
// ticket and wait for a full session get offers; accepting one (many times
// at once, from several instances, while others grab at the session) adds
// the session to their existing registration — no second order or attendee
// — and the session never holds more than its capacity.
func TestSessionOfferToTicketHolderAddsTheSessionUnderRace(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	s := signupSession(t, db, ev.ID, 2)
	now := time.Now().UTC()
	fillers := place(t, db, orderInput(t, db, ev, tt, 2, s.ID))
	const holders = 6
	var attendees []models.Attendee
	for i := 0; i < holders; i++ {
		in := orderInput(t, db, ev, tt, 1)
		in.BuyerEmail = fmt.Sprintf("h%d@example.org", i)
		in.Attendees[0].Email = in.BuyerEmail
		attendees = append(attendees, place(t, db, in).Attendees[0])
		if _, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, TicketTypeID: &tt.ID, SessionID: &s.ID,
			Name: "Holder", Email: fmt.Sprintf("H%d@Example.org", i), Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	// The two fillers leave the session: its places go to the first two waiting.
	for _, a := range fillers.Attendees {
		if err := models.UpdateAttendeeSessions(db, a.ID, nil, now); err != nil {
			t.Fatal(err)
		}
	}
	var offers []models.WaitlistEntry
	db.Where("event_id = ? AND status = ?", ev.ID, models.WaitlistOffered).Order("id").Find(&offers)
	if len(offers) != 2 {
		t.Fatalf("%d offers, want 2", len(offers))
	}
	if p := placesTaken(t, db, "sessions", s.ID); p != 2 {
		t.Fatalf("session places %d before accepting, want 2 (held by the offers)", p)
	}

	pools := append(extraPools(t, dsn, 2), db)
	pid := privacyID(t, db, ev.ID)
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := map[uint]int{} // offer id -> successful accepts
	var wrong []error
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			db := pools[i%len(pools)]
			var err error
			switch w := offers[i%2]; i % 4 {
			case 0, 1: // the offered person, clicking again and again
				var o *models.Order
				o, err = models.AcceptOffer(db, models.AcceptOfferInput{Secret: *w.OfferSecret, Now: now,
					Attendee: models.AttendeeInput{Name: "Holder", Email: w.Email, ConsentTextIDs: []uint{pid}}})
				if err == nil {
					mu.Lock()
					accepted[w.ID]++
					mu.Unlock()
					if !o.Reused || o.ID != attendees[i%2].OrderID {
						err = fmt.Errorf("offer %d gave order %d (reused %v), want the holder's order %d", w.ID, o.ID, o.Reused, attendees[i%2].OrderID)
					}
				} else if errors.Is(err, models.ErrOfferUsed) {
					err = nil
				}
			case 2: // a holder still waiting tries to sign up on their own
				err = models.UpdateAttendeeSessions(db, attendees[2+(i/4)%4].ID, []uint{s.ID}, now)
				if models.IsFull(err) {
					err = nil
				}
			case 3: // a newcomer registers with the session
				_, err = models.PlaceOrder(db, orderInput(t, db, ev, tt, 1, s.ID))
				if models.IsFull(err) {
					err = nil
				}
			}
			if err != nil {
				mu.Lock()
				wrong = append(wrong, err)
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if len(wrong) > 0 {
		t.Fatalf("%d unexpected results, first: %v", len(wrong), wrong[0])
	}
	for _, w := range offers {
		if accepted[w.ID] != 1 {
			t.Fatalf("offer %d accepted %d times, want once", w.ID, accepted[w.ID])
		}
	}
	var orders, people, signups int64
	db.Model(&models.Order{}).Where("event_id = ?", ev.ID).Count(&orders)
	db.Model(&models.Attendee{}).Where("event_id = ?", ev.ID).Count(&people)
	db.Model(&models.SessionSignup{}).Where("session_id = ?", s.ID).Count(&signups)
	if orders != 1+holders || people != 2+holders {
		t.Fatalf("orders=%d attendees=%d, want %d and %d: an offer made a second registration", orders, people, 1+holders, 2+holders)
	}
	if signups != 2 || placesTaken(t, db, "sessions", s.ID) != 2 {
		t.Fatalf("session: %d sign-ups, %d places taken, want 2 and 2", signups, placesTaken(t, db, "sessions", s.ID))
	}
	for _, a := range attendees[:2] {
		ids, _ := models.AttendeeSessionIDs(db, a.ID)
		if len(ids) != 1 || ids[0] != s.ID {
			t.Fatalf("holder %d sessions %v, want [%d]", a.ID, ids, s.ID)
		}
	}
	if p := placesTaken(t, db, "events", ev.ID); p != 2+holders {
		t.Fatalf("event places %d, want %d", p, 2+holders)
	}
}
