package models

import (
	"time"

	"gorm.io/gorm"
)

// migrate0021Retention adds retention periods (an organization's default,
// an event's own), the time an event's personal data was removed, and the
// runs that remove it: one row per run before any work, claimed with a
// lease, so a restart or a second instance resumes a run instead of
// starting another, and each run writes one audit entry.
func migrate0021Retention(tx *gorm.DB) error {
	type organization struct {
		ID              uint `gorm:"primaryKey"`
		RetentionMonths int  `gorm:"not null;default:12"`
	}
	if err := tx.Migrator().AddColumn(&organization{}, "RetentionMonths"); err != nil {
		return err
	}
	type event struct {
		ID                    uint `gorm:"primaryKey"`
		RetentionMonths       *int
		PersonalDataRemovedAt *time.Time
	}
	for _, col := range []string{"RetentionMonths", "PersonalDataRemovedAt"} {
		if err := tx.Migrator().AddColumn(&event{}, col); err != nil {
			return err
		}
	}
	type retentionRun struct {
		ID             uint   `gorm:"primaryKey"`
		EventID        uint   `gorm:"not null;uniqueIndex:idx_retention_run_key,priority:1"`
		OrganizationID uint   `gorm:"not null"`
		RunKey         string `gorm:"size:100;not null;uniqueIndex:idx_retention_run_key,priority:2"`
		ActorUserID    *uint
		ActorEmail     string `gorm:"size:254;not null;default:''"`
		IP             string `gorm:"size:64;not null;default:''"`
		ClaimedBy      string `gorm:"size:100;not null;default:''"`
		ClaimedUntil   *time.Time
		Attendees      int `gorm:"not null;default:0"`
		Orders         int `gorm:"not null;default:0"`
		StartedAt      time.Time
		FinishedAt     *time.Time `gorm:"index"`
	}
	return tx.AutoMigrate(&retentionRun{})
}
