package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
)

func TestFewPlacesRule(t *testing.T) {
	for _, tc := range []struct {
		capacity, taken int
		few             bool
	}{{0, 500, false}, {12, 0, false}, {12, 2, true}, {40, 30, true}, {40, 29, false}, {1000, 899, false}, {1000, 900, true}, {5, 9, true}} {
		tt := models.TicketType{Capacity: tc.capacity, PlacesTaken: tc.taken}
		if got := tt.FewLeft(); got != tc.few {
			t.Errorf("%d taken of %d: few %v, want %v", tc.taken, tc.capacity, got, tc.few)
		}
	}
	if (models.Session{Capacity: 5}).FewLeft() {
		t.Error("a session without sign-up has few places")
	}
}

func TestSummariseTicketsOnSale(t *testing.T) {
	now := time.Now()
	later := now.Add(time.Hour)
	e := models.Event{}
	ts := []models.TicketType{
		{ID: 1, Price: 4500, Currency: "EUR", Capacity: 20, PlacesTaken: 15},
		{ID: 2, Price: 2500, Currency: "EUR", Capacity: 10, PlacesTaken: 10},
		{ID: 3, Price: 0, Capacity: 50, SalesStartAt: &later}, // not on sale yet
		{ID: 4, Price: 1000, Currency: "EUR", Hidden: true},   // voucher only
	}
	s := models.SummariseTickets(e, ts, now)
	if len(s.OnSale) != 2 || s.HasFree || !s.HasPaid || s.LowestPaid != 2500 || s.Left != 5 || !s.Few || s.SoldOut() {
		t.Errorf("summary %+v", s)
	}
	// The event's own limit binds when it is the smaller.
	e = models.Event{Capacity: 100, PlacesTaken: 100}
	if s := models.SummariseTickets(e, ts, now); s.Left != 0 || !s.SoldOut() {
		t.Errorf("full event: %+v", s)
	}
	// An unlimited type on sale: nothing limits the total but the event.
	ts = append(ts, models.TicketType{ID: 5})
	if s := models.SummariseTickets(models.Event{}, ts, now); s.Left != -1 || s.Few || !s.HasFree {
		t.Errorf("with an unlimited free type: %+v", s)
	}
	if s := models.SummariseTickets(models.Event{}, nil, now); s.SoldOut() || len(s.OnSale) != 0 {
		t.Errorf("no tickets: %+v", s)
	}
}
