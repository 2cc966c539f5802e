package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// TestReplayedKeyLeadsOnlyTheSameVisitorToTheOrder: a form's idempotency
// key replayed by another visitor (or for another buyer e-mail) gets no
// order back, while the same browser posting again gets the same order.
func TestReplayedKeyLeadsOnlyTheSameVisitorToTheOrder(t *testing.T) {
	for _, via := range []string{"PlaceOrder", "OrderBatcher"} {
		t.Run(via, func(t *testing.T) {
			db, _ := regDB(t)
			ev := openEvent(t, db, 0)
			tt := ticketType(t, db, ev.ID, 0, 0, 3)
			placeOrder := func(in models.PlaceOrderInput) (*models.Order, error) { return models.PlaceOrder(db, in) }
			if via == "OrderBatcher" {
				placeOrder = models.NewOrderBatcher(db).PlaceOrder
			}
			victim := orderInput(t, db, ev, tt, 1)
			victim.IdempotencyKey, victim.Visitor = "victim-form-key-0123456789", "victim-browser"
			first, err := placeOrder(victim)
			if err != nil {
				t.Fatal(err)
			}
			again := victim
			again.BuyerEmail = strings.ToUpper(victim.BuyerEmail)
			if o, err := placeOrder(again); err != nil || o.ID != first.ID || !o.Reused {
				t.Fatalf("same browser posting again: %+v, %v; want order %d reused", o, err, first.ID)
			}
			attacker := orderInput(t, db, ev, tt, 1)
			attacker.BuyerEmail, attacker.IdempotencyKey, attacker.Visitor = "mallory@example.org", victim.IdempotencyKey, "mallory-browser"
			for name, in := range map[string]models.PlaceOrderInput{
				"another browser":                attacker,
				"victim's e-mail, other browser": withEmail(attacker, victim.BuyerEmail),
				"same browser, other e-mail":     withVisitor(attacker, victim.Visitor),
			} {
				o, err := placeOrder(in)
				if !errors.Is(err, models.ErrIdempotencyKeyTaken) || o != nil {
					t.Fatalf("%s: got %+v, %v; want ErrIdempotencyKeyTaken and no order", name, o, err)
				}
			}
			// With a fresh key the other person registers as anyone does.
			attacker.IdempotencyKey = "mallory-fresh-key-0123456789"
			if o, err := placeOrder(attacker); err != nil || o.ID == first.ID || o.Reused {
				t.Fatalf("fresh key: %+v, %v", o, err)
			}
			var n int64
			db.Model(&models.Order{}).Where("event_id = ?", ev.ID).Count(&n)
			if n != 2 {
				t.Fatalf("orders = %d, want 2", n)
			}
		})
	}
}

func withEmail(in models.PlaceOrderInput, email string) models.PlaceOrderInput {
	in.BuyerEmail = email
	return in
}

func withVisitor(in models.PlaceOrderInput, v string) models.PlaceOrderInput {
	in.Visitor = v
	return in
}

// TestSameKeyFromTwoBrowsersAtOnce races posts of one key from two
// browsers: one order is made, only its own browser's posts get it, and the
// other browser's posts are refused, never handed that order.
func TestSameKeyFromTwoBrowsersAtOnce(t *testing.T) {
	for _, via := range []string{"PlaceOrder", "OrderBatcher"} {
		t.Run(via, func(t *testing.T) {
			db, dsn := regDB(t)
			ev := openEvent(t, db, 0)
			tt := ticketType(t, db, ev.ID, 0, 0, 3)
			batcher := models.NewOrderBatcher(db)
			pools := append([]*gorm.DB{db}, extraPools(t, dsn, 2)...)
			placeOrder := func(i int, in models.PlaceOrderInput) (*models.Order, error) {
				if via == "OrderBatcher" {
					return batcher.PlaceOrder(in)
				}
				return models.PlaceOrder(pools[i%len(pools)], in)
			}
			var wg sync.WaitGroup
			orders := make([]*models.Order, 20)
			errs := make([]error, 20)
			for i := range orders {
				in := orderInput(t, db, ev, tt, 1)
				in.IdempotencyKey = "shared-form-key-0123456789"
				in.Visitor = fmt.Sprintf("browser-%d", i%2)
				in.BuyerEmail = fmt.Sprintf("buyer%d@example.org", i%2)
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					orders[i], errs[i] = placeOrder(i, in)
				}(i)
			}
			wg.Wait()
			var winner *models.Order
			for i := range orders {
				if errs[i] == nil {
					winner = orders[i]
					break
				}
			}
			if winner == nil {
				t.Fatalf("no post made the order: %v", errs)
			}
			for i := range orders {
				mine := fmt.Sprintf("buyer%d@example.org", i%2) == winner.BuyerEmail
				switch {
				case mine && (errs[i] != nil || orders[i].ID != winner.ID):
					t.Fatalf("post %d from the winning browser: %+v, %v", i, orders[i], errs[i])
				case !mine && (!errors.Is(errs[i], models.ErrIdempotencyKeyTaken) || orders[i] != nil):
					t.Fatalf("post %d from the other browser: %+v, %v; want ErrIdempotencyKeyTaken", i, orders[i], errs[i])
				}
			}
			var n int64
			db.Model(&models.Order{}).Where("event_id = ?", ev.ID).Count(&n)
			if n != 1 {
				t.Fatalf("orders = %d, want 1", n)
			}
		})
	}
}
