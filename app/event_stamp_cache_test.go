package app

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// On SQLite the event page's version is kept while nothing is committed,
// and is read again at once after any commit, and within a second when
// only the clock moved (the event ending).
func TestEventStampFollowsCommitsAndTheClock(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	org, _ := modeltest.Organizer(t, db, "Org A", "a@example.org", models.RoleOwner)
	e := modeltest.Event(t, db, org.ID, "stamped", models.StatusPublished)
	var mu sync.Mutex
	now := e.EndsAt.Add(-time.Hour)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	a, _, err := newApp(Config{BaseURL: "http://agora.test"}, Deps{DB: db, Now: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if a.stamps.watch == nil {
		t.Skip("PostgreSQL: every request asks the database")
	}
	s1, err := a.eventStamp("stamped")
	if err != nil {
		t.Fatal(err)
	}
	// A commit that changes nothing the stamp covers keeps it; a change it
	// covers is seen on the very next request.
	if err := models.BumpEventVersion(db, e.ID); err != nil {
		t.Fatal(err)
	}
	s2, _ := a.eventStamp("stamped")
	if s2 == s1 {
		t.Fatal("an edit committed elsewhere was not seen at once")
	}
	// The clock alone: the event ends. Within a second of the last look
	// the old stamp may still be served; after it, never.
	set(e.EndsAt.Add(-500 * time.Millisecond))
	before, _ := a.eventStamp("stamped")
	set(e.EndsAt.Add(100 * time.Millisecond))
	if _, err := a.eventStamp("stamped"); err != nil {
		t.Fatal(err)
	}
	set(e.EndsAt.Add(2 * time.Second))
	after, _ := a.eventStamp("stamped")
	if after == before {
		t.Fatalf("an event that ended was still stamped as running: %s", after)
	}
	if _, err := a.eventStamp("no-such-event"); err == nil {
		t.Fatal("an unknown event has no stamp")
	}
}
