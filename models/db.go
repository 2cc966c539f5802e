// Package models holds Agora's data: GORM models, opening the database,
// versioned migrations, and the domain rules that guard invariants.
package models

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// OpenOptions tune how the database is opened.
type OpenOptions struct {
	// SQLiteSynchronous overrides PRAGMA synchronous (default FULL: a page that
	// says "registered" means the row reached the disk).
	SQLiteSynchronous string
	// Logger replaces GORM's logger; nil keeps it silent.
	Logger logger.Interface
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database rather than a SQLite file.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to SQLite (a file path) or PostgreSQL (a postgres:// URL).
// It does not migrate; call Migrate for that.
func Open(dsn string, opts OpenOptions) (*gorm.DB, error) {
	if IsPostgresDSN(dsn) {
		db, err := gorm.Open(postgres.Open(dsn), gormConfig(opts))
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	}
	return openSQLite(dsn, opts)
}

func openSQLite(path string, opts OpenOptions) (*gorm.DB, error) {
	sync := opts.SQLiteSynchronous
	if sync == "" {
		sync = "FULL"
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", sync)
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	// Each pooled connection has its own page cache (2 MiB by default, so up
	// to 16 MiB of C memory for the pool); under WAL a connection drops it
	// whenever another one committed, which during registrations is all the
	// time, and the operating system caches the file anyway. 512 KiB each.
	q.Set("_cache_size", "-512")
	// Immediate transactions take the write lock at BEGIN, so two writers never
	// deadlock upgrading read locks, and capacity checks see committed state.
	q.Set("_txlock", "immediate")
	// Each connection keeps its last statements prepared: preparing was a
	// tenth of a form view's time (issue 17). The cache is the connection's
	// own, so no goroutine waits on another's preparation (unlike GORM's
	// shared cache, see gormConfig).
	q.Set("_stmt_cache_size", "64")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := gorm.Open(sqlite.Open(dsn), gormConfig(opts))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// One writer at a time is SQLite's nature; a handful of connections lets
	// readers proceed alongside it under WAL.
	sqlDB.SetMaxOpenConns(9) // 8, and the one an App's ChangeWatch holds
	sqlDB.SetMaxIdleConns(9)
	if err := db.Exec("PRAGMA foreign_keys = ON").Error; err != nil {
		return nil, fmt.Errorf("sqlite pragma: %w", err)
	}
	return db, nil
}

// gormConfig is the GORM set-up of either engine. GORM's prepared statement
// cache is off on both: it shares one preparation between goroutines, so a
// transaction holding the write lock (SQLite) or a row lock (PostgreSQL) can
// wait for a statement being prepared outside it by a goroutine that waits
// for a connection, held by a transaction that waits for that lock — a
// deadlock that lasts until the busy timeout (seen with two instances
// registering at once on PostgreSQL, and with many API writes at once on
// SQLite while the cache was cold). pgx prepares and caches per connection
// by itself; SQLite's own preparation is cheap next to a commit.
func gormConfig(opts OpenOptions) *gorm.Config {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
	}
	if opts.Logger != nil {
		cfg.Logger = opts.Logger
	}
	return cfg
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db *gorm.DB) bool {
	return db.Dialector.Name() == "postgres"
}

// Ping checks that the database answers.
func Ping(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Ping()
}

// Close closes the database at shutdown. On SQLite it first moves the
// write-ahead log into the main file (wal_checkpoint(TRUNCATE)), so
// agora.db alone holds everything and agora.db-wal is left empty: someone
// who copies only the .db file of a stopped instance still has all the data.
// Call it after every writer (requests, workers, the order batcher) stopped.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	var ckErr error
	if !IsPostgres(db) {
		var busy, logPages, moved int
		ckErr = sqlDB.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &moved)
		if ckErr == nil && busy != 0 {
			ckErr = fmt.Errorf("sqlite checkpoint: database busy (%d of %d log pages moved)", moved, logPages)
		}
	}
	if err := sqlDB.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return ckErr
}
