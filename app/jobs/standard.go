package jobs

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/agora-events/agora/models"
)

// Standard returns the periodic jobs every Agora instance runs.
func Standard(db *gorm.DB) []Job {
	kv := models.NewKVStore(db)
	return []Job{
		{Name: "kv-cleanup", Every: 10 * time.Minute, Run: func(ctx context.Context, now time.Time) error {
			_, err := kv.DeleteExpired()
			return err
		}},
		(&Retention{DB: db}).Job(),
	}
}
