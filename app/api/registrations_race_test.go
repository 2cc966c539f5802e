package api

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Twenty goroutines sending the same create with the same Idempotency-Key
// make one order: one 201; the others get that order back (replayed)
// or, while the first is still running, a 409 asking to retry — and a retry
// then gets the order. The key is the token's: another token gets a
// conflict, the same token for another buyer a 422, and neither an order.
func TestIdempotentCreatesRacedByGoroutines(t *testing.T) {
	w := newRegWorld(t)
	tok := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	body := orderBody(w.tt, "ana@example.org")
	const n = 20
	var wg sync.WaitGroup
	results := make([]apiResponse, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = w.send("POST", w.eventPath(w.ev, "/orders"), tok, body, "Idempotency-Key", "crm-sync-7f3a9c")
		}()
	}
	close(start)
	wg.Wait()
	created, replayed, busy := 0, 0, 0
	codes := map[string]bool{}
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		switch {
		case r.Status == http.StatusCreated && r.Header.Get("Idempotent-Replayed") == "":
			created++
		case (r.Status == http.StatusOK || r.Status == http.StatusCreated) && r.Header.Get("Idempotent-Replayed") == "true":
			replayed++ // the stored answer (201, by the API's key layer) or the order's own replay (200)
		case r.Status == http.StatusConflict:
			busy++ // the first was still running: the client retries
			continue
		default:
			t.Errorf("request %d: %d %s", i, r.Status, r.Body)
		}
		codes[fmt.Sprint(r.JSON["code"])] = true
	}
	retry := w.do("POST", w.eventPath(w.ev, "/orders"), tok, body, "Idempotency-Key", "crm-sync-7f3a9c")
	if retry.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry after the race: %d %s", retry.Status, retry.Body)
	}
	codes[fmt.Sprint(retry.JSON["code"])] = true
	var orders int64
	w.db.Model(&models.Order{}).Where("event_id = ?", w.ev.ID).Count(&orders)
	if created != 1 || replayed+busy != n-1 || len(codes) != 1 || orders != 1 {
		t.Errorf("created %d, replayed %d, busy %d, codes %v, orders %d", created, replayed, busy, codes, orders)
	}

	other := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	if r := w.do("POST", w.eventPath(w.ev, "/orders"), other, body, "Idempotency-Key", "crm-sync-7f3a9c"); r.Status != http.StatusConflict {
		t.Errorf("the key from another token: %d %s", r.Status, r.Body)
	}
	if r := w.do("POST", w.eventPath(w.ev, "/orders"), tok, orderBody(w.tt, "bob@example.org"), "Idempotency-Key", "crm-sync-7f3a9c"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("the key for another buyer: %d %s", r.Status, r.Body)
	}
	w.db.Model(&models.Order{}).Where("event_id = ?", w.ev.ID).Count(&orders)
	if orders != 1 {
		t.Errorf("%d orders, want 1", orders)
	}
}

// Many goroutines registering through the API for a ticket type with N
// places get exactly N orders; the others a 409 problem naming the ticket
// type; places_taken is N (invariant 1 through the API).
func TestCapacityInvariantThroughAPI(t *testing.T) {
	w := newRegWorld(t)
	const places, tries = 7, 40
	tt := w.ticketType(w.ev, "Workshop", places)
	tok := w.token(w.org.ID, models.ScopeRegistrationsWrite)
	var wg sync.WaitGroup
	results := make([]apiResponse, tries)
	errs := make([]error, tries)
	start := make(chan struct{})
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = w.send("POST", w.eventPath(w.ev, "/orders"), tok, orderBody(tt, fmt.Sprintf("p%d@example.org", i)),
				"Idempotency-Key", fmt.Sprintf("key-%d", i))
		}()
	}
	close(start)
	wg.Wait()
	ok, full := 0, 0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		switch {
		case r.Status == http.StatusCreated:
			ok++
		case r.Status == http.StatusConflict && len(r.errorLocations()) == 1 && r.errorLocations()[0] == "body.ticket_type_id":
			full++
		default:
			t.Errorf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	var stored models.TicketType
	w.db.Take(&stored, tt.ID)
	var confirmed int64
	w.db.Model(&models.Order{}).Where("event_id = ? AND status = ?", w.ev.ID, models.OrderConfirmed).Count(&confirmed)
	if ok != places || full != tries-places || stored.PlacesTaken != places || confirmed != places {
		t.Errorf("created %d, full %d, places taken %d, confirmed %d; want %d, %d, %d, %d", ok, full, stored.PlacesTaken, confirmed,
			places, tries-places, places, places)
	}
}

// A client paging through 10,000 orders, 500 at a time, while others keep
// registering, sees every order that existed when it started exactly once
// (and no order twice).
func TestPagingOver10000OrdersWhileOrdersArePlaced(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10,000 orders")
	}
	w := newRegWorld(t)
	seeded := modeltest.BulkOrders(t, w.db, w.ev, w.tt, 10_000, w.now.Add(-time.Hour))
	read := w.token(w.org.ID, models.ScopeRegistrationsRead)
	write := w.token(w.org.ID, models.ScopeRegistrationsWrite)

	stop := make(chan struct{})
	var made atomic.Int64
	var wg sync.WaitGroup
	failures := make(chan string, 16)
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r, err := w.send("POST", w.eventPath(w.ev, "/orders"), write, orderBody(w.tt, fmt.Sprintf("live%d-%d@example.org", g, i)))
				if err != nil || r.Status != http.StatusCreated {
					select {
					case failures <- fmt.Sprintf("create: %v %d %s", err, r.Status, r.Body):
					default:
					}
					return
				}
				made.Add(1)
			}
		}()
	}
	// Let the writers get going before the first page.
	for made.Load() < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	seen := map[uint]int{}
	pages, cursor := 0, ""
	for {
		path := w.eventPath(w.ev, "/orders?limit=500")
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r, err := w.send("GET", path, read, nil)
		if err != nil || r.Status != http.StatusOK {
			close(stop)
			wg.Wait()
			t.Fatalf("page %d: %v %d %s", pages, err, r.Status, r.Body)
		}
		pages++
		for _, it := range r.items() {
			seen[uint(it["id"].(float64))]++
			if len(it["attendees"].([]any)) != 1 {
				t.Errorf("order %v without its attendee", it["id"])
			}
		}
		next, _ := r.JSON["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	madeWhilePaging := made.Load()
	close(stop)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	missing, twice := 0, 0
	for _, id := range seeded {
		if seen[id] != 1 {
			missing++
		}
	}
	for _, n := range seen {
		if n > 1 {
			twice++
		}
	}
	if missing != 0 || twice != 0 {
		t.Errorf("%d seeded orders not seen exactly once, %d orders seen twice (%d pages)", missing, twice, pages)
	}
	if pages < 20 || madeWhilePaging <= 3 {
		t.Errorf("%d pages, %d orders placed meanwhile: the paging did not race the writers", pages, madeWhilePaging)
	}
	t.Logf("%d pages, %d orders seen, %d placed while paging", pages, len(seen), madeWhilePaging)
}
