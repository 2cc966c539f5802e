package models_test

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// Hits counted at once (as by several instances) are never lost: each gets
// its own number, and the window starts again once it is over.
func TestKVStoreHitCountsEveryHitOnce(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	s := models.NewKVStore(db)
	const n = 20
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := models.NewKVStore(db).Hit("rl:test:a", time.Hour)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Ints(got)
	for i, c := range got {
		if c != i+1 {
			t.Fatalf("counts %v, want 1..%d each once", got, n)
		}
	}
	if c, err := s.Hit("rl:test:b", time.Hour); err != nil || c != 1 {
		t.Fatalf("another key: %d %v", c, err)
	}
	// A window of one second is over after two (expiry is kept in seconds).
	if c, _ := s.Hit("rl:test:short", time.Second); c != 1 {
		t.Fatalf("first hit %d", c)
	}
	if c, _ := s.Hit("rl:test:short", time.Second); c != 2 {
		t.Fatalf("second hit %d", c)
	}
	time.Sleep(2100 * time.Millisecond)
	if c, err := s.Hit("rl:test:short", time.Second); err != nil || c != 1 {
		t.Fatalf("after the window: %d %v, want 1", c, err)
	}
}
