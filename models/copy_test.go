package models_test

import (
	"testing"
	"time"

	"github.com/agora-events/agora/app/testenv"
	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/demo"
	"github.com/agora-events/agora/models/modeltest"
)

// A SQLite installation with events, agenda, orders and sessions moves to
// PostgreSQL whole, and the PostgreSQL side keeps working afterwards.
func TestCopySQLiteToPostgres(t *testing.T) {
	pgDSN := testenv.PostgresDSN(t)
	src, _ := modeltest.NewSQLiteDB(t)
	if _, err := demo.Seed(src, time.Now()); err != nil {
		t.Fatal(err)
	}
	ev := openEvent(t, src, 50)
	tt := ticketType(t, src, ev.ID, 20, 0, 3)
	place(t, src, orderInput(t, src, ev, tt, 2))
	if err := models.NewKVStore(src).Set("session-x", []byte("v"), time.Hour); err != nil {
		t.Fatal(err)
	}

	dst, _ := modeltest.NewPostgresDB(t, pgDSN)
	report, err := models.CopyDatabase(src, dst)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	for _, table := range []string{"organizations", "users", "memberships", "events", "sessions", "speakers", "session_speakers",
		"ticket_types", "orders", "attendees", "consent_records", "kv_entries"} {
		var a, b int64
		src.Table(table).Count(&a)
		dst.Table(table).Count(&b)
		if a != b || report[table] != a {
			t.Errorf("%s: sqlite %d rows, postgres %d, reported %d", table, a, b, report[table])
		}
	}
	if err := models.CheckCounters(dst); err != nil {
		t.Fatalf("counters after copy: %v", err)
	}
	// New rows get fresh ids (sequences moved past the copied ones), and the
	// demo organizer can still sign in.
	place(t, dst, orderInput(t, dst, ev, tt, 1))
	if _, err := models.Authenticate(dst, demo.OrganizerEmail, demo.OrganizerPassword); err != nil {
		t.Fatalf("sign in after copy: %v", err)
	}
	var e models.Event
	if err := dst.Where("slug = ?", demo.ForumSlug).First(&e).Error; err != nil || e.StartsAt.IsZero() {
		t.Fatalf("forum after copy: %v %v", err, e.StartsAt)
	}
	// A second copy into a database that holds data is refused.
	if _, err := models.CopyDatabase(src, dst); err == nil {
		t.Fatal("copy into a non-empty database succeeded")
	}
}
