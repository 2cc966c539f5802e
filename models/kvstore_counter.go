package models

import (
	"fmt"
	"strconv"
	"time"
)

// Hit counts one event under key in a fixed window that starts with the
// window's first hit, and returns the count so far, this hit included. It is
// one statement (an upsert), so instances counting the same key at once
// never lose a hit: rate limits hold across several instances.
func (s *KVStore) Hit(key string, window time.Duration) (int, error) {
	now := s.now()
	// The value is the count as decimal text. The engines differ only in how
	// a byte value becomes a number and back.
	next := "CAST(CAST(kv_entries.value AS INTEGER) + 1 AS TEXT)"
	if IsPostgres(s.db) {
		next = "convert_to((convert_from(kv_entries.value, 'UTF8')::bigint + 1)::text, 'UTF8')"
	}
	sql := `INSERT INTO kv_entries (key, value, expires_at) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
  value = CASE WHEN kv_entries.expires_at <= ? THEN excluded.value ELSE ` + next + ` END,
  expires_at = CASE WHEN kv_entries.expires_at <= ? THEN excluded.expires_at ELSE kv_entries.expires_at END
RETURNING value`
	var val []byte
	ts := now.Unix()
	if err := s.db.Raw(sql, key, []byte("1"), now.Add(window).Unix(), ts, ts).Row().Scan(&val); err != nil {
		return 0, fmt.Errorf("count %s: %w", key, err)
	}
	n, err := strconv.Atoi(string(val))
	if err != nil {
		return 0, fmt.Errorf("count %s: stored %q is not a count", key, val)
	}
	return n, nil
}
