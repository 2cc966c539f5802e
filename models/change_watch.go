package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// ChangeWatch tells whether anything was committed to a SQLite database
// since it last looked, without reading any table: SQLite's data_version,
// read on a connection of its own that never writes, changes with every
// commit of every other connection, of this process or another, from the
// moment that commit is visible. The public pages use it to skip their
// per-request version query while nothing changed (issue 17).
//
// PostgreSQL has no such counter; WatchChanges returns nil there and the
// pages keep asking the database on every request.
type ChangeWatch struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// WatchChanges reserves one connection of db for watching; Close gives it
// back. nil (and no error) on PostgreSQL.
func WatchChanges(db *gorm.DB) (*ChangeWatch, error) {
	if IsPostgres(db) {
		return nil, nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(context.Background())
	if err != nil {
		return nil, fmt.Errorf("change watch: %w", err)
	}
	return &ChangeWatch{conn: conn}, nil
}

// Version is the database's data version: equal to an earlier answer only
// if no other connection committed anything in between.
func (w *ChangeWatch) Version() (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return 0, sql.ErrConnDone
	}
	var v int64
	err := w.conn.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&v)
	return v, err
}

// Close gives the connection back to the pool.
func (w *ChangeWatch) Close() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return nil
	}
	err := w.conn.Close()
	w.conn = nil
	return err
}
