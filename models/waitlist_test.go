package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestHoldExpiryReleasesPlacesAndOffersWaitlist(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 0)
	paid := ticketType(t, db, ev.ID, 1, 2500, 1)
	now := time.Now().UTC().Truncate(time.Second)
	in := orderInput(t, db, ev, paid, 1)
	in.Now, in.Hold = now, 15*time.Minute
	o := place(t, db, in)
	if o.Status != models.OrderPending || o.ExpiresAt == nil || !o.ExpiresAt.Equal(now.Add(15*time.Minute)) || o.Total != 2500 {
		t.Fatalf("paid order: status %s expires %v total %d", o.Status, o.ExpiresAt, o.Total)
	}
	if outboxCount(t, db, models.MailOrderConfirmation) != 0 {
		t.Fatal("a pending order must not be confirmed by e-mail")
	}
	in2 := orderInput(t, db, ev, paid, 1)
	in2.Now = now
	if _, err := models.PlaceOrder(db, in2); !errors.Is(err, models.ErrTicketTypeFull) {
		t.Fatalf("second order: %v, want ErrTicketTypeFull", err)
	}
	w, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, TicketTypeID: &paid.ID, Name: "Wendy", Email: "Wendy@Example.org", Now: now})
	if err != nil || w.Status != models.WaitlistWaiting || w.Email != "wendy@example.org" {
		t.Fatalf("join: %+v %v", w, err)
	}
	if _, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, TicketTypeID: &paid.ID, Name: "Wendy", Email: "wendy@example.org", Now: now}); !errors.Is(err, models.ErrAlreadyOnWaitlist) {
		t.Fatalf("second join: %v", err)
	}
	// Not yet expired: nothing happens.
	if n, err := models.ExpireHolds(db, now.Add(14*time.Minute)); err != nil || n != 0 {
		t.Fatalf("early expire: %d %v", n, err)
	}
	n, err := models.ExpireHolds(db, now.Add(16*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	if n, _ := models.ExpireHolds(db, now.Add(17*time.Minute)); n != 0 {
		t.Fatalf("expired twice: %d", n)
	}
	db.Take(w, w.ID)
	if w.Status != models.WaitlistOffered || w.OfferSecret == nil || !w.OfferExpiresAt.Equal(now.Add(16*time.Minute).Add(48*time.Hour)) {
		t.Fatalf("entry after expiry: %+v", w)
	}
	if outboxCount(t, db, models.MailWaitlistOffer) != 1 {
		t.Fatal("no offer e-mail queued")
	}
	// The live offer holds the place: no one else gets it.
	in3 := orderInput(t, db, ev, paid, 1)
	in3.Now = now.Add(20 * time.Minute)
	if _, err := models.PlaceOrder(db, in3); !errors.Is(err, models.ErrTicketTypeFull) {
		t.Fatalf("order during live offer: %v, want ErrTicketTypeFull", err)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
	// A paid order that comes back after its hold: confirmed only with room.
	if _, err := models.ConfirmOrder(db, o.ID, now.Add(21*time.Minute)); !errors.Is(err, models.ErrHoldLost) {
		t.Fatalf("late payment: %v, want ErrHoldLost", err)
	}
}

func TestOfferAcceptance(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 2)
	tt := ticketType(t, db, ev.ID, 0, 0, 2)
	s := signupSession(t, db, ev.ID, 5)
	now := time.Now().UTC().Truncate(time.Second)
	o := place(t, db, orderInput(t, db, ev, tt, 2))
	if _, err := models.PlaceOrder(db, orderInput(t, db, ev, tt, 1)); !errors.Is(err, models.ErrEventFull) || !models.IsFull(err) {
		t.Fatalf("full event: %v", err)
	}
	w, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, SessionID: &s.ID, Name: "Wen", Email: "wen@example.org", Language: "es", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if done, err := models.CancelAttendee(db, o.Attendees[1].ID, now); err != nil || !done {
		t.Fatalf("cancel attendee: %v %v", done, err)
	}
	db.Take(w, w.ID)
	if w.Status != models.WaitlistOffered {
		t.Fatalf("entry status %s, want offered", w.Status)
	}
	if got := placesTaken(t, db, "sessions", s.ID); got != 1 {
		t.Fatalf("session held by offer = %d, want 1", got)
	}
	if _, err := models.AcceptOffer(db, models.AcceptOfferInput{Secret: "short", Now: now}); !errors.Is(err, models.ErrOfferNotFound) {
		t.Fatalf("bad secret: %v", err)
	}
	pid := privacyID(t, db, ev.ID)
	acc := models.AcceptOfferInput{Secret: *w.OfferSecret, TicketTypeID: tt.ID, Now: now.Add(time.Hour),
		Attendee: models.AttendeeInput{Name: "Wen", Email: "wen@example.org", ConsentTextIDs: []uint{pid}}}
	// Two clicks at once: one order.
	var wg sync.WaitGroup
	results := make([]error, 2)
	orders := make([]*models.Order, 2)
	for i := range results {
		wg.Add(1)
		go func(i int) { defer wg.Done(); orders[i], results[i] = models.AcceptOffer(db, acc) }(i)
	}
	wg.Wait()
	okCount := 0
	var got *models.Order
	for i, err := range results {
		if err == nil {
			okCount++
			got = orders[i]
		} else if !errors.Is(err, models.ErrOfferUsed) {
			t.Fatalf("accept: %v", err)
		}
	}
	if okCount != 1 {
		t.Fatalf("%d accepts succeeded, want 1", okCount)
	}
	if got.Status != models.OrderConfirmed || got.FromWaitlistID == nil || got.BuyerEmail != "wen@example.org" || got.Language != "es" {
		t.Fatalf("order from offer: %+v", got)
	}
	sids, _ := models.AttendeeSessionIDs(db, got.Attendees[0].ID)
	if len(sids) != 1 || sids[0] != s.ID {
		t.Fatalf("sessions of offer order: %v", sids)
	}
	if p := placesTaken(t, db, "events", ev.ID); p != 2 {
		t.Fatalf("event places = %d, want 2", p)
	}
	if p := placesTaken(t, db, "sessions", s.ID); p != 1 {
		t.Fatalf("session places = %d, want 1", p)
	}
}

func TestOfferExpiryPassesToNextPerson(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 1)
	tt := ticketType(t, db, ev.ID, 0, 0, 1)
	now := time.Now().UTC().Truncate(time.Second)
	o := place(t, db, orderInput(t, db, ev, tt, 1))
	first, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, Name: "First", Email: "first@example.org", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	second, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, Name: "Second", Email: "second@example.org", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if done, err := models.CancelOrder(db, o.ID, now); err != nil || !done {
		t.Fatal(done, err)
	}
	db.Take(first, first.ID)
	db.Take(second, second.ID)
	if first.Status != models.WaitlistOffered || second.Status != models.WaitlistWaiting {
		t.Fatalf("after cancel: first %s, second %s", first.Status, second.Status)
	}
	// The offer holds the only place.
	if _, err := models.PlaceOrder(db, orderInput(t, db, ev, tt, 1)); !errors.Is(err, models.ErrEventFull) {
		t.Fatalf("order during offer: %v", err)
	}
	if n, err := models.ExpireOffers(db, now.Add(47*time.Hour)); err != nil || n != 0 {
		t.Fatalf("early offer expiry: %d %v", n, err)
	}
	later := now.Add(49 * time.Hour)
	if n, err := models.ExpireOffers(db, later); err != nil || n != 1 {
		t.Fatalf("offer expiry: %d %v", n, err)
	}
	db.Take(first, first.ID)
	db.Take(second, second.ID)
	if first.Status != models.WaitlistExpired || second.Status != models.WaitlistOffered {
		t.Fatalf("after expiry: first %s, second %s", first.Status, second.Status)
	}
	if _, err := models.AcceptOffer(db, models.AcceptOfferInput{Secret: *first.OfferSecret, TicketTypeID: tt.ID, Now: later}); !errors.Is(err, models.ErrOfferExpired) {
		t.Fatalf("expired offer accepted: %v", err)
	}
	if outboxCount(t, db, models.MailWaitlistOffer) != 2 {
		t.Fatal("want two offer e-mails")
	}
	if p := placesTaken(t, db, "events", ev.ID); p != 1 {
		t.Fatalf("event places = %d, want 1 (the second offer)", p)
	}
}

func TestCancelledOfferPassesOn(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 1)
	tt := ticketType(t, db, ev.ID, 0, 0, 1)
	now := time.Now().UTC()
	o := place(t, db, orderInput(t, db, ev, tt, 1))
	a, _ := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, Name: "A", Email: "a@example.org", Now: now})
	b, _ := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, Name: "B", Email: "b@example.org", Now: now})
	if _, err := models.CancelOrder(db, o.ID, now); err != nil {
		t.Fatal(err)
	}
	if err := models.CancelWaitlistEntry(db, a.ID, now); err != nil {
		t.Fatal(err)
	}
	if err := models.CancelWaitlistEntry(db, a.ID, now); err != nil { // twice: nothing more
		t.Fatal(err)
	}
	db.Take(b, b.ID)
	if b.Status != models.WaitlistOffered {
		t.Fatalf("next person: %s, want offered", b.Status)
	}
	if p := placesTaken(t, db, "events", ev.ID); p != 1 {
		t.Fatalf("places %d, want 1", p)
	}
	if _, err := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, Name: "", Email: "bad", Now: now}); err == nil {
		t.Fatal("invalid waitlist entry accepted")
	}
}

// TestLiveOfferHoldsItsPlaceUnderRace: while 50 people try to register for
// an event whose only free place is held by an offer, the offer's owner
// accepts; only they get in.
func TestLiveOfferHoldsItsPlaceUnderRace(t *testing.T) {
	db, dsn := regDB(t)
	ev := openEvent(t, db, 3)
	tt := ticketType(t, db, ev.ID, 0, 0, 3)
	now := time.Now().UTC()
	o := place(t, db, orderInput(t, db, ev, tt, 3))
	w, _ := models.JoinWaitlist(db, models.JoinWaitlistInput{EventID: ev.ID, Name: "W", Email: "w@example.org", Now: now})
	models.CancelAttendee(db, o.Attendees[0].ID, now)
	db.Take(w, w.ID)
	if w.Status != models.WaitlistOffered {
		t.Fatalf("entry %s, want offered", w.Status)
	}
	pools := append(extraPools(t, dsn, 2), db)
	in := orderInput(t, db, ev, tt, 1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var wrong []error
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := models.PlaceOrder(pools[i%len(pools)], in); !errors.Is(err, models.ErrEventFull) {
				mu.Lock()
				wrong = append(wrong, err)
				mu.Unlock()
			}
		}(i)
	}
	acc, err := models.AcceptOffer(db, models.AcceptOfferInput{Secret: *w.OfferSecret, TicketTypeID: tt.ID, Now: now,
		Attendee: models.AttendeeInput{Name: "W", Email: "w@example.org", ConsentTextIDs: []uint{privacyID(t, db, ev.ID)}}})
	wg.Wait()
	if err != nil || acc.Status != models.OrderConfirmed {
		t.Fatalf("accept: %v", err)
	}
	if len(wrong) > 0 {
		t.Fatalf("%d racers were not refused as full, first: %v", len(wrong), wrong[0])
	}
	if p := placesTaken(t, db, "events", ev.ID); p != 3 {
		t.Fatalf("places %d, want 3", p)
	}
}
