package models_test

import (
	"testing"

	"github.com/agora-events/agora/models"
	"github.com/agora-events/agora/models/modeltest"
)

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	if err := models.Migrate(db); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	v, err := models.SchemaVersion(db)
	if err != nil {
		t.Fatal(err)
	}
	if v < 1 {
		t.Fatalf("schema version = %d, want >= 1", v)
	}
}

func TestKVStoreExpiry(t *testing.T) {
	db, _ := modeltest.NewDB(t)
	s := models.NewKVStore(db)
	if err := s.Set("a", []byte("1"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("a", []byte("2"), 0); err != nil {
		t.Fatal(err)
	}
	v, _ := s.Get("a")
	if string(v) != "2" {
		t.Fatalf("got %q, want 2", v)
	}
	if err := s.Set("b", []byte("x"), -1); err != nil { // negative: no expiry set
		t.Fatal(err)
	}
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("a"); v != nil {
		t.Fatalf("deleted key still there: %q", v)
	}
}
