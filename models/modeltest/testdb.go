// Package modeltest opens fresh, migrated databases for tests: a temporary
// SQLite file by default, or a database of its own (copied from a migrated
// template) in PostgreSQL when
// AGORA_TEST_POSTGRES_DSN is set.
package modeltest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
	cheapPasswords.Do(func() { models.SetTestPasswordCost(true) })
	if dsn := os.Getenv(PostgresDSNEnv); dsn != "" {
		return NewPostgresDB(t, dsn)
	}
	return NewSQLiteDB(t)
}

// NewSQLiteDB returns a migrated SQLite database in a temporary file, a copy
// of a file migrated once per process (running every migration with
// synchronous=FULL for every test cost more than the test itself).
func NewSQLiteDB(t testing.TB) (*gorm.DB, string) {
	t.Helper()
	tpl, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("sqlite template: %v", err)
	}
	path := filepath.Join(t.TempDir(), "agora-test.db")
	if err := os.WriteFile(path, tpl, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(path, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db, path
}

// NewPostgresDB gives the test its own database in the server at baseDSN,
// copied from a migrated template (CREATE DATABASE ... TEMPLATE is much
// faster than running the migrations for every test), and drops it when the
// test ends.
func NewPostgresDB(t testing.TB, baseDSN string) (*gorm.DB, string) {
	t.Helper()
	admin, err := adminPool(baseDSN)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	tpl, err := postgresTemplate(admin, baseDSN)
	if err != nil {
		t.Fatalf("postgres template: %v", err)
	}
	next := <-databaseSupply(admin, baseDSN, tpl)
	if next.err != nil {
		t.Fatalf("create test database: %v", next.err)
	}
	name := next.name
	dsn, err := withDatabase(baseDSN, name)
	if err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(dsn, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
		// Dropped in the background: nothing waits for it, and a drop the
		// process did not live to see finish leaves only a stray database on
		// a throwaway server. FORCE: other pools the test opened on the same
		// DSN may linger a moment.
		go admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return db, dsn
}

// A suppliedDB is a fresh copy of the template, made ahead of the test
// that will use it.
type suppliedDB struct {
	name string
	err  error
}

// databaseSupply returns the channel on which copies of tpl on the server
// at baseDSN arrive. One goroutine per server makes them one ahead of the
// tests (copying takes a third of a second, while the test before runs);
// the one or two left made when the process ends are swept at the next
// start, like any stray (sweepStrayDatabases).
func databaseSupply(admin *gorm.DB, baseDSN, tpl string) <-chan suppliedDB {
	supplyMu.Lock()
	defer supplyMu.Unlock()
	if ch := supplies[baseDSN]; ch != nil {
		return ch
	}
	ch := make(chan suppliedDB, 1)
	supplies[baseDSN] = ch
	go func() {
		for {
			name := fmt.Sprintf("t_%d_%s", os.Getpid(), randomHex(6)) // the pid: see sweepStrayDatabases
			err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + tpl).Error
			ch <- suppliedDB{name: name, err: err}
		}
	}()
	return ch
}

var (
	supplyMu sync.Mutex
	supplies = map[string]chan suppliedDB{}
)

// adminPool is one connection pool per server, kept for the whole process,
// that creates and drops the tests' databases.
func adminPool(baseDSN string) (*gorm.DB, error) {
	adminMu.Lock()
	defer adminMu.Unlock()
	if db := admins[baseDSN]; db != nil {
		return db, nil
	}
	db, err := models.Open(baseDSN, models.OpenOptions{})
	if err != nil {
		return nil, err
	}
	admins[baseDSN] = db
	sweepStrayDatabases(db)
	return db, nil
}

// sweepStrayDatabases drops the test databases of processes that have ended
// (their last drop runs in the background and may not have finished). A
// database's name carries the pid of the process that made it; the server is
// on this machine, so a pid that no longer runs is gone for good.
func sweepStrayDatabases(admin *gorm.DB) {
	var names []string
	admin.Raw(`SELECT datname FROM pg_database WHERE datname ~ '^t_[0-9]+_[0-9a-f]+$'`).Scan(&names)
	for _, n := range names {
		pid, err := strconv.Atoi(strings.Split(n, "_")[1])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			admin.Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)")
		}
	}
}

var (
	adminMu sync.Mutex
	admins  = map[string]*gorm.DB{}
)

// cheapPasswords switches the process to cheap password hashes at its first
// database; ProductionPasswordCost switches back for one test.
var cheapPasswords sync.Once

var (
	templateMu    sync.Mutex
	templateReady = map[string]bool{}
)

// postgresTemplate returns the name of a migrated, unused database to copy,
// creating it once per schema (several test processes may ask at once: an
// advisory lock lets one build it while the others wait).
func postgresTemplate(admin *gorm.DB, baseDSN string) (string, error) {
	name := "agora_tpl_" + models.MigrationsFingerprint()
	templateMu.Lock()
	defer templateMu.Unlock()
	if templateReady[name] {
		return name, nil
	}
	err := admin.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("SELECT pg_advisory_lock(7146002)").Error; err != nil {
			return err
		}
		defer conn.Exec("SELECT pg_advisory_unlock(7146002)")
		var n int64
		if err := conn.Raw("SELECT COUNT(*) FROM pg_database WHERE datname = ?", name).Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		building := name + "_building"
		conn.Exec("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)")
		if err := conn.Exec("CREATE DATABASE " + building).Error; err != nil {
			return err
		}
		dsn, err := withDatabase(baseDSN, building)
		if err != nil {
			return err
		}
		tdb, err := models.Open(dsn, models.OpenOptions{})
		if err != nil {
			return err
		}
		err = models.Migrate(tdb)
		if sqlDB, derr := tdb.DB(); derr == nil {
			_ = sqlDB.Close() // a template must have no connections to be copied
		}
		if err != nil {
			return err
		}
		// Renamed only once complete, so no one copies a half-built template.
		return conn.Exec("ALTER DATABASE " + building + " RENAME TO " + name).Error
	})
	if err != nil {
		return "", err
	}
	templateReady[name] = true
	return name, nil
}

// withDatabase returns dsn pointing at database name on the same server.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ProductionPasswordCost makes password hashing cost what it costs in
// production until t ends, for the tests of the hashing itself (its bound,
// its parameters); every other test hashes cheaply (see NewDB).
func ProductionPasswordCost(t testing.TB) {
	models.SetTestPasswordCost(false)
	t.Cleanup(func() { models.SetTestPasswordCost(true) })
}

// sqliteTemplate is the bytes of a freshly migrated SQLite database, made
// once per process: migrated in a temporary file, its journal folded back
// (wal_checkpoint TRUNCATE) and closed, so the one file is the whole database.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "agora-sqlite-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	db, err := models.Open(path, models.OpenOptions{})
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	err = models.Migrate(db)
	if err == nil {
		err = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	}
	if cerr := sqlDB.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})
