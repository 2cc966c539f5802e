package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Registrations are put on the event's days in its time zone, around the
// spring change of clocks in Madrid (29 March 2026, 01:00 UTC), with empty
// days as zeros; other events' and cancelled orders do not count.
func TestRegistrationsPerDayInTheEventsTimeZone(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	ev := openEvent(t, db, 0)
	other := openEvent(t, db, 0)
	tt := ticketType(t, db, ev.ID, 0, 0, 1)
	ot := ticketType(t, db, other.ID, 0, 0, 1)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	modeltest.BulkOrders(t, db, ev, tt, 3, at("2026-03-28T22:30:00Z"))         // 23:30 on the 28th in Madrid (UTC+1)
	modeltest.BulkOrders(t, db, ev, tt, 2, at("2026-03-28T23:30:00Z"))         // 00:30 on the 29th
	late := modeltest.BulkOrders(t, db, ev, tt, 5, at("2026-03-31T21:59:00Z")) // 23:59 on the 31st (UTC+2 now)
	modeltest.BulkOrders(t, db, other, ot, 7, at("2026-03-30T10:00:00Z"))
	if err := db.Model(&models.Order{}).Where("id = ?", late[0]).Update("status", models.OrderCancelled).Error; err != nil {
		t.Fatal(err)
	}
	days, err := models.RegistrationsPerDay(db, *ev, at("2026-04-02T09:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		day string
		n   int
	}{{"2026-03-28", 3}, {"2026-03-29", 2}, {"2026-03-30", 0}, {"2026-03-31", 4}, {"2026-04-01", 0}, {"2026-04-02", 0}}
	if len(days) != len(want) {
		t.Fatalf("got %d days %+v, want %d", len(days), days, len(want))
	}
	for i, w := range want {
		if got := days[i].Day.Format("2006-01-02"); got != w.day || days[i].N != w.n || days[i].Day.Location().String() != "Europe/Madrid" {
			t.Errorf("day %d: %s %d (%s), want %s %d", i, got, days[i].N, days[i].Day.Location(), w.day, w.n)
		}
	}
	none, err := models.RegistrationsPerDay(db, *openEvent(t, db, 0), time.Now())
	if err != nil || len(none) != 0 {
		t.Errorf("an event without registrations: %v %v", none, err)
	}
}
