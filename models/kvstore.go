package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// kvEntry is one row of the shared key-value store that holds sessions,
// CSRF tokens and rate-limit counters, so several instances share them.
type kvEntry struct {
	Key       string `gorm:"primaryKey;size:255"`
	Value     []byte
	ExpiresAt int64 `gorm:"not null;default:0;index"` // unix seconds; 0 = never
}

func (kvEntry) TableName() string { return "kv_entries" }

// KVStore implements fiber.Storage on the application database.
type KVStore struct {
	db  *gorm.DB
	now func() time.Time
}

// NewKVStore returns a store over db's kv_entries table.
func NewKVStore(db *gorm.DB) *KVStore {
	return &KVStore{db: db, now: time.Now}
}

// Get returns the value for key, or nil when absent or expired.
func (s *KVStore) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	var e kvEntry
	err := s.db.Where("key = ? AND (expires_at = 0 OR expires_at > ?)", key, s.now().Unix()).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return e.Value, nil
}

// Set stores val under key for exp (0 = no expiry).
func (s *KVStore) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var expiresAt int64
	if exp > 0 {
		expiresAt = s.now().Add(exp).Unix()
	}
	return s.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "expires_at"}),
	}).Create(&kvEntry{Key: key, Value: val, ExpiresAt: expiresAt}).Error
}

// Delete removes key.
func (s *KVStore) Delete(key string) error {
	return s.db.Where("key = ?", key).Delete(&kvEntry{}).Error
}

// Reset removes every key.
func (s *KVStore) Reset() error {
	return s.db.Where("1 = 1").Delete(&kvEntry{}).Error
}

// Close does nothing: the database belongs to the application.
func (s *KVStore) Close() error { return nil }

// DeleteExpired removes expired entries; a periodic job calls it.
func (s *KVStore) DeleteExpired() (int64, error) {
	res := s.db.Where("expires_at > 0 AND expires_at <= ?", s.now().Unix()).Delete(&kvEntry{})
	return res.RowsAffected, res.Error
}

// GetOrCreate returns the value stored under key, storing val first if the
// key is absent. Instances starting at once agree on the first value stored.
func (s *KVStore) GetOrCreate(key string, val []byte) ([]byte, error) {
	if err := s.db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&kvEntry{Key: key, Value: val}).Error; err != nil {
		return nil, err
	}
	return s.Get(key)
}
