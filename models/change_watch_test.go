package models_test

import (
	"sync"
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

// The watch's version moves with every commit on any other connection of
// the pool, including commits racing the reads, and never otherwise.
func TestChangeWatchSeesEveryCommit(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	w, err := models.WatchChanges(db)
	if err != nil {
		t.Fatal(err)
	}
	if w == nil {
		t.Skip("PostgreSQL: no data version; pages query every time")
	}
	defer w.Close()
	v0, err := w.Version()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := w.Version(); v != v0 {
		t.Fatalf("version moved with no commit: %d → %d", v0, v)
	}
	var n int64
	db.Model(&models.Event{}).Count(&n) // a read commits nothing
	if v, _ := w.Version(); v != v0 {
		t.Fatalf("version moved on a read")
	}
	org, err := models.FindOrCreateOrganization(db, "Watched")
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := w.Version()
	if v1 == v0 {
		t.Fatal("a commit did not move the version")
	}
	// Writers and readers at once: after each writer's commit returns, a
	// read of the version differs from any read taken before it.
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			before, err := w.Version()
			if err != nil {
				t.Error(err)
				return
			}
			if err := db.Model(&models.Organization{}).Where("id = ?", org.ID).Update("name", "Watched").Error; err != nil {
				t.Error(err)
				return
			}
			if after, _ := w.Version(); after == before {
				t.Error("a committed write was not seen")
			}
		}()
	}
	wg.Wait()
}
