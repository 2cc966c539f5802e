package models_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

// When erasure is offered: not for a live place at an event to come, nor
// for an expired order whose payment may still go through; yes once
// cancelled, for a delegate's cancelled place on a live order, and for any
// registration once the event has ended.
func TestSelfErasureBlock(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 10)
	free := ticketType(t, db, ev.ID, 10, 0, 3)
	now := time.Now()
	o, err := models.PlaceOrder(db, orderInput(t, db, ev, free, 2))
	if err != nil {
		t.Fatal(err)
	}
	o, _ = models.OrderBySecret(db, o.Secret)
	if err := models.SelfErasureBlock(db, *o, nil, now); !errors.Is(err, models.ErrErasureNeedsCancel) {
		t.Errorf("live order: %v", err)
	}
	if err := models.SelfErasureBlock(db, *o, &o.Attendees[1], now); !errors.Is(err, models.ErrErasureNeedsCancel) {
		t.Errorf("live place: %v", err)
	}
	if err := models.SelfErasureBlock(db, *o, nil, ev.EndsAt.Add(time.Minute)); err != nil {
		t.Errorf("live order after the event: %v", err)
	}
	if _, err := models.CancelAttendee(db, o.Attendees[1].ID, now); err != nil {
		t.Fatal(err)
	}
	o, _ = models.OrderBySecret(db, o.Secret)
	if err := models.SelfErasureBlock(db, *o, &o.Attendees[1], now); err != nil {
		t.Errorf("cancelled place on a live order: %v", err)
	}
	if err := models.SelfErasureBlock(db, *o, nil, now); !errors.Is(err, models.ErrErasureNeedsCancel) {
		t.Errorf("the rest of the order is live: %v", err)
	}

	paid := ticketType(t, db, ev.ID, 10, 2500, 3)
	in := orderInput(t, db, ev, paid, 1)
	in.Hold, in.Now = time.Minute, now
	p, err := models.PlaceOrder(db, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.Payment{OrderID: p.ID, Provider: models.ProviderStripe, State: models.PaymentCreated, Amount: 2500, Currency: "EUR"}).Error; err != nil {
		t.Fatal(err)
	}
	if n, err := models.ExpireHolds(db, now.Add(2*time.Minute)); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	p, _ = models.OrderBySecret(db, p.Secret)
	if err := models.SelfErasureBlock(db, *p, nil, now); !errors.Is(err, models.ErrErasurePaymentOpen) {
		t.Errorf("expired order with an open payment: %v", err)
	}
	if done, err := models.EraseOwnOrder(db, p.ID, "192.0.2.1", now); !errors.Is(err, models.ErrErasurePaymentOpen) || done {
		t.Errorf("erase with an open payment: %v %v", done, err)
	}
	db.Model(&models.Payment{}).Where("order_id = ?", p.ID).Update("state", models.PaymentExpired)
	if err := models.SelfErasureBlock(db, *p, nil, now); err != nil {
		t.Errorf("expired order, payment expired: %v", err)
	}
}

// Several clicks (or instances) at once erase the order once: one reports
// it, one audit line.
func TestSelfErasureRacedOnce(t *testing.T) {
	db, _ := regDB(t)
	ev := openEvent(t, db, 10)
	tt := ticketType(t, db, ev.ID, 10, 0, 3)
	o, err := models.PlaceOrder(db, orderInput(t, db, ev, tt, 3))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := models.CancelOrder(db, o.ID, now); err != nil {
		t.Fatal(err)
	}
	const n = 4
	var wg sync.WaitGroup
	results := make(chan error, n)
	dones := make(chan bool, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done, err := models.EraseOwnOrder(db, o.ID, "192.0.2.1", now)
			results <- err
			dones <- done
		}()
	}
	wg.Wait()
	close(results)
	close(dones)
	for err := range results {
		if err != nil {
			t.Fatal(err)
		}
	}
	erased := 0
	for d := range dones {
		if d {
			erased++
		}
	}
	var lines, left int64
	db.Model(&models.AuditEntry{}).Where("action = ? AND subject = ?", models.AuditAnonymised, "order "+o.Code).Count(&lines)
	db.Model(&models.Attendee{}).Where("order_id = ? AND anonymised_at IS NULL", o.ID).Count(&left)
	if erased != 1 || lines != 1 || left != 0 {
		t.Fatalf("%d erasures reported, %d audit lines, %d people left; want 1, 1, 0", erased, lines, left)
	}
	if ok, err := models.OrderErased(db, o.ID); err != nil || !ok {
		t.Fatalf("OrderErased: %v %v", ok, err)
	}
}
