package jobs

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The standard jobs include retention; two instances (two pools) tick it
// at the same moment, through the runner and directly past its lease:
// everyone of the event past its period is erased once, and one audit
// entry by the system records the run.
func TestRetentionJobRacedByTwoInstances(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	w := newReminderWorld(t, db)
	const people = 9
	for i := 0; i < people; i++ {
		e := fmt.Sprintf("person%d@example.org", i)
		w.order(t, db, "en", e, e)
	}
	end := time.Now().UTC().AddDate(-1, -1, 0)
	if err := db.Model(&models.Event{}).Where("id = ?", w.event.ID).
		Updates(map[string]any{"starts_at": end.Add(-24 * time.Hour), "ends_at": end}).Error; err != nil {
		t.Fatal(err)
	}
	other, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := other.DB(); err == nil {
			s.Close()
		}
	})
	var wg sync.WaitGroup
	for i, pool := range []*gorm.DB{db, other} {
		var job Job
		for _, j := range Standard(pool) {
			if j.Name == "retention" {
				job = j
			}
		}
		if job.Run == nil {
			t.Fatal("the standard jobs do not include retention")
		}
		r := NewRunner(pool, fmt.Sprintf("instance-%d", i), quietLog(), nil, job)
		wg.Add(2)
		go func() { defer wg.Done(); r.RunOnce(context.Background(), job) }()
		go func() {
			defer wg.Done()
			if err := job.Run(context.Background(), time.Now()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var left, erased int64
	db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NULL", w.event.ID).Count(&left)
	db.Model(&models.Attendee{}).Where("event_id = ? AND anonymised_at IS NOT NULL AND email = '' AND name = ?", w.event.ID, models.AnonymisedName).Count(&erased)
	if left != 0 || erased != people {
		t.Fatalf("%d people left, %d erased; want 0 and %d", left, erased, people)
	}
	var orders int64
	db.Model(&models.Order{}).Where("event_id = ? AND buyer_email <> ''", w.event.ID).Count(&orders)
	if orders != 0 {
		t.Errorf("%d buyers left", orders)
	}
	var entries []models.AuditEntry
	db.Where("action = ?", models.AuditRetentionRun).Find(&entries)
	if len(entries) != 1 || entries[0].ActorUserID != nil || entries[0].EventID == nil || *entries[0].EventID != w.event.ID {
		t.Fatalf("audit entries %+v, want one by the system for the event", entries)
	}
	if err := models.CheckCounters(db); err != nil {
		t.Fatal(err)
	}
}
