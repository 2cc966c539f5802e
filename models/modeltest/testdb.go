// Package modeltest opens fresh, migrated databases for tests: a temporary
// SQLite file by default, or a private schema in PostgreSQL when
// AGORA_TEST_POSTGRES_DSN is set.
package modeltest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// PostgresDSNEnv names the variable that points the suite at PostgreSQL.
const PostgresDSNEnv = "AGORA_TEST_POSTGRES_DSN"

// Engine says which database the suite runs against: "sqlite" or "postgres".
func Engine() string {
	if os.Getenv(PostgresDSNEnv) != "" {
		return "postgres"
	}
	return "sqlite"
}

// NewDB returns a freshly migrated database for one test, on the suite's engine.
// It also returns the DSN, so a test can open a second connection pool
// (as a second instance would).
func NewDB(t testing.TB) (*gorm.DB, string) {
	t.Helper()
	if dsn := os.Getenv(PostgresDSNEnv); dsn != "" {
		return NewPostgresDB(t, dsn)
	}
	return NewSQLiteDB(t)
}

// NewSQLiteDB returns a migrated SQLite database in a temporary file.
func NewSQLiteDB(t testing.TB) (*gorm.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "agora-test.db")
	db, err := models.Open(path, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	if err := models.Migrate(db); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db, path
}

// NewPostgresDB creates a private schema in the server at baseDSN, migrates
// it, and drops it when the test ends.
func NewPostgresDB(t testing.TB, baseDSN string) (*gorm.DB, string) {
	t.Helper()
	admin, err := models.Open(baseDSN, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	schema := "t_" + randomHex(8)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(baseDSN)
	if err != nil {
		t.Fatalf("parse dsn: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open postgres schema: %v", err)
	}
	if err := models.Migrate(db); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if sqlDB, err := admin.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db, dsn
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
