package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// JobLease lets one instance at a time run a periodic job. A lease expires on
// its own, so a job held by an instance that died is picked up by another.
type JobLease struct {
	Name      string `gorm:"primaryKey;size:100"`
	Holder    string `gorm:"size:100;not null;default:''"`
	ExpiresAt time.Time
	LastRunAt *time.Time
	LastError string `gorm:"size:1000"`
}

// AcquireLease takes the lease on job name for holder until now+ttl, if it is
// free, expired, or already holder's. It reports whether holder has it.
func AcquireLease(db *gorm.DB, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	// Make sure the row exists; a conflict means another instance made it.
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&JobLease{Name: name, ExpiresAt: time.Unix(0, 0).UTC()}).Error; err != nil {
		return false, err
	}
	res := db.Model(&JobLease{}).
		Where("name = ? AND (expires_at < ? OR holder = ?)", name, now, holder).
		Updates(map[string]any{"holder": holder, "expires_at": now.Add(ttl)})
	return res.RowsAffected == 1, res.Error
}

// ReleaseLease records how the run went and keeps others off the job until
// notBefore, so the job runs once per period across all instances.
func ReleaseLease(db *gorm.DB, name, holder string, ranAt, notBefore time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
	}
	return db.Model(&JobLease{}).Where("name = ? AND holder = ?", name, holder).
		Updates(map[string]any{"holder": "", "expires_at": notBefore, "last_run_at": ranAt, "last_error": msg}).Error
}
