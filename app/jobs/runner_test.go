package jobs

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Many instances tick the same job at the same moment: it runs exactly once.
func TestLeaseRunsAJobOnceAcrossInstances(t *testing.T) {
	db, dsn := modeltest.NewDB(t)
	var runs atomic.Int32
	job := Job{Name: "count", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
		runs.Add(1)
		time.Sleep(50 * time.Millisecond) // hold the lease while others try
		return nil
	}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		// Each "instance" has its own connection pool, as separate processes would.
		other, err := models.Open(dsn, models.OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sqlDB, _ := other.DB()
		t.Cleanup(func() { sqlDB.Close() })
		r := NewRunner(other, "instance-"+string(rune('a'+i)), log, nil, job)
		wg.Add(1)
		go func() { defer wg.Done(); r.RunOnce(context.Background(), job) }()
	}
	wg.Wait()
	if got := runs.Load(); got != 1 {
		t.Fatalf("job ran %d times, want 1", got)
	}
	_ = db
}

// An instance that died holding a lease does not block the job for ever.
func TestExpiredLeaseIsTakenOver(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	now := time.Now().UTC()
	ok, err := models.AcquireLease(db, "j", "dead-instance", now.Add(-time.Hour), time.Minute)
	if err != nil || !ok {
		t.Fatalf("first acquire: %v %v", ok, err)
	}
	ok, err = models.AcquireLease(db, "j", "live-instance", now, time.Minute)
	if err != nil || !ok {
		t.Fatalf("takeover: %v %v", ok, err)
	}
	ok, _ = models.AcquireLease(db, "j", "third", now, time.Minute)
	if ok {
		t.Fatal("a live lease was taken")
	}
}
