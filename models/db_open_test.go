package models

import (
	"context"
	"path/filepath"
	"testing"
)

// Every pooled SQLite connection gets the same settings: WAL, synchronous
// FULL (invariant 4), foreign keys, and a 512 KiB page cache rather than
// SQLite's 2 MiB (issue 17: the pool's C memory).
func TestSQLiteConnectionSettings(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "a.db"), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	sqlDB, _ := db.DB()
	// Hold several connections at once, so the pool opens more than one.
	for i := 0; i < 3; i++ {
		tx, err := sqlDB.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Close()
		var cache, sync, fk int
		var journal string
		if err := tx.QueryRowContext(context.Background(), "PRAGMA cache_size").Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if err := tx.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if err := tx.QueryRowContext(context.Background(), "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := tx.QueryRowContext(context.Background(), "PRAGMA journal_mode").Scan(&journal); err != nil {
			t.Fatal(err)
		}
		if cache != -512 || sync != 2 || fk != 1 || journal != "wal" {
			t.Errorf("connection %d: cache_size %d, synchronous %d, foreign_keys %d, journal %q; want -512, 2 (FULL), 1, wal", i, cache, sync, fk, journal)
		}
	}
	if got := sqlDB.Stats().OpenConnections; got < 3 {
		t.Errorf("%d connections open, want 3", got)
	}
}
